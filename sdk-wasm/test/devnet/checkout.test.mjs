// The checkout example (../../examples/checkout) end to end in real headless Chromium on the devnet:
// a customer creates a wallet in the page (its device share sealed in localStorage, the recovery
// share with the example's recovery service), is onboarded, sees the preview, pays, and the shop's
// balance on chain grows by the order; the page is reloaded, the wallet recovered from the device
// share and the passphrase (a wrong one refused first) and the recovery service, and it pays again.
// The merchant's dashboard shows the invoices and what a clearing round would remove, as the SDK
// computes it here. Screenshots go to $RESOURCE_SDK_ARTIFACTS.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { Chain } from '../../js/chain.mjs';
import { startCheckout } from '../../examples/checkout/server.mjs';
import { launch } from '../chromium.mjs';
import { required } from '../env.mjs';

const sdk = createRequire(import.meta.url)(path.resolve(required('RESOURCE_SDK_PKG'), 'resource_sdk_wasm.js'));
const net = JSON.parse(readFileSync(required('RESOURCE_SDK_DEVNET'), 'utf8'));
const shots = required('RESOURCE_SDK_ARTIFACTS');
const chain = new Chain(sdk, { rpc: net.rpc, chainId: net.chain_id, prefix: net.prefix, denom: net.denom, gasPrice: Number(net.gas_price) });
const order = { id: '1042', amount: '25000000' };
const balance = async (address) => BigInt((await chain.query(net.token, { credit_account: { address } })).balance);

// The shop is an account no other test file pays (they run at the same time).
const shop = { ...net, merchant: net.shop };
const server = await startCheckout({ network: shop, webPkg: required('RESOURCE_SDK_WEB_PKG'), nodePkg: required('RESOURCE_SDK_PKG'), order });
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const problems = [];
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`));
page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(`console error: ${m.text()}`));
after(async () => {
  await browser.close();
  await server.close();
});

async function open() {
  await page.goto(`${server.url}/index.html`, { timeout: 60_000 });
  await page.evaluate(() => window.checkoutReady);
}

async function payAndConfirm() {
  const before = await balance(shop.merchant);
  await page.waitForSelector('#pay:not([disabled])', { timeout: 60_000 });
  await page.click('#pay');
  await page.waitForSelector('#confirmation:not([hidden])', { timeout: 60_000 });
  assert.equal(await balance(shop.merchant) - before, BigInt(order.amount), 'the shop received the order on chain');
  return page.textContent('#tx-hash');
}

let address;

test('the page is ready and offers a new wallet', async () => {
  await open();
  assert.equal(await page.getAttribute('body', 'data-ready'), 'true');
  assert.ok(await page.isVisible('#wallet-new'));
  assert.match(await page.textContent('#status'), /core bundle/);
});

test('a new wallet is created, onboarded, previews and pays; the shop\'s balance on chain grows', async () => {
  await page.fill('#new-passphrase', 'short');
  await page.click('#create-wallet');
  await page.waitForSelector('#error:not([hidden])');
  assert.equal(await page.getAttribute('#error', 'data-code'), 'weak_passphrase');

  await page.fill('#new-passphrase', 'blue ridge sourdough');
  await page.click('#create-wallet');
  await page.waitForSelector('#wallet-ready:not([hidden])', { timeout: 60_000 });
  address = await page.textContent('#address');
  assert.match(address, /^inj1/);
  assert.equal(await page.textContent('#line'), '100.00 rUSD');
  await page.waitForSelector('#pay:not([disabled])', { timeout: 60_000 });
  assert.equal(await page.textContent('#preview-fee'), '0.25 rUSD');
  assert.equal(await page.textContent('#preview-minted'), '25.25 rUSD');
  const hash = await payAndConfirm();
  assert.match(hash, /^[0-9A-F]{64}$/);
  assert.equal(await balance(address), -25_250_000n);
  assert.equal(await page.textContent('#balance-after'), '-25.25 rUSD');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('resource.checkout.device')));
  assert.equal(stored.address, address);
  assert.ok(!JSON.stringify(stored).includes('rshare1'), 'only the sealed share is on the device');
  await page.screenshot({ path: path.join(shots, 'checkout-paid.png'), fullPage: true });
});

test('after a reload the wallet is recovered from the device share and the recovery service, and pays again', async () => {
  await open();
  assert.ok(await page.isVisible('#wallet-locked'));
  assert.equal(await page.textContent('#locked-address'), address);
  await page.fill('#unlock-passphrase', 'wrong passphrase');
  await page.click('#unlock-wallet');
  await page.waitForSelector('#error:not([hidden])');
  assert.equal(await page.getAttribute('#error', 'data-code'), 'wrong_passphrase');

  await page.fill('#unlock-passphrase', 'blue ridge sourdough');
  await page.click('#unlock-wallet');
  await page.waitForSelector('#wallet-ready:not([hidden])', { timeout: 60_000 });
  assert.equal(await page.textContent('#address'), address);
  await payAndConfirm();
  assert.equal(await balance(address), -50_500_000n);
  await page.screenshot({ path: path.join(shots, 'checkout-recovered.png'), fullPage: true });
});

test('the merchant dashboard shows the open invoices and what a clearing round would remove', async () => {
  const outstanding = await chain.query(net.clearing, { outstanding: {} });
  const entries = sdk.solveClearing(JSON.stringify(outstanding));
  const { total } = JSON.parse(sdk.verifyClearing(JSON.stringify(outstanding), entries));
  await page.waitForSelector('#clearing-summary[data-total]');
  assert.equal(await page.getAttribute('#clearing-summary', 'data-total'), total);
  assert.equal(total, '75000000');
  assert.equal(await page.locator('#invoices tbody tr').count(), outstanding.obligations.length);
  assert.equal(await page.textContent('#merchant-balance'), `${(Number(await balance(shop.merchant)) / 1e6).toFixed(2)} rUSD`);
  assert.deepEqual(problems, []);
});

test('the example\'s services refuse bad requests with codes', async () => {
  const get = async (p, init) => {
    const r = await fetch(`${server.url}${p}`, init);
    return [r.status, await r.json()];
  };
  assert.deepEqual((await get(`/recovery/${shop.merchant}`))[1].code, 'no_share');
  assert.deepEqual((await get('/recovery/inj1nope'))[1].code, 'invalid_address');
  const [status, body] = await get('/onboard', { method: 'POST', body: JSON.stringify({ address }) });
  assert.deepEqual([status, body.code], [409, 'already_onboarded']);
  const [, put] = await get(`/recovery/${address}`, { method: 'PUT', body: JSON.stringify({ share: 'rshare1other' }) });
  assert.equal(put.code, 'share_exists');
});
