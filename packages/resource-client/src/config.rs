//! Connection settings for one chain.

use serde::{Deserialize, Serialize};

/// Chain connection settings. Serializable: the CLI writes it into a devnet's `devnet.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChainConfig {
    /// Chain id signed over, e.g. `resource-1`.
    pub chain_id: String,
    /// CometBFT RPC endpoint, e.g. `http://127.0.0.1:26657`: everything this client does goes through it.
    pub rpc: String,
    /// gRPC endpoint (kept for other tools; this client does not use it).
    pub grpc: String,
    /// REST (LCD) endpoint (kept for other tools; this client does not use it).
    pub rest: String,
    /// Fee denomination, e.g. `inj`.
    pub denom: String,
    /// Bech32 address prefix, e.g. `inj`.
    pub prefix: String,
    /// Fee per gas unit in `denom` units (500000000 on the devnet; `inj` has 18 decimals).
    pub gas_price: u128,
}

impl ChainConfig {
    /// Settings of a local devnet with the default ports of TOOLCHAIN.md, for `chain_id`.
    pub fn local(chain_id: impl Into<String>) -> Self {
        ChainConfig {
            chain_id: chain_id.into(),
            rpc: "http://127.0.0.1:26657".into(),
            grpc: "http://127.0.0.1:9900".into(),
            rest: "http://127.0.0.1:10337".into(),
            denom: "inj".into(),
            prefix: "inj".into(),
            gas_price: 500_000_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_round_trip() {
        let config = ChainConfig { gas_price: u128::from(u64::MAX) * 3, ..ChainConfig::local("resource-1") };
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(serde_json::from_str::<ChainConfig>(&json).unwrap(), config);
    }

    #[test]
    fn reads_the_documented_field_names() {
        let json = r#"{"chain_id":"resource-1","rpc":"http://127.0.0.1:26657","grpc":"http://127.0.0.1:9900",
            "rest":"http://127.0.0.1:10337","denom":"inj","prefix":"inj","gas_price":500000000}"#;
        assert_eq!(serde_json::from_str::<ChainConfig>(json).unwrap(), ChainConfig::local("resource-1"));
    }
}
