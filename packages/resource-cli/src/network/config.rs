//! `network.toml`: which chain, which network, which key. Read with serde, unknown fields refused,
//! every error naming the file, the line and the field.
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The whole file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkFile {
    #[serde(default)]
    pub chain: ChainSection,
    pub network: NetworkSection,
    #[serde(default)]
    pub underwriting: UnderwritingSection,
    #[serde(default)]
    pub clearing: ClearingSection,
    #[serde(default)]
    pub bridge: BridgeSection,
    #[serde(default)]
    pub did_registry: RegistrySection,
    pub key: KeySource,
}

/// `[chain]`: any CosmWasm chain. Every field may also come from a flag (`--rpc`, `--chain-id`, ...).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainSection {
    /// CometBFT RPC endpoint: everything the deploy does goes through it.
    pub rpc: Option<String>,
    /// gRPC endpoint: recorded for other tools (the deploy does not need it).
    pub grpc: Option<String>,
    /// REST endpoint: recorded for other tools.
    pub rest: Option<String>,
    pub chain_id: Option<String>,
    /// Bech32 account prefix, e.g. `inj`, `neutron`.
    pub prefix: Option<String>,
    /// Fee denom, e.g. `inj`, `untrn`.
    pub denom: Option<String>,
    /// Fee per gas unit in `denom` base units: an integer or a decimal string ("0.025").
    pub gas_price: Option<GasPrice>,
    /// Simulated gas is multiplied by this (default 1.3).
    pub gas_adjustment: Option<f64>,
}

/// A gas price as TOML writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum GasPrice {
    Integer(u64),
    Decimal(String),
}

impl GasPrice {
    /// The price as a fraction `(numerator, denominator)` of base units per gas unit.
    pub fn fraction(&self) -> Result<(u128, u128), String> {
        let text = match self {
            GasPrice::Integer(n) => return Ok((u128::from(*n), 1)),
            GasPrice::Decimal(text) => text.trim(),
        };
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !(fraction.is_empty() || digits(fraction)) || fraction.len() > 18 {
            return Err(format!("`{text}` is not a price: write base units per gas unit, e.g. 500000000 or \"0.025\""));
        }
        let denominator = 10u128.pow(fraction.len() as u32);
        let numerator = format!("{whole}{fraction}").parse::<u128>().map_err(|e| format!("`{text}`: {e}"))?;
        if numerator == 0 {
            return Err("the gas price must be above 0".into());
        }
        Ok((numerator, denominator))
    }
}

/// A duration: seconds, or a string with s, m, h or d (`"30d"`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Duration {
    Seconds(u64),
    Text(String),
}

impl Duration {
    pub fn seconds(&self) -> Result<u64, String> {
        match self {
            Duration::Seconds(s) => Ok(*s),
            Duration::Text(text) => crate::format::parse_duration(text),
        }
    }
}

fn days(n: u64) -> Duration {
    Duration::Seconds(n * 86_400)
}

/// `[network]`: the community network and its credit token.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkSection {
    /// Names the record (`deployments/<chain-id>/<name>.json`) and the contracts' labels.
    pub name: String,
    pub token_name: String,
    pub token_symbol: String,
    #[serde(default = "six")]
    pub token_decimals: u8,
    /// Network fee in basis points, paid on top of each payment.
    #[serde(default = "hundred")]
    pub fee_bps: u16,
    /// After a term's end, before unpaid debt can be declared in default.
    #[serde(default = "thirty_days")]
    pub grace_period: Duration,
    /// The shortest credit term.
    #[serde(default = "one_day")]
    pub min_term: Duration,
    /// Takes the debt of members declared in default. Not the deployer: the deployer collects the
    /// fees until the underwriting contract does, and the token keeps fees away from written-off debt.
    pub loss_account: String,
}

fn six() -> u8 {
    6
}
fn hundred() -> u16 {
    100
}
fn thirty_days() -> Duration {
    days(30)
}
fn one_day() -> Duration {
    days(1)
}

/// `[underwriting]`: the underwriting contract's rules.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UnderwritingSection {
    /// The native denom staked [default: the chain's fee denom].
    pub stake_denom: Option<String>,
    /// Decimals of the stake denom, for `price` [default: 18 for `inj`, else 0 (base units)].
    pub stake_decimals: Option<u32>,
    /// Whole units of stake per whole unit of credit, e.g. "0.1".
    pub price: String,
    pub collateral_ratio_bps: u32,
    pub min_underwriters: u32,
    pub max_share_bps: u16,
    pub max_term: Duration,
    pub open_period: Duration,
    pub unbonding_period: Duration,
    /// Receives slashed stake [default: the deployer].
    pub reserve: Option<String>,
    /// Approved lines get credit periods with this minimum income-to-debt ratio, in parts per
    /// million (500000: income at least half the debt) [default: none, fixed terms].
    pub credit_period_min_itd: Option<u64>,
    /// Approved members pay this risk fee, in basis points, on the credit each payment draws
    /// [default: none].
    pub risk_fee_bps: Option<u16>,
}

impl Default for UnderwritingSection {
    fn default() -> Self {
        UnderwritingSection {
            stake_denom: None,
            stake_decimals: None,
            price: "1".into(),
            collateral_ratio_bps: 10_000,
            min_underwriters: 2,
            max_share_bps: 5_000,
            max_term: days(365),
            open_period: days(7),
            unbonding_period: days(14),
            reserve: None,
            credit_period_min_itd: None,
            risk_fee_bps: None,
        }
    }
}

/// `[clearing]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClearingSection {
    /// How long a round takes competing submissions [default: the contract's].
    pub round_window: Option<Duration>,
    pub max_entries: Option<u32>,
}

/// `[bridge]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BridgeSection {
    /// This network's name as other networks' bridges show it [default: `[network] name`].
    pub network: Option<String>,
}

/// `[did_registry]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrySection {
    /// The longest a proven claim may hold [default: the contract's, a year].
    pub max_credential_validity: Option<Duration>,
}

/// `[key]`: where the deployer's mnemonic comes from. Never from a command-line argument.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "source", rename_all = "kebab-case", deny_unknown_fields)]
pub enum KeySource {
    /// A file holding the phrase (relative paths are from the config file's folder).
    MnemonicFile { path: PathBuf },
    /// An environment variable holding the phrase.
    Env { variable: String },
    /// The operating system's keyring.
    Keyring { service: String, user: String },
}

/// Why a config file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the network config {path}: {source}; pass --config FILE (examples in deployments/examples/)")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}:{line}: {message}")]
    Invalid { path: PathBuf, line: usize, message: String },
    #[error("{path}: {field} {reason}")]
    Field { path: PathBuf, field: String, reason: String },
}

impl NetworkFile {
    /// Reads and checks `path`.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
        Self::parse(path, &text)
    }

    /// Parses `text` (read from `path`, named in errors).
    pub fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let file: NetworkFile = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|span| span.start).unwrap_or(0).min(text.len());
            let line = text[..offset].matches('\n').count() + 1;
            let section = text[..offset]
                .lines()
                .rev()
                .map(str::trim)
                .find(|l| l.starts_with('[') && l.ends_with(']'))
                .map(|header| format!(" (in {header})"))
                .unwrap_or_default();
            let message = e.message().trim().replace('\n', "; ");
            ConfigError::Invalid { path: path.to_path_buf(), line, message: format!("{message}{section}") }
        })?;
        let field = |field: &str, reason: String| ConfigError::Field {
            path: path.to_path_buf(),
            field: field.to_string(),
            reason,
        };
        let name = &file.network.name;
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(field(
                "[network] name",
                format!("`{name}` must be letters, digits, - and _ only (it names the record file)"),
            ));
        }
        if file.network.fee_bps > 10_000 {
            return Err(field("[network] fee_bps", format!("{} is above 10000 (100 %)", file.network.fee_bps)));
        }
        let durations = [
            ("[network] grace_period", Some(&file.network.grace_period)),
            ("[network] min_term", Some(&file.network.min_term)),
            ("[underwriting] max_term", Some(&file.underwriting.max_term)),
            ("[underwriting] open_period", Some(&file.underwriting.open_period)),
            ("[underwriting] unbonding_period", Some(&file.underwriting.unbonding_period)),
            ("[clearing] round_window", file.clearing.round_window.as_ref()),
            ("[did_registry] max_credential_validity", file.did_registry.max_credential_validity.as_ref()),
        ];
        for (name, value) in durations {
            if let Some(value) = value {
                value.seconds().map_err(|reason| field(name, reason))?;
            }
        }
        if let Some(price) = &file.chain.gas_price {
            price.fraction().map_err(|reason| field("[chain] gas_price", reason))?;
        }
        if let Some(adjustment) = file.chain.gas_adjustment {
            if !(1.0..=10.0).contains(&adjustment) {
                return Err(field("[chain] gas_adjustment", format!("{adjustment} must be between 1.0 and 10.0")));
            }
        }
        Ok(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[chain]
rpc = "http://127.0.0.1:26657"
chain_id = "resource-1"
prefix = "inj"
denom = "inj"
gas_price = 500000000
gas_adjustment = 1.4

[network]
name = "devnet"
token_name = "Community Dollar"
token_symbol = "rUSD"
grace_period = "10d"
loss_account = "inj1loss"

[underwriting]
price = "0.1"

[clearing]
round_window = 60

[key]
source = "mnemonic-file"
path = "admin.mnemonic"
"#;

    fn parse(text: &str) -> Result<NetworkFile, ConfigError> {
        NetworkFile::parse(Path::new("net.toml"), text)
    }

    #[test]
    fn reads_every_section_with_defaults() {
        let file = parse(GOOD).unwrap();
        assert_eq!(file.chain.rpc.as_deref(), Some("http://127.0.0.1:26657"));
        assert_eq!(file.chain.gas_price, Some(GasPrice::Integer(500_000_000)));
        assert_eq!(file.chain.gas_adjustment, Some(1.4));
        assert_eq!(file.network.token_decimals, 6);
        assert_eq!(file.network.fee_bps, 100);
        assert_eq!(file.network.grace_period.seconds(), Ok(864_000));
        assert_eq!(file.network.min_term.seconds(), Ok(86_400));
        assert_eq!(file.underwriting.price, "0.1");
        assert_eq!(file.underwriting.min_underwriters, 2, "defaults fill the rest of a section");
        assert_eq!(file.clearing.round_window, Some(Duration::Seconds(60)));
        assert_eq!(file.bridge, BridgeSection::default());
        assert_eq!(file.key, KeySource::MnemonicFile { path: "admin.mnemonic".into() });
    }

    #[test]
    fn key_sources() {
        let env =
            GOOD.replace("source = \"mnemonic-file\"\npath = \"admin.mnemonic\"", "source = \"env\"\nvariable = \"M\"");
        assert_eq!(parse(&env).unwrap().key, KeySource::Env { variable: "M".into() });
        let keyring = GOOD.replace(
            "source = \"mnemonic-file\"\npath = \"admin.mnemonic\"",
            "source = \"keyring\"\nservice = \"s\"\nuser = \"u\"",
        );
        assert_eq!(parse(&keyring).unwrap().key, KeySource::Keyring { service: "s".into(), user: "u".into() });
        let bad = GOOD.replace("source = \"mnemonic-file\"", "source = \"argv\"");
        let err = parse(&bad).unwrap_err().to_string();
        assert!(err.contains("argv") && err.contains("mnemonic-file"), "{err}");
        let extra = GOOD.replace("path = \"admin.mnemonic\"", "path = \"a\"\nphrase = \"x\"");
        let err = parse(&extra).unwrap_err().to_string();
        assert!(err.contains("phrase"), "{err}");
    }

    #[test]
    fn an_unknown_field_is_named_with_its_file_line_and_section() {
        let err = parse(&GOOD.replace("token_symbol", "token_symbl")).unwrap_err().to_string();
        assert!(err.starts_with("net.toml:13: unknown field `token_symbl`"), "{err}");
        assert!(err.contains("(in [network])"), "{err}");
        let err = parse(&GOOD.replace("[clearing]", "[clearance]")).unwrap_err().to_string();
        assert!(err.contains("unknown field `clearance`"), "{err}");
        let err = parse(&GOOD.replace("name = \"devnet\"\n", "")).unwrap_err().to_string();
        assert!(err.contains("missing field `name`"), "{err}");
    }

    #[test]
    fn bad_values_are_named() {
        let err = parse(&GOOD.replace("grace_period = \"10d\"", "grace_period = \"ten days\"")).unwrap_err();
        assert!(err.to_string().starts_with("net.toml: [network] grace_period"), "{err}");
        let err = parse(&GOOD.replace("name = \"devnet\"", "name = \"../x\"")).unwrap_err();
        assert!(err.to_string().contains("[network] name"), "{err}");
        let err = parse(&GOOD.replace("gas_price = 500000000", "gas_price = \"cheap\"")).unwrap_err();
        assert!(err.to_string().contains("[chain] gas_price"), "{err}");
        let err = parse(&GOOD.replace("gas_adjustment = 1.4", "gas_adjustment = 0.5")).unwrap_err();
        assert!(err.to_string().contains("[chain] gas_adjustment"), "{err}");
        let err = parse(&GOOD.replace("[network]", "[network]\nfee_bps = 20000")).unwrap_err();
        assert!(err.to_string().contains("fee_bps"), "{err}");
    }

    #[test]
    fn the_shipped_examples_parse() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deployments/examples");
        let devnet = NetworkFile::load(&dir.join("devnet.toml")).unwrap();
        assert_eq!(devnet.chain.chain_id.as_deref(), Some("resource-1"));
        assert_eq!(devnet.key, KeySource::MnemonicFile { path: "devnet-admin.mnemonic".into() });
        let testnet = NetworkFile::load(&dir.join("testnet.toml")).unwrap();
        assert_eq!(testnet.chain.chain_id.as_deref(), Some("injective-888"));
        assert_eq!(testnet.key, KeySource::Env { variable: "RESOURCE_DEPLOY_MNEMONIC".into() });
    }

    #[test]
    fn gas_prices_become_fractions() {
        assert_eq!(GasPrice::Integer(160_000_000).fraction(), Ok((160_000_000, 1)));
        assert_eq!(GasPrice::Decimal("0.025".into()).fraction(), Ok((25, 1000)));
        assert_eq!(GasPrice::Decimal("500000000".into()).fraction(), Ok((500_000_000, 1)));
        assert!(GasPrice::Decimal("0".into()).fraction().is_err());
        assert!(GasPrice::Decimal("1e5".into()).fraction().is_err());
    }
}
