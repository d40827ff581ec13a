//! The `resource` command line: local devnets, the demo, and network operations (clearing, DIDs,
//! underwriting, zero-knowledge credentials).
//! The binary only parses arguments and dispatches to the command modules here; economic rules live
//! in `resource-core`, contract messages in `resource-msgs`.
pub mod bridge;
pub mod clearing;
pub mod credential;
pub mod demo;
pub mod deployment;
pub mod devnet;
pub mod did;
pub mod format;
pub mod network;
pub mod node;
pub mod paths;
pub mod relayer;
pub mod ui;
pub mod underwriting;
pub mod wiring;
pub mod zk;
