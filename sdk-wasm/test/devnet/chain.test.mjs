// The SDK's chain client (../../js/chain.mjs) on a real devnet node: the payer's account read from
// the chain, a payment previewed from the token's own answers, signed in the SDK, broadcast, found in
// a block with the token's events, and exactly what the preview said; a payment beyond the line
// refused with the contract's own words, the same the preview gives.
//
// `cargo xtask test --suite browser` starts the devnet, deploys the token (sdk-fixtures devnet) and
// sets RESOURCE_SDK_DEVNET to what it wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { Chain, ChainError } from '../../js/chain.mjs';
import { required } from '../env.mjs';

const sdk = createRequire(import.meta.url)(path.resolve(required('RESOURCE_SDK_PKG'), 'resource_sdk_wasm.js'));
const net = JSON.parse(readFileSync(required('RESOURCE_SDK_DEVNET'), 'utf8'));
const chain = new Chain(sdk, {
  rpc: net.rpc,
  chainId: net.chain_id,
  prefix: net.prefix,
  denom: net.denom,
  gasPrice: Number(net.gas_price),
});
const account = (address) => chain.query(net.token, { credit_account: { address } });
const now = () => String(Math.floor(Date.now() / 1000));

test('the payer\'s account number and sequence come from the chain (an EthAccount)', async () => {
  const { account_number, sequence } = await chain.account(net.payer.address);
  assert.equal(typeof account_number, 'number');
  assert.ok(sequence >= 0);
  assert.equal(JSON.parse(sdk.walletFromPhrase(net.payer.phrase, net.prefix)).address, net.payer.address);
});

test('a payment signed in the SDK does on chain exactly what its preview said', async () => {
  const config = await chain.query(net.token, { config: {} });
  const [payer, merchant, collector] = await Promise.all([net.payer.address, net.merchant, net.fee_collector].map(account));
  const amount = '25000000';
  const preview = JSON.parse(
    sdk.previewPayment(JSON.stringify(config), JSON.stringify(payer), JSON.stringify(merchant), JSON.stringify(collector), amount, now()),
  );
  assert.equal(preview.fee, '250000');
  const before = await chain.account(net.payer.address);
  const outcome = await chain.execute(net.payer.phrase, [
    { contract: net.token, msg: { transfer: { recipient: net.merchant, amount } } },
  ], { memo: 'checkout 1' });
  assert.ok(outcome.height > 0 && outcome.gasUsed > 0 && outcome.gasUsed <= outcome.gasWanted, JSON.stringify(outcome));
  const transfer = outcome.events.find((e) => e.type === 'wasm' && e.attributes.minted !== undefined);
  assert.ok(transfer, `no transfer event in ${JSON.stringify(outcome.events)}`);
  assert.deepEqual(
    { fee: transfer.attributes.fee, minted: transfer.attributes.minted, burned: transfer.attributes.burned },
    { fee: preview.fee, minted: preview.minted, burned: preview.burned },
  );
  const [payerAfter, merchantAfter] = await Promise.all([net.payer.address, net.merchant].map(account));
  assert.equal(payerAfter.balance, preview.sender_balance_after);
  assert.equal(payerAfter.available, preview.sender_available_after);
  assert.equal(merchantAfter.balance, preview.receiver_balance_after);
  assert.equal((await chain.account(net.payer.address)).sequence, before.sequence + 1);
});

test('a payment beyond the line is refused in the contract\'s words, the preview\'s', async () => {
  const config = await chain.query(net.token, { config: {} });
  const [payer, merchant, collector] = await Promise.all([net.payer.address, net.merchant, net.fee_collector].map(account));
  const amount = '5000000000';
  let previewError;
  try {
    sdk.previewPayment(JSON.stringify(config), JSON.stringify(payer), JSON.stringify(merchant), JSON.stringify(collector), amount, now());
  } catch (e) {
    previewError = e;
  }
  assert.equal(previewError?.code, 'insufficient_credit');
  await assert.rejects(
    chain.execute(net.payer.phrase, [{ contract: net.token, msg: { transfer: { recipient: net.merchant, amount } } }]),
    (e) => {
      assert.ok(e instanceof ChainError, String(e));
      assert.equal(e.code, 'contract_error');
      assert.ok(previewError.message.endsWith(e.message), `chain: "${e.message}", preview: "${previewError.message}"`);
      return true;
    },
  );
  assert.equal((await account(net.payer.address)).balance, payer.balance, 'nothing moved');
});

test('a node that is not there is a clear error', async () => {
  const nowhere = new Chain(sdk, { rpc: 'http://127.0.0.1:9', chainId: 'x', prefix: 'inj', denom: 'inj', gasPrice: 1 });
  await assert.rejects(nowhere.account(net.payer.address), (e) => e.code === 'node_unreachable');
  assert.throws(() => new Chain(sdk, { rpc: net.rpc }), (e) => e.code === 'invalid_argument' && /chainId is missing/.test(e.message));
});
