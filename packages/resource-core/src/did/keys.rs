//! Verification method types and their key material: multibase (base58btc with a multicodec prefix)
//! and JWK (RFC 7517, coordinates in unpadded base64url), checked per type as the suites define them.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::error::KeyError;

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// The longest key string accepted (a BLS12-381 G2 key in multibase is 134 characters).
pub const MAX_KEY_TEXT_LEN: usize = 200;

/// The verification method types this registry accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum KeyType {
    /// secp256k1 (the Cosmos account key): compressed 33-byte key in `publicKeyMultibase`
    /// (multicodec `secp256k1-pub`, 0xe701) or an EC/secp256k1 `publicKeyJwk`.
    EcdsaSecp256k1VerificationKey2019,
    /// Ed25519: 32-byte key in `publicKeyMultibase` (multicodec `ed25519-pub`, 0xed01).
    Ed25519VerificationKey2020,
    /// Any supported JWK in `publicKeyJwk` (EC P-256/P-384/P-521/secp256k1, OKP Ed25519/X25519).
    JsonWebKey2020,
    /// BLS12-381 G2 (BBS+ and ZK attesters): 96-byte compressed point in `publicKeyMultibase`
    /// (multicodec `bls12_381-g2-pub`, 0xeb01).
    Bls12381G2Key2020,
    /// Any multibase key with its multicodec header (W3C Controlled Identifiers 1.0 §2.2.2):
    /// `secp256k1-pub` (0xe701, 33 bytes compressed), `ed25519-pub` (0xed01, 32 bytes) or
    /// `bls12_381-g2-pub` (0xeb01, 96 bytes). The type documents carry for every multibase key
    /// (see [`KeyType::multibase_as_multikey`]): its context defines `publicKeyMultibase`, so DID
    /// libraries read the key, where the secp256k1-2019 and bls12381-2020 contexts do not.
    Multikey,
}

impl KeyType {
    /// Every type, in the order their contexts appear in a document.
    pub const ALL: [KeyType; 5] = [
        KeyType::Multikey,
        KeyType::EcdsaSecp256k1VerificationKey2019,
        KeyType::Ed25519VerificationKey2020,
        KeyType::JsonWebKey2020,
        KeyType::Bls12381G2Key2020,
    ];

    /// Whether a `publicKeyMultibase` of this type is written as [`KeyType::Multikey`] (every
    /// multibase key, once checked against the type it was given with). Only JWKs keep their
    /// suite types (`JsonWebKey2020`, and `EcdsaSecp256k1VerificationKey2019`, whose context
    /// defines `publicKeyJwk`).
    pub fn multibase_as_multikey(self) -> bool {
        !matches!(self, KeyType::JsonWebKey2020)
    }

    /// The type's name as written in a document.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::EcdsaSecp256k1VerificationKey2019 => "EcdsaSecp256k1VerificationKey2019",
            KeyType::Ed25519VerificationKey2020 => "Ed25519VerificationKey2020",
            KeyType::JsonWebKey2020 => "JsonWebKey2020",
            KeyType::Bls12381G2Key2020 => "Bls12381G2Key2020",
            KeyType::Multikey => "Multikey",
        }
    }

    /// The JSON-LD context that defines the type.
    pub fn context(self) -> &'static str {
        match self {
            KeyType::EcdsaSecp256k1VerificationKey2019 => "https://w3id.org/security/suites/secp256k1-2019/v1",
            KeyType::Ed25519VerificationKey2020 => "https://w3id.org/security/suites/ed25519-2020/v1",
            KeyType::JsonWebKey2020 => "https://w3id.org/security/suites/jws-2020/v1",
            KeyType::Bls12381G2Key2020 => "https://w3id.org/security/suites/bls12381-2020/v1",
            KeyType::Multikey => "https://w3id.org/security/multikey/v1",
        }
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A key algorithm with a multicodec code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyCodec {
    /// `ed25519-pub` (0xed), 32 bytes.
    Ed25519,
    /// `secp256k1-pub` (0xe7), 33 bytes (compressed).
    Secp256k1,
    /// `bls12_381-g2-pub` (0xeb), 96 bytes (compressed).
    Bls12381G2,
}

impl KeyCodec {
    /// The unsigned-varint multicodec prefix.
    pub fn prefix(self) -> [u8; 2] {
        match self {
            KeyCodec::Ed25519 => [0xed, 0x01],
            KeyCodec::Secp256k1 => [0xe7, 0x01],
            KeyCodec::Bls12381G2 => [0xeb, 0x01],
        }
    }

    /// The key length in bytes.
    pub fn key_len(self) -> usize {
        match self {
            KeyCodec::Ed25519 => 32,
            KeyCodec::Secp256k1 => 33,
            KeyCodec::Bls12381G2 => 96,
        }
    }

    /// The multicodec name.
    pub fn name(self) -> &'static str {
        match self {
            KeyCodec::Ed25519 => "ed25519-pub",
            KeyCodec::Secp256k1 => "secp256k1-pub",
            KeyCodec::Bls12381G2 => "bls12_381-g2-pub",
        }
    }

    fn from_prefix(prefix: [u8; 2]) -> Option<KeyCodec> {
        [KeyCodec::Ed25519, KeyCodec::Secp256k1, KeyCodec::Bls12381G2].into_iter().find(|c| c.prefix() == prefix)
    }
}

/// A public key as a JSON Web Key (RFC 7517). Only public parameters are kept; `d` is read so that
/// a published private key is refused instead of silently dropped.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Jwk {
    /// Key type: `EC` or `OKP`.
    pub kty: String,
    /// Curve.
    pub crv: String,
    /// x coordinate (EC) or the public key (OKP), unpadded base64url.
    pub x: String,
    /// y coordinate (EC only), unpadded base64url.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub y: Option<String>,
    /// A private key: always refused.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub d: Option<String>,
}

impl Jwk {
    /// An EC public key from its coordinates.
    pub fn ec(crv: &str, x: &[u8], y: &[u8]) -> Jwk {
        Jwk {
            kty: "EC".to_string(),
            crv: crv.to_string(),
            x: encode_base64url(x),
            y: Some(encode_base64url(y)),
            d: None,
        }
    }

    /// An OKP public key (Ed25519, X25519).
    pub fn okp(crv: &str, x: &[u8]) -> Jwk {
        Jwk { kty: "OKP".to_string(), crv: crv.to_string(), x: encode_base64url(x), y: None, d: None }
    }

    /// Checks the key type, curve and coordinate lengths; refuses private keys.
    pub fn check(&self) -> Result<(), KeyError> {
        if self.d.is_some() {
            return Err(KeyError::PrivateKey);
        }
        let (x_len, y_len) = match (self.kty.as_str(), self.crv.as_str()) {
            ("EC", "P-256") | ("EC", "secp256k1") => (32, Some(32)),
            ("EC", "P-384") => (48, Some(48)),
            ("EC", "P-521") => (66, Some(66)),
            ("OKP", "Ed25519") | ("OKP", "X25519") => (32, None),
            _ => return Err(KeyError::UnsupportedJwk { kty: self.kty.clone(), crv: self.crv.clone() }),
        };
        coordinate("x", &self.x, x_len)?;
        match (y_len, &self.y) {
            (Some(len), Some(y)) => coordinate("y", y, len),
            (Some(_), None) => Err(KeyError::JwkParameter { parameter: "y", reason: "an EC key needs it" }),
            (None, Some(_)) => Err(KeyError::JwkParameter { parameter: "y", reason: "an OKP key has none" }),
            (None, None) => Ok(()),
        }
    }
}

fn coordinate(parameter: &'static str, text: &str, len: usize) -> Result<(), KeyError> {
    if text.len() > MAX_KEY_TEXT_LEN {
        return Err(KeyError::TooLong { len: text.len(), max: MAX_KEY_TEXT_LEN });
    }
    let bytes = decode_base64url(text)
        .ok_or(KeyError::JwkParameter { parameter, reason: "not unpadded base64url (RFC 7515)" })?;
    if bytes.len() != len {
        return Err(KeyError::JwkParameter { parameter, reason: "wrong length for the curve" });
    }
    Ok(())
}

/// `z` + base58btc(multicodec prefix ++ key): the `publicKeyMultibase` form of a key.
pub fn encode_multibase_key(codec: KeyCodec, key: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(key.len().saturating_add(2));
    bytes.extend_from_slice(&codec.prefix());
    bytes.extend_from_slice(key);
    let mut out = String::from("z");
    out.push_str(&bs58::encode(bytes).into_string());
    out
}

/// Decodes a `publicKeyMultibase` value: the codec and the key bytes, its length checked.
pub fn decode_multibase_key(text: &str) -> Result<(KeyCodec, Vec<u8>), KeyError> {
    if text.len() > MAX_KEY_TEXT_LEN {
        return Err(KeyError::TooLong { len: text.len(), max: MAX_KEY_TEXT_LEN });
    }
    let encoded = text.strip_prefix('z').ok_or(KeyError::NotBase58btc)?;
    let bytes = bs58::decode(encoded).into_vec().map_err(|e| KeyError::Base58 { reason: e.to_string() })?;
    let (prefix, key) = bytes.split_first_chunk::<2>().ok_or(KeyError::Base58 { reason: "too short".to_string() })?;
    let codec = KeyCodec::from_prefix(*prefix).ok_or(KeyError::UnknownCodec { prefix: u16::from_be_bytes(*prefix) })?;
    if key.len() != codec.key_len() {
        return Err(KeyError::Length { algorithm: codec.name(), expected: codec.key_len(), found: key.len() });
    }
    match codec {
        KeyCodec::Secp256k1 if !matches!(key.first(), Some(0x02 | 0x03)) => {
            return Err(KeyError::NotCompressed {
                algorithm: codec.name(),
                reason: "the first byte must be 0x02 or 0x03",
            })
        }
        KeyCodec::Bls12381G2 => match key.first() {
            Some(b) if b & 0x80 == 0 => {
                return Err(KeyError::NotCompressed {
                    algorithm: codec.name(),
                    reason: "the compression flag is not set",
                })
            }
            Some(b) if b & 0x40 != 0 => {
                return Err(KeyError::NotCompressed {
                    algorithm: codec.name(),
                    reason: "it is the point at infinity, which is no key",
                })
            }
            _ => {}
        },
        _ => {}
    }
    Ok((codec, key.to_vec()))
}

/// Checks key material for a verification method (or attester key) of type `kind`: exactly one
/// of `multibase` and `jwk`, in the form and algorithm the type requires.
pub fn check_key(kind: KeyType, multibase: Option<&str>, jwk: Option<&Jwk>) -> Result<(), KeyError> {
    const MULTIBASE: &str = "publicKeyMultibase";
    const JWK: &str = "publicKeyJwk";
    let expect_codec = |text: &str, expected: KeyCodec| -> Result<(), KeyError> {
        let (codec, _) = decode_multibase_key(text)?;
        if codec == expected {
            Ok(())
        } else {
            Err(KeyError::WrongCodec { kind, expected: expected.name(), found: codec.name() })
        }
    };
    match (kind, multibase, jwk) {
        (_, Some(_), Some(_)) => Err(KeyError::BothKeyForms),
        (KeyType::Ed25519VerificationKey2020, Some(m), None) => expect_codec(m, KeyCodec::Ed25519),
        (KeyType::Bls12381G2Key2020, Some(m), None) => expect_codec(m, KeyCodec::Bls12381G2),
        (KeyType::Multikey, Some(m), None) => decode_multibase_key(m).map(|_| ()),
        (KeyType::Multikey, None, Some(_)) => Err(KeyError::WrongKeyForm { kind, expected: MULTIBASE }),
        (KeyType::Multikey, None, None) => Err(KeyError::MissingKey { kind, expected: MULTIBASE }),
        (KeyType::EcdsaSecp256k1VerificationKey2019, Some(m), None) => expect_codec(m, KeyCodec::Secp256k1),
        (KeyType::EcdsaSecp256k1VerificationKey2019, None, Some(j)) => {
            j.check()?;
            if j.kty == "EC" && j.crv == "secp256k1" {
                Ok(())
            } else {
                Err(KeyError::UnsupportedJwk { kty: j.kty.clone(), crv: j.crv.clone() })
            }
        }
        (KeyType::JsonWebKey2020, None, Some(j)) => j.check(),
        (KeyType::Ed25519VerificationKey2020 | KeyType::Bls12381G2Key2020, None, Some(_)) => {
            Err(KeyError::WrongKeyForm { kind, expected: MULTIBASE })
        }
        (KeyType::JsonWebKey2020, Some(_), None) => Err(KeyError::WrongKeyForm { kind, expected: JWK }),
        (KeyType::EcdsaSecp256k1VerificationKey2019, None, None) => {
            Err(KeyError::MissingKey { kind, expected: "publicKeyMultibase or publicKeyJwk" })
        }
        (KeyType::JsonWebKey2020, None, None) => Err(KeyError::MissingKey { kind, expected: JWK }),
        (KeyType::Ed25519VerificationKey2020 | KeyType::Bls12381G2Key2020, None, None) => {
            Err(KeyError::MissingKey { kind, expected: MULTIBASE })
        }
    }
}

// ---------------------------------------------------------------------------------------------
// base64url without padding (RFC 4648 §5, as JWK uses it)

const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn b64_value(c: u8) -> Option<u32> {
    B64URL.iter().position(|&a| a == c).and_then(|p| u32::try_from(p).ok())
}

/// Unpadded base64url; `None` for any other character, padding, an impossible length or non-zero
/// trailing bits (so every byte string has exactly one encoding).
pub fn decode_base64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len().saturating_mul(3) / 4);
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    for c in text.bytes() {
        acc = (acc << 6) | b64_value(c)?;
        bits = bits.saturating_add(6);
        if bits >= 8 {
            bits = bits.saturating_sub(8);
            out.push(((acc >> bits) & 0xff) as u8);
            acc &= (1u32 << bits).wrapping_sub(1);
        }
    }
    // 6 leftover bits: a lone character, which cannot be a whole byte.
    if bits >= 6 || acc != 0 {
        return None;
    }
    Some(out)
}

/// Unpadded base64url.
pub fn encode_base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity((bytes.len().saturating_mul(4) / 3).saturating_add(3));
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    let mut push = |v: u32| out.push(B64URL.get((v & 63) as usize).map_or('A', |&b| char::from(b)));
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits = bits.saturating_add(8);
        while bits >= 6 {
            bits = bits.saturating_sub(6);
            push(acc >> bits);
        }
        acc &= (1u32 << bits).wrapping_sub(1);
    }
    if bits > 0 {
        push(acc << 6u32.saturating_sub(bits));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_rfc4648_vectors_without_padding() {
        let vectors: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg"),
            (b"fooba", "Zm9vYmE"),
            (b"foobar", "Zm9vYmFy"),
        ];
        for (bytes, text) in vectors {
            assert_eq!(encode_base64url(bytes), text);
            assert_eq!(decode_base64url(text).as_deref(), Some(bytes));
        }
        assert_eq!(encode_base64url(&[0xfb, 0xff]), "-_8");
        for bad in ["Z", "Zg==", "Zh", "Zm9", "Zm9v+", "Zm/v", "a b"] {
            assert_eq!(decode_base64url(bad), None, "{bad}");
        }
    }

    #[test]
    fn multibase_keys_round_trip() {
        for (codec, first) in [(KeyCodec::Ed25519, 7u8), (KeyCodec::Secp256k1, 2), (KeyCodec::Bls12381G2, 0x80)] {
            let mut key = std::vec![9u8; codec.key_len()];
            key[0] = first;
            let text = encode_multibase_key(codec, &key);
            assert!(text.starts_with('z'));
            assert_eq!(decode_multibase_key(&text).unwrap(), (codec, key));
        }
    }
}
