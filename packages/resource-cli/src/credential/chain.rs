//! The DID registry side of credentials on the devnet: registering a member's DID (`resource did
//! create`), an attester (`register-attester`) and listing the verified claims (`claims`). The
//! contracts are found as the other commands find theirs: `--registry ADDRESS`, else the
//! deployment recorded in the devnet folder by `resource credential deploy` or the devnet demo.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use resource_client::test_accounts::{test_account, TEST_ACCOUNTS};
use resource_client::{ChainClient, ChainConfig, ClientError, Gas, TxOutcome, Wallet};
use resource_core::did::{Attester, AttesterKey, KeyType, ResourceDid};
use resource_msgs::did_registry::{ClaimView, ExecuteMsg, QueryMsg, VerifiedClaimsResponse};
use serde::Serialize;
use serde_json::json;

use super::describe_predicate;
use crate::deployment::Deployment;
use crate::devnet::first_running_chain;
use crate::format;
use crate::ui::{table, Progress};

/// What the on-chain credential commands refuse, each saying what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    #[error(
        "no {what} given and none is recorded in {home}: pass {flag} ADDRESS, or deploy one with `resource credential \
         deploy`"
    )]
    NotDeployed { what: &'static str, flag: &'static str, home: String },
    #[error(
        "the contracts recorded in {home} are on chain {recorded}, but the devnet runs {running}; pass the address or \
         deploy again with `resource credential deploy`"
    )]
    OtherChain { home: String, recorded: String, running: String },
    #[error("{contract} does not answer as {what} ({reason}); check the address")]
    NotContract { contract: String, what: &'static str, reason: String },
    #[error("{who} refused {action}: {message}{hint}")]
    Refused { who: &'static str, action: &'static str, message: String, hint: String },
    #[error("no test account `{name}`; use one of {names}")]
    UnknownAccount { name: String, names: String },
    #[error("{did} is not registered in the DID registry: {hint}")]
    Unregistered { did: String, hint: String },
}

impl ChainError {
    /// A contract's refusal of `action`, as the client reports it, with `hint` appended.
    pub fn refused(
        who: &'static str,
        action: &'static str,
        error: ClientError,
        hint: impl Into<String>,
    ) -> anyhow::Error {
        match error {
            ClientError::ContractFailed { message, .. } => {
                ChainError::Refused { who, action, message, hint: hint.into() }.into()
            }
            other => anyhow::Error::new(other).context(format!("sending {action}")),
        }
    }
}

fn account_names() -> String {
    TEST_ACCOUNTS.iter().map(|a| a.name).collect::<Vec<_>>().join(", ")
}

/// A connection to the devnet of a folder, with what is recorded there.
pub struct Onchain {
    pub client: ChainClient,
    pub home: PathBuf,
    /// The recorded deployment, when it is on the running chain.
    pub deployment: Option<Deployment>,
    /// The recorded deployment's chain, when it is another.
    other_chain: Option<String>,
}

impl Onchain {
    pub async fn connect(home: &Path, progress: &Progress) -> anyhow::Result<Onchain> {
        let chain = first_running_chain(home)?;
        progress.step(&format!("connecting to {} at {}", chain.chain_id, chain.rpc));
        let client = ChainClient::connect(chain.clone()).await?;
        let (deployment, other_chain) = match Deployment::load(home)? {
            Some(d) if d.chain_id == chain.chain_id => (Some(d), None),
            Some(d) => (None, Some(d.chain_id)),
            None => (None, None),
        };
        Ok(Onchain { client, home: home.to_path_buf(), deployment, other_chain })
    }

    pub fn chain(&self) -> &ChainConfig {
        self.client.config()
    }

    /// `given`, or the contract `pick` of the recorded deployment.
    pub fn contract(
        &self,
        given: Option<&str>,
        pick: impl Fn(&Deployment) -> Option<String>,
        what: &'static str,
        flag: &'static str,
    ) -> anyhow::Result<String> {
        if let Some(given) = given.filter(|g| !g.is_empty()) {
            return Ok(given.to_string());
        }
        let home = self.home.display().to_string();
        if let Some(found) = self.deployment.as_ref().and_then(pick) {
            return Ok(found);
        }
        if let Some(recorded) = &self.other_chain {
            return Err(ChainError::OtherChain {
                home,
                recorded: recorded.clone(),
                running: self.chain().chain_id.clone(),
            }
            .into());
        }
        Err(ChainError::NotDeployed { what, flag, home }.into())
    }

    pub fn registry(&self, given: Option<&str>) -> anyhow::Result<String> {
        self.contract(given, |d| d.did_registry.clone(), "DID registry", "--registry")
    }

    /// The wallet of the test account `name`.
    pub fn wallet(&self, name: &str) -> anyhow::Result<Wallet> {
        let account = test_account(name)
            .ok_or_else(|| ChainError::UnknownAccount { name: name.to_string(), names: account_names() })?;
        Ok(Wallet::from_mnemonic(account.mnemonic, &self.chain().prefix)?)
    }

    /// The account DID of `address` on this chain.
    pub fn account_did(&self, address: &str) -> anyhow::Result<String> {
        Ok(ResourceDid::account(&self.chain().chain_id, address)
            .map_err(|e| anyhow::anyhow!("{address} has no account DID: {e}"))?
            .to_string())
    }

    /// Test accounts by account DID and by address, so tables name them.
    pub fn names(&self) -> BTreeMap<String, &'static str> {
        let mut names = BTreeMap::new();
        for a in TEST_ACCOUNTS {
            let Ok(wallet) = Wallet::from_mnemonic(a.mnemonic, &self.chain().prefix) else { continue };
            if let Ok(did) = self.account_did(wallet.address()) {
                names.insert(did, a.name);
            }
            names.insert(wallet.address().to_string(), a.name);
        }
        names
    }

    /// The test account whose account DID is `did`, if any.
    pub fn account_named_by(&self, did: &str) -> Option<&'static str> {
        self.names().get(did).copied()
    }

    /// `text` as a DID: a DID, or a test account's account DID.
    pub fn did_of(&self, text: &str) -> anyhow::Result<String> {
        super::did_of(text, || Ok(self.chain().clone()))
    }

    /// Every verified claim of `did` in `registry`, in order.
    pub async fn claims(&self, registry: &str, did: &str) -> anyhow::Result<Vec<ClaimView>> {
        const PAGE: u32 = 30;
        let mut out: Vec<ClaimView> = Vec::new();
        loop {
            let msg = QueryMsg::VerifiedClaims {
                did: did.to_string(),
                start_after: out.last().map(|c| c.seq),
                limit: Some(PAGE),
            };
            let page: VerifiedClaimsResponse = self.client.query_smart(registry, &msg).await?;
            let done = page.claims.len() < PAGE as usize;
            out.extend(page.claims);
            if done {
                return Ok(out);
            }
        }
    }

    /// Whether `did` is registered (and not deactivated) in `registry`.
    pub async fn did_registered(&self, registry: &str, did: &str) -> anyhow::Result<bool> {
        let answer: serde_json::Value =
            self.client.query_smart(registry, &QueryMsg::Resolve { did: did.to_string(), version_id: None }).await?;
        let registered = answer["didDocument"].is_object();
        let deactivated = answer["didDocumentMetadata"]["deactivated"].as_bool().unwrap_or(false);
        Ok(registered && !deactivated)
    }

    /// Checks that `registry` answers as a DID registry.
    pub async fn check_registry(&self, registry: &str) -> anyhow::Result<resource_msgs::did_registry::ConfigResponse> {
        self.client.query_smart(registry, &QueryMsg::Config {}).await.map_err(|e| {
            ChainError::NotContract { contract: registry.to_string(), what: "a DID registry", reason: e.to_string() }
                .into()
        })
    }
}

/// A transaction, as the JSON documents show it.
#[derive(Serialize)]
pub struct TxJson<'a> {
    hash: &'a str,
    height: u64,
    gas_used: u64,
}

pub fn tx_json(tx: &TxOutcome) -> TxJson<'_> {
    TxJson { hash: &tx.tx_hash, height: tx.height, gas_used: tx.gas_used }
}

pub fn tx_note(tx: &TxOutcome) -> String {
    format!("tx {}, gas used {}", tx.tx_hash, tx.gas_used)
}

/// Runs `work` with a spinner, cleared before anything is printed.
pub async fn with_progress<T>(work: impl AsyncFnOnce(&Progress) -> anyhow::Result<T>) -> anyhow::Result<T> {
    let progress = Progress::new();
    let result = work(&progress).await;
    progress.finish();
    result
}

/// `resource did create`: `from` registers its account DID (version 1, no keys, itself as controller).
pub async fn did_create_command(home: &Path, registry: Option<&str>, from: &str, json: bool) -> anyhow::Result<()> {
    let (did, tx, registry) = with_progress(async |progress| {
        let chain = Onchain::connect(home, progress).await?;
        let registry = chain.registry(registry)?;
        chain.check_registry(&registry).await?;
        let wallet = chain.wallet(from)?;
        progress.step(&format!("{from} registers its account DID"));
        let msg = ExecuteMsg::Create { did: None, document: None };
        let tx = chain.client.execute(&wallet, &registry, &msg, &[], Gas::Auto).await.map_err(|e| {
            ChainError::refused("the DID registry", "Create", e, "; `resource did resolve DID` shows a registered DID")
        })?;
        let did = tx.attribute("wasm", "did").map(str::to_string).unwrap_or(chain.account_did(wallet.address())?);
        Ok((did, tx, registry))
    })
    .await?;
    if json {
        println!("{}", json!({"tx": tx_json(&tx), "did": did, "registry": registry}));
        return Ok(());
    }
    println!("{from} registered {did}: version 1, controlled by {from}'s account ({})", tx_note(&tx));
    println!("`resource did resolve {did}` shows its document; verified claims are recorded on it.");
    Ok(())
}

/// What `register-attester` registers.
#[derive(Debug, Clone)]
pub struct AttesterRegistration {
    pub did: String,
    pub name: String,
    /// The attester's key file, or its public key as multibase.
    pub key: AttesterKeySource,
    pub kinds: Vec<resource_zk::ClaimKind>,
}

#[derive(Debug, Clone)]
pub enum AttesterKeySource {
    File(PathBuf),
    Multibase(String),
}

/// `resource credential register-attester`: the registry's admin (`from`) registers an attester
/// for the claim types of `kinds`.
pub async fn register_attester_command(
    home: &Path,
    registry: Option<&str>,
    from: &str,
    registration: &AttesterRegistration,
    json: bool,
) -> anyhow::Result<()> {
    let public_key_multibase = match &registration.key {
        AttesterKeySource::File(path) => super::offline::read_signer(path)?.public_key().public_key_multibase,
        AttesterKeySource::Multibase(text) => {
            resource_core::did::decode_multibase_key(text)
                .map_err(|e| anyhow::anyhow!("--public-key {text} is not a multibase public key: {e}"))?;
            text.clone()
        }
    };
    let claim_types: Vec<String> = registration.kinds.iter().map(|k| k.claim_type().to_string()).collect();
    let (attester, tx) = with_progress(async |progress| {
        let chain = Onchain::connect(home, progress).await?;
        let registry = chain.registry(registry)?;
        chain.check_registry(&registry).await?;
        let wallet = chain.wallet(from)?;
        let did = chain.did_of(&registration.did)?;
        progress.step(&format!("registering the attester {did}"));
        let msg = ExecuteMsg::RegisterAttester {
            did: did.clone(),
            name: registration.name.clone(),
            claim_types: claim_types.clone(),
            public_key: AttesterKey { kind: KeyType::Multikey, public_key_multibase: public_key_multibase.clone() },
        };
        let tx = chain.client.execute(&wallet, &registry, &msg, &[], Gas::Auto).await.map_err(|e| {
            ChainError::refused(
                "the DID registry",
                "RegisterAttester",
                e,
                "; only the registry's admin registers attesters",
            )
        })?;
        let attester: Attester = chain.client.query_smart(&registry, &QueryMsg::Attester { did }).await?;
        Ok((attester, tx))
    })
    .await?;
    if json {
        println!("{}", json!({"tx": tx_json(&tx), "attester": attester}));
        return Ok(());
    }
    println!(
        "Registered the attester {} ({}) for {} ({})",
        attester.did,
        attester.name,
        attester.claim_types.join(", "),
        tx_note(&tx)
    );
    let mut t = table(["attester", ""]);
    t.add_row(["DID", attester.did.as_str()]);
    t.add_row(["name", &attester.name]);
    t.add_row(["claim types", &attester.claim_types.join(", ")]);
    t.add_row(["public key", &attester.public_key.public_key_multibase]);
    t.add_row(["registered", &format::utc(attester.registered_at)]);
    println!("{t}");
    Ok(())
}

/// The verified claims table: one row per claim, named by member.
pub fn claims_table(rows: &[(String, ClaimView)], now: u64) -> comfy_table::Table {
    let mut t = table(["member", "claim", "type", "proves", "attester", "until", "status"]);
    for (member, view) in rows {
        let c = &view.claim;
        let status = if !view.attester_active {
            "attester revoked".to_string()
        } else if view.expired {
            "expired".to_string()
        } else {
            "valid".to_string()
        };
        t.add_row([
            member.clone(),
            view.seq.to_string(),
            c.claim_type.clone(),
            describe_predicate(&c.claim_type, &c.predicate),
            c.attester.to_string(),
            format!("{} ({})", format::utc(c.expires_at), format::relative(c.expires_at, now)),
            status,
        ]);
    }
    t
}

/// `resource credential claims [--did DID]`: the verified claims of a DID (or of every devnet test
/// account that has any).
pub async fn claims_command(home: &Path, registry: Option<&str>, did: Option<&str>, json: bool) -> anyhow::Result<()> {
    let (rows, registry) = with_progress(async |progress| {
        let chain = Onchain::connect(home, progress).await?;
        let registry = chain.registry(registry)?;
        chain.check_registry(&registry).await?;
        let names = chain.names();
        let dids: Vec<String> = match did {
            Some(text) => vec![chain.did_of(text)?],
            None => TEST_ACCOUNTS
                .iter()
                .filter_map(|a| {
                    names.iter().find(|(k, v)| **v == a.name && k.starts_with("did:")).map(|(k, _)| k.clone())
                })
                .collect(),
        };
        let mut rows: Vec<(String, String, ClaimView)> = Vec::new();
        for did in dids {
            progress.step(&format!("reading the verified claims of {did}"));
            for view in chain.claims(&registry, &did).await? {
                let member = names.get(&did).map_or_else(|| did.clone(), |n| n.to_string());
                rows.push((did.clone(), member, view));
            }
        }
        Ok((rows, registry))
    })
    .await?;
    if json {
        let claims: Vec<_> = rows.iter().map(|(did, _, view)| json!({"did": did, "claim": view})).collect();
        println!("{}", json!({"registry": registry, "claims": claims}));
        return Ok(());
    }
    if rows.is_empty() {
        match did {
            Some(did) => println!("{did} has no verified claims in the DID registry {registry}."),
            None => println!("No devnet test account has verified claims in the DID registry {registry}."),
        }
        return Ok(());
    }
    println!("Verified claims in the DID registry {registry} (the proofs showed these thresholds, never the values):");
    let named: Vec<(String, ClaimView)> = rows.into_iter().map(|(_, member, view)| (member, view)).collect();
    println!("{}", claims_table(&named, super::now()));
    Ok(())
}

/// An unregistered DID, as one line saying to register it.
pub fn unregistered_did(did: &str, account: Option<&str>) -> anyhow::Error {
    let hint = match account {
        Some(name) => format!("register it first with `resource did create --from {name}`"),
        None => "its controller registers it first with `resource did create`".to_string(),
    };
    ChainError::Unregistered { did: did.to_string(), hint }.into()
}
