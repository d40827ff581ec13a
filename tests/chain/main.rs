//! End to end on the real devnet node started by `cargo xtask test --suite chain`.
mod cw20_reference;
