#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod account;
mod client;
mod config;
mod error;
mod outcome;
#[allow(missing_docs)] // shared fixture file, kept byte for byte
pub mod test_accounts;
mod wallet;

pub use account::{account_number_and_sequence, ETH_ACCOUNT_TYPE_URL};
pub use client::{ChainClient, CodeInfo, ContractInfo, ExecuteCall, Gas};
pub use config::ChainConfig;
pub use error::{ClientError, Result};
pub use outcome::{Event, TxOutcome};
pub use wallet::{Wallet, COSMOS_HD_PATH};

/// The cosmrs version this crate builds on, for callers that assemble their own messages
/// for [`ChainClient::broadcast`].
pub use cosmrs;
