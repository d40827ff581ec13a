//! The credential verifier of a ReSource network: members prove predicates over credentials an
//! attester registered in the DID registry issued (rating and reviews, monthly revenue, months in
//! business), in zero knowledge; this contract checks the attester's signature over the
//! credential's commitment with the chain's `ed25519_verify` / `secp256k1_verify`, the Groth16
//! proof with the chain's `bls12_381_pairing_equality` (through `resource_zk_verifier::verify`),
//! the validity window against the block time and the nullifier, then records the claim on the
//! member's DID in the registry. Verifying keys, one per claim kind, are stored by the admin.
//! Every cryptographic rule comes from `resource-zk-verifier`; this crate only stores keys, asks
//! the registry, calls the host functions and emits events.

pub mod contract;
pub mod error;
pub mod state;

pub use crate::error::ContractError;

#[cfg(test)]
mod tests;
