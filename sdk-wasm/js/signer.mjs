// The SDK's keys as a cosmjs `OfflineDirectSigner` ({ getAccounts, signDirect }): the same interface
// Keplr's and Leap's `getOfflineSigner(chainId)` return and cosmjs's `DirectSecp256k1HdWallet`
// implements. So a wallet made with the SDK signs through cosmjs (and the generated ts-bindings
// clients: `SigningCosmWasmClient.connectWithSigner(rpc, sdkSigner(sdk, phrase, 'inj'))`), and the
// SDK's `Chain.execute` takes any of them. Imports nothing.

/** An error of a signer, with a stable `code` like the SDK's own. */
export class SignerError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'SignerError';
    this.code = code;
  }
}

export const toBase64 = (bytes) => {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  return btoa(text);
};

export const fromBase64 = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

export const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export const fromHex = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));

/**
 * The wallet of `phrase` (BIP-39) on a chain whose addresses start with `prefix`, as an
 * `OfflineDirectSigner`. The phrase stays in this closure; signing is the SDK's `signDirect`.
 * Throws the SDK's coded error (`invalid_phrase`, ...) at once for a bad phrase.
 */
export function sdkSigner(sdk, phrase, prefix) {
  const wallet = JSON.parse(sdk.walletFromPhrase(phrase, prefix));
  const pubkey = fromHex(wallet.public_key);
  return {
    async getAccounts() {
      return [{ address: wallet.address, algo: 'secp256k1', pubkey }];
    },
    async signDirect(signerAddress, signDoc) {
      if (signerAddress !== wallet.address) {
        throw new SignerError('wrong_signer', `this signer holds ${wallet.address}, not ${signerAddress}`);
      }
      const { signature } = JSON.parse(
        sdk.signDirect(
          phrase,
          prefix,
          toBase64(signDoc.bodyBytes),
          toBase64(signDoc.authInfoBytes),
          signDoc.chainId,
          String(signDoc.accountNumber),
        ),
      );
      return {
        signed: signDoc,
        signature: { pub_key: { type: 'tendermint/PubKeySecp256k1', value: toBase64(pubkey) }, signature },
      };
    },
  };
}
