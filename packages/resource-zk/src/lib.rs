//! Zero-knowledge credentials for ReSource (see DESIGN.md, "Zero knowledge"):
//!
//! - [`credential`]: the attester's side: issue a salted Poseidon commitment `C` to a DID's
//!   rating, revenue or tenure and sign it with an ed25519 or secp256k1 key;
//! - [`circuit`]: the Groth16 circuit of each claim kind (one public input: the statement hash);
//! - [`setup`]: reproducible keys from a seed, key files with checksums;
//! - [`prove`]: proofs natively and in wasm32 (same functions), and native verification;
//! - [`samples`]: values and thresholds that hold, one per kind, for tests and benchmarks.
//!
//! The verifier half (statement hash, encodings, the Groth16 check) is `resource-zk-verifier`,
//! `no_std`, which contracts use.

pub mod circuit;
pub mod credential;
pub mod error;
pub mod gadget;
mod hexbytes;
pub mod prove;
pub mod samples;
pub mod setup;

pub use circuit::constraint_count;
pub use credential::{AttesterSigner, Credential, CredentialRequest, SignatureScheme};
pub use error::ZkError;
pub use prove::{prove, prove_json, verify, verify_json, verify_prepared, CredentialProof, ProofRequest};
pub use resource_zk_verifier as verifier;
pub use resource_zk_verifier::{ClaimKind, Statement};
pub use setup::{devnet_keys, read_proving_key, read_verifying_key, setup, write_keys, DEVNET_SEED};
