// The package's entry point: the generated clients and types (../src, from ../schema) and the
// hand-written helpers every cosmjs user of an Injective-type chain needs.
export * from "../src/Clearing.client";
export * from "../src/CreditToken.client";
export * from "../src/DidRegistry.client";
export * from "../src/MetaBridge.client";
// Types by contract: several contracts have an `InstantiateMsg`, a `ConfigResponse`, ...
export * as ClearingTypes from "../src/Clearing.types";
export * as CreditTokenTypes from "../src/CreditToken.types";
export * as DidRegistryTypes from "../src/DidRegistry.types";
export * as MetaBridgeTypes from "../src/MetaBridge.types";
export { contracts } from "../src/index";
export * from "./accountParser";
export * from "./cosmjs";
export * from "./errors";
