//! The attester's side: a credential is a salted commitment `C` to a subject DID, a claim kind, its
//! values and validity, signed by a registered attester. The member keeps the whole credential
//! (values and salt are private); a proof reveals only `C`, the signature and the statement.

use ed25519_consensus::{SigningKey as EdSigningKey, VerificationKey as EdVerificationKey};
use k256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use k256::ecdsa::{Signature as KSignature, SigningKey as KSigningKey, VerifyingKey as KVerifyingKey};
use rand_core::{CryptoRngCore, RngCore};
use resource_core::did::{decode_multibase_key, encode_multibase_key, AttesterKey, KeyCodec, KeyType};
use resource_zk_verifier::groth16::{fr_from_bytes, fr_to_bytes};
use resource_zk_verifier::statement::{commitment, did_hash, signing_digest, ClaimKind, TIME_BITS};
use resource_zk_verifier::Fr;
use serde::{Deserialize, Serialize};

use crate::error::ZkError;
use crate::hexbytes::{from_hex, from_hex_32};

/// The signature algorithms an attester may sign credentials with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureScheme {
    Ed25519,
    Secp256k1,
}

/// An attester's signing key. Its JSON file (`{"scheme": ..., "secret": hex}`) is a secret.
#[derive(Clone)]
pub enum AttesterSigner {
    Ed25519(EdSigningKey),
    Secp256k1(KSigningKey),
}

#[derive(Serialize, Deserialize)]
struct SignerFile {
    scheme: SignatureScheme,
    secret: String,
}

impl AttesterSigner {
    pub fn generate(scheme: SignatureScheme, rng: &mut impl CryptoRngCore) -> AttesterSigner {
        match scheme {
            SignatureScheme::Ed25519 => AttesterSigner::Ed25519(EdSigningKey::new(&mut *rng)),
            SignatureScheme::Secp256k1 => AttesterSigner::Secp256k1(KSigningKey::random(rng)),
        }
    }

    pub fn scheme(&self) -> SignatureScheme {
        match self {
            AttesterSigner::Ed25519(_) => SignatureScheme::Ed25519,
            AttesterSigner::Secp256k1(_) => SignatureScheme::Secp256k1,
        }
    }

    pub fn to_json(&self) -> String {
        let secret = match self {
            AttesterSigner::Ed25519(k) => hex::encode(k.as_bytes()),
            AttesterSigner::Secp256k1(k) => hex::encode(k.to_bytes()),
        };
        serde_json::to_string_pretty(&SignerFile { scheme: self.scheme(), secret }).expect("serializable")
    }

    pub fn from_json(text: &str) -> Result<AttesterSigner, ZkError> {
        let f: SignerFile =
            serde_json::from_str(text).map_err(|source| ZkError::Json { what: "an attester key file", source })?;
        let secret = from_hex_32(&f.secret, "the attester key's secret")?;
        Ok(match f.scheme {
            SignatureScheme::Ed25519 => AttesterSigner::Ed25519(EdSigningKey::from(secret)),
            SignatureScheme::Secp256k1 => AttesterSigner::Secp256k1(
                KSigningKey::from_bytes(&secret.into()).map_err(|e| ZkError::Key(format!("secp256k1 secret: {e}")))?,
            ),
        })
    }

    /// The public key as the DID registry's `RegisterAttester` takes it (a Multikey).
    pub fn public_key(&self) -> AttesterKey {
        let multibase = match self {
            AttesterSigner::Ed25519(k) => encode_multibase_key(KeyCodec::Ed25519, k.verification_key().as_bytes()),
            AttesterSigner::Secp256k1(k) => {
                encode_multibase_key(KeyCodec::Secp256k1, &k.verifying_key().to_encoded_point(true).to_bytes())
            }
        };
        AttesterKey { kind: KeyType::Multikey, public_key_multibase: multibase }
    }

    /// Signs the 32-byte digest: ed25519 over it, or secp256k1 ECDSA with it as the message hash
    /// (low-S, 64 bytes r || s), the forms CosmWasm's `ed25519_verify` / `secp256k1_verify` check.
    pub fn sign(&self, digest: &[u8; 32]) -> Vec<u8> {
        match self {
            AttesterSigner::Ed25519(k) => k.sign(digest).to_bytes().to_vec(),
            AttesterSigner::Secp256k1(k) => {
                let sig: KSignature = k.sign_prehash(digest).expect("a 32-byte prehash signs");
                sig.normalize_s().unwrap_or(sig).to_bytes().to_vec()
            }
        }
    }
}

/// Checks `signature` over `digest` with an attester's registered key.
pub fn verify_attester_signature(key: &AttesterKey, digest: &[u8; 32], signature: &[u8]) -> Result<(), ZkError> {
    let (codec, bytes) = decode_multibase_key(&key.public_key_multibase).map_err(|e| ZkError::Key(e.to_string()))?;
    let ok = match codec {
        KeyCodec::Ed25519 => {
            let vk = EdVerificationKey::try_from(bytes.as_slice()).map_err(|e| ZkError::Key(e.to_string()))?;
            let sig = ed25519_consensus::Signature::try_from(signature).map_err(|_| ZkError::BadSignature)?;
            vk.verify(&sig, digest).is_ok()
        }
        KeyCodec::Secp256k1 => {
            let vk = KVerifyingKey::from_sec1_bytes(&bytes).map_err(|e| ZkError::Key(e.to_string()))?;
            let sig = KSignature::from_slice(signature).map_err(|_| ZkError::BadSignature)?;
            vk.verify_prehash(digest, &sig).is_ok()
        }
        other => {
            return Err(ZkError::Key(format!(
                "a {} key cannot sign credentials; use ed25519 or secp256k1",
                other.name()
            )))
        }
    };
    if ok {
        Ok(())
    } else {
        Err(ZkError::BadSignature)
    }
}

/// What the attester learned and vouches for: the input of [`Credential::issue`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CredentialRequest {
    pub kind: String,
    /// The subject's DID (e.g. its `did:resource` account DID).
    pub subject: String,
    /// The kind's values in order: rating `[stars_x10, reviews]`, revenue `[monthly]`, tenure `[months]`.
    pub values: Vec<u64>,
    pub issued_at: u64,
    pub expires_at: u64,
}

/// A signed credential. Private to its subject: it holds the values and the salt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Credential {
    pub kind: String,
    pub subject: String,
    pub values: Vec<u64>,
    pub issued_at: u64,
    pub expires_at: u64,
    /// 32 bytes, hex: hides the values inside `commitment`.
    pub salt: String,
    /// `C`, hex (32 bytes, little-endian field element): public, and the credential's nullifier.
    pub commitment: String,
    /// The attester's DID, as registered in the DID registry.
    pub attester: String,
    /// The attester's signature over `signing_digest(C)`, hex.
    pub signature: String,
}

/// A credential's parsed opening.
#[derive(Clone, Copy, Debug)]
pub struct Opening {
    pub kind: ClaimKind,
    pub did_hash: Fr,
    pub values: resource_zk_verifier::Thresholds,
    pub issued_at: u64,
    pub expires_at: u64,
    pub salt: Fr,
    pub commitment: Fr,
}

pub fn parse_kind(name: &str) -> Result<ClaimKind, ZkError> {
    ClaimKind::from_name(name).ok_or_else(|| ZkError::UnknownKind(name.to_string()))
}

fn check_validity(issued_at: u64, expires_at: u64) -> Result<(), ZkError> {
    if expires_at <= issued_at || expires_at - issued_at >= 1u64 << TIME_BITS {
        return Err(ZkError::Validity);
    }
    Ok(())
}

impl Credential {
    /// Issues `request` with a fresh salt, signed by `signer` as `attester`.
    pub fn issue(
        request: &CredentialRequest,
        attester: &str,
        signer: &AttesterSigner,
        rng: &mut impl RngCore,
    ) -> Result<Credential, ZkError> {
        let kind = parse_kind(&request.kind)?;
        let values = kind.check_values(&request.values, "values")?;
        check_validity(request.issued_at, request.expires_at)?;
        // A uniformly random field element: 64 random bytes reduced, so the salt hides the values.
        let mut wide = [0u8; 64];
        rng.fill_bytes(&mut wide);
        let salt = <Fr as ark_ff::PrimeField>::from_le_bytes_mod_order(&wide);
        let c = commitment(did_hash(&request.subject), kind, &values, request.issued_at, request.expires_at, salt);
        let c_bytes = fr_to_bytes(&c);
        Ok(Credential {
            kind: kind.name().to_string(),
            subject: request.subject.clone(),
            values: request.values.clone(),
            issued_at: request.issued_at,
            expires_at: request.expires_at,
            salt: hex::encode(fr_to_bytes(&salt)),
            commitment: hex::encode(c_bytes),
            attester: attester.to_string(),
            signature: hex::encode(signer.sign(&signing_digest(&c_bytes))),
        })
    }

    /// The opening, checked: the commitment must be the hash of the contents.
    pub fn opening(&self) -> Result<Opening, ZkError> {
        let kind = parse_kind(&self.kind)?;
        let values = kind.check_values(&self.values, "values")?;
        check_validity(self.issued_at, self.expires_at)?;
        let salt = fr_from_bytes(&from_hex(&self.salt, "the salt")?, "the salt")?;
        let c = fr_from_bytes(&from_hex(&self.commitment, "the commitment")?, "the commitment")?;
        let dh = did_hash(&self.subject);
        if commitment(dh, kind, &values, self.issued_at, self.expires_at, salt) != c {
            return Err(ZkError::Tampered);
        }
        Ok(Opening {
            kind,
            did_hash: dh,
            values,
            issued_at: self.issued_at,
            expires_at: self.expires_at,
            salt,
            commitment: c,
        })
    }

    /// The commitment's 32 bytes.
    pub fn commitment_bytes(&self) -> Result<[u8; 32], ZkError> {
        from_hex_32(&self.commitment, "the commitment")
    }

    pub fn signature_bytes(&self) -> Result<Vec<u8>, ZkError> {
        from_hex(&self.signature, "the signature")
    }

    /// Checks the attester's signature with its registered key.
    pub fn verify_signature(&self, key: &AttesterKey) -> Result<(), ZkError> {
        verify_attester_signature(key, &signing_digest(&self.commitment_bytes()?), &self.signature_bytes()?)
    }

    pub fn from_json(text: &str) -> Result<Credential, ZkError> {
        serde_json::from_str(text).map_err(|source| ZkError::Json { what: "a credential", source })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("serializable")
    }
}
