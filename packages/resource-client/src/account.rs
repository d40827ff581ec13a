//! Decoding the account types `/cosmos.auth.v1beta1.Query/Account` returns, with `resource_tx`'s
//! decoder (the one the SDK runs in browsers).

use cosmrs::Any;

use crate::error::{ClientError, Result};

pub use resource_tx::ETH_ACCOUNT_TYPE_URL;

/// Account number and sequence from an account `Any`, whatever the account type wraps the
/// BaseAccount in (plain Cosmos, Injective's EthAccount, module and vesting accounts).
pub fn account_number_and_sequence(account: &Any) -> Result<(u64, u64)> {
    resource_tx::account_number_and_sequence(&account.type_url, &account.value).map_err(|e| ClientError::Decode {
        what: "account".into(),
        reason: match e {
            resource_tx::TxError::AccountType { type_url } => format!("unsupported account type `{type_url}`"),
            other => other.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmrs::proto::cosmos::auth::v1beta1::BaseAccount;
    use cosmrs::proto::cosmos::vesting::v1beta1::{BaseVestingAccount, ContinuousVestingAccount};
    use prost::{Message, Name};

    /// Injective's account type, as its node encodes it.
    #[derive(Clone, PartialEq, Message)]
    struct EthAccount {
        #[prost(message, optional, tag = "1")]
        base_account: Option<BaseAccount>,
        #[prost(bytes = "vec", tag = "2")]
        code_hash: Vec<u8>,
    }

    fn base(number: u64, sequence: u64) -> BaseAccount {
        BaseAccount {
            address: "inj1kntk02uwdp3h6depqqcynrrtj8n2nj7pu9m3af".into(),
            pub_key: None,
            account_number: number,
            sequence,
        }
    }

    #[test]
    fn decodes_eth_account() {
        let eth = EthAccount { base_account: Some(base(7, 42)), code_hash: vec![0xc5; 32] };
        let any = Any { type_url: ETH_ACCOUNT_TYPE_URL.into(), value: eth.encode_to_vec() };
        assert_eq!(account_number_and_sequence(&any).unwrap(), (7, 42));
    }

    #[test]
    fn decodes_plain_base_account() {
        let any = Any { type_url: "/cosmos.auth.v1beta1.BaseAccount".into(), value: base(3, 0).encode_to_vec() };
        assert_eq!(account_number_and_sequence(&any).unwrap(), (3, 0));
    }

    #[test]
    fn decodes_vesting_account() {
        let vesting = ContinuousVestingAccount {
            base_vesting_account: Some(BaseVestingAccount { base_account: Some(base(9, 1)), ..Default::default() }),
            start_time: 0,
        };
        let any = Any { type_url: ContinuousVestingAccount::type_url(), value: vesting.encode_to_vec() };
        assert_eq!(account_number_and_sequence(&any).unwrap(), (9, 1));
    }

    #[test]
    fn rejects_unknown_and_empty_accounts() {
        let unknown = Any { type_url: "/foo.Account".into(), value: vec![] };
        assert!(matches!(account_number_and_sequence(&unknown), Err(ClientError::Decode { .. })));
        let empty = Any { type_url: ETH_ACCOUNT_TYPE_URL.into(), value: EthAccount::default().encode_to_vec() };
        assert!(matches!(account_number_and_sequence(&empty), Err(ClientError::Decode { .. })));
        let garbage = Any { type_url: ETH_ACCOUNT_TYPE_URL.into(), value: vec![0x0a, 0xff] };
        assert!(matches!(account_number_and_sequence(&garbage), Err(ClientError::Decode { .. })));
    }
}
