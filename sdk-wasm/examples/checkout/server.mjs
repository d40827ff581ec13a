// The checkout example's server: the page and the SDK's web package, the page's config, and the two
// services a pilot network runs beside the shop:
// - the recovery service, which keeps each customer's recovery share (PUT/GET /recovery/<address>;
//   a real one identifies the customer first, by e-mail or phone, before it hands a share out). It
//   holds one share of three: it can never spend alone. `--store FILE` keeps the shares across
//   restarts.
// - onboarding (POST /onboard { address }): the network's operator gives a new customer gas money
//   and a starter credit line, in one transaction signed with the SDK's Node package.
//
//   node examples/checkout/server.mjs --network NETWORK.json [--port 8080] [--store shares.json]
//
// NETWORK.json: { rpc, chain_id, prefix, denom, gas_price, token, clearing, merchant, operator: {
// phrase } } (what `sdk-fixtures devnet` writes for the browser suite's devnet). `--web-pkg` and
// `--node-pkg` default to ../../pkg/web and ../../pkg/node (`cargo xtask sdk` builds them).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { Chain } from '../../js/chain.mjs';
import { serve } from '../../test/server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SDK_DIR = path.resolve(HERE, '..', '..');

/** Gas money for a new customer (the denom's smallest unit) and its starter line (rUSD units). */
export const GAS_GRANT = '50000000000000000';
export const STARTER_LINE = '100000000';
const TERM_SECONDS = 90 * 86_400;

class ServiceError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
    this.status = 400;
  }
}

/**
 * Starts the server; resolves to { url, close, requests }.
 * @param options { network (the NETWORK.json object), port (0: the OS picks), store (a file, or
 *   none: shares in memory), webPkg, nodePkg, order: { id, amount } }
 */
export async function startCheckout({
  network,
  port = 0,
  store,
  webPkg = path.join(SDK_DIR, 'pkg', 'web'),
  nodePkg = path.join(SDK_DIR, 'pkg', 'node'),
  order = { id: '1042', amount: '25000000' },
}) {
  for (const field of ['rpc', 'chain_id', 'prefix', 'denom', 'gas_price', 'token', 'clearing', 'merchant']) {
    if (!network[field]) throw new Error(`the network file has no "${field}"; see the header of ${path.join(HERE, 'server.mjs')}`);
  }
  if (!network.operator?.phrase) throw new Error('the network file has no operator.phrase: onboarding needs the operator\'s key');
  if (!existsSync(path.join(webPkg, 'resource_sdk_wasm.js'))) throw new Error(`${webPkg} has no SDK: run \`cargo xtask sdk\``);
  const sdk = createRequire(import.meta.url)(path.join(path.resolve(nodePkg), 'resource_sdk_wasm.js'));
  const chain = new Chain(sdk, {
    rpc: network.rpc,
    chainId: network.chain_id,
    prefix: network.prefix,
    denom: network.denom,
    gasPrice: Number(network.gas_price),
  });
  const shares = new Map(store && existsSync(store) ? Object.entries(JSON.parse(readFileSync(store, 'utf8'))) : []);
  const onboarded = new Set();
  let queue = Promise.resolve(); // the operator signs one transaction at a time (its sequence)

  const checkAddress = (address) => {
    try {
      sdk.parseDid(`did:resource:${network.chain_id}:${address}`);
    } catch (e) {
      throw new ServiceError('invalid_address', `"${address}" is not an address of this chain: ${e.message}`);
    }
    if (!address.startsWith(`${network.prefix}1`)) throw new ServiceError('invalid_address', `"${address}" is not a ${network.prefix} address`);
  };

  const recovery = async (req, body, address) => {
    checkAddress(address);
    if (req.method === 'GET') {
      const share = shares.get(address);
      return share ? [200, { share }] : [404, { error: `no recovery share is kept for ${address}`, code: 'no_share' }];
    }
    if (req.method !== 'PUT') return [405, { error: 'GET or PUT', code: 'method_not_allowed' }];
    if (typeof body?.share !== 'string' || !body.share.startsWith('rshare1')) {
      return [400, { error: 'send { share: "rshare1..." }', code: 'invalid_share' }];
    }
    if (shares.has(address) && shares.get(address) !== body.share) {
      return [409, { error: `a different share is already kept for ${address}`, code: 'share_exists' }];
    }
    shares.set(address, body.share);
    if (store) writeFileSync(store, `${JSON.stringify(Object.fromEntries(shares), null, 2)}\n`);
    return [200, { kept: true }];
  };

  const onboard = async (req, body) => {
    if (req.method !== 'POST') return [405, { error: 'POST { address }', code: 'method_not_allowed' }];
    const address = body?.address;
    checkAddress(address);
    if (onboarded.has(address)) return [409, { error: `${address} is already onboarded`, code: 'already_onboarded' }];
    onboarded.add(address);
    const termEnd = Math.floor(Date.now() / 1000) + TERM_SECONDS;
    const run = queue.then(() =>
      chain.execute(network.operator.phrase, [
        { bank_send: { to_address: address, amount: [{ denom: network.denom, amount: GAS_GRANT }] } },
        { contract: network.token, msg: { set_credit_line: { member: address, limit: STARTER_LINE, term_end: termEnd } } },
      ], { memo: 'checkout onboarding' }),
    );
    queue = run.catch(() => {});
    try {
      const outcome = await run;
      return [200, { hash: outcome.hash, height: outcome.height, gas: GAS_GRANT, line: STARTER_LINE }];
    } catch (e) {
      onboarded.delete(address);
      return [502, { error: `onboarding failed: ${e.message}`, code: e.code ?? 'onboarding_failed' }];
    }
  };

  const config = {
    rpc: network.rpc,
    chain_id: network.chain_id,
    prefix: network.prefix,
    denom: network.denom,
    gas_price: String(network.gas_price),
    token: network.token,
    clearing: network.clearing,
    merchant: network.merchant,
    shop_name: network.shop_name ?? 'Blue Ridge Bakery',
    order,
  };
  return serve({
    port,
    mounts: { '/pkg/': webPkg, '/js/': path.join(SDK_DIR, 'js'), '/': HERE },
    routes: {
      '/config.json': async () => [200, config],
      '/recovery/': recovery,
      '/onboard': onboard,
    },
  });
}

function argument(args, name) {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const file = argument(args, '--network');
  if (!file) {
    console.error('usage: node examples/checkout/server.mjs --network NETWORK.json [--port N] [--store FILE]');
    process.exit(2);
  }
  const server = await startCheckout({
    network: JSON.parse(readFileSync(file, 'utf8')),
    port: Number(argument(args, '--port') ?? 0),
    store: argument(args, '--store'),
    webPkg: argument(args, '--web-pkg'),
    nodePkg: argument(args, '--node-pkg'),
  });
  console.log(`checkout example at ${server.url}/index.html (Ctrl-C stops it)`);
}
