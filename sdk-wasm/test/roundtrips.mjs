// The key functions that draw on the runtime's randomness (crypto.getRandomValues), whose answers
// no fixture can fix in advance, checked by round trips: a wallet made, split, recovered from every
// pair of its shares, its device share sealed and opened, and each refusal with its code. Imports
// nothing, so Node and the Chromium page run the same checks.

class Failed extends Error {}

function check(ok, what) {
  if (!ok) throw new Failed(what);
}

/** The Error `f()` throws (a failure when it does not throw). */
function thrown(f) {
  try {
    f();
  } catch (e) {
    check(e instanceof Error, `threw something that is not an Error: ${e}`);
    return e;
  }
  throw new Failed('did not throw');
}

const CHECKS = {
  'a new wallet is split 2-of-3 and every pair of shares recovers it': (sdk) => {
    const wallet = JSON.parse(sdk.createWallet(24, 'inj'));
    check(wallet.phrase.split(' ').length === 24, `24 words: ${wallet.phrase.split(' ').length}`);
    check(/^inj1[02-9ac-hj-np-z]{38}$/.test(wallet.address), `an inj address: ${wallet.address}`);
    check(/^0[23][0-9a-f]{64}$/.test(wallet.public_key), `a compressed key: ${wallet.public_key}`);
    const again = JSON.parse(sdk.walletFromPhrase(wallet.phrase, 'inj'));
    check(again.address === wallet.address && again.public_key === wallet.public_key, 'the phrase gives the same key');
    const shares = JSON.parse(sdk.splitPhrase(wallet.phrase));
    const all = [shares.device, shares.guardian, shares.recovery];
    check(new Set(all).size === 3, 'three different shares');
    for (const [a, b] of [[0, 1], [1, 0], [0, 2], [2, 1]]) {
      check(sdk.recoverPhrase(JSON.stringify([all[a], all[b]])) === wallet.phrase, `shares ${a} and ${b} recover it`);
    }
    // Fresh coefficients every time: shares of two splits do not combine.
    const other = JSON.parse(sdk.splitPhrase(wallet.phrase));
    check(other.device !== shares.device, 'a second split gives other shares');
    const e = thrown(() => sdk.recoverPhrase(JSON.stringify([other.device, shares.guardian])));
    check(e.code === 'tampered_share', `code ${e.code}`);
  },
  'two wallets made one after the other differ, and twelve words work too': (sdk) => {
    const a = JSON.parse(sdk.createWallet(12, 'cosmos'));
    const b = JSON.parse(sdk.createWallet(12, 'cosmos'));
    check(a.phrase !== b.phrase, 'two phrases differ');
    check(a.phrase.split(' ').length === 12, '12 words');
    check(a.address.startsWith('cosmos1'), `a cosmos address: ${a.address}`);
    const e = thrown(() => sdk.createWallet(15, 'inj'));
    check(e.code === 'invalid_argument' && e.message.includes('pass 12 or 24'), `${e.code}: ${e.message}`);
  },
  'the device share sealed with a passphrase opens with it alone': (sdk) => {
    const { device } = JSON.parse(sdk.splitPhrase(JSON.parse(sdk.createWallet(24, 'inj')).phrase));
    const sealed = sdk.sealShare(device, 'correct horse battery');
    const stored = JSON.parse(sealed);
    check(stored.kdf.algorithm === 'argon2id' && stored.cipher === 'xchacha20poly1305', 'the algorithms are named');
    check(!sealed.includes(device), 'the sealed form does not contain the share');
    check(sdk.openShare(sealed, 'correct horse battery') === device, 'it opens');
    check(thrown(() => sdk.openShare(sealed, 'correct horse batterz')).code === 'wrong_passphrase', 'a wrong passphrase');
    check(sdk.sealShare(device, 'correct horse battery') !== sealed, 'a fresh salt and nonce each time');
    check(thrown(() => sdk.sealShare(device, 'short')).code === 'weak_passphrase', 'a short passphrase');
  },
};

/** Runs every check: [{ name, failure }], `failure` null when it held. */
export function runRoundTrips(sdk) {
  return Object.entries(CHECKS).map(([name, f]) => {
    try {
      f(sdk);
      return { name, failure: null };
    } catch (e) {
      return { name, failure: e instanceof Failed ? e.message : `threw ${e && e.stack ? e.stack : e}` };
    }
  });
}

export const ROUND_TRIPS = Object.keys(CHECKS);
