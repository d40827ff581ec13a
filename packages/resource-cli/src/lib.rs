//! The `resource` command line: local devnets, the demo, and (with later issues) network operations.
//! The binary is a thin shell over these modules; economic rules live in `resource-core`.
pub mod clearing;
pub mod demo;
pub mod devnet;
pub mod did;
pub mod node;
pub mod paths;
pub mod ui;
