// cosmjs clients behind the generated classes (hand-written, not generated).
//
// ts-codegen 1.14 types its clients against its own `ICosmWasmClient` / `ISigningCosmWasmClient`
// interfaces (from the generated `baseClient.ts`). A cosmjs `CosmWasmClient` fits the query side
// as it is; a cosmjs `SigningCosmWasmClient` does not type-check as the signing side only because
// the interface declares `fee` optional where cosmjs requires it. `fromCosmjs` closes that gap.
import type { SigningCosmWasmClient } from "@cosmjs/cosmwasm-stargate";

import type { ISigningCosmWasmClient } from "../src/baseClient";

/**
 * A cosmjs `SigningCosmWasmClient` as the signing client the generated `...Client` classes take:
 * `new CreditTokenClient(fromCosmjs(client), sender, contract)`. A missing fee means `"auto"`
 * (simulate, then pay the client's gas price). `execute` resolves to cosmjs's `ExecuteResult`.
 */
export function fromCosmjs(client: SigningCosmWasmClient): ISigningCosmWasmClient {
  return {
    queryContractSmart: (address, query) => client.queryContractSmart(address, query),
    execute: (sender, contract, msg, fee = "auto", memo, funds) => client.execute(sender, contract, msg, fee, memo, funds),
  };
}
