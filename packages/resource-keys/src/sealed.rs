//! The device share sealed with the member's passphrase: a key from Argon2id (RFC 9106) over the
//! passphrase and a random salt, then XChaCha20-Poly1305 with a random nonce. The sealed form is a
//! JSON object that names its parameters, so that stronger ones can come later and old ones still
//! open; parameters outside sane bounds are refused before any work.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::KeyError;

/// Argon2id memory, KiB (OWASP's minimum recommendation for Argon2id: 19 MiB, 2 passes, 1 lane).
pub const KDF_MEMORY_KIB: u32 = 19 * 1024;
pub const KDF_ITERATIONS: u32 = 2;
const KDF_PARALLELISM: u32 = 1;
/// The most a sealed share may ask of the device when opened.
const MAX_MEMORY_KIB: u32 = 256 * 1024;
const MAX_ITERATIONS: u32 = 16;
pub const MIN_PASSPHRASE_CHARS: usize = 8;
const FORMAT: &str = "resource-sealed-share";
const VERSION: u32 = 1;
/// Bound into the ciphertext: a sealed share opens only as what it was sealed as.
const ASSOCIATED_DATA: &[u8] = b"resource-sealed-share/1";

/// A share sealed with a passphrase, as stored on the device (serialize it with serde_json).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedShare {
    pub format: String,
    pub version: u32,
    pub kdf: Kdf,
    pub cipher: String,
    /// Base64.
    pub nonce: String,
    /// Base64: the share's text, encrypted and authenticated.
    pub ciphertext: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kdf {
    pub algorithm: String,
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    /// Base64.
    pub salt: String,
}

fn key_of(passphrase: &str, kdf: &Kdf, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>, KeyError> {
    let damaged = |reason: String| KeyError::MalformedSealedShare { reason };
    let params = Params::new(kdf.memory_kib, kdf.iterations, kdf.parallelism, Some(32))
        .map_err(|e| damaged(format!("Argon2id parameters: {e}")))?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut *key)
        .map_err(|e| damaged(format!("Argon2id: {e}")))?;
    Ok(key)
}

/// Seals `share` with `passphrase` (at least [`MIN_PASSPHRASE_CHARS`] characters).
pub fn seal(share: &str, passphrase: &str, rng: &mut impl CryptoRngCore) -> Result<SealedShare, KeyError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(KeyError::WeakPassphrase { min: MIN_PASSPHRASE_CHARS });
    }
    let mut salt = [0u8; 16];
    rng.fill_bytes(&mut salt);
    let mut nonce = [0u8; 24];
    rng.fill_bytes(&mut nonce);
    let kdf = Kdf {
        algorithm: "argon2id".into(),
        memory_kib: KDF_MEMORY_KIB,
        iterations: KDF_ITERATIONS,
        parallelism: KDF_PARALLELISM,
        salt: BASE64.encode(salt),
    };
    let key = key_of(passphrase, &kdf, &salt)?;
    let cipher = XChaCha20Poly1305::new((&*key).into());
    let ciphertext = cipher
        .encrypt(&XNonce::from(nonce), Payload { msg: share.as_bytes(), aad: ASSOCIATED_DATA })
        .map_err(|_| KeyError::MalformedSealedShare { reason: "encryption failed".into() })?;
    Ok(SealedShare {
        format: FORMAT.into(),
        version: VERSION,
        kdf,
        cipher: "xchacha20poly1305".into(),
        nonce: BASE64.encode(nonce),
        ciphertext: BASE64.encode(ciphertext),
    })
}

/// The share `sealed` holds, if `passphrase` is the one it was sealed with.
pub fn open(sealed: &SealedShare, passphrase: &str) -> Result<Zeroizing<String>, KeyError> {
    let damaged = |reason: String| KeyError::MalformedSealedShare { reason };
    if sealed.format != FORMAT || sealed.version != VERSION {
        return Err(damaged(format!(
            "it is `{}` version {}, where this software reads `{FORMAT}` version {VERSION}",
            sealed.format, sealed.version
        )));
    }
    let kdf = &sealed.kdf;
    if kdf.algorithm != "argon2id" || sealed.cipher != "xchacha20poly1305" {
        return Err(damaged(format!("unknown algorithms `{}` and `{}`", kdf.algorithm, sealed.cipher)));
    }
    if kdf.memory_kib > MAX_MEMORY_KIB || kdf.iterations > MAX_ITERATIONS || kdf.parallelism != KDF_PARALLELISM {
        return Err(damaged(format!(
            "it asks for {} KiB, {} passes and {} lanes of Argon2id, more than a device gives",
            kdf.memory_kib, kdf.iterations, kdf.parallelism
        )));
    }
    let bytes = |field: &str, text: &str| BASE64.decode(text).map_err(|e| damaged(format!("{field}: {e}")));
    let salt = bytes("salt", &kdf.salt)?;
    let nonce = bytes("nonce", &sealed.nonce)?;
    let ciphertext = bytes("ciphertext", &sealed.ciphertext)?;
    let nonce: [u8; 24] = nonce
        .try_into()
        .map_err(|n: Vec<u8>| damaged(format!("a nonce of {} bytes, where XChaCha20 takes 24", n.len())))?;
    let key = key_of(passphrase, kdf, &salt)?;
    let cipher = XChaCha20Poly1305::new((&*key).into());
    let plain = cipher
        .decrypt(&XNonce::from(nonce), Payload { msg: &ciphertext, aad: ASSOCIATED_DATA })
        .map_err(|_| KeyError::WrongPassphrase)?;
    let plain = Zeroizing::new(plain);
    let text = std::str::from_utf8(&plain).map_err(|_| damaged("the share is not text".into()))?;
    Ok(Zeroizing::new(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    const SHARE: &str = "rshare1qyqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9ccrydpk8qarc0jqgpzysnzs23v9ccrydpk8q";

    #[test]
    fn a_sealed_share_opens_with_its_passphrase_only() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let sealed = seal(SHARE, "correct horse battery", &mut rng).unwrap();
        assert_eq!(&*open(&sealed, "correct horse battery").unwrap(), SHARE);
        assert_eq!(open(&sealed, "correct horse batterz").unwrap_err(), KeyError::WrongPassphrase);
        // Fresh salt and nonce each time: the same share sealed twice looks different.
        let again = seal(SHARE, "correct horse battery", &mut rng).unwrap();
        assert_ne!((&again.kdf.salt, &again.ciphertext), (&sealed.kdf.salt, &sealed.ciphertext));
        // Stored as JSON and read back.
        let json = serde_json::to_string(&sealed).unwrap();
        let back: SealedShare = serde_json::from_str(&json).unwrap();
        assert_eq!(&*open(&back, "correct horse battery").unwrap(), SHARE);
        assert_eq!(back.kdf.memory_kib, KDF_MEMORY_KIB);
    }

    #[test]
    fn altered_or_strange_sealed_shares_are_refused() {
        let sealed = seal(SHARE, "correct horse battery", &mut ChaCha20Rng::seed_from_u64(2)).unwrap();
        let mut flipped = sealed.clone();
        let mut bytes = BASE64.decode(&flipped.ciphertext).unwrap();
        bytes[0] ^= 1;
        flipped.ciphertext = BASE64.encode(bytes);
        assert_eq!(open(&flipped, "correct horse battery").unwrap_err(), KeyError::WrongPassphrase);
        let mut greedy = sealed.clone();
        greedy.kdf.memory_kib = 4 * 1024 * 1024;
        let err = open(&greedy, "correct horse battery").unwrap_err();
        assert!(err.to_string().contains("more than a device gives"), "{err}");
        let mut newer = sealed.clone();
        newer.version = 2;
        assert_eq!(open(&newer, "correct horse battery").unwrap_err().code(), "malformed_sealed_share");
        let mut cut = sealed;
        cut.nonce = BASE64.encode([0u8; 12]);
        assert!(open(&cut, "correct horse battery").unwrap_err().to_string().contains("takes 24"));
    }

    #[test]
    fn short_passphrases_are_refused() {
        let err = seal(SHARE, "1234567", &mut ChaCha20Rng::seed_from_u64(3)).unwrap_err();
        assert_eq!(err, KeyError::WeakPassphrase { min: 8 });
        assert!(err.to_string().contains("at least 8 characters"), "{err}");
        // Characters, not bytes.
        assert!(seal(SHARE, "ñañañaña", &mut ChaCha20Rng::seed_from_u64(3)).is_ok());
    }
}
