//! The wire interface of every ReSource contract, in the role cw-plus's `cw20` package plays beside
//! `cw20-base`: one module per contract with its `InstantiateMsg`, `ExecuteMsg`, `QueryMsg`,
//! `MigrateMsg` and every query response, and a typed handle ([`CreditTokenContract`],
//! [`ClearingContract`], [`DidRegistryContract`], ...) that builds
//! the `CosmosMsg`s and queries another contract sends. The contracts, the Rust client, the CLI, the
//! tests, the SDK and the JSON schemas (`cargo xtask schema`) all take the messages from here;
//! nothing else declares them.
//!
//! The crate holds no entry points and no storage, so it builds for wasm32 and the SDK alone.
//!
//! ```
//! use cosmwasm_std::{Addr, CosmosMsg, Uint128};
//! use resource_msgs::{credit_token::ExecuteMsg, CreditTokenContract};
//!
//! let token = CreditTokenContract::new(Addr::unchecked("token"));
//! // A contract paying through the token:
//! let pay: CosmosMsg = token.transfer("bob", Uint128::new(1_000)).unwrap();
//! // Any token message, typed:
//! let close: CosmosMsg = token.execute(&ExecuteMsg::CloseCreditLine { member: "bob".into() }, vec![]).unwrap();
//! # assert_ne!(pay, close);
//! ```
//!
//! # Core types on the wire
//!
//! One policy decides whether a `resource_core` type appears in a message as itself:
//! - **A core type goes on the wire as itself when its serde form is the wire form**: enums in
//!   snake_case, amounts as decimal strings (CosmWasm's convention: JSON numbers lose precision past
//!   2^53 in JavaScript), the W3C JSON of DID documents, updates and resolution results. It derives
//!   `JsonSchema` under resource-core's `schemars` feature. So: `LineStatus`, `Standing`,
//!   `ObligationStatus`, and the DID registry's documents, updates, attesters, reputation events and
//!   claims.
//! - **Otherwise the message has a wire type here**: core types whose serde form writes amounts as
//!   `u128` numbers (the ledger and clearing compute with plain integers and serialize them so) get a
//!   wire type with `Uint128` / `Int128` in this crate, with `From` conversions where both directions
//!   occur (`clearing::SetOffEntry`, `credit_token::CreditLineView`).
//! - Addresses are `String` in requests (the contract validates them) and `Addr` in responses.

pub mod clearing;
pub mod credit_token;
pub mod did_registry;
mod handle;
pub mod meta_bridge;
pub mod underwriting;

pub use handle::{
    ClaimSummary, ClaimText, ClearingContract, ContractHandle, ControlView, CreditTokenContract, DidRegistryContract,
    MetaBridgeContract, UnderwritingContract,
};
