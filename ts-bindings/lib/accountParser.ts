// An account parser for cosmjs on Injective-type chains (hand-written, not generated).
//
// Their auth module reports every account as `/injective.types.v1beta1.EthAccount`
// `{ base_account: cosmos.auth.v1beta1.BaseAccount = 1, code_hash: bytes = 2 }`, which cosmjs's
// default parser refuses (`Unsupported type: '/injective.types.v1beta1.EthAccount'`), so a signing
// client cannot read the account number and sequence. Pass `accountParser` to
// `SigningCosmWasmClient.connectWithSigner(rpc, signer, { accountParser, ... })` (or to
// `StargateClient`); every other account type goes to cosmjs's own `accountFromAny`.
import { toBase64 } from "@cosmjs/encoding";
import { Uint64 } from "@cosmjs/math";
import { decodeOptionalPubkey } from "@cosmjs/proto-signing";
import { Account, AccountParser, accountFromAny } from "@cosmjs/stargate";
import { BinaryReader } from "cosmjs-types/binary";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { Any } from "cosmjs-types/google/protobuf/any";

export const ETH_ACCOUNT_TYPE_URL = "/injective.types.v1beta1.EthAccount";
/** The public key type of Injective's own `eth_secp256k1` keys (same protobuf shape as secp256k1's). */
export const ETH_SECP256K1_PUBKEY_TYPE_URL = "/injective.crypto.v1beta1.ethsecp256k1.PubKey";
/** The amino name Injective gives that key type. */
export const ETH_SECP256K1_PUBKEY_AMINO_TYPE = "injective/PubKeyEthSecp256k1";

/** The `base_account` (field 1) of an encoded `EthAccount`; `code_hash` and unknown fields are skipped. */
export function decodeEthAccount(value: Uint8Array): BaseAccount {
  const reader = new BinaryReader(value);
  let base: BaseAccount | undefined;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === 2) {
      base = BaseAccount.decode(reader.bytes());
    } else {
      reader.skipType(tag & 7);
    }
  }
  if (base === undefined) {
    throw new Error(`${ETH_ACCOUNT_TYPE_URL} without a base_account (field 1): not an account this parser knows`);
  }
  return base;
}

function toNumber(value: bigint): number {
  return Uint64.fromString(value.toString()).toNumber();
}

/**
 * cosmjs `AccountParser` for Injective-type chains: decodes `EthAccount` (plain secp256k1 and
 * Injective's eth_secp256k1 public keys) and hands every other type to cosmjs's `accountFromAny`.
 */
export const accountParser: AccountParser = (input: Any): Account => {
  if (input.typeUrl !== ETH_ACCOUNT_TYPE_URL) {
    return accountFromAny(input);
  }
  const base = decodeEthAccount(input.value);
  const pubkey =
    base.pubKey?.typeUrl === ETH_SECP256K1_PUBKEY_TYPE_URL
      ? { type: ETH_SECP256K1_PUBKEY_AMINO_TYPE, value: toBase64(PubKey.decode(base.pubKey.value).key) }
      : decodeOptionalPubkey(base.pubKey);
  return {
    address: base.address,
    pubkey,
    accountNumber: toNumber(base.accountNumber),
    sequence: toNumber(base.sequence),
  };
};
