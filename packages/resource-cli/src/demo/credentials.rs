//! The credential part of the story on the chain: the DID registry deployed with the rating
//! circuit's verifying key and wired to the underwriting contract, the ratings oracle registered,
//! the cafe's DID, its credential issued and proven (with the devnet keys of `resource_zk::setup`,
//! the same functions `resource credential` uses), the proof verified and recorded by the registry,
//! and the cafe's application citing the claim.
use anyhow::{anyhow, Context};
use rand_chacha::rand_core::SeedableRng;
use resource_core::did::{AttesterKey, KeyType, ResourceDid};
use resource_msgs::did_registry::{
    ClaimView, ExecuteMsg as RegistryMsg, QueryMsg as RegistryQuery, VerifiedClaimsResponse,
};
use resource_msgs::underwriting::{
    ApplicationResponse, ExecuteMsg as UnderwritingMsg, QueryMsg as UnderwritingQuery, SuggestionResponse,
};
use resource_zk::credential::{AttesterSigner, Credential, CredentialRequest};
use resource_zk::setup::CircuitKeys;
use resource_zk::{prove_json, verify_prepared, ClaimKind, CredentialProof, ProofRequest};
use sha2::{Digest, Sha256};

use super::backend::{Network, Target};
use super::render::{gas_note, rusd_u};
use super::scenario::{
    CAFE, CAFE_LINE, CAFE_RATING, CLAIM_SECONDS, CREDENTIAL_SECONDS, OPERATOR, ORACLE_DID, ORACLE_NAME,
    RATING_THRESHOLDS, SYMBOL, TERM_SECONDS,
};
use crate::credential::proofs::{registry_instantiate_msg, set_key_msg, submit_msg, underwriting_registry_msg};
use crate::credential::{describe_statement, describe_values};
use crate::underwriting::report::suggestion;

/// The ratings oracle's signing key: derived from its DID (public, for local chains only).
fn oracle_signer() -> anyhow::Result<AttesterSigner> {
    let secret = Sha256::digest(format!("resource-demo/{ORACLE_DID}").as_bytes());
    let file = serde_json::json!({"scheme": "ed25519", "secret": hex::encode(secret)});
    AttesterSigner::from_json(&file.to_string()).map_err(|e| anyhow!("the oracle's demo key: {e}"))
}

/// What the credential part did, for its pages and the summary.
#[derive(Default)]
pub(super) struct CredentialFigures {
    /// The claim recorded on the cafe's DID.
    pub(super) claim: Option<ClaimView>,
    /// The limit suggested without the claim, and the application citing it.
    pub(super) without_claim: Option<SuggestionResponse>,
    pub(super) application: Option<ApplicationResponse>,
}

impl Network {
    /// The cafe's account DID on this chain.
    pub(super) fn did_of_role(&self, account: &str) -> anyhow::Result<String> {
        Ok(ResourceDid::account(&self.chain_id(), self.address(account))
            .map_err(|e| anyhow!("{account} has no account DID: {e}"))?
            .to_string())
    }

    /// Deploys the DID registry, stores the rating circuit's verifying key in it, has the
    /// underwriting contract read claims from it, registers the oracle and the cafe's DID.
    pub(super) async fn deploy_credentials(&mut self, keys: &CircuitKeys) -> anyhow::Result<Vec<String>> {
        let (registry, registry_gas) = self.instantiate(Target::DidRegistry, &registry_instantiate_msg(None)).await?;
        self.registry = registry;
        self.step("storing the rating circuit's verifying key in the DID registry");
        let keyed = self
            .execute(OPERATOR.account, Target::DidRegistry, &set_key_msg(keys.kind, &keys.verifying_key_bytes()))
            .await
            .context("storing the rating verifying key in the DID registry")?;
        let registry = self.registry.clone();
        let wired = self
            .execute(OPERATOR.account, Target::Underwriting, &underwriting_registry_msg(&registry))
            .await
            .context("having the underwriting contract read claims from the registry")?;
        self.step("registering the ratings oracle");
        let signer = oracle_signer()?;
        let msg = RegistryMsg::RegisterAttester {
            did: ORACLE_DID.into(),
            name: ORACLE_NAME.into(),
            claim_types: vec![ClaimKind::Rating.claim_type().into()],
            public_key: AttesterKey {
                kind: KeyType::Multikey,
                public_key_multibase: signer.public_key().public_key_multibase,
            },
        };
        let registered =
            self.execute(OPERATOR.account, Target::DidRegistry, &msg).await.context("registering the oracle")?;
        let created = self
            .execute(CAFE.account, Target::DidRegistry, &RegistryMsg::Create { did: None, document: None })
            .await
            .context("registering the cafe's DID")?;
        self.record_deployment()?;
        Ok(vec![
            format!("the operator deploys the DID registry{}", gas_note(registry_gas)),
            format!(
                "the operator stores the rating circuit's verifying key in the registry (devnet keys from the public \
                 seed: for demos and tests only; a real network's come from a ceremony){}",
                gas_note(keyed.gas)
            ),
            format!("the underwriting contract reads identities and claims from the registry{}", gas_note(wired.gas)),
            format!(
                "the operator registers the {ORACLE_NAME} ({ORACLE_DID}) as an attester of platform ratings, with its \
                 ed25519 key{}",
                gas_note(registered.gas)
            ),
            format!("{} registers its DID{}", CAFE.name, gas_note(created.gas)),
        ])
    }

    /// The oracle issues the cafe's credential; the cafe proves the thresholds and submits the
    /// proof; returns the lines and the recorded claim.
    pub(super) async fn prove_rating(&mut self, keys: &CircuitKeys) -> anyhow::Result<(Vec<String>, ClaimView)> {
        let now = self.now()?;
        let did = self.did_of_role(CAFE.account)?;
        let request = CredentialRequest {
            kind: ClaimKind::Rating.name().into(),
            subject: did.clone(),
            values: CAFE_RATING.to_vec(),
            issued_at: now,
            expires_at: now + CREDENTIAL_SECONDS,
        };
        // The salt from a fixed seed: the demo is the same story every time.
        let mut rng = rand_chacha::ChaCha20Rng::from_seed([7; 32]);
        let credential = Credential::issue(&request, ORACLE_DID, &oracle_signer()?, &mut rng)
            .map_err(|e| anyhow!("issuing: {e}"))?;
        self.step(&format!("{} proves its rating in zero knowledge", CAFE.name));
        let request =
            ProofRequest { credential, thresholds: RATING_THRESHOLDS.to_vec(), valid_until: now + CLAIM_SECONDS };
        let proof = prove_json(&serde_json::to_string(&request)?, &keys.proving_key_bytes())
            .and_then(|json| CredentialProof::from_json(&json))
            .map_err(|e| anyhow!("proving the cafe's rating: {e}"))?;
        verify_prepared(&keys.verifying_key_bytes(), &proof).map_err(|e| anyhow!("the cafe's proof: {e}"))?;
        self.step(&format!("{} submits its proof", CAFE.name));
        let submitted = self
            .execute(CAFE.account, Target::DidRegistry, &submit_msg(&proof)?)
            .await
            .context("submitting the cafe's proof")?;
        let seq: u64 = submitted
            .attribute("seq")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| anyhow!("the DID registry reported no claim sequence number"))?;
        let claims: VerifiedClaimsResponse = self
            .query(Target::DidRegistry, &RegistryQuery::VerifiedClaims { did, start_after: None, limit: None })
            .await?;
        let claim =
            claims.claims.into_iter().find(|c| c.seq == seq).ok_or_else(|| anyhow!("claim {seq} is missing"))?;
        let statement = describe_statement(ClaimKind::Rating, &RATING_THRESHOLDS);
        let lines = vec![
            format!(
                "the {ORACLE_NAME} issues {} a rating credential: a commitment to {}, signed off chain; only the cafe \
                 holds the values",
                CAFE.name,
                describe_values(ClaimKind::Rating, &CAFE_RATING)
            ),
            format!(
                "{} proves {statement} for {} in zero knowledge: a {}-byte Groth16 proof",
                CAFE.name,
                crate::format::duration(CLAIM_SECONDS),
                proof.proof_bytes().map(|b| b.len()).unwrap_or(0)
            ),
            format!(
                "{} submits it: the DID registry checks the oracle's signature and the proof with the chain's host \
                 functions, and records claim {seq} on {}'s DID{}",
                CAFE.name,
                CAFE.name,
                gas_note(submitted.gas)
            ),
        ];
        Ok((lines, claim))
    }

    /// The cafe applies for [`CAFE_LINE`] citing claim `seq`; returns the lines, the suggestion it
    /// would have without the claim, and the application.
    pub(super) async fn apply_with_claim(
        &mut self,
        seq: u64,
    ) -> anyhow::Result<(Vec<String>, SuggestionResponse, ApplicationResponse)> {
        let member = self.address(CAFE.account).to_string();
        let without: SuggestionResponse = self
            .query(
                Target::Underwriting,
                &UnderwritingQuery::SuggestedLimit { claims: Vec::new(), member: Some(member) },
            )
            .await?;
        let msg = UnderwritingMsg::Apply {
            amount: CAFE_LINE.into(),
            term: TERM_SECONDS,
            claims: vec![seq],
            vouchers: Vec::new(),
        };
        let executed =
            self.execute(CAFE.account, Target::Underwriting, &msg).await.context("the cafe's application")?;
        let id = executed
            .attribute("application")
            .and_then(|id| id.parse::<u64>().ok())
            .ok_or_else(|| anyhow!("the contract reported no application id"))?;
        self.applications.push((CAFE.account, id));
        let application = self.application(id).await?;
        let credit = super::render::credit_units();
        let lines = vec![
            format!(
                "without a verified claim the scoring function would suggest {} a limit of {}",
                CAFE.name,
                suggestion(&without, &credit)
            ),
            format!(
                "{} applies for a {} {SYMBOL} credit line for {} citing claim {seq}: application {id}; the scoring \
                 function suggests {}{}",
                CAFE.name,
                rusd_u(CAFE_LINE),
                crate::format::duration(TERM_SECONDS),
                suggestion(&application.suggestion, &credit),
                gas_note(executed.gas)
            ),
        ];
        Ok((lines, without, application))
    }
}
