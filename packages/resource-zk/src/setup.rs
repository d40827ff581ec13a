//! Reproducible keys: Groth16's circuit-specific setup for each claim kind, from a seed.
//!
//! Keys derived from a public seed are for devnets and tests only: whoever knows the seed knows the
//! setup's trapdoor and can prove anything. Production keys need a ceremony (a multi-party phase 2
//! for these circuits), whose verifying keys the admin then stores in the DID registry.

use std::path::{Path, PathBuf};

use ark_bls12_381::Bls12_381;
use ark_groth16::{Groth16, ProvingKey, VerifyingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use ark_snark::SNARK;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use resource_zk_verifier::groth16::key_checksum;
use resource_zk_verifier::statement::ClaimKind;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::circuit::{constraint_count, CredentialCircuit};
use crate::error::ZkError;

/// The documented seed of devnet and test keys (never for production, see the module).
pub const DEVNET_SEED: &str = "resource-zk devnet setup v1";

/// A proving-key file starts with these bytes and the kind's code.
const PK_MAGIC: &[u8] = b"resource-zk proving key v1\n";

/// The ChaCha20 seed of `kind`'s setup: SHA-256 of `seed`, `/` and the kind's name.
pub fn kind_seed(seed: &str, kind: ClaimKind) -> [u8; 32] {
    Sha256::new()
        .chain_update(seed.as_bytes())
        .chain_update(b"/")
        .chain_update(kind.name().as_bytes())
        .finalize()
        .into()
}

/// One kind's key pair.
pub struct CircuitKeys {
    pub kind: ClaimKind,
    pub proving: ProvingKey<Bls12_381>,
    pub verifying: VerifyingKey<Bls12_381>,
}

/// Groth16 setup of `kind`'s circuit with randomness from `seed` (same seed, same keys).
pub fn setup(kind: ClaimKind, seed: &str) -> Result<CircuitKeys, ZkError> {
    let mut rng = ChaCha20Rng::from_seed(kind_seed(seed, kind));
    let (proving, verifying) = Groth16::<Bls12_381>::circuit_specific_setup(CredentialCircuit::blank(kind), &mut rng)
        .map_err(|e| ZkError::Synthesis(e.to_string()))?;
    Ok(CircuitKeys { kind, proving, verifying })
}

/// The devnet keys of `kind` ([`DEVNET_SEED`]).
pub fn devnet_keys(kind: ClaimKind) -> CircuitKeys {
    setup(kind, DEVNET_SEED).expect("the credential circuits synthesize")
}

impl CircuitKeys {
    /// The proving-key file: a header naming the kind, then the key uncompressed (loading it then
    /// costs no square roots, which matters in a browser).
    pub fn proving_key_bytes(&self) -> Vec<u8> {
        let mut out = PK_MAGIC.to_vec();
        out.push(self.kind.code() as u8);
        self.proving.serialize_uncompressed(&mut out).expect("writing to a Vec");
        out
    }

    /// The verifying-key file: arkworks' compressed `VerifyingKey`, what the DID registry stores.
    pub fn verifying_key_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.verifying.serialize_compressed(&mut out).expect("writing to a Vec");
        out
    }
}

/// Reads a proving-key file: its kind and key. The key's points are not validated again (the file's
/// checksum is printed by `resource zk setup`); a wrong key only yields proofs that do not verify.
pub fn read_proving_key(bytes: &[u8]) -> Result<(ClaimKind, ProvingKey<Bls12_381>), ZkError> {
    let bad = |reason: String| ZkError::KeyFile { what: "proving key", reason };
    let rest =
        bytes.strip_prefix(PK_MAGIC).ok_or_else(|| bad("it does not start with the proving-key header".into()))?;
    let (&code, key) = rest.split_first().ok_or_else(|| bad("it ends after its header".into()))?;
    let kind = ClaimKind::from_code(u64::from(code)).ok_or_else(|| bad(format!("unknown claim kind code {code}")))?;
    let pk = ProvingKey::deserialize_with_mode(key, Compress::No, Validate::No).map_err(|e| bad(e.to_string()))?;
    Ok((kind, pk))
}

/// Reads a verifying-key file (validated).
pub fn read_verifying_key(bytes: &[u8]) -> Result<VerifyingKey<Bls12_381>, ZkError> {
    VerifyingKey::deserialize_compressed(bytes)
        .map_err(|e| ZkError::KeyFile { what: "verifying key", reason: e.to_string() })
}

/// What [`write_keys`] wrote for one kind.
#[derive(Clone, Debug, Serialize)]
pub struct KeyFiles {
    pub kind: &'static str,
    pub constraints: usize,
    pub proving_key: PathBuf,
    pub proving_key_bytes: usize,
    pub proving_key_sha256: String,
    pub verifying_key: PathBuf,
    pub verifying_key_bytes: usize,
    pub verifying_key_sha256: String,
}

/// The file names of `kind`'s keys in a key folder.
pub fn key_paths(dir: &Path, kind: ClaimKind) -> (PathBuf, PathBuf) {
    (dir.join(format!("{}.pk", kind.name())), dir.join(format!("{}.vk", kind.name())))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ZkError> {
    std::fs::write(path, bytes).map_err(|source| ZkError::Io { action: "write", path: path.to_path_buf(), source })
}

/// Sets up `kinds` from `seed` into `dir`: `<kind>.pk`, `<kind>.vk` and `checksums.txt` (in
/// `sha256sum` format, so `sha256sum -c checksums.txt` checks the folder). `progress` is called
/// before each kind.
pub fn write_keys(
    dir: &Path,
    seed: &str,
    kinds: &[ClaimKind],
    mut progress: impl FnMut(ClaimKind),
) -> Result<Vec<KeyFiles>, ZkError> {
    std::fs::create_dir_all(dir).map_err(|source| ZkError::Io { action: "create", path: dir.to_path_buf(), source })?;
    let mut out = Vec::new();
    let mut sums = String::new();
    for &kind in kinds {
        progress(kind);
        let keys = setup(kind, seed)?;
        let (pk_path, vk_path) = key_paths(dir, kind);
        let pk = keys.proving_key_bytes();
        let vk = keys.verifying_key_bytes();
        write(&pk_path, &pk)?;
        write(&vk_path, &vk)?;
        let (pk_sum, vk_sum) = (hex::encode(key_checksum(&pk)), hex::encode(key_checksum(&vk)));
        for (sum, path) in [(&pk_sum, &pk_path), (&vk_sum, &vk_path)] {
            let name = path.file_name().expect("a file name").to_string_lossy();
            sums.push_str(&format!("{sum}  {name}\n"));
        }
        out.push(KeyFiles {
            kind: kind.name(),
            constraints: constraint_count(kind),
            proving_key: pk_path,
            proving_key_bytes: pk.len(),
            proving_key_sha256: pk_sum,
            verifying_key: vk_path,
            verifying_key_bytes: vk.len(),
            verifying_key_sha256: vk_sum,
        });
    }
    write(&dir.join("checksums.txt"), sums.as_bytes())?;
    Ok(out)
}
