// The checkout page: the customer's wallet (created here, or recovered from this device's sealed
// share and the recovery service's share), the credit account, the payment's preview by the token's
// own rule, signing and broadcasting in the page, the confirmation; and the merchant's dashboard
// (open invoices, and what a clearing round would remove). Every rule and every byte is the SDK's.
import init, * as sdk from './pkg/resource_sdk_wasm.js';
import { Chain } from './js/chain.mjs';

const $ = (id) => document.getElementById(id);
const DEVICE_KEY = 'resource.checkout.device';
let config;
let chain;
let phrase = null;
let address = null;

/** Smallest units (a decimal string, 6 decimals) as "-12.50 rUSD". */
function rusd(units) {
  const n = BigInt(units);
  const abs = n < 0n ? -n : n;
  const whole = abs / 1_000_000n;
  const cents = ((abs % 1_000_000n) / 10_000n).toString().padStart(2, '0');
  return `${n < 0n ? '-' : ''}${whole}.${cents} rUSD`;
}

function show(id, visible = true) {
  $(id).hidden = !visible;
}

function status(text) {
  $('status').textContent = text;
}

function fail(e) {
  const el = $('error');
  el.textContent = e.code ? `${e.message} (${e.code})` : e.message;
  el.dataset.code = e.code ?? '';
  el.hidden = false;
  status('Something went wrong: see below.');
}

async function service(path, options = {}) {
  const response = await fetch(path, { headers: { 'content-type': 'application/json' }, ...options });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const e = new Error(body.error ?? `${path}: HTTP ${response.status}`);
    e.code = body.code ?? 'service_error';
    throw e;
  }
  return body;
}

const creditAccount = (who) => chain.query(config.token, { credit_account: { address: who } });

async function refreshAccount() {
  const account = await creditAccount(address);
  $('balance').textContent = rusd(account.balance);
  $('line').textContent = account.line ? rusd(account.line.limit) : 'none';
  $('available').textContent = rusd(account.available);
  return account;
}

/** The payment's outcome as the token computes it, from the token's own answers. */
async function preview() {
  const token = await chain.query(config.token, { config: {} });
  const [sender, receiver, collector] = await Promise.all([address, config.merchant, token.fee_collector].map(creditAccount));
  const now = String(Math.floor(Date.now() / 1000));
  try {
    const p = JSON.parse(
      sdk.previewPayment(JSON.stringify(token), JSON.stringify(sender), JSON.stringify(receiver), JSON.stringify(collector), config.order.amount, now),
    );
    $('preview-fee').textContent = rusd(p.fee);
    $('preview-minted').textContent = rusd(p.minted);
    $('preview-burned').textContent = rusd(p.burned);
    $('preview-available').textContent = rusd(p.sender_available_after);
    $('pay').disabled = false;
    return p;
  } catch (e) {
    $('pay').disabled = true;
    throw e;
  }
}

async function walletReady(guardian) {
  show('wallet-new', false);
  show('wallet-locked', false);
  show('wallet-ready');
  $('address').textContent = address;
  if (guardian) {
    $('guardian-share').textContent = guardian;
    show('guardian');
  }
  await refreshAccount();
  await preview();
  status('Ready to pay.');
}

async function createWallet() {
  const passphrase = $('new-passphrase').value;
  status('Creating your wallet...');
  const wallet = JSON.parse(sdk.createWallet(24, config.prefix));
  const shares = JSON.parse(sdk.splitPhrase(wallet.phrase));
  // Sealing first: a weak passphrase is refused before anything is stored.
  const sealed = sdk.sealShare(shares.device, passphrase);
  await service(`recovery/${wallet.address}`, { method: 'PUT', body: JSON.stringify({ share: shares.recovery }) });
  localStorage.setItem(DEVICE_KEY, JSON.stringify({ address: wallet.address, sealed: JSON.parse(sealed) }));
  status('Opening your credit account with the network...');
  await service('onboard', { method: 'POST', body: JSON.stringify({ address: wallet.address }) });
  phrase = wallet.phrase;
  address = wallet.address;
  await walletReady(shares.guardian);
}

async function unlockWallet() {
  const stored = JSON.parse(localStorage.getItem(DEVICE_KEY));
  status('Unlocking...');
  const device = sdk.openShare(JSON.stringify(stored.sealed), $('unlock-passphrase').value);
  const { share } = await service(`recovery/${stored.address}`);
  const recovered = sdk.recoverPhrase(JSON.stringify([device, share]));
  const wallet = JSON.parse(sdk.walletFromPhrase(recovered, config.prefix));
  if (wallet.address !== stored.address) throw Object.assign(new Error('the shares recover another wallet'), { code: 'different_secrets' });
  phrase = recovered;
  address = wallet.address;
  await walletReady(null);
}

async function pay() {
  $('pay').disabled = true;
  status('Signing and sending your payment...');
  let outcome;
  try {
    outcome = await chain.execute(phrase, [
      { contract: config.token, msg: { transfer: { recipient: config.merchant, amount: config.order.amount } } },
    ], { memo: `order ${config.order.id}` });
  } catch (e) {
    $('pay').disabled = false; // nothing was paid: the customer may try again
    throw e;
  }
  $('tx-hash').textContent = outcome.hash;
  $('tx-height').textContent = String(outcome.height);
  const [mine, shop] = await Promise.all([refreshAccount(), creditAccount(config.merchant)]);
  $('balance-after').textContent = rusd(mine.balance);
  $('merchant-after').textContent = rusd(shop.balance);
  show('confirmation');
  $('pay').textContent = 'Paid';
  status('Payment confirmed.');
  await dashboard();
}

/** The merchant's open invoices and what one clearing round would set off, by the contract's rule. */
async function dashboard() {
  const [shop, outstanding] = await Promise.all([
    creditAccount(config.merchant),
    chain.query(config.clearing, { outstanding: {} }),
  ]);
  $('merchant-balance').textContent = rusd(shop.balance);
  const entries = JSON.parse(sdk.solveClearing(JSON.stringify(outstanding)));
  const removed = new Map(entries.map((e) => [e.id, e.amount]));
  const total = entries.length ? JSON.parse(sdk.verifyClearing(JSON.stringify(outstanding), JSON.stringify(entries))).total : '0';
  const name = (who) => (who === config.merchant ? 'this shop' : `${who.slice(0, 10)}...`);
  const rows = outstanding.obligations.map((o) => {
    const tr = document.createElement('tr');
    tr.dataset.id = String(o.id);
    for (const text of [`#${o.id}`, name(o.debtor), name(o.creditor), rusd(o.remaining), rusd(removed.get(o.id) ?? '0')]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  });
  $('invoices').tBodies[0].replaceChildren(...rows);
  $('clearing-summary').textContent = `A clearing round would remove ${rusd(total)} of debt without any money moving.`;
  $('clearing-summary').dataset.total = total;
}

function on(id, action) {
  $(id).addEventListener('click', () => {
    $('error').hidden = true;
    action().catch(fail);
  });
}

window.checkoutReady = (async () => {
  await init();
  config = await (await fetch('config.json')).json();
  chain = new Chain(sdk, { rpc: config.rpc, chainId: config.chain_id, prefix: config.prefix, denom: config.denom, gasPrice: Number(config.gas_price) });
  $('shop-name').textContent = config.shop_name;
  $('order-id').textContent = `#${config.order.id}`;
  $('order-amount').textContent = rusd(config.order.amount);
  on('create-wallet', createWallet);
  on('unlock-wallet', unlockWallet);
  on('pay', pay);
  const stored = localStorage.getItem(DEVICE_KEY);
  if (stored) {
    $('locked-address').textContent = JSON.parse(stored).address;
    show('wallet-locked');
  } else {
    show('wallet-new');
  }
  status(`SDK ${sdk.version()} (${sdk.bundle()} bundle) loaded.`);
  document.body.dataset.ready = 'true';
  // The chain is asked after the page is ready: the dashboard fills in when the node answers.
  dashboard().catch(fail);
})();
window.checkoutReady.catch(fail);
