//! Members' keys, hybrid non-custodial (DESIGN.md, keys).
//!
//! A member's wallet is one BIP-39 [`Secret`]. From it comes the Cosmos signing key
//! ([`CosmosKey`], m/44'/118'/0'/0/0, the address under any bech32 prefix). The secret itself is
//! kept nowhere whole: [`split`] cuts it into three Shamir shares, any two of which [`recover`] it,
//! one for the member's device, one for a guardian the member trusts, one for a recovery service.
//! The device share is stored [`seal`]ed with the member's passphrase (Argon2id, then
//! XChaCha20-Poly1305). No party alone can spend: one share says nothing about the secret.
//!
//! Every failure is a [`KeyError`] with a stable [`KeyError::code`] and a message saying what to do.
//! The crate builds for wasm32 (the SDK calls it in merchants' pages) and takes its randomness from
//! the caller, so tests are reproducible.

mod cosmos;
mod error;
mod mnemonic;
mod sealed;
mod secret;
mod shares;

pub use cosmos::{address_of, CosmosKey, COSMOS_HD_PATH};
pub use error::KeyError;
pub use sealed::{open, seal, SealedShare, KDF_ITERATIONS, KDF_MEMORY_KIB, MIN_PASSPHRASE_CHARS};
pub use secret::{Secret, WordCount};
pub use shares::{recover, split, ShareHolder, Shares, SHARE_HRP};
