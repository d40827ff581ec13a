//! The Cosmos secp256k1 key of a secret and its bech32 address.

use k256::ecdsa::signature::Signer;
use k256::ecdsa::{Signature, SigningKey};
use ripemd::Ripemd160;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{KeyError, Secret};

/// The Cosmos HD path (coin type 118), as `injectived keys add --key-type secp256k1 --coin-type 118`
/// and Keplr derive it.
pub const COSMOS_HD_PATH: &str = "m/44'/118'/0'/0/0";

/// A secp256k1 signing key and its address under one bech32 prefix.
#[derive(Clone)]
pub struct CosmosKey {
    signing: SigningKey,
    public_key: [u8; 33],
    address: String,
}

impl CosmosKey {
    /// The key at [`COSMOS_HD_PATH`] of `secret`, its address under `prefix` (e.g. `inj`).
    pub fn derive(secret: &Secret, prefix: &str) -> Result<CosmosKey, KeyError> {
        let path: bip32::DerivationPath =
            COSMOS_HD_PATH.parse().map_err(|e: bip32::Error| KeyError::Derivation { reason: e.to_string() })?;
        let xprv = bip32::XPrv::derive_from_path(*secret.seed(), &path)
            .map_err(|e| KeyError::Derivation { reason: e.to_string() })?;
        let bytes = Zeroizing::new(xprv.private_key().to_bytes());
        CosmosKey::from_bytes(&bytes, prefix)
    }

    /// The key of 32 secret-key bytes, its address under `prefix`.
    pub fn from_bytes(bytes: &[u8], prefix: &str) -> Result<CosmosKey, KeyError> {
        let signing = SigningKey::from_slice(bytes).map_err(|e| KeyError::Derivation { reason: e.to_string() })?;
        let point = signing.verifying_key().to_encoded_point(true);
        let public_key: [u8; 33] = point.as_bytes().try_into().expect("a compressed point is 33 bytes");
        let address = address_of(&public_key, prefix)?;
        Ok(CosmosKey { signing, public_key, address })
    }

    pub fn address(&self) -> &str {
        &self.address
    }

    /// The compressed public key, as a transaction's signer info carries it.
    pub fn public_key(&self) -> [u8; 33] {
        self.public_key
    }

    /// The 32 secret-key bytes (for a signer that needs them whole, such as the Rust client).
    pub fn secret_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.signing.to_bytes().into())
    }

    /// The Cosmos signature of `message`: ECDSA over its SHA-256, `r || s` with a low `s`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        let signature: Signature = self.signing.sign(message);
        let signature = signature.normalize_s().unwrap_or(signature);
        signature.to_bytes().into()
    }
}

// Hand-written so that the key never lands in logs.
impl std::fmt::Debug for CosmosKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CosmosKey").field("address", &self.address).finish_non_exhaustive()
    }
}

/// The bech32 address of a compressed secp256k1 public key: RIPEMD-160 of its SHA-256.
pub fn address_of(public_key: &[u8; 33], prefix: &str) -> Result<String, KeyError> {
    let hrp = bech32::Hrp::parse(prefix)
        .map_err(|e| KeyError::InvalidPrefix { prefix: prefix.to_string(), reason: e.to_string() })?;
    if prefix.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(KeyError::InvalidPrefix { prefix: prefix.to_string(), reason: "capital letters".into() });
    }
    let hash = Ripemd160::digest(Sha256::digest(public_key));
    bech32::encode::<bech32::Bech32>(hrp, &hash)
        .map_err(|e| KeyError::InvalidPrefix { prefix: prefix.to_string(), reason: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use k256::ecdsa::signature::Verifier;
    use k256::ecdsa::VerifyingKey;

    const ABANDON: &str =
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    #[test]
    fn derives_what_the_node_derives() {
        // Printed by `injectived keys add --recover --key-type secp256k1 --coin-type 118`.
        let key = CosmosKey::derive(&Secret::from_phrase(ABANDON).unwrap(), "inj").unwrap();
        assert_eq!(key.address(), "inj19rl4cm2hmr8afy4kldpxz3fka4jguq0akf6edd");
        let admin = "stem spare trim course distance problem armor desk earn toe unhappy aunt assist sibling journey stairs miracle grow force lake vacuum hidden include pole";
        let admin = CosmosKey::derive(&Secret::from_phrase(admin).unwrap(), "inj").unwrap();
        assert_eq!(admin.address(), "inj1kntk02uwdp3h6depqqcynrrtj8n2nj7pu9m3af");
    }

    #[test]
    fn the_prefix_changes_only_the_form() {
        let secret = Secret::from_phrase(ABANDON).unwrap();
        let (inj, cosmos) = (CosmosKey::derive(&secret, "inj").unwrap(), CosmosKey::derive(&secret, "cosmos").unwrap());
        assert!(cosmos.address().starts_with("cosmos1"));
        let data = |a: &str| bech32::decode(a).unwrap().1;
        assert_eq!(data(inj.address()), data(cosmos.address()));
        for bad in ["", "INJ", "in j"] {
            let err = CosmosKey::derive(&secret, bad).unwrap_err();
            assert_eq!(err.code(), "invalid_prefix", "{bad:?}: {err}");
        }
    }

    #[test]
    fn signatures_verify_and_have_a_low_s() {
        let key = CosmosKey::derive(&Secret::from_phrase(ABANDON).unwrap(), "inj").unwrap();
        let signature = key.sign(b"sign doc bytes");
        let parsed = Signature::from_slice(&signature).unwrap();
        assert!(parsed.normalize_s().is_none(), "s is already low");
        let verifying = VerifyingKey::from_sec1_bytes(&key.public_key()).unwrap();
        verifying.verify(b"sign doc bytes", &parsed).unwrap();
        assert!(verifying.verify(b"other bytes", &parsed).is_err());
        assert_eq!(format!("{key:?}"), format!("CosmosKey {{ address: {:?}, .. }}", key.address()));
    }
}
