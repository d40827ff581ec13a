//! BIP-39 over the hashes the keys already carry (`sha2`, `hmac` through `pbkdf2`): entropy to
//! English words and back, and the seed.
//!
//! Why not the `bip39` crate: it brings its own SHA-256 and SHA-512 (`bitcoin_hashes`) beside
//! `sha2`, and its word list as a table of string slices; both weigh on the SDK's page (see
//! BENCHMARKS.md, "Wasm SDK bundle"). Only English and ASCII input are taken, so no Unicode
//! normalisation is needed: the English words are their own NFKD form. The tests check every
//! function against the `bip39` crate and against the BIP's published vectors.

use sha2::{Digest, Sha256, Sha512};
use zeroize::Zeroizing;

/// The BIP's English word list (`english.txt`), one word per line, in its sorted order.
const ENGLISH: &str = include_str!("bip39-english.txt");
/// Bits a word stands for.
const BITS_PER_WORD: usize = 11;
/// PBKDF2-HMAC-SHA512 rounds of the seed (the BIP's figure).
const SEED_ROUNDS: u32 = 2048;

/// Why words are not a phrase; [`crate::KeyError::InvalidPhrase`] carries it as its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PhraseProblem {
    /// Not 12 or 24 words.
    WordCount(usize),
    /// Word `position` (from 1) is not on the English list.
    UnknownWord { position: usize, word: String },
    /// Every word is on the list, but the last bits do not match the checksum: a word is wrong or out of place.
    Checksum,
}

impl std::fmt::Display for PhraseProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PhraseProblem::WordCount(n) => write!(f, "{n} words"),
            PhraseProblem::UnknownWord { position, word } => {
                write!(f, "word {position}, `{word}`, is not on the English word list")
            }
            PhraseProblem::Checksum => f.write_str("the words do not match their checksum"),
        }
    }
}

fn words() -> impl Iterator<Item = &'static str> {
    ENGLISH.lines()
}

/// The phrase of `entropy` (16 or 32 bytes: the callers check), words separated by one space.
pub(crate) fn phrase(entropy: &[u8]) -> Zeroizing<String> {
    let checksum = Sha256::digest(entropy);
    // The entropy's bits, then its checksum's first `entropy bits / 32`; 11 bits to a word.
    let bits = entropy.len() * 8;
    let total = bits + bits / 32;
    let bit = |i: usize| -> usize {
        let byte = if i < bits { entropy[i / 8] } else { checksum[(i - bits) / 8] };
        usize::from(byte >> (7 - i % 8) & 1)
    };
    let mut out = Zeroizing::new(String::with_capacity(total / BITS_PER_WORD * 9));
    for word in 0..total / BITS_PER_WORD {
        let index = (0..BITS_PER_WORD).fold(0, |acc, b| acc << 1 | bit(word * BITS_PER_WORD + b));
        if word > 0 {
            out.push(' ');
        }
        out.push_str(words().nth(index).expect("an 11-bit index is on the 2048-word list"));
    }
    out
}

/// The entropy `phrase` spells: lowercase English words separated by single spaces.
pub(crate) fn entropy(phrase: &str) -> Result<Zeroizing<Vec<u8>>, PhraseProblem> {
    let typed: Vec<&str> = phrase.split(' ').collect();
    if typed.len() != 12 && typed.len() != 24 {
        return Err(PhraseProblem::WordCount(typed.len()));
    }
    let mut indices = Zeroizing::new(Vec::with_capacity(typed.len()));
    for (position, word) in typed.iter().enumerate() {
        match words().position(|w| w == *word) {
            Some(index) => indices.push(index),
            None => return Err(PhraseProblem::UnknownWord { position: position + 1, word: (*word).to_string() }),
        }
    }
    let total = typed.len() * BITS_PER_WORD;
    let bits = total * 32 / 33;
    let bit = |i: usize| indices[i / BITS_PER_WORD] >> (BITS_PER_WORD - 1 - i % BITS_PER_WORD) & 1;
    let mut entropy = Zeroizing::new(vec![0u8; bits / 8]);
    for i in 0..bits {
        entropy[i / 8] |= (bit(i) as u8) << (7 - i % 8);
    }
    let checksum = Sha256::digest(&*entropy);
    if (bits..total).any(|i| bit(i) != usize::from(checksum[(i - bits) / 8] >> (7 - (i - bits) % 8) & 1)) {
        return Err(PhraseProblem::Checksum);
    }
    Ok(entropy)
}

/// The BIP-39 seed of `phrase` under `passphrase` (the wallet uses none).
pub(crate) fn seed(phrase: &str, passphrase: &str) -> Zeroizing<[u8; 64]> {
    let salt = Zeroizing::new(format!("mnemonic{passphrase}"));
    let mut seed = Zeroizing::new([0u8; 64]);
    pbkdf2::pbkdf2_hmac::<Sha512>(phrase.as_bytes(), salt.as_bytes(), SEED_ROUNDS, &mut *seed);
    seed
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Words in the list.
    const WORDS: usize = 2048;

    #[test]
    fn the_word_list_is_the_bips() {
        let ours: Vec<&str> = words().collect();
        assert_eq!(ours.len(), WORDS);
        assert_eq!(ours, bip39::Language::English.word_list().to_vec());
        // The hash of the BIP's english.txt as published.
        assert_eq!(
            format!("{:x}", Sha256::digest(ENGLISH.as_bytes())),
            "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda"
        );
    }

    /// From the BIP's test vectors (passphrase "TREZOR").
    #[test]
    fn published_vectors() {
        let vectors = [
            (
                "00000000000000000000000000000000",
                "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
            ),
            (
                "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
                "legal winner thank year wave sausage worth useful legal winner thank yellow",
            ),
            (
                "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote",
            ),
        ];
        for (hex_entropy, words) in vectors {
            let bytes: Vec<u8> = (0..hex_entropy.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex_entropy[i..i + 2], 16).unwrap())
                .collect();
            assert_eq!(&*phrase(&bytes), words);
            assert_eq!(*entropy(words).unwrap(), bytes);
            let reference = bip39::Mnemonic::parse_normalized(words).unwrap().to_seed_normalized("TREZOR");
            assert_eq!(*seed(words, "TREZOR"), reference);
        }
        let first = seed(vectors[0].1, "TREZOR");
        assert_eq!(
            first.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04"
        );
    }

    #[test]
    fn problems_are_named() {
        assert_eq!(entropy("abandon abandon"), Err(PhraseProblem::WordCount(2)));
        let typo = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abuot";
        assert_eq!(entropy(typo), Err(PhraseProblem::UnknownWord { position: 12, word: "abuot".into() }));
        let swapped = "about abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon";
        assert_eq!(entropy(swapped), Err(PhraseProblem::Checksum));
        assert_eq!(PhraseProblem::Checksum.to_string(), "the words do not match their checksum");
    }

    proptest! {
        #[test]
        fn equals_the_bip39_crate(bytes in prop::collection::vec(any::<u8>(), 32), long in any::<bool>()) {
            let bytes = &bytes[..if long { 32 } else { 16 }];
            let reference = bip39::Mnemonic::from_entropy(bytes).unwrap();
            let words = phrase(bytes);
            prop_assert_eq!(&*words, &reference.to_string());
            prop_assert_eq!(&*entropy(&words).unwrap(), &bytes.to_vec());
            prop_assert_eq!(*seed(&words, ""), reference.to_seed_normalized(""));
        }

        #[test]
        fn a_changed_word_is_refused_or_spells_other_entropy(bytes in prop::collection::vec(any::<u8>(), 16), at in 0usize..12, with in 0usize..WORDS) {
            let words = phrase(&bytes);
            let mut changed: Vec<&str> = words.split(' ').collect();
            let replacement = super::words().nth(with).unwrap();
            prop_assume!(changed[at] != replacement);
            changed[at] = replacement;
            let changed = changed.join(" ");
            prop_assert_eq!(entropy(&changed).is_ok(), bip39::Mnemonic::parse_normalized(&changed).is_ok());
            if let Ok(other) = entropy(&changed) {
                prop_assert_ne!(&*other, &bytes);
            }
        }
    }
}
