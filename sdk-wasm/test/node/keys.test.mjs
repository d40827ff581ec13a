// The key functions that draw on the OS's randomness (crypto.getRandomValues), whose answers no
// fixture can fix in advance: a wallet made, split, recovered from every pair of its shares, its
// device share sealed and opened, and each refusal with its code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';

import { required } from '../env.mjs';

const sdk = createRequire(import.meta.url)(path.resolve(required('RESOURCE_SDK_PKG'), 'resource_sdk_wasm.js'));

/** The Error `f()` throws (fails when it does not throw). */
function thrown(f) {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Error, `threw something that is not an Error: ${e}`);
    return e;
  }
  assert.fail('did not throw');
}

test('a new wallet is split 2-of-3 and every pair of shares recovers it', () => {
  const wallet = JSON.parse(sdk.createWallet(24, 'inj'));
  assert.equal(wallet.phrase.split(' ').length, 24);
  assert.match(wallet.address, /^inj1[02-9ac-hj-np-z]{38}$/);
  assert.match(wallet.public_key, /^0[23][0-9a-f]{64}$/);
  assert.deepEqual(JSON.parse(sdk.walletFromPhrase(wallet.phrase, 'inj')), {
    address: wallet.address,
    public_key: wallet.public_key,
  });
  const shares = JSON.parse(sdk.splitPhrase(wallet.phrase));
  const all = [shares.device, shares.guardian, shares.recovery];
  assert.equal(new Set(all).size, 3);
  for (const [a, b] of [[0, 1], [1, 0], [0, 2], [2, 1]]) {
    assert.equal(sdk.recoverPhrase(JSON.stringify([all[a], all[b]])), wallet.phrase);
  }
  // Fresh coefficients every time: a second split gives other shares of the same phrase.
  const again = JSON.parse(sdk.splitPhrase(wallet.phrase));
  assert.notEqual(again.device, shares.device);
  // Shares of two splits do not combine: the recovered secret fails the shares' fingerprint.
  assert.equal(thrown(() => sdk.recoverPhrase(JSON.stringify([again.device, shares.guardian]))).code, 'tampered_share');
});

test('two wallets made one after the other differ, and twelve words work too', () => {
  const a = JSON.parse(sdk.createWallet(12, 'cosmos'));
  const b = JSON.parse(sdk.createWallet(12, 'cosmos'));
  assert.notEqual(a.phrase, b.phrase);
  assert.equal(a.phrase.split(' ').length, 12);
  assert.match(a.address, /^cosmos1/);
  const e = thrown(() => sdk.createWallet(15, 'inj'));
  assert.equal(e.code, 'invalid_argument');
  assert.match(e.message, /pass 12 or 24/);
});

test('the device share sealed with a passphrase opens with it alone', () => {
  const { device } = JSON.parse(sdk.splitPhrase(JSON.parse(sdk.createWallet(24, 'inj')).phrase));
  const sealed = sdk.sealShare(device, 'correct horse battery');
  const stored = JSON.parse(sealed);
  assert.equal(stored.kdf.algorithm, 'argon2id');
  assert.equal(stored.cipher, 'xchacha20poly1305');
  assert.ok(!sealed.includes(device), 'the sealed form does not contain the share');
  assert.equal(sdk.openShare(sealed, 'correct horse battery'), device);
  const wrong = thrown(() => sdk.openShare(sealed, 'correct horse batterz'));
  assert.equal(wrong.code, 'wrong_passphrase');
  assert.notEqual(sdk.sealShare(device, 'correct horse battery'), sealed, 'a fresh salt and nonce each time');
  assert.equal(thrown(() => sdk.sealShare(device, 'short')).code, 'weak_passphrase');
});
