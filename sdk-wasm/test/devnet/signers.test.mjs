// External signers on a real devnet node: a cosmjs wallet (DirectSecp256k1HdWallet, the interface
// Keplr and Leap give) pays through the SDK's Chain.execute; the SDK's own keys (sdkSigner) pay
// through cosmjs and a generated ts-bindings client; an amino-only signer is refused with a code
// before anything is sent.
//
// cosmjs and the compiled ts-bindings come from ../../../ts-bindings (the suite runs `npm ci` and
// `tsc` there and sets RESOURCE_TS_BINDINGS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { Chain, ChainError } from '../../js/chain.mjs';
import { sdkSigner } from '../../js/signer.mjs';
import { required } from '../env.mjs';

const sdk = createRequire(import.meta.url)(path.resolve(required('RESOURCE_SDK_PKG'), 'resource_sdk_wasm.js'));
const net = JSON.parse(readFileSync(required('RESOURCE_SDK_DEVNET'), 'utf8'));
const fromTs = createRequire(path.join(path.resolve(required('RESOURCE_TS_BINDINGS')), 'package.json'));
const { DirectSecp256k1HdWallet } = fromTs('@cosmjs/proto-signing');
const { Secp256k1HdWallet } = fromTs('@cosmjs/amino');
const { SigningCosmWasmClient } = fromTs('@cosmjs/cosmwasm-stargate');
const { GasPrice } = fromTs('@cosmjs/stargate');
const bindings = fromTs('./dist/lib/index.js');

const chain = new Chain(sdk, { rpc: net.rpc, chainId: net.chain_id, prefix: net.prefix, denom: net.denom, gasPrice: Number(net.gas_price) });
const payer = net.external_payer;
const balance = async (address) => (await chain.query(net.token, { credit_account: { address } })).balance;

test('a cosmjs wallet (an OfflineDirectSigner, as Keplr gives) pays through Chain.execute', async () => {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(payer.phrase, { prefix: net.prefix });
  const [{ address }] = await wallet.getAccounts();
  assert.equal(address, payer.address);
  const before = BigInt(await balance(net.merchant));
  const outcome = await chain.execute(wallet, [{ contract: net.token, msg: { transfer: { recipient: net.merchant, amount: '1000000' } } }], { memo: 'cosmjs signer' });
  assert.ok(outcome.events.some((e) => e.type === 'wasm' && e.attributes.minted !== undefined), JSON.stringify(outcome.events));
  assert.equal(BigInt(await balance(net.merchant)) - before, 1_000_000n);
});

test('the SDK\'s keys sign through cosmjs and a generated ts-bindings client', async () => {
  const signer = sdkSigner(sdk, payer.phrase, net.prefix);
  const client = await SigningCosmWasmClient.connectWithSigner(net.rpc, signer, {
    gasPrice: GasPrice.fromString(`${net.gas_price}${net.denom}`),
    accountParser: bindings.accountParser,
    broadcastPollIntervalMs: 300,
  });
  const token = new bindings.CreditTokenClient(bindings.fromCosmjs(client), payer.address, net.token);
  const before = BigInt(await balance(net.merchant));
  const result = await token.transfer({ recipient: net.merchant, amount: '2000000' });
  assert.match(result.transactionHash, /^[0-9A-F]{64}$/);
  assert.equal(BigInt(await balance(net.merchant)) - before, 2_000_000n);
  client.disconnect();
});

test('sdkSigner refuses to sign for another address, with a code', async () => {
  const signer = sdkSigner(sdk, payer.phrase, net.prefix);
  const doc = { bodyBytes: new Uint8Array(), authInfoBytes: new Uint8Array(), chainId: net.chain_id, accountNumber: 1n };
  await assert.rejects(signer.signDirect(net.merchant, doc), (e) => e.code === 'wrong_signer');
  assert.throws(() => sdkSigner(sdk, 'not a phrase', net.prefix), (e) => e.code === 'invalid_phrase');
});

test('an amino-only signer is refused before anything is sent', async () => {
  const amino = await Secp256k1HdWallet.fromMnemonic(payer.phrase, { prefix: net.prefix });
  const { sequence } = await chain.account(payer.address);
  await assert.rejects(
    chain.execute(amino, [{ contract: net.token, msg: { transfer: { recipient: net.merchant, amount: '1' } } }]),
    (e) => e instanceof ChainError && e.code === 'signer_unsupported',
  );
  assert.equal((await chain.account(payer.address)).sequence, sequence, 'nothing was sent');
});
