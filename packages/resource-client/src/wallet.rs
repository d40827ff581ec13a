//! Signing keys derived from mnemonics.

use std::fmt;

use cosmrs::crypto::{secp256k1::SigningKey, PublicKey};
use cosmrs::AccountId;

use crate::error::{ClientError, Result};

pub use resource_keys::COSMOS_HD_PATH;

/// A secp256k1 signing key and its bech32 address.
pub struct Wallet {
    key: SigningKey,
    public_key: PublicKey,
    account_id: AccountId,
    address: String,
}

impl Wallet {
    /// Derives the key at [`COSMOS_HD_PATH`] from a BIP-39 phrase (12 to 24 words, no passphrase),
    /// with `resource_keys`, as the SDK does in the browser.
    pub fn from_mnemonic(phrase: &str, prefix: &str) -> Result<Wallet> {
        let secret = resource_keys::Secret::from_phrase(phrase)
            .map_err(|e| ClientError::InvalidMnemonic { reason: e.to_string() })?;
        let derived = resource_keys::CosmosKey::derive(&secret, prefix).map_err(|e| match e {
            resource_keys::KeyError::InvalidPrefix { reason, .. } => {
                ClientError::InvalidConfig { field: "prefix", value: prefix.to_owned(), reason }
            }
            other => ClientError::KeyDerivation { reason: other.to_string() },
        })?;
        let key = SigningKey::from_slice(&*derived.secret_bytes())
            .map_err(|e| ClientError::KeyDerivation { reason: e.to_string() })?;
        Wallet::from_signing_key(key, prefix)
    }

    /// Wraps an existing key.
    pub fn from_signing_key(key: SigningKey, prefix: &str) -> Result<Wallet> {
        let public_key = key.public_key();
        let account_id = public_key.account_id(prefix).map_err(|e| ClientError::InvalidConfig {
            field: "prefix",
            value: prefix.to_owned(),
            reason: format!("{e:#}"),
        })?;
        let address = account_id.to_string();
        Ok(Wallet { key, public_key, account_id, address })
    }

    /// The bech32 address.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The address as a cosmrs [`AccountId`].
    pub fn account_id(&self) -> &AccountId {
        &self.account_id
    }

    /// The public key, as put into the transactions' signer info.
    pub fn public_key(&self) -> PublicKey {
        self.public_key
    }

    /// The signing key.
    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.key
    }
}

// Hand-written so that the key never lands in logs.
impl fmt::Debug for Wallet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wallet").field("address", &self.address).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_accounts::test_account;

    fn address_of(name: &str) -> String {
        let account = test_account(name).unwrap();
        Wallet::from_mnemonic(account.mnemonic, "inj").unwrap().address().to_owned()
    }

    #[test]
    fn matches_the_node_own_key_derivation() {
        // Addresses printed by `injectived keys add --recover --key-type secp256k1 --coin-type 118`.
        assert_eq!(address_of("admin"), "inj1kntk02uwdp3h6depqqcynrrtj8n2nj7pu9m3af");
        assert_eq!(address_of("alice"), "inj1l67pxmnuaqyeefqp5d3hecf0sjgq79tcyqkws7");
    }

    #[test]
    fn prefix_only_changes_the_bech32_form() {
        let mnemonic = test_account("admin").unwrap().mnemonic;
        let inj = Wallet::from_mnemonic(mnemonic, "inj").unwrap();
        let wasm = Wallet::from_mnemonic(mnemonic, "wasm").unwrap();
        assert!(wasm.address().starts_with("wasm1"));
        assert_eq!(inj.account_id().to_bytes(), wasm.account_id().to_bytes());
    }

    #[test]
    fn accepts_twelve_words() {
        // The BIP-39 reference phrase; the cosmrs bip32 parser alone would reject 12 words.
        let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
        let wallet = Wallet::from_mnemonic(phrase, "inj").unwrap();
        // Printed by `injectived keys add --recover --key-type secp256k1 --coin-type 118` for this phrase.
        assert_eq!(wallet.address(), "inj19rl4cm2hmr8afy4kldpxz3fka4jguq0akf6edd");
    }

    #[test]
    fn rejects_bad_phrases() {
        let err = Wallet::from_mnemonic("not a real mnemonic at all", "inj").unwrap_err();
        assert!(matches!(err, ClientError::InvalidMnemonic { .. }), "{err:?}");
    }

    #[test]
    fn debug_shows_only_the_address() {
        let wallet = Wallet::from_mnemonic(test_account("bob").unwrap().mnemonic, "inj").unwrap();
        assert_eq!(format!("{wallet:?}"), format!("Wallet {{ address: {:?}, .. }}", wallet.address()));
    }
}
