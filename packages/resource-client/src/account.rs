//! Decoding the account types `/cosmos.auth.v1beta1.Query/Account` returns.

use cosmrs::proto::cosmos::auth::v1beta1::{BaseAccount, ModuleAccount};
use cosmrs::proto::cosmos::vesting::v1beta1::{
    ContinuousVestingAccount, DelayedVestingAccount, PeriodicVestingAccount, PermanentLockedAccount,
};
use cosmrs::Any;
use prost::{Message, Name};

use crate::error::{ClientError, Result};

/// Injective's account type (`/injective.types.v1beta1.EthAccount`): a BaseAccount plus an EVM code hash.
#[derive(Clone, PartialEq, Message)]
pub struct EthAccount {
    /// The Cosmos account inside.
    #[prost(message, optional, tag = "1")]
    pub base_account: Option<BaseAccount>,
    /// Keccak hash of the account's EVM code (empty code for user accounts).
    #[prost(bytes = "vec", tag = "2")]
    pub code_hash: Vec<u8>,
}

/// Type URL of [`EthAccount`].
pub const ETH_ACCOUNT_TYPE_URL: &str = "/injective.types.v1beta1.EthAccount";

/// Account number and sequence from an account `Any`, whatever the account type wraps the
/// BaseAccount in (plain Cosmos, Injective's EthAccount, module and vesting accounts).
pub fn account_number_and_sequence(account: &Any) -> Result<(u64, u64)> {
    let base = base_account(account)?;
    Ok((base.account_number, base.sequence))
}

fn base_account(account: &Any) -> Result<BaseAccount> {
    let bytes = account.value.as_slice();
    let base = match account.type_url.as_str() {
        url if url == BaseAccount::type_url() => Some(decode::<BaseAccount>(bytes)?),
        ETH_ACCOUNT_TYPE_URL => decode::<EthAccount>(bytes)?.base_account,
        url if url == ModuleAccount::type_url() => decode::<ModuleAccount>(bytes)?.base_account,
        url if url == ContinuousVestingAccount::type_url() => {
            decode::<ContinuousVestingAccount>(bytes)?.base_vesting_account.and_then(|v| v.base_account)
        }
        url if url == DelayedVestingAccount::type_url() => {
            decode::<DelayedVestingAccount>(bytes)?.base_vesting_account.and_then(|v| v.base_account)
        }
        url if url == PeriodicVestingAccount::type_url() => {
            decode::<PeriodicVestingAccount>(bytes)?.base_vesting_account.and_then(|v| v.base_account)
        }
        url if url == PermanentLockedAccount::type_url() => {
            decode::<PermanentLockedAccount>(bytes)?.base_vesting_account.and_then(|v| v.base_account)
        }
        other => {
            return Err(ClientError::Decode {
                what: "account".into(),
                reason: format!("unsupported account type `{other}`"),
            })
        }
    };
    base.ok_or_else(|| ClientError::Decode {
        what: "account".into(),
        reason: format!("`{}` without a base account", account.type_url),
    })
}

fn decode<M: Message + Default>(bytes: &[u8]) -> Result<M> {
    M::decode(bytes).map_err(|e| ClientError::Decode { what: "account".into(), reason: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmrs::proto::cosmos::vesting::v1beta1::BaseVestingAccount;

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
