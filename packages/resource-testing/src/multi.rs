//! The same for cw-multi-test's `App`: typed errors out of a failed execution, attributes of the
//! contract's `wasm` event, time travel.

use std::fmt::{Debug, Display};

use cosmwasm_std::Addr;
use cw_multi_test::{App, AppResponse, Executor};
use serde::Serialize;

/// The contract's own error out of a failed execution (panics when it is another one).
pub fn contract_error<E: Display + Debug + Send + Sync + 'static>(e: anyhow::Error) -> E {
    e.downcast().unwrap_or_else(|e| panic!("not the contract's error type: {e:?}"))
}

/// `msg` from `sender` to `contract`, refused with the contract's own error type.
pub fn execute<M: Serialize + Debug, E: Display + Debug + Send + Sync + 'static>(
    app: &mut App,
    sender: Addr,
    contract: &Addr,
    msg: &M,
) -> Result<AppResponse, E> {
    app.execute_contract(sender, contract.clone(), msg, &[]).map_err(contract_error)
}

/// The value of `key` in the response's `wasm` events (panics naming the key when there is none).
pub fn wasm_attr(r: &AppResponse, key: &str) -> String {
    r.events
        .iter()
        .filter(|e| e.ty == "wasm")
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .unwrap_or_else(|| panic!("no attribute {key}"))
        .value
        .clone()
}

/// Time passes ([`crate::pass_time`]).
pub fn advance(app: &mut App, seconds: u64) {
    app.update_block(|b| crate::pass_time(b, seconds));
}

/// The next block, `seconds` later ([`crate::next_block`]).
pub fn next_block(app: &mut App, seconds: u64) {
    app.update_block(|b| crate::next_block(b, seconds));
}

/// A contract's storage entries (key, value), in key order.
pub type ContractState = Vec<(Vec<u8>, Vec<u8>)>;

/// Every storage entry of `contract`, to prove that a refused message changed nothing.
pub fn contract_state(app: &App, contract: &Addr) -> ContractState {
    app.dump_wasm_raw(contract)
}

/// An execution's result with a failure as the contract's own error type.
pub fn contract_error_result<T, E: Display + Debug + Send + Sync + 'static>(r: anyhow::Result<T>) -> Result<T, E> {
    r.map_err(contract_error)
}
