//! Addresses from messages: every contract checks them the same way and refuses a bad one as
//! `InvalidAddress` naming what was sent. Generic over the contract's error type; a contract pins
//! each to its own `ContractError` once (so `?` knows the type).
//!
//! Only the normalized spelling is accepted: bech32 decodes an all-upper-case address too, but one
//! account must have one spelling in storage, events and indexers (cw20-base refuses it the same
//! way), so an upper-case address is `AddressNotNormalized` rather than silently stored as typed.

use cosmwasm_std::{Addr, Api, CanonicalAddr};

use crate::CwErrors;

/// The storage key of an address: one host call, and it rejects anything that is not an address.
pub fn canon<E: CwErrors>(api: &dyn Api, address: &str) -> Result<CanonicalAddr, E> {
    let key = api.addr_canonicalize(address).map_err(|_| E::invalid_address(address.to_string()))?;
    // A valid address in another spelling: the chain's form is lower case (checked after decoding, so
    // that a wrong address is still named as invalid).
    if address.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(E::address_not_normalized(address.to_string()));
    }
    Ok(key)
}

/// A validated, normalized address and its key (for addresses that are stored or called).
pub fn checked<E: CwErrors>(api: &dyn Api, address: &str) -> Result<(Addr, CanonicalAddr), E> {
    let c = canon::<E>(api, address)?;
    let a = api.addr_humanize(&c)?;
    Ok((a, c))
}

/// A validated, normalized address (for contracts that store addresses as text).
pub fn valid<E: CwErrors>(api: &dyn Api, address: &str) -> Result<Addr, E> {
    api.addr_validate(address).map_err(|_| match api.addr_canonicalize(address) {
        Ok(_) => E::address_not_normalized(address.to_string()),
        Err(_) => E::invalid_address(address.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::tests::TestError;
    use cosmwasm_std::testing::MockApi;

    #[test]
    fn addresses_are_checked_and_bad_ones_named() {
        let api = MockApi::default();
        let good = api.addr_make("alice");
        let (a, c) = checked::<TestError>(&api, good.as_str()).unwrap();
        assert_eq!((a, c.clone()), (good.clone(), canon::<TestError>(&api, good.as_str()).unwrap()));
        assert_eq!(valid::<TestError>(&api, good.as_str()), Ok(good));
        let bad = || TestError::InvalidAddress { address: "nope".into() };
        assert_eq!(canon::<TestError>(&api, "nope"), Err(bad()));
        assert_eq!(checked::<TestError>(&api, "nope"), Err(bad()));
        assert_eq!(valid::<TestError>(&api, "nope"), Err(bad()));
    }

    #[test]
    fn an_upper_case_spelling_is_refused_as_not_normalized() {
        let api = MockApi::default();
        let upper = api.addr_make("alice").as_str().to_ascii_uppercase();
        let refused = || TestError::AddressNotNormalized { address: upper.clone() };
        assert_eq!(canon::<TestError>(&api, &upper), Err(refused()));
        assert_eq!(checked::<TestError>(&api, &upper), Err(refused()));
        assert_eq!(valid::<TestError>(&api, &upper), Err(refused()));
    }
}
