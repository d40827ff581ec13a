//! Addresses from messages: every contract checks them the same way and refuses a bad one with
//! [`CwError::InvalidAddress`] naming what was sent.

use cosmwasm_std::{Addr, Api, CanonicalAddr, StdResult};

use crate::CwError;

/// The storage key of an address: one host call, and it rejects anything that is not an address.
pub fn canon(api: &dyn Api, address: &str) -> Result<CanonicalAddr, CwError> {
    api.addr_canonicalize(address).map_err(|_| CwError::InvalidAddress { address: address.to_string() })
}

/// [`canon`] for queries, whose errors are `StdError`s (same message).
pub fn query_canon(api: &dyn Api, address: &str) -> StdResult<CanonicalAddr> {
    canon(api, address).map_err(CwError::into_std)
}

/// A validated, normalized address and its key (for addresses that are stored or called).
pub fn checked(api: &dyn Api, address: &str) -> Result<(Addr, CanonicalAddr), CwError> {
    let c = canon(api, address)?;
    let a = api.addr_humanize(&c)?;
    Ok((a, c))
}

/// A validated, normalized address (for contracts that store addresses as text).
pub fn valid(api: &dyn Api, address: &str) -> Result<Addr, CwError> {
    api.addr_validate(address).map_err(|_| CwError::InvalidAddress { address: address.to_string() })
}
