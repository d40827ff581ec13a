//! The refusals every contract shares, written once and built directly in each contract's own error
//! type: a separate shared error enum embedded in each `ContractError` made every artifact larger
//! (each `?` on a shared helper then converts between the two), so the shared variants are declared
//! by [`contract_error!`](crate::contract_error) inside the contract's enum instead, and the helpers
//! build them through [`CwErrors`].

use cosmwasm_std::StdError;

/// Constructors of the shared refusals, implemented by [`contract_error!`](crate::contract_error) for
/// each contract's error type; the helpers of this crate are generic over it.
pub trait CwErrors: From<StdError> {
    /// The sender lacks `role` (for example "the admin").
    fn unauthorized(role: &'static str) -> Self;
    /// `address` is not an address on this chain.
    fn invalid_address(address: String) -> Self;
    /// `address` is an address, but not in its normalized (lower-case) spelling.
    fn address_not_normalized(address: String) -> Self;
    /// `AcceptAdmin` with no admin change proposed.
    fn no_pending_admin() -> Self;
    /// Migration from the contract stored as `previous_contract`.
    fn cannot_migrate(previous_contract: String) -> Self;
    /// Migration from version `stored` to the older or unparsable `new`.
    fn cannot_migrate_version(stored: String, new: String) -> Self;
}

/// Declares a contract's error enum with the shared variants first: `Std`, `Unauthorized { role }`,
/// `InvalidAddress { address }`, `NoPendingAdmin`, `CannotMigrate { previous_contract }`,
/// `CannotMigrateVersion { stored, new }`, with the same messages in every contract, then the
/// contract's own variants (thiserror attributes as usual). Derives `thiserror::Error`, `Debug`,
/// `PartialEq` (the contract depends on `thiserror`) and implements [`CwErrors`].
///
/// ```
/// resource_cw::contract_error! {
///     /// Every error of this contract.
///     pub enum ContractError {
///         #[error("the amount must be greater than 0")]
///         ZeroAmount,
///     }
/// }
/// let e = <ContractError as resource_cw::CwErrors>::unauthorized("the admin");
/// assert_eq!(e, ContractError::Unauthorized { role: "the admin" });
/// assert_eq!(e.to_string(), "unauthorized: only the admin may do this; send it from that address");
/// ```
#[macro_export]
macro_rules! contract_error {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($variants:tt)* }) => {
        $(#[$meta])*
        #[derive(thiserror::Error, Debug, PartialEq)]
        $vis enum $name {
            #[error("{0}")]
            Std(#[from] $crate::__private::StdError),

            #[error("unauthorized: only {role} may do this; send it from that address")]
            Unauthorized { role: &'static str },

            #[error("`{address}` is not a valid address on this chain; check the prefix and spelling")]
            InvalidAddress { address: String },

            #[error("`{address}` is not in its normalized form; send the address in lower case, as the chain prints it")]
            AddressNotNormalized { address: String },

            #[error("no admin change was proposed; the admin must send UpdateAdmin first")]
            NoPendingAdmin,

            #[error("cannot migrate from a different contract `{previous_contract}`")]
            CannotMigrate { previous_contract: String },

            #[error("cannot migrate from version {stored} to the older or unparsable version {new}")]
            CannotMigrateVersion { stored: String, new: String },

            $($variants)*
        }

        impl $crate::CwErrors for $name {
            fn unauthorized(role: &'static str) -> Self {
                $name::Unauthorized { role }
            }
            fn invalid_address(address: String) -> Self {
                $name::InvalidAddress { address }
            }
            fn address_not_normalized(address: String) -> Self {
                $name::AddressNotNormalized { address }
            }
            fn no_pending_admin() -> Self {
                $name::NoPendingAdmin
            }
            fn cannot_migrate(previous_contract: String) -> Self {
                $name::CannotMigrate { previous_contract }
            }
            fn cannot_migrate_version(stored: String, new: String) -> Self {
                $name::CannotMigrateVersion { stored, new }
            }
        }
    };
}

#[cfg(test)]
pub(crate) mod tests {
    contract_error! {
        /// A contract's error type as the macro makes it.
        pub enum TestError {
            #[error("its own: {0}")]
            Own(u8),
        }
    }

    #[test]
    fn shared_and_own_variants_read_as_written() {
        use crate::CwErrors;
        let cases = [
            (
                TestError::unauthorized("the admin"),
                "unauthorized: only the admin may do this; send it from that address",
            ),
            (
                TestError::invalid_address("x".into()),
                "`x` is not a valid address on this chain; check the prefix and spelling",
            ),
            (
                TestError::address_not_normalized("INJ1X".into()),
                "`INJ1X` is not in its normalized form; send the address in lower case, as the chain prints it",
            ),
            (TestError::no_pending_admin(), "no admin change was proposed; the admin must send UpdateAdmin first"),
            (TestError::cannot_migrate("a".into()), "cannot migrate from a different contract `a`"),
            (
                TestError::cannot_migrate_version("2.0.0".into(), "1.0.0".into()),
                "cannot migrate from version 2.0.0 to the older or unparsable version 1.0.0",
            ),
            (TestError::Own(7), "its own: 7"),
        ];
        for (e, message) in cases {
            assert_eq!(e.to_string(), message);
        }
        let std = || cosmwasm_std::StdError::generic_err("host");
        assert_eq!(TestError::from(std()), TestError::Std(std()));
    }
}
