//! The verifying half of ReSource's zero-knowledge credentials, `no_std` so contracts use it:
//!
//! - [`poseidon`]: the hash of commitments and statements (width 8, one permutation each);
//! - [`statement`]: claim kinds, the public [`Statement`](statement::Statement) and its hash (the
//!   circuit's one public input), DID hashes, the digest an attester signs;
//! - [`groth16`]: proof and verifying-key encodings and the Groth16 check over a pairing function
//!   the caller supplies (the chain's host function, or [`groth16::arkworks_pairing_equality`]).
//!
//! Circuits, setup, proving and issuing live in `resource-zk`, which builds on this crate.
#![no_std]

extern crate alloc;
// schemars's derive names std items.
#[cfg(feature = "schemars")]
extern crate std;

pub mod error;
pub mod groth16;
pub mod poseidon;
pub mod statement;

pub use error::{EncodingError, StatementError};
pub use groth16::{verify, PreparedVerifyingKey, Proof};
pub use poseidon::Fr;
pub use statement::{did_hash, signing_digest, ClaimKind, Statement, Thresholds};
