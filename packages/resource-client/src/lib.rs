//! Rust client for CosmWasm chains (see README of this crate).
pub mod test_accounts;
