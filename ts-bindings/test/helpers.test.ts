// The hand-written helpers without a chain: the account parser on encoded accounts, the error
// extraction on the node's wrapped messages, and the one-cosmjs-version pin.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { fromBase64, toBase64 } from "@cosmjs/encoding";
import { BinaryWriter } from "cosmjs-types/binary";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { Any } from "cosmjs-types/google/protobuf/any";

import {
  ETH_ACCOUNT_TYPE_URL,
  ETH_SECP256K1_PUBKEY_AMINO_TYPE,
  ETH_SECP256K1_PUBKEY_TYPE_URL,
  accountParser,
  contractErrorMessage,
} from "../lib";

const address = "inj1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn4kgf4g";
const key = new Uint8Array(33).fill(2);

function base(pubKeyTypeUrl: string): BaseAccount {
  return BaseAccount.fromPartial({
    address,
    pubKey: Any.fromPartial({ typeUrl: pubKeyTypeUrl, value: PubKey.encode({ key }).finish() }),
    accountNumber: 12n,
    sequence: 34n,
  });
}

/** `EthAccount { base_account = 1, code_hash = 2 }`, encoded as the chain does. */
function ethAccount(account: BaseAccount): Any {
  const writer = new BinaryWriter();
  writer.uint32((1 << 3) | 2).bytes(BaseAccount.encode(account).finish());
  writer.uint32((2 << 3) | 2).bytes(new Uint8Array(32).fill(0xc5));
  return { typeUrl: ETH_ACCOUNT_TYPE_URL, value: writer.finish() };
}

test("accountParser decodes an EthAccount with a plain secp256k1 key", () => {
  const account = accountParser(ethAccount(base("/cosmos.crypto.secp256k1.PubKey")));
  assert.deepEqual(account, {
    address,
    pubkey: { type: "tendermint/PubKeySecp256k1", value: toBase64(key) },
    accountNumber: 12,
    sequence: 34,
  });
});

test("accountParser decodes an EthAccount with Injective's eth_secp256k1 key, and one without a key", () => {
  const account = accountParser(ethAccount(base(ETH_SECP256K1_PUBKEY_TYPE_URL)));
  assert.equal(account.pubkey?.type, ETH_SECP256K1_PUBKEY_AMINO_TYPE);
  assert.deepEqual(fromBase64(account.pubkey?.value), key);
  const fresh = accountParser(ethAccount(BaseAccount.fromPartial({ address, accountNumber: 5n, sequence: 0n })));
  assert.deepEqual(fresh, { address, pubkey: null, accountNumber: 5, sequence: 0 });
});

test("accountParser hands other account types to cosmjs and refuses an EthAccount without base_account", () => {
  const plain = { typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value: BaseAccount.encode(base("/cosmos.crypto.secp256k1.PubKey")).finish() };
  assert.equal(accountParser(plain).sequence, 34);
  assert.throws(() => accountParser({ typeUrl: "/example.Unknown", value: new Uint8Array() }), /Unsupported type: '\/example.Unknown'/);
  assert.throws(() => accountParser({ typeUrl: ETH_ACCOUNT_TYPE_URL, value: new Uint8Array() }), /without a base_account/);
});

test("contractErrorMessage cuts the contract's sentence out of the node's wrapped errors", () => {
  const simulated = new Error(
    "Query failed with (6): rpc error: code = Unknown desc = failed to execute message; message index: 0: " +
      "insufficient credit: 701 requested (amount plus fee) but only 700 available; send less, receive or repay first, " +
      "or ask for a higher credit line: execute wasm contract failed [CosmWasm/wasmd@v0.53.0/x/wasm/keeper/keeper.go:389] " +
      "With gas wanted: '300000000' and gas used: '121618' : unknown request",
  );
  assert.equal(
    contractErrorMessage(simulated),
    "insufficient credit: 701 requested (amount plus fee) but only 700 available; send less, receive or repay first, or ask for a higher credit line",
  );
  assert.equal(
    contractErrorMessage("failed to execute message; message index: 2: unauthorized: x: execute wasm contract failed"),
    "unauthorized: x",
  );
  assert.equal(contractErrorMessage(new Error("socket hang up")), "socket hang up");
});

test("every @cosmjs package is one version (0.38.1): mixed versions fail at the first transaction", () => {
  const lock = JSON.parse(readFileSync(join(__dirname, "..", "..", "package-lock.json"), "utf8"));
  const cosmjs = Object.entries(lock.packages as Record<string, { version: string }>).filter(([path]) =>
    path.includes("node_modules/@cosmjs/"),
  );
  assert.ok(cosmjs.length >= 10, "the lock file lists the cosmjs packages");
  const other = cosmjs.filter(([, p]) => p.version !== "0.38.1").map(([path, p]) => `${path}@${p.version}`);
  assert.deepEqual(other, [], "pin them (package.json `overrides`) and run `npm install` in ts-bindings/");
});
