//! `resource credential`: zero-knowledge credentials (DESIGN.md, "Zero knowledge") from the
//! command line, for both sides.
//!
//! - The attester makes a signing key (`keygen`), is registered in the DID registry
//!   (`register-attester`) and issues credentials (`issue`): a salted Poseidon commitment to a
//!   member's rating, revenue or tenure, signed off chain (`resource_zk::credential`).
//! - The member proves that its credential clears public thresholds (`prove`, with the claim kind's
//!   proving key from `resource zk setup`), without revealing the values, and submits the proof to
//!   the DID registry (`submit`), which checks the signature and the proof itself and records the
//!   claim on the member's DID (`claims` lists them). `resource underwriting apply --claim SEQ`
//!   then cites it.
//! - `deploy` readies the DID registry on the devnet for proofs: the key folder's verifying keys
//!   stored in it, and the underwriting contract reading claims from it.
//!
//! Values are typed as people say them: a rating in stars with one decimal (`4.7`, stored in tenths
//! as the circuit takes it) and a number of reviews, a monthly revenue in whole units of the
//! network's currency, months in business.
use std::io::Write;
use std::path::{Path, PathBuf};

use resource_client::test_accounts::test_account;
use resource_client::Wallet;
use resource_core::did::{Did, ResourceDid};
use resource_zk::ClaimKind;

use crate::format;

pub mod chain;
pub mod offline;
pub mod proofs;

pub use chain::{
    claims_command, did_create_command, register_attester_command, AttesterKeySource, AttesterRegistration,
};
pub use offline::{issue_command, keygen_command, prove_command, IssueOptions, ProveOptions, Validity};
pub use proofs::{deploy_command, submit_command, DeployOptions};

/// The folder `resource zk setup` writes to and the commands read keys from when `--keys` is not
/// given: `zk-keys` in the devnet folder.
pub fn default_keys_dir(home: &Path) -> PathBuf {
    home.join("zk-keys")
}

/// A claim kind as the command line takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Kind {
    /// Marketplace rating (stars, one decimal) and number of reviews.
    Rating,
    /// Monthly revenue, whole units of the network's currency.
    Revenue,
    /// Months in business.
    Tenure,
}

impl From<Kind> for ClaimKind {
    fn from(kind: Kind) -> ClaimKind {
        match kind {
            Kind::Rating => ClaimKind::Rating,
            Kind::Revenue => ClaimKind::Revenue,
            Kind::Tenure => ClaimKind::Tenure,
        }
    }
}

/// The kinds named (in order, each once), or every kind when none is.
pub fn kinds_or_all(kinds: &[Kind]) -> Vec<ClaimKind> {
    if kinds.is_empty() {
        return ClaimKind::ALL.to_vec();
    }
    let mut out: Vec<ClaimKind> = Vec::new();
    for kind in kinds {
        let kind = ClaimKind::from(*kind);
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    out
}

/// Everything `resource credential` and `resource zk` refuse, each saying what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum CredentialCliError {
    #[error("a {kind} {what} takes {expected}: {help} (e.g. {example}); {found} given")]
    ValueCount {
        kind: ClaimKind,
        what: &'static str,
        expected: &'static str,
        help: &'static str,
        example: String,
        found: usize,
    },
    #[error("`{text}` is not a rating: write stars from 0 to 5 with at most one decimal (e.g. 4.7)")]
    BadRating { text: String },
    #[error("`{text}` is not a number of {name}: write a whole number (e.g. {example})")]
    BadNumber { text: String, name: &'static str, example: &'static str },
    #[error("{what} is {time}, not in the future: {hint}")]
    Past { what: &'static str, time: String, hint: &'static str },
    #[error("cannot read {what} {path}: {reason}{hint}")]
    Read { what: &'static str, path: PathBuf, reason: String, hint: &'static str },
    #[error("cannot write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    #[error("{path} already exists; pass --force to replace it (the key in it is lost) or choose another --out")]
    Exists { path: PathBuf },
    #[error("no proving key for {kind} credentials at {path}: run `resource zk setup` (or pass --keys DIR)")]
    NoProvingKey { kind: ClaimKind, path: PathBuf },
    #[error("`{text}` is not a DID ({reason}); write one such as did:resource:resource-1:inj1... or name a devnet test account")]
    BadDid { text: String, reason: String },
    #[error("{file}: {reason}")]
    Zk { file: String, reason: String },
}

/// How a kind's values are typed, for messages: (count, help, example) of a credential's values
/// or of a proof's thresholds.
fn value_help(kind: ClaimKind, typed: Typed) -> (&'static str, &'static str, &'static str) {
    match (kind, typed) {
        (ClaimKind::Rating, Typed::Values) => {
            ("2 values", "the rating in stars and the number of reviews", "4.7 and 132")
        }
        (ClaimKind::Revenue, Typed::Values) => {
            ("1 value", "the monthly revenue in whole units of the network's currency", "12500")
        }
        (ClaimKind::Tenure, Typed::Values) => ("1 value", "the months in business", "30"),
        (ClaimKind::Rating, Typed::Thresholds) => {
            ("2 thresholds", "the least rating in stars and the least number of reviews", "4.5 and 100")
        }
        (ClaimKind::Revenue, Typed::Thresholds) => ("1 threshold", "the least monthly revenue", "10000"),
        (ClaimKind::Tenure, Typed::Thresholds) => ("1 threshold", "the least number of months in business", "24"),
    }
}

/// Whether typed numbers are a credential's values or a proof's thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typed {
    Values,
    Thresholds,
}

impl Typed {
    fn flag(self) -> &'static str {
        match self {
            Typed::Values => "--value",
            Typed::Thresholds => "--threshold",
        }
    }
}

/// Parses a rating in stars with at most one decimal into tenths of a star (`4.7` -> 47).
pub fn parse_stars(text: &str) -> Result<u64, CredentialCliError> {
    let bad = || CredentialCliError::BadRating { text: text.to_string() };
    let t = text.trim();
    let (whole, tenth) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 1 || tenth.len() > 1 || !digits(whole) || !digits(tenth) || t.ends_with('.') {
        return Err(bad());
    }
    let tenths = whole.parse::<u64>().map_err(|_| bad())? * 10 + tenth.parse::<u64>().unwrap_or(0);
    if tenths > 50 {
        return Err(bad());
    }
    Ok(tenths)
}

/// Parses the `--value`s or `--threshold`s of a `kind` credential into the circuit's numbers.
pub fn parse_values(kind: ClaimKind, texts: &[String], typed: Typed) -> Result<Vec<u64>, CredentialCliError> {
    let (expected, help, example) = value_help(kind, typed);
    let names = kind.value_names();
    if texts.len() != names.len() {
        let flag = typed.flag();
        let example = example.split(" and ").map(|v| format!("{flag} {v}")).collect::<Vec<_>>().join(" ");
        let what = if typed == Typed::Values { "credential" } else { "proof" };
        return Err(CredentialCliError::ValueCount { kind, what, expected, help, example, found: texts.len() });
    }
    let mut out = Vec::with_capacity(texts.len());
    for (text, name) in texts.iter().zip(names) {
        let value = match (kind, *name) {
            (ClaimKind::Rating, "rating") => parse_stars(text)?,
            _ => {
                let (noun, example) = match *name {
                    "reviews" => ("reviews", "132"),
                    "revenue" => ("currency units of monthly revenue", "12500"),
                    _ => ("months", "30"),
                };
                text.trim().parse::<u64>().map_err(|_| CredentialCliError::BadNumber {
                    text: text.clone(),
                    name: noun,
                    example,
                })?
            }
        };
        out.push(value);
    }
    Ok(out)
}

/// Tenths of a star as stars: `45` -> `4.5`.
pub fn stars(tenths: u64) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// A credential's values in words: `4.7 stars over 132 reviews`, `12,500 a month`, `30 months`.
pub fn describe_values(kind: ClaimKind, values: &[u64]) -> String {
    let v = |i: usize| values.get(i).copied().unwrap_or(0);
    match kind {
        ClaimKind::Rating => format!("{} stars over {} reviews", stars(v(0)), format::grouped(v(1).into())),
        ClaimKind::Revenue => format!("{} a month", format::grouped(v(0).into())),
        ClaimKind::Tenure => format!("{} months in business", format::grouped(v(0).into())),
    }
}

/// What a proof establishes, in words: `rating >= 4.5 stars over >= 100 reviews`.
pub fn describe_statement(kind: ClaimKind, thresholds: &[u64]) -> String {
    let t = |i: usize| thresholds.get(i).copied().unwrap_or(0);
    match kind {
        ClaimKind::Rating => {
            format!("rating >= {} stars over >= {} reviews", stars(t(0)), format::grouped(t(1).into()))
        }
        ClaimKind::Revenue => format!("monthly revenue >= {}", format::grouped(t(0).into())),
        ClaimKind::Tenure => format!("months in business >= {}", format::grouped(t(0).into())),
    }
}

/// A recorded claim's predicate in words, when it is one the DID registry records from a proof
/// (`rating>=45;reviews>=100`); other predicates as they are.
pub fn describe_predicate(claim_type: &str, predicate: &str) -> String {
    let Some(kind) = ClaimKind::ALL.into_iter().find(|k| k.claim_type() == claim_type) else {
        return predicate.to_string();
    };
    let mut thresholds = Vec::new();
    for (term, name) in predicate.split(';').zip(kind.value_names()) {
        match term.strip_prefix(name).and_then(|t| t.strip_prefix(">=")).and_then(|v| v.parse::<u64>().ok()) {
            Some(v) => thresholds.push(v),
            None => return predicate.to_string(),
        }
    }
    if thresholds.len() != kind.value_names().len() || predicate.split(';').count() != thresholds.len() {
        return predicate.to_string();
    }
    describe_statement(kind, &thresholds)
}

/// Reads a text file, or says which file could not be read and what to do.
pub fn read_text(path: &Path, what: &'static str, hint: &'static str) -> Result<String, CredentialCliError> {
    std::fs::read_to_string(path).map_err(|e| CredentialCliError::Read {
        what,
        path: path.to_path_buf(),
        reason: io_reason(&e),
        hint,
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        _ => e.to_string(),
    }
}

/// Writes `text` to `path`; a `private` file (a secret key, a credential) is readable by its owner
/// only. Unless `replace`, an existing file is refused.
pub fn write_file(path: &Path, text: &str, private: bool, replace: bool) -> Result<(), CredentialCliError> {
    if !replace && path.exists() {
        return Err(CredentialCliError::Exists { path: path.to_path_buf() });
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let _ = private;
    let write = || -> std::io::Result<()> {
        let mut file = options.open(path)?;
        file.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            file.write_all(b"\n")?;
        }
        Ok(())
    };
    write().map_err(|e| CredentialCliError::Write { path: path.to_path_buf(), reason: e.to_string() })
}

/// A subject or attester DID as typed: a DID, or the name of a devnet test account, which stands
/// for its account DID on the devnet's running chain (`chain` gives its id and address prefix).
pub fn did_of(
    text: &str,
    chain: impl FnOnce() -> anyhow::Result<resource_client::ChainConfig>,
) -> anyhow::Result<String> {
    if let Some(account) = test_account(text) {
        let chain = chain().map_err(|e| {
            anyhow::anyhow!(
                "`{text}` stands for the test account's DID on the running devnet, but {e:#}; or give the DID itself"
            )
        })?;
        let wallet = Wallet::from_mnemonic(account.mnemonic, &chain.prefix)?;
        return Ok(ResourceDid::account(&chain.chain_id, wallet.address())
            .map_err(|e| CredentialCliError::BadDid { text: text.to_string(), reason: e.to_string() })?
            .to_string());
    }
    let did: Did = text.parse().map_err(|e: resource_core::did::DidError| CredentialCliError::BadDid {
        text: text.to_string(),
        reason: e.to_string(),
    })?;
    if did.method() == "resource" {
        ResourceDid::parse(text)
            .map_err(|e| CredentialCliError::BadDid { text: text.to_string(), reason: e.to_string() })?;
    }
    Ok(did.to_string())
}

/// Unix seconds now.
pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn ratings_are_stars_with_one_decimal() {
        assert_eq!(parse_stars("4.7").unwrap(), 47);
        assert_eq!(parse_stars("5").unwrap(), 50);
        assert_eq!(parse_stars("0.0").unwrap(), 0);
        for bad in ["47", "5.1", "4.75", "4.", ".5", "-1", "four", ""] {
            assert!(parse_stars(bad).unwrap_err().to_string().contains("is not a rating"), "{bad}");
        }
        assert_eq!(stars(45), "4.5");
    }

    #[test]
    fn values_and_thresholds_are_counted_and_parsed_per_kind() {
        let rating = parse_values(ClaimKind::Rating, &strings(&["4.7", "132"]), Typed::Values).unwrap();
        assert_eq!(rating, [47, 132]);
        let err = parse_values(ClaimKind::Rating, &strings(&["4.5"]), Typed::Thresholds).unwrap_err().to_string();
        assert_eq!(
            err,
            "a rating proof takes 2 thresholds: the least rating in stars and the least number of reviews (e.g. \
             --threshold 4.5 --threshold 100); 1 given"
        );
        let err = parse_values(ClaimKind::Tenure, &strings(&["1", "2"]), Typed::Values).unwrap_err().to_string();
        assert!(err.starts_with("a tenure credential takes 1 value: the months in business (e.g. --value 30); 2 given"));
        let err = parse_values(ClaimKind::Revenue, &strings(&["12k"]), Typed::Values).unwrap_err().to_string();
        assert!(err.contains("`12k` is not a number of currency units of monthly revenue"), "{err}");
    }

    #[test]
    fn statements_and_predicates_read_as_words() {
        assert_eq!(describe_statement(ClaimKind::Rating, &[45, 100]), "rating >= 4.5 stars over >= 100 reviews");
        assert_eq!(
            describe_predicate("platform_rating", "rating>=45;reviews>=100"),
            "rating >= 4.5 stars over >= 100 reviews"
        );
        assert_eq!(describe_predicate("monthly_revenue", "revenue>=10000"), "monthly revenue >= 10,000");
        assert_eq!(describe_predicate("months_active", "months>=24"), "months in business >= 24");
        assert_eq!(describe_predicate("months_active", "months>=x"), "months>=x");
        assert_eq!(describe_predicate("kyc", "passed"), "passed");
        assert_eq!(describe_values(ClaimKind::Rating, &[47, 1_320]), "4.7 stars over 1,320 reviews");
    }

    #[test]
    fn dids_are_checked_and_test_accounts_are_their_account_dids() {
        let chain = || Ok(resource_client::ChainConfig::local("resource-1"));
        let alice = did_of("alice", chain).unwrap();
        assert_eq!(alice, "did:resource:resource-1:inj1l67pxmnuaqyeefqp5d3hecf0sjgq79tcyqkws7");
        assert_eq!(did_of("did:web:ratings.example", chain).unwrap(), "did:web:ratings.example");
        assert!(did_of("mallory", chain).unwrap_err().to_string().contains("is not a DID"));
        assert!(did_of("did:resource:resource-1:inj1bad", chain).is_err());
    }
}
