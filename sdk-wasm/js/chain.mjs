// The SDK's chain client: a node's CometBFT RPC through `fetch`, with every byte built and read by
// the SDK's Rust (accountRequest, decodeAccount, simulateRequest, simulatedGas, prepareExecute,
// encodeTx, smartQueryRequest, decodeSmartQuery). Signing is a signer's: the SDK's keys
// (`sdkSigner`) or any cosmjs `OfflineDirectSigner` (Keplr, Leap, cosmjs wallets). Works in browsers
// (the node must allow the page's origin: the devnet allows any) and in Node 18+. Imports only
// ./signer.mjs, so a page loads it as it is.
import { fromBase64, sdkSigner, toBase64, toHex as bytesToHex } from './signer.mjs';

/** An error of the chain or of the node, with a stable `code` like the SDK's own. */
export class ChainError extends Error {
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'ChainError';
    this.code = code;
    Object.assign(this, details);
  }
}

const toHex = (base64) => bytesToHex(fromBase64(base64));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Chain {
  /**
   * @param sdk the SDK's exports (the web module after init(), or the Node package)
   * @param options { rpc, chainId, prefix, denom, gasPrice (in the denom's smallest unit per gas, a
   *   number), gasAdjustment (default 1.3) }
   */
  constructor(sdk, { rpc, chainId, prefix, denom, gasPrice, gasAdjustment = 1.3 }) {
    for (const [name, value] of Object.entries({ rpc, chainId, prefix, denom, gasPrice })) {
      if (value === undefined || value === null || value === '') {
        throw new ChainError('invalid_argument', `Chain: ${name} is missing; pass { rpc, chainId, prefix, denom, gasPrice }`);
      }
    }
    Object.assign(this, { sdk, rpc: rpc.replace(/\/+$/, ''), chainId, prefix, denom, gasPrice, gasAdjustment });
  }

  /** GET `/<method>?<params>` of the node's RPC; the `result`, or a ChainError. */
  async call(method, params) {
    const query = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    let response;
    try {
      response = await fetch(`${this.rpc}/${method}?${query}`);
    } catch (e) {
      throw new ChainError('node_unreachable', `the node at ${this.rpc} cannot be reached (${e.message}); is it running, and does it allow this origin?`);
    }
    const body = await response.json().catch(() => null);
    if (!body || body.error || !response.ok) {
      const why = body && body.error ? `${body.error.message} ${body.error.data ?? ''}`.trim() : `HTTP ${response.status}`;
      throw new ChainError('node_error', `the node refused ${method}: ${why}`);
    }
    return body.result;
  }

  /** An ABCI query of `path` with the request bytes `requestBase64`; the answer's bytes (base64). */
  async abciQuery(path, requestBase64) {
    const result = await this.call('abci_query', { path: `"${path}"`, data: `0x${toHex(requestBase64)}` });
    const answer = result.response;
    if (answer.code) {
      throw new ChainError('query_failed', `${path} failed: ${answer.log || `code ${answer.code}`}`, { log: answer.log });
    }
    return answer.value ?? '';
  }

  /** `{ account_number, sequence }` of `address` (EthAccount and the other account types included). */
  async account(address) {
    const answer = await this.abciQuery('/cosmos.auth.v1beta1.Query/Account', this.sdk.accountRequest(address));
    return JSON.parse(this.sdk.decodeAccount(answer));
  }

  /** A contract's smart query: `msg` is the query message object; returns the answer object. */
  async query(contract, msg) {
    const request = this.sdk.smartQueryRequest(contract, JSON.stringify(msg));
    try {
      return JSON.parse(this.sdk.decodeSmartQuery(await this.abciQuery('/cosmwasm.wasm.v1.Query/SmartContractState', request)));
    } catch (e) {
      if (e instanceof ChainError && e.log) throw new ChainError('contract_error', contractMessage(e.log), { log: e.log });
      throw e;
    }
  }

  /**
   * The W3C DID resolution result of `did` (a did:resource DID, or a DID URL with `?versionId=`)
   * from the DID registry contract `registry`, as the registry answers it: { didDocument,
   * didDocumentMetadata, didResolutionMetadata }. A DID that is not a DID throws `invalid_did` (the
   * SDK's own check, before any request); one the registry cannot resolve throws `did_not_found` or
   * `did_unresolvable` with the registry's answer as `resolution`.
   */
  async resolveDid(registry, did, { versionId } = {}) {
    this.sdk.parseDid(did);
    const resolution = await this.query(registry, { resolve: { did, version_id: versionId ?? null } });
    const error = resolution.didResolutionMetadata?.error;
    if (error) {
      const code = error === 'notFound' ? 'did_not_found' : 'did_unresolvable';
      throw new ChainError(code, `${did} does not resolve in the registry ${registry}: ${error}`, { resolution });
    }
    return resolution;
  }

  /**
   * Executes contract messages: `executes` is [{ contract, msg, funds? }]; `signer` is a recovery
   * phrase (the SDK's keys) or any `OfflineDirectSigner` (Keplr's or Leap's
   * `getOfflineSigner(chainId)`, a cosmjs wallet, `sdkSigner`). Simulates for gas, has the signer
   * sign (SIGN_MODE_DIRECT), broadcasts, waits for the block; returns { hash, height, gasUsed,
   * gasWanted, events: [{ type, attributes: { key: value } }] }. A refusal throws a ChainError
   * `contract_error` with the contract's own words.
   */
  async execute(signer, executes, { memo = '', timeoutMs = 30_000 } = {}) {
    const wallet = typeof signer === 'string' ? sdkSigner(this.sdk, signer, this.prefix) : signer;
    if (typeof wallet?.getAccounts !== 'function') {
      throw new ChainError('invalid_argument', 'execute: signer is neither a recovery phrase nor an OfflineSigner (no getAccounts)');
    }
    if (typeof wallet.signDirect !== 'function') {
      throw new ChainError(
        'signer_unsupported',
        'execute: this signer signs only in amino (legacy JSON) mode; pass a direct signer (e.g. keplr.getOfflineSigner(chainId), not getOfflineSignerOnlyAmino)',
      );
    }
    const [account] = await wallet.getAccounts();
    if (!account) throw new ChainError('no_account', 'execute: the signer has no account; unlock or connect the wallet first');
    const publicKey = bytesToHex(account.pubkey);
    const { account_number, sequence } = await this.account(account.address);
    const list = JSON.stringify(executes);
    let gasUsed;
    try {
      const answer = await this.abciQuery(
        '/cosmos.tx.v1beta1.Service/Simulate',
        this.sdk.simulateRequest(publicKey, this.prefix, list, String(sequence), memo),
      );
      gasUsed = Number(this.sdk.simulatedGas(answer));
    } catch (e) {
      if (e instanceof ChainError && e.log) throw new ChainError('contract_error', contractMessage(e.log), { log: e.log });
      throw e;
    }
    const gasLimit = Math.ceil(gasUsed * this.gasAdjustment);
    const fee = { amount: [{ denom: this.denom, amount: BigInt(Math.ceil(gasLimit * this.gasPrice)).toString() }], gas_limit: gasLimit };
    const prepared = JSON.parse(this.sdk.prepareExecute(publicKey, this.prefix, list, JSON.stringify(fee), String(sequence), memo));
    if (prepared.sender !== account.address) {
      throw new ChainError(
        'signer_key_unsupported',
        `execute: the signer's account ${account.address} is not the Cosmos secp256k1 address of its key (${prepared.sender}); ` +
          'accounts of other key types (e.g. ethsecp256k1) cannot sign these transactions',
      );
    }
    const signDoc = {
      bodyBytes: fromBase64(prepared.body_bytes),
      authInfoBytes: fromBase64(prepared.auth_info_bytes),
      chainId: this.chainId,
      accountNumber: BigInt(account_number),
    };
    let signed;
    try {
      signed = await wallet.signDirect(account.address, signDoc);
    } catch (e) {
      throw new ChainError('signing_refused', `the signer did not sign: ${e.message}`, { cause: e });
    }
    // A wallet may change what it signs (Keplr lets the user set the fee): send what was signed.
    const tx = this.sdk.encodeTx(toBase64(signed.signed.bodyBytes), toBase64(signed.signed.authInfoBytes), signed.signature.signature);
    const sent = await this.call('broadcast_tx_sync', { tx: `0x${toHex(tx)}` });
    if (sent.code) throw new ChainError('tx_refused', `the node refused the transaction: ${sent.log}`, { log: sent.log });
    return this.waitForTx(sent.hash, timeoutMs);
  }

  /**
   * The outcome of the transaction `hash` (hex) once it is in a block. Polls `tx_search`, which
   * answers "none yet" plainly (`/tx` answers HTTP 500 until the block, which browsers log as errors).
   */
  async waitForTx(hash, timeoutMs = 30_000) {
    const start = Date.now();
    for (;;) {
      const { txs } = await this.call('tx_search', { query: `"tx.hash='${hash}'"`, prove: 'false', per_page: '1' });
      const found = txs?.[0];
      if (found) {
        const result = found.tx_result;
        if (result.code) {
          throw new ChainError('contract_error', contractMessage(result.log), { log: result.log, hash, height: Number(found.height) });
        }
        const events = result.events.map((e) => ({
          type: e.type,
          attributes: Object.fromEntries(e.attributes.map((a) => [a.key, a.value])),
        }));
        return { hash, height: Number(found.height), gasUsed: Number(result.gas_used), gasWanted: Number(result.gas_wanted), events };
      }
      if (Date.now() - start > timeoutMs) {
        throw new ChainError('tx_timeout', `transaction ${hash} was not in a block after ${timeoutMs} ms`, { hash });
      }
      await sleep(250);
    }
  }
}

/**
 * The contract's own sentence in a node's error log: wasmd wraps it as `... message index: N:
 * <sentence>: execute wasm contract failed ...` (the same rule as ts-bindings' contractErrorMessage);
 * any other log is returned whole.
 */
export function contractMessage(log) {
  const text = log ?? '';
  const executed = /message index: \d+: ([\s\S]*?): execute wasm contract failed/.exec(text);
  return executed ? executed[1] : text;
}
