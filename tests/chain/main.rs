//! End to end on the real devnet node started by `cargo xtask test --suite chain`.
mod clearing;
mod credentials;
mod credit_periods;
mod credit_token;
mod cw20_reference;
mod did_registry;
mod reputation;
mod underwriting;
