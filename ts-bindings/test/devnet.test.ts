// The generated clients against a real devnet node, through cosmjs and the package's accountParser:
// upload and instantiate the credit token and the DID registry from ../artifacts, query token info
// and a credit account, transfer, see a transfer beyond the credit line refused with the contract's
// own sentence, create and resolve a DID, and the meta-bridge's clients (config, channels, a refusal).
//
// `cargo xtask test --suite interface` starts a devnet for it. By hand, with a devnet running
// (`cargo run -p resource-cli -- devnet up`, `cargo xtask wasm`): `npm test` in ts-bindings/.
// Environment: RESOURCE_DEVNET_HOME (default ../.devnet), RESOURCE_CLI (default `resource`),
// RESOURCE_ARTIFACTS (default ../artifacts); or RESOURCE_RPC to name a node directly.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { before, test } from "node:test";

import { SigningCosmWasmClient } from "@cosmjs/cosmwasm-stargate";
import { Bip39, sha256 } from "@cosmjs/crypto";
import { toUtf8 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice } from "@cosmjs/stargate";

import {
  CreditTokenClient,
  CreditTokenQueryClient,
  CreditTokenTypes,
  DidRegistryClient,
  DidRegistryQueryClient,
  DidRegistryTypes,
  MetaBridgeClient,
  MetaBridgeQueryClient,
  MetaBridgeTypes,
  accountParser,
  contractErrorMessage,
  fromCosmjs,
} from "../lib";

const repo = resolve(__dirname, "..", "..", "..");
const gasPrice = GasPrice.fromString("500000000inj");

/** The devnet's RPC endpoint, from `resource devnet status --json` unless RESOURCE_RPC names one. */
function rpcEndpoint(): string {
  if (process.env.RESOURCE_RPC) return process.env.RESOURCE_RPC;
  const cli = process.env.RESOURCE_CLI ?? "resource";
  const home = process.env.RESOURCE_DEVNET_HOME ?? join(repo, ".devnet");
  let out: string;
  try {
    out = execFileSync(cli, ["devnet", "status", "--json", "--home", home], { encoding: "utf8" });
  } catch (e) {
    throw new Error(
      `no devnet in ${home} (${(e as Error).message.split("\n")[0]}): start one with ` +
        "`cargo run -p resource-cli -- devnet up`, or set RESOURCE_DEVNET_HOME / RESOURCE_CLI / RESOURCE_RPC",
    );
  }
  return JSON.parse(out).chains[0].rpc;
}

/** A devnet test account: its mnemonic is the BIP-39 encoding of sha256("resource-devnet/<name>"). */
async function testAccount(name: string): Promise<{ wallet: DirectSecp256k1HdWallet; address: string }> {
  const mnemonic = Bip39.encode(sha256(toUtf8(`resource-devnet/${name}`))).toString();
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "inj" });
  const [{ address }] = await wallet.getAccounts();
  return { wallet, address };
}

function artifact(name: string): Uint8Array {
  const path = join(process.env.RESOURCE_ARTIFACTS ?? join(repo, "artifacts"), `${name}.wasm`);
  try {
    return readFileSync(path);
  } catch {
    throw new Error(`${path} is missing: run \`cargo xtask wasm\` first`);
  }
}

let rpc: string;
let chainId: string;
const signers: Record<string, { client: SigningCosmWasmClient; address: string }> = {};
let tokenAddress: string;
let registryAddress: string;

before(async () => {
  rpc = rpcEndpoint();
  for (const name of ["admin", "alice", "bob", "carol"]) {
    const { wallet, address } = await testAccount(name);
    // Blocks come every ~0.5 s: poll for inclusion that often (cosmjs's default is every 3 s).
    const client = await SigningCosmWasmClient.connectWithSigner(rpc, wallet, {
      gasPrice,
      accountParser,
      broadcastPollIntervalMs: 300,
    });
    signers[name] = { client, address };
  }
  chainId = await signers.admin.client.getChainId();
});

test("without the accountParser, cosmjs cannot read this chain's accounts", async () => {
  const { wallet, address } = await testAccount("admin");
  const plain = await SigningCosmWasmClient.connectWithSigner(rpc, wallet, { gasPrice });
  await assert.rejects(plain.getSequence(address), /Unsupported type: '\/injective.types.v1beta1.EthAccount'/);
  plain.disconnect();
  const { accountNumber, sequence } = await signers.admin.client.getSequence(address);
  assert.ok(Number.isInteger(accountNumber) && Number.isInteger(sequence));
});

test("upload and instantiate the credit token and the DID registry", async () => {
  const { client, address } = signers.admin;
  const token = await client.upload(address, artifact("credit_token"), "auto");
  const msg: CreditTokenTypes.InstantiateMsg = {
    name: "Test Credit",
    symbol: "TCR",
    decimals: 6,
    fee_bps: 0,
    fee_collector: address,
    loss_account: signers.carol.address,
    default_grace_period: 86_400,
  };
  tokenAddress = (await client.instantiate(address, token.codeId, msg, "ts-bindings test token", "auto")).contractAddress;

  const registry = await client.upload(address, artifact("did_registry"), "auto");
  const registryMsg: DidRegistryTypes.InstantiateMsg = {};
  registryAddress = (await client.instantiate(address, registry.codeId, registryMsg, "ts-bindings test registry", "auto"))
    .contractAddress;
  assert.match(tokenAddress, /^inj1/);
  assert.match(registryAddress, /^inj1/);
});

test("token info and a credit account through the query client", async () => {
  const admin = new CreditTokenClient(fromCosmjs(signers.admin.client), signers.admin.address, tokenAddress);
  const termEnd = Math.floor(Date.now() / 1000) + 30 * 86_400;
  await admin.setCreditLine({ member: signers.alice.address, limit: "1000", termEnd });

  const query = new CreditTokenQueryClient(signers.bob.client, tokenAddress);
  assert.deepEqual(await query.tokenInfo(), { name: "Test Credit", symbol: "TCR", decimals: 6, total_supply: "0" });
  const account = await query.creditAccount({ address: signers.alice.address });
  assert.equal(account.address, signers.alice.address);
  assert.equal(account.balance, "0");
  assert.equal(account.available, "1000");
  assert.equal(account.line?.limit, "1000");
  assert.equal(account.line?.term_end, termEnd);
  assert.equal(account.line?.status, "active");
});

test("a transfer into the credit line mints, and the query client sees it", async () => {
  const alice = new CreditTokenClient(fromCosmjs(signers.alice.client), signers.alice.address, tokenAddress);
  const result = await alice.transfer({ recipient: signers.bob.address, amount: "300" });
  assert.ok(result.transactionHash, "a transaction hash");
  const account = await alice.creditAccount({ address: signers.alice.address });
  assert.equal(account.balance, "-300");
  assert.equal(account.available, "700");
  assert.equal((await alice.balance({ address: signers.bob.address })).balance, "300");
  assert.equal((await alice.tokenInfo()).total_supply, "300");
});

test("a transfer beyond the credit line is refused with the contract's sentence", async () => {
  const alice = new CreditTokenClient(fromCosmjs(signers.alice.client), signers.alice.address, tokenAddress);
  let error: unknown;
  await alice.transfer({ recipient: signers.bob.address, amount: "701" }).catch((e) => (error = e));
  assert.ok(error, "the transfer must fail");
  assert.match(String((error as Error).message), /execute wasm contract failed/, "the node's wrapped simulation error");
  assert.equal(
    contractErrorMessage(error),
    "insufficient credit: 701 requested (amount plus fee) but only 700 available; " +
      "send less, receive or repay first, or ask for a higher credit line",
  );
  assert.equal((await alice.creditAccount({ address: signers.alice.address })).balance, "-300", "nothing moved");
});

test("create a DID and resolve it", async () => {
  const alice = new DidRegistryClient(fromCosmjs(signers.alice.client), signers.alice.address, registryAddress);
  await alice.create({});
  const did = `did:resource:${chainId}:${signers.alice.address}`;
  const query = new DidRegistryQueryClient(signers.bob.client, registryAddress);
  const resolved = await query.resolve({ did });
  assert.equal(resolved.didResolutionMetadata.error ?? null, null, JSON.stringify(resolved.didResolutionMetadata));
  assert.equal(resolved.didDocument?.id, did);
  assert.deepEqual(resolved.didDocument?.controller, [did]);
  assert.equal(resolved.didDocumentMetadata.versionId, "1");
  assert.equal(resolved.didDocumentMetadata.deactivated ?? false, false);

  const unknown = await query.resolve({ did: `did:resource:${chainId}:${signers.bob.address}` });
  assert.equal(unknown.didResolutionMetadata.error, "notFound");
  assert.equal(unknown.didDocument ?? null, null);
});

test("the meta-bridge through its clients: instantiate, config and channels, a refusal in the contract's words", async () => {
  const { client, address } = signers.admin;
  const code = await client.upload(address, artifact("meta_bridge"), "auto");
  const msg: MetaBridgeTypes.InstantiateMsg = { credit_token: tokenAddress, network: "asheville-rusd" };
  const bridge = (await client.instantiate(address, code.codeId, msg, "ts-bindings test bridge", "auto")).contractAddress;
  const query = new MetaBridgeQueryClient(signers.bob.client, bridge);
  const config = await query.config();
  assert.equal(config.admin, address);
  assert.equal(config.credit_token, tokenAddress);
  assert.equal(config.network, "asheville-rusd");
  assert.deepEqual(await query.channels({}), { channels: [] });
  const admin = new MetaBridgeClient(fromCosmjs(client), address, bridge);
  await assert.rejects(
    admin.configureChannel({
      channelId: "channel-0",
      counterpartyNetwork: "nairobi-rkes",
      rateNumerator: "100",
      rateDenominator: "1",
      drawLimit: "1000",
    }),
    (e: Error) => contractErrorMessage(e).includes("the bridge has no channel `channel-0`"),
  );
});
