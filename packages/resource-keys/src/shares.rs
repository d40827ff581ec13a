//! 2-of-3 Shamir shares of a secret (GF(256), the `sharks` crate), each a bech32m string:
//! `rshare1...` over `[version, fingerprint (4 bytes), x, y...]`. The checksum catches a share
//! mistyped or cut; the secret's fingerprint tells shares of two wallets apart and checks what two
//! shares recover, so an altered share is caught even when its checksum was recomputed.

use rand_core::CryptoRngCore;
use sharks::{Share, Sharks};

use crate::{KeyError, Secret};

/// The human-readable part of a share.
pub const SHARE_HRP: &str = "rshare";
const VERSION: u8 = 1;
const THRESHOLD: u8 = 2;

/// Who keeps a share: its Shamir x coordinate is 1, 2 or 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareHolder {
    /// The member's device, sealed with the member's passphrase.
    Device,
    /// Someone the member trusts.
    Guardian,
    /// A recovery service, which releases it after its own checks.
    Recovery,
}

impl ShareHolder {
    fn of_x(x: u8) -> Option<ShareHolder> {
        match x {
            1 => Some(ShareHolder::Device),
            2 => Some(ShareHolder::Guardian),
            3 => Some(ShareHolder::Recovery),
            _ => None,
        }
    }
}

/// The three shares of one secret; any two recover it, one alone says nothing about it.
#[derive(Clone, PartialEq, Eq)]
pub struct Shares {
    pub device: String,
    pub guardian: String,
    pub recovery: String,
}

impl std::fmt::Debug for Shares {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shares").finish_non_exhaustive()
    }
}

/// Splits `secret` into its device, guardian and recovery shares (fresh coefficients from `rng`).
pub fn split(secret: &Secret, rng: &mut impl CryptoRngCore) -> Shares {
    let fingerprint = secret.fingerprint();
    let mut encoded = Sharks(THRESHOLD).dealer_rng(secret.entropy(), rng).take(3).map(|share| {
        let mut data = vec![VERSION];
        data.extend_from_slice(&fingerprint);
        data.extend(Vec::from(&share));
        let hrp = bech32::Hrp::parse(SHARE_HRP).expect("a valid prefix");
        bech32::encode::<bech32::Bech32m>(hrp, &data).expect("a share fits a bech32m string")
    });
    let mut next = || encoded.next().expect("the dealer deals as many shares as asked");
    Shares { device: next(), guardian: next(), recovery: next() }
}

/// A share as decoded: who holds it, the secret's fingerprint and the Shamir share.
struct Decoded {
    holder: ShareHolder,
    fingerprint: [u8; 4],
    share: Share,
    len: usize,
}

fn decode(index: usize, text: &str) -> Result<Decoded, KeyError> {
    let malformed = |reason: String| KeyError::MalformedShare { index, reason };
    let (hrp, data) = bech32::decode(text.trim()).map_err(|e| malformed(format!("{e}")))?;
    if hrp.as_str() != SHARE_HRP {
        return Err(malformed(format!("it starts with `{hrp}1`, where a share starts with `{SHARE_HRP}1`")));
    }
    match data.first() {
        Some(&VERSION) => {}
        Some(other) => return Err(malformed(format!("version {other}, where this software reads version {VERSION}"))),
        None => return Err(malformed("it is empty".into())),
    }
    if data.len() != 1 + 4 + 1 + 16 && data.len() != 1 + 4 + 1 + 32 {
        return Err(malformed(format!("{} bytes, where a share has 22 or 38", data.len())));
    }
    let fingerprint = [data[1], data[2], data[3], data[4]];
    let holder = ShareHolder::of_x(data[5]).ok_or_else(|| malformed(format!("holder {}, not 1, 2 or 3", data[5])))?;
    let share = Share::try_from(&data[5..]).map_err(|e| malformed(e.to_string()))?;
    Ok(Decoded { holder, fingerprint, share, len: data.len() })
}

/// The secret that two (or all three) shares recover, given in any order.
pub fn recover(shares: &[&str]) -> Result<Secret, KeyError> {
    if shares.len() < THRESHOLD as usize {
        return Err(KeyError::NotEnoughShares { given: shares.len() });
    }
    let decoded = shares.iter().enumerate().map(|(i, s)| decode(i + 1, s)).collect::<Result<Vec<_>, _>>()?;
    for (i, a) in decoded.iter().enumerate() {
        for (j, b) in decoded.iter().enumerate().skip(i + 1) {
            if a.fingerprint != b.fingerprint || a.len != b.len {
                return Err(KeyError::DifferentSecrets);
            }
            if a.holder == b.holder {
                return Err(KeyError::DuplicateShare { first: i + 1, second: j + 1 });
            }
        }
    }
    // Any pair that recovers a secret with the shares' fingerprint: with three shares, one altered
    // share still leaves a good pair.
    for (i, a) in decoded.iter().enumerate() {
        for b in decoded.iter().skip(i + 1) {
            let Ok(entropy) = Sharks(THRESHOLD).recover([&a.share, &b.share]) else { continue };
            let secret = zeroize::Zeroizing::new(entropy);
            if let Ok(secret) = Secret::from_entropy(&secret) {
                if secret.fingerprint() == a.fingerprint {
                    return Ok(secret);
                }
            }
        }
    }
    Err(KeyError::TamperedShare)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WordCount;
    use proptest::prelude::*;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn secret(seed: u64, words: WordCount) -> Secret {
        Secret::generate(words, &mut ChaCha20Rng::seed_from_u64(seed))
    }

    /// `share` with its y bytes changed and its checksum recomputed: only the fingerprint check can
    /// catch it.
    fn altered(share: &str) -> String {
        let (hrp, mut data) = bech32::decode(share).unwrap();
        let last = data.len() - 1;
        data[last] ^= 0x5a;
        bech32::encode::<bech32::Bech32m>(hrp, &data).unwrap()
    }

    proptest! {
        #[test]
        fn any_two_shares_recover_the_secret(seed in any::<u64>(), long in any::<bool>(), order in 0usize..6) {
            let words = if long { WordCount::TwentyFour } else { WordCount::Twelve };
            let secret = secret(seed, words);
            let shares = split(&secret, &mut ChaCha20Rng::seed_from_u64(seed ^ 1));
            let all = [shares.device.as_str(), shares.guardian.as_str(), shares.recovery.as_str()];
            let pairs = [[0, 1], [1, 0], [0, 2], [2, 0], [1, 2], [2, 1]];
            let [a, b] = pairs[order];
            prop_assert_eq!(recover(&[all[a], all[b]]).unwrap(), secret.clone());
            prop_assert_eq!(recover(&all).unwrap(), secret.clone());
            // One altered share among three: the other two still recover it.
            let bad = altered(all[order % 3]);
            let mut three = all;
            three[order % 3] = &bad;
            prop_assert_eq!(recover(&three).unwrap(), secret);
        }

        #[test]
        fn one_share_reveals_nothing_a_second_secret_would_not(seed in any::<u64>()) {
            // The y bytes of a device share are uniform whatever the secret: two different secrets
            // split with the same coefficients' randomness differ in their shares only by the
            // secrets' difference, so a share alone pins nothing (checked as: equal coefficients,
            // shares differ exactly where the secrets do).
            let (a, b) = (secret(seed, WordCount::Twelve), secret(seed ^ 2, WordCount::Twelve));
            let sa = split(&a, &mut ChaCha20Rng::seed_from_u64(9));
            let sb = split(&b, &mut ChaCha20Rng::seed_from_u64(9));
            let y = |s: &str| bech32::decode(s).unwrap().1[6..].to_vec();
            let xor = |p: &[u8], q: &[u8]| p.iter().zip(q).map(|(x, y)| x ^ y).collect::<Vec<_>>();
            prop_assert_eq!(xor(&y(&sa.device), &y(&sb.device)), xor(a.entropy(), b.entropy()));
        }
    }

    #[test]
    fn each_refusal_says_what_to_do() {
        let s = secret(1, WordCount::Twelve);
        let shares = split(&s, &mut ChaCha20Rng::seed_from_u64(2));
        assert!(shares.device.starts_with("rshare1"), "{}", shares.device);

        let err = recover(&[&shares.device]).unwrap_err();
        assert_eq!(
            (err.code(), err.to_string().starts_with("1 share given, and 2 of the 3 are needed")),
            ("not_enough_shares", true)
        );
        assert_eq!(recover(&[]).unwrap_err().code(), "not_enough_shares");

        let other = split(&secret(3, WordCount::Twelve), &mut ChaCha20Rng::seed_from_u64(4));
        assert_eq!(recover(&[&shares.device, &other.guardian]).unwrap_err(), KeyError::DifferentSecrets);
        let long = split(&secret(1, WordCount::TwentyFour), &mut ChaCha20Rng::seed_from_u64(4));
        assert_eq!(recover(&[&shares.device, &long.guardian]).unwrap_err(), KeyError::DifferentSecrets);

        assert_eq!(
            recover(&[&shares.guardian, &shares.guardian]).unwrap_err(),
            KeyError::DuplicateShare { first: 1, second: 2 }
        );
        assert_eq!(recover(&[&shares.device, &altered(&shares.guardian)]).unwrap_err(), KeyError::TamperedShare);

        // A mistyped character breaks the checksum.
        let mut typo = shares.recovery.clone().into_bytes();
        let at = typo.len() - 5;
        typo[at] = if typo[at] == b'q' { b'p' } else { b'q' };
        let err = recover(&[&shares.device, std::str::from_utf8(&typo).unwrap()]).unwrap_err();
        assert!(matches!(err, KeyError::MalformedShare { index: 2, .. }), "{err}");
        assert!(err.to_string().contains("paste it again exactly"), "{err}");

        let address = "inj19rl4cm2hmr8afy4kldpxz3fka4jguq0akf6edd";
        let err = recover(&[address, &shares.device]).unwrap_err();
        assert!(err.to_string().contains("where a share starts with `rshare1`"), "{err}");
        assert_eq!(recover(&["", &shares.device]).unwrap_err().code(), "malformed_share");
    }
}
