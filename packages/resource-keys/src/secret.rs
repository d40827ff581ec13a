//! The wallet's secret: BIP-39 entropy, shown to the member as a recovery phrase.

use rand_core::CryptoRngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{mnemonic, KeyError};

/// How many words the recovery phrase has (128 or 256 bits of entropy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordCount {
    Twelve,
    TwentyFour,
}

impl WordCount {
    fn entropy_bytes(self) -> usize {
        match self {
            WordCount::Twelve => 16,
            WordCount::TwentyFour => 32,
        }
    }
}

/// BIP-39 entropy (16 or 32 bytes), wiped from memory when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    entropy: Zeroizing<Vec<u8>>,
}

impl Secret {
    /// A new secret from `rng` (the OS's generator in the SDK).
    pub fn generate(words: WordCount, rng: &mut impl CryptoRngCore) -> Secret {
        let mut entropy = Zeroizing::new(vec![0u8; words.entropy_bytes()]);
        rng.fill_bytes(&mut entropy);
        Secret { entropy }
    }

    /// The secret a recovery phrase spells: the English words, whitespace trimmed and collapsed,
    /// capitals lowered. The English list is plain ASCII, so that is already its NFKD form and no
    /// Unicode normalisation is needed (its tables would add about 100 KB to the SDK's wasm); any
    /// other character is refused with `invalid_phrase`.
    pub fn from_phrase(phrase: &str) -> Result<Secret, KeyError> {
        let normalized = phrase.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase();
        if let Some(c) = normalized.chars().find(|c| !c.is_ascii()) {
            return Err(KeyError::InvalidPhrase {
                reason: format!("it contains `{c}` (U+{:04X}): the words are plain letters a to z", c as u32),
            });
        }
        let entropy = mnemonic::entropy(&normalized).map_err(|e| KeyError::InvalidPhrase { reason: e.to_string() })?;
        Secret::from_entropy(&entropy)
    }

    /// The secret of `entropy` (16 or 32 bytes).
    pub fn from_entropy(entropy: &[u8]) -> Result<Secret, KeyError> {
        if entropy.len() != 16 && entropy.len() != 32 {
            return Err(KeyError::InvalidPhrase {
                reason: format!("{} bytes of entropy, where 16 or 32 are expected", entropy.len()),
            });
        }
        Ok(Secret { entropy: Zeroizing::new(entropy.to_vec()) })
    }

    /// The recovery phrase (12 or 24 words).
    pub fn phrase(&self) -> Zeroizing<String> {
        mnemonic::phrase(&self.entropy)
    }

    pub fn entropy(&self) -> &[u8] {
        &self.entropy
    }

    /// The BIP-39 seed (no passphrase), from which the keys derive.
    pub(crate) fn seed(&self) -> Zeroizing<[u8; 64]> {
        mnemonic::seed(&mnemonic::phrase(&self.entropy), "")
    }

    /// A short public fingerprint of the secret: it tells shares of one wallet from another's and
    /// checks a recovery, and reveals nothing that helps guess the secret.
    pub(crate) fn fingerprint(&self) -> [u8; 4] {
        let digest =
            Sha256::new().chain_update(b"resource-keys/secret-fingerprint").chain_update(&*self.entropy).finalize();
        [digest[0], digest[1], digest[2], digest[3]]
    }
}

// Hand-written so that the secret never lands in logs.
impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secret").field("words", &(self.entropy.len() * 3 / 4)).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::SeedableRng;

    const ABANDON: &str =
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    #[test]
    fn a_phrase_round_trips_through_its_entropy() {
        let secret = Secret::from_phrase(ABANDON).unwrap();
        assert_eq!(secret.entropy(), [0u8; 16]);
        assert_eq!(&*secret.phrase(), ABANDON);
        // Spaces and capitals as a person types them.
        assert_eq!(Secret::from_phrase(&format!("  {}  ", ABANDON.to_uppercase().replace(' ', "\n"))).unwrap(), secret);
    }

    #[test]
    fn generated_secrets_have_the_words_asked_for() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        let twelve = Secret::generate(WordCount::Twelve, &mut rng);
        let twenty_four = Secret::generate(WordCount::TwentyFour, &mut rng);
        assert_eq!(twelve.phrase().split(' ').count(), 12);
        assert_eq!(twenty_four.phrase().split(' ').count(), 24);
        assert_ne!(twelve.entropy(), &twenty_four.entropy()[..16]);
        assert_eq!(format!("{twelve:?}"), "Secret { words: 12, .. }");
    }

    #[test]
    fn bad_phrases_say_what_is_wrong() {
        let err = Secret::from_phrase("abandon abandon abandon").unwrap_err();
        assert_eq!(err.code(), "invalid_phrase");
        assert!(err.to_string().contains("12 or 24 English words"), "{err}");
        // Right words, wrong checksum.
        let err = Secret::from_phrase(&ABANDON.replace("about", "abandon")).unwrap_err();
        assert!(err.to_string().contains("checksum"), "{err}");
        assert!(Secret::from_phrase(&ABANDON.replace("about", "abuot")).is_err());
        // Not ASCII: a full-width letter (which NFKD would have mapped to `a`) and an accent.
        for typed in [ABANDON.replacen('a', "\u{FF41}", 1), ABANDON.replace("about", "abóut")] {
            let err = Secret::from_phrase(&typed).unwrap_err();
            assert_eq!(err.code(), "invalid_phrase");
            assert!(err.to_string().contains("the words are plain letters a to z"), "{err}");
        }
        assert!(Secret::from_phrase(&ABANDON.replace("about", "ABÓUT")).unwrap_err().to_string().contains("U+00D3"));
    }
}
