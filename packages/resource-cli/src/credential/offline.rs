//! The commands that need no chain: `keygen` (the attester's signing key), `issue` (the attester
//! signs a credential for a member) and `prove` (the member proves thresholds over it).
use std::path::{Path, PathBuf};
use std::time::Instant;

use resource_zk::credential::{parse_kind, AttesterSigner, Credential, CredentialRequest, SignatureScheme};
use resource_zk::setup::key_paths;
use resource_zk::{prove_json, read_proving_key, verify_prepared, ClaimKind, CredentialProof, ProofRequest, ZkError};
use serde_json::json;

use super::{
    describe_statement, describe_values, did_of, now, parse_values, read_text, stars, write_file, CredentialCliError,
    Typed,
};
use crate::devnet::first_running_chain;
use crate::format;
use crate::ui::{table, Progress};

/// How long a credential, or a proven claim, holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// For this many seconds from now.
    For(u64),
    /// Until this time (unix seconds).
    Until(u64),
}

impl Validity {
    /// The end time, from `now`.
    pub fn end(self, now: u64) -> u64 {
        match self {
            Validity::For(seconds) => now.saturating_add(seconds),
            Validity::Until(at) => at,
        }
    }
}

/// A `resource_zk` refusal about `file`, as one line.
fn zk(file: &Path, error: ZkError) -> anyhow::Error {
    CredentialCliError::Zk { file: file.display().to_string(), reason: error.to_string() }.into()
}

fn scheme_name(scheme: SignatureScheme) -> &'static str {
    match scheme {
        SignatureScheme::Ed25519 => "ed25519",
        SignatureScheme::Secp256k1 => "secp256k1",
    }
}

/// `resource credential keygen --scheme S --out FILE`: a new attester signing key.
pub fn keygen_command(scheme: SignatureScheme, out: &Path, force: bool, json: bool) -> anyhow::Result<()> {
    let signer = AttesterSigner::generate(scheme, &mut rand_core::OsRng);
    write_file(out, &signer.to_json(), true, force)?;
    let public = signer.public_key();
    if json {
        println!(
            "{}",
            json!({
                "scheme": scheme_name(scheme),
                "key_file": out,
                "public_key": {"type": "Multikey", "publicKeyMultibase": public.public_key_multibase},
            })
        );
        return Ok(());
    }
    println!(
        "Wrote a new {} attester signing key to {} (readable by you only: whoever holds it can issue credentials in \
         your name).",
        scheme_name(scheme),
        out.display()
    );
    println!("Public key (Multikey): {}", public.public_key_multibase);
    println!(
        "The network's admin registers it for your DID with `resource credential register-attester --did DID --name \
         NAME --key {}`; then issue with `resource credential issue --key {} ...`.",
        out.display(),
        out.display()
    );
    Ok(())
}

/// What `resource credential issue` issues.
#[derive(Debug, Clone)]
pub struct IssueOptions {
    pub key: PathBuf,
    pub attester: String,
    pub subject: String,
    pub kind: ClaimKind,
    pub values: Vec<String>,
    pub validity: Validity,
    pub out: PathBuf,
    pub json: bool,
    /// The devnet folder (a test account named as the subject is its DID on the running chain).
    pub home: PathBuf,
}

/// Reads an attester key file.
pub fn read_signer(path: &Path) -> anyhow::Result<AttesterSigner> {
    let text = read_text(path, "the attester key", "; make one with `resource credential keygen`")?;
    AttesterSigner::from_json(&text).map_err(|e| zk(path, e))
}

/// `resource credential issue`: the attester signs a credential for `subject`.
pub fn issue_command(options: &IssueOptions) -> anyhow::Result<()> {
    let signer = read_signer(&options.key)?;
    let kind = options.kind;
    let values = parse_values(kind, &options.values, Typed::Values)?;
    kind.check_values(&values, "values").map_err(|e| anyhow::anyhow!("{e}"))?;
    let attester = did_of(&options.attester, || first_running_chain(&options.home))?;
    let subject = did_of(&options.subject, || first_running_chain(&options.home))?;
    let issued_at = now();
    let expires_at = options.validity.end(issued_at);
    if expires_at <= issued_at {
        return Err(CredentialCliError::Past {
            what: "--expires-at",
            time: format::utc(expires_at),
            hint: "a credential must expire after it is issued",
        }
        .into());
    }
    let request =
        CredentialRequest { kind: kind.name().into(), subject: subject.clone(), values, issued_at, expires_at };
    let credential =
        Credential::issue(&request, &attester, &signer, &mut rand_core::OsRng).map_err(|e| zk(&options.key, e))?;
    credential.verify_signature(&signer.public_key()).map_err(|e| zk(&options.key, e))?;
    write_file(&options.out, &credential.to_json(), true, true)?;
    if options.json {
        println!(
            "{}",
            json!({
                "credential_file": options.out,
                "kind": kind.name(),
                "subject": subject,
                "attester": attester,
                "scheme": scheme_name(signer.scheme()),
                "issued_at": issued_at,
                "expires_at": expires_at,
                "commitment": credential.commitment,
            })
        );
        return Ok(());
    }
    println!(
        "Issued a {} credential to {subject}, signed by {attester} ({}), and wrote it to {}.",
        kind.name(),
        scheme_name(signer.scheme()),
        options.out.display()
    );
    let mut t = table(["credential", ""]);
    t.add_row(["kind", &format!("{} (recorded as {})", kind.name(), kind.claim_type())]);
    t.add_row(["subject", &subject]);
    t.add_row(["values", &describe_values(kind, &credential.values)]);
    t.add_row(["valid", &format!("{} to {}", format::utc(issued_at), format::utc(expires_at))]);
    t.add_row(["attester", &attester]);
    t.add_row(["commitment (public)", &credential.commitment]);
    println!("{t}");
    println!(
        "The file holds the values and the salt that hides them: give it to the member only. The chain only ever sees \
         the commitment. The member proves with `resource credential prove --credential {} --threshold ...`.",
        options.out.display()
    );
    Ok(())
}

/// How long a proven claim holds when `prove` is not told: 90 days, or until the credential expires
/// if that is sooner (the DID registry takes claims up to a year ahead by default).
pub const DEFAULT_CLAIM_SECONDS: u64 = 90 * 86_400;

/// What `resource credential prove` proves.
#[derive(Debug, Clone)]
pub struct ProveOptions {
    pub credential: PathBuf,
    pub thresholds: Vec<String>,
    /// How long the claim holds [default: [`DEFAULT_CLAIM_SECONDS`], at most until the credential expires].
    pub valid_until: Option<Validity>,
    /// The key folder of `resource zk setup`.
    pub keys: PathBuf,
    pub out: PathBuf,
    pub json: bool,
}

/// Reads a credential file.
pub fn read_credential(path: &Path) -> anyhow::Result<Credential> {
    let text = read_text(path, "the credential", "; the attester writes it with `resource credential issue`")?;
    Credential::from_json(&text).map_err(|e| zk(path, e))
}

/// The refusals of a proof request no proof exists for, in the member's words (checked before the
/// proving key is even loaded).
fn check_request(
    credential: &Credential,
    kind: ClaimKind,
    thresholds: &[u64],
    valid_until: u64,
    now: u64,
) -> anyhow::Result<()> {
    let names = kind.value_names();
    for (i, name) in names.iter().enumerate() {
        if credential.values.get(i).copied().unwrap_or(0) < thresholds[i] {
            let threshold = match (kind, *name) {
                (ClaimKind::Rating, "rating") => format!("{} stars", stars(thresholds[i])),
                _ => format!("{} {name}", format::grouped(thresholds[i].into())),
            };
            anyhow::bail!(
                "the credential's {name} does not reach {threshold}: no proof exists for this statement; prove a lower \
                 threshold"
            );
        }
    }
    if credential.expires_at <= now {
        anyhow::bail!(
            "the credential expired on {}: ask the attester for a new one",
            format::utc(credential.expires_at)
        );
    }
    if valid_until <= now {
        return Err(CredentialCliError::Past {
            what: "the claim's end (--valid-until)",
            time: format::utc(valid_until),
            hint: "the DID registry records only claims that still hold",
        }
        .into());
    }
    if valid_until > credential.expires_at {
        anyhow::bail!(
            "the credential expires on {}, before the claim's end {} (--valid-until): no proof exists for this \
             statement; pick an earlier --valid-until or a shorter --valid-for, or ask the attester for a new credential",
            format::utc(credential.expires_at),
            format::utc(valid_until)
        );
    }
    Ok(())
}

/// `resource credential prove`: a proof that the credential's values reach the thresholds, with
/// the claim kind's proving key.
pub fn prove_command(options: &ProveOptions) -> anyhow::Result<()> {
    let file = &options.credential;
    let credential = read_credential(file)?;
    let kind = parse_kind(&credential.kind).map_err(|e| zk(file, e))?;
    let thresholds = parse_values(kind, &options.thresholds, Typed::Thresholds)?;
    kind.check_values(&thresholds, "thresholds").map_err(|e| anyhow::anyhow!("{e}"))?;
    // An altered credential is named before anything else is said about it.
    credential.opening().map_err(|e| zk(file, e))?;
    let now = now();
    let valid_until = options
        .valid_until
        .map_or(credential.expires_at.min(now.saturating_add(DEFAULT_CLAIM_SECONDS)), |v| v.end(now));
    check_request(&credential, kind, &thresholds, valid_until, now)?;

    let (pk_path, vk_path) = key_paths(&options.keys, kind);
    if !pk_path.is_file() {
        return Err(CredentialCliError::NoProvingKey { kind, path: pk_path }.into());
    }
    let pk = std::fs::read(&pk_path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", pk_path.display()))?;
    let (key_kind, _) = read_proving_key(&pk).map_err(|e| zk(&pk_path, e))?;
    if key_kind != kind {
        anyhow::bail!(
            "{} is the proving key of {key_kind} credentials, not {kind}: rewrite the folder with `resource zk setup`",
            pk_path.display()
        );
    }
    let progress = Progress::new();
    progress.step(&format!("proving {}", describe_statement(kind, &thresholds)));
    let request = ProofRequest { credential: credential.clone(), thresholds: thresholds.clone(), valid_until };
    let request = serde_json::to_string(&request)?;
    // `prove_json` is resource-zk's own (optimised) entry point with the system's randomness: the
    // same function the SDK calls in wasm.
    let started = Instant::now();
    let proved = prove_json(&request, &pk);
    let prove_ms = started.elapsed().as_secs_f64() * 1e3;
    progress.finish();
    let proof = proved.and_then(|json| CredentialProof::from_json(&json)).map_err(|e| zk(file, e))?;
    // The DID registry's own check, natively, when the folder has the verifying key too.
    let verified = match std::fs::read(&vk_path) {
        Ok(vk) => {
            verify_prepared(&vk, &proof).map_err(|e| {
                anyhow::anyhow!(
                    "the proof does not verify against {} ({e}): the folder's proving and verifying keys do not match; \
                     rewrite it with `resource zk setup`",
                    vk_path.display()
                )
            })?;
            true
        }
        Err(_) => false,
    };
    write_file(&options.out, &proof.to_json(), false, true)?;
    let statement = describe_statement(kind, &thresholds);
    if options.json {
        println!(
            "{}",
            json!({
                "proof_file": options.out,
                "kind": kind.name(),
                "did": proof.did,
                "statement": statement,
                "predicate": kind.predicate(&kind.check_values(&thresholds, "thresholds").expect("checked above")),
                "thresholds": thresholds,
                "valid_until": valid_until,
                "commitment": proof.commitment,
                "prove_ms": (prove_ms * 10.0).round() / 10.0,
                "verified_natively": verified,
            })
        );
        return Ok(());
    }
    let check = if verified {
        format!("; it verifies against {}", vk_path.display())
    } else {
        format!(" (no {} to check it against)", vk_path.display())
    };
    println!(
        "Proved {statement} about {} until {} in {:.2} s{check}.",
        proof.did,
        format::utc(valid_until),
        prove_ms / 1e3
    );
    println!(
        "Wrote {} ({}-byte proof): it shows the thresholds, never the values. Submit it with `resource credential \
         submit --proof {}`.",
        options.out.display(),
        proof.proof_bytes().map(|b| b.len()).unwrap_or(0),
        options.out.display()
    );
    Ok(())
}
