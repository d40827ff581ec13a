// The SDK's chain client: a node's CometBFT RPC through `fetch`, with every byte built and read by
// the SDK's Rust (accountRequest, decodeAccount, simulateRequest, simulatedGas, signExecute,
// smartQueryRequest, decodeSmartQuery). Works in browsers (the node must allow the page's origin:
// the devnet allows any) and in Node 18+. Imports nothing, so a page loads it as it is.

/** An error of the chain or of the node, with a stable `code` like the SDK's own. */
export class ChainError extends Error {
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'ChainError';
    this.code = code;
    Object.assign(this, details);
  }
}

const toHex = (base64) => {
  const bytes = atob(base64);
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += bytes.charCodeAt(i).toString(16).padStart(2, '0');
  return hex;
};

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
   * Executes contract messages signed by the wallet of `phrase`: `executes` is [{ contract, msg,
   * funds? }]. Simulates for gas, signs (SIGN_MODE_DIRECT), broadcasts, waits for the block;
   * returns { hash, height, gasUsed, gasWanted, events: [{ type, attributes: { key: value } }] }.
   * A refusal throws a ChainError `contract_error` with the contract's own words.
   */
  async execute(phrase, executes, { memo = '', timeoutMs = 30_000 } = {}) {
    const { address } = JSON.parse(this.sdk.walletFromPhrase(phrase, this.prefix));
    const { account_number, sequence } = await this.account(address);
    const list = JSON.stringify(executes);
    let gasUsed;
    try {
      const answer = await this.abciQuery(
        '/cosmos.tx.v1beta1.Service/Simulate',
        this.sdk.simulateRequest(phrase, this.prefix, list, String(sequence), memo),
      );
      gasUsed = Number(this.sdk.simulatedGas(answer));
    } catch (e) {
      if (e instanceof ChainError && e.log) throw new ChainError('contract_error', contractMessage(e.log), { log: e.log });
      throw e;
    }
    const gasLimit = Math.ceil(gasUsed * this.gasAdjustment);
    const fee = { amount: [{ denom: this.denom, amount: BigInt(Math.ceil(gasLimit * this.gasPrice)).toString() }], gas_limit: gasLimit };
    const signer = { chain_id: this.chainId, account_number, sequence };
    const tx = this.sdk.signExecute(phrase, this.prefix, list, JSON.stringify(fee), JSON.stringify(signer), memo);
    const sent = await this.call('broadcast_tx_sync', { tx: `0x${toHex(tx)}` });
    if (sent.code) throw new ChainError('tx_refused', `the node refused the transaction: ${sent.log}`, { log: sent.log });
    return this.waitForTx(sent.hash, timeoutMs);
  }

  /** The outcome of the transaction `hash` (hex) once it is in a block. */
  async waitForTx(hash, timeoutMs = 30_000) {
    const start = Date.now();
    for (;;) {
      try {
        const found = await this.call('tx', { hash: `0x${hash}` });
        const result = found.tx_result;
        if (result.code) {
          throw new ChainError('contract_error', contractMessage(result.log), { log: result.log, hash, height: Number(found.height) });
        }
        const events = result.events.map((e) => ({
          type: e.type,
          attributes: Object.fromEntries(e.attributes.map((a) => [a.key, a.value])),
        }));
        return { hash, height: Number(found.height), gasUsed: Number(result.gas_used), gasWanted: Number(result.gas_wanted), events };
      } catch (e) {
        if (!(e instanceof ChainError) || e.code !== 'node_error') throw e;
        if (Date.now() - start > timeoutMs) {
          throw new ChainError('tx_timeout', `transaction ${hash} was not in a block after ${timeoutMs} ms`, { hash });
        }
        await sleep(300);
      }
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
