//! Cosmos transactions, built and signed where the key is (the SDK in a merchant's page, the Rust
//! client): a `MsgExecuteContract` body for any contract message, `SIGN_MODE_DIRECT` signing with a
//! [`resource_keys::CosmosKey`], the `TxRaw` bytes a node broadcasts, the unsigned form a node
//! simulates for gas, and the node's answers decoded (the account's number and sequence, whatever
//! account type wraps them, Injective's `EthAccount` included; the gas a simulation used).
//!
//! No transport: the caller fetches and broadcasts (the SDK through `fetch`, the client through its
//! RPC connection), so the crate builds for wasm32 and its output is checked byte for byte against
//! cosmrs's, which the chain suite's transactions go through.

use cosmos_sdk_proto::cosmos::auth::v1beta1::{BaseAccount, ModuleAccount, QueryAccountResponse};
use cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::mode_info::{Single, Sum};
use cosmos_sdk_proto::cosmos::tx::v1beta1::{
    AuthInfo, Fee as ProtoFee, ModeInfo, SignDoc, SignerInfo, SimulateRequest, SimulateResponse, TxBody, TxRaw,
};
use cosmos_sdk_proto::cosmos::vesting::v1beta1::{
    ContinuousVestingAccount, DelayedVestingAccount, PeriodicVestingAccount, PermanentLockedAccount,
};
use cosmos_sdk_proto::cosmwasm::wasm::v1::MsgExecuteContract;
use cosmos_sdk_proto::Any;
use prost::Message;
use resource_keys::CosmosKey;
use serde::{Deserialize, Serialize};

/// Why a transaction could not be built or an answer read; `code()` is stable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TxError {
    #[error("the node's account answer cannot be read ({reason}); is the address right, and does the account exist (has it received anything yet)?")]
    Account { reason: String },
    #[error("the account type `{type_url}` is not one this software reads (BaseAccount, EthAccount, module and vesting accounts)")]
    AccountType { type_url: String },
    #[error("the node's simulation answer cannot be read ({reason})")]
    Simulation { reason: String },
    #[error("an amount of {amount} {denom} does not fit the chain's coin type")]
    Amount { amount: u128, denom: String },
}

impl TxError {
    pub fn code(&self) -> &'static str {
        match self {
            TxError::Account { .. } => "account_unreadable",
            TxError::AccountType { .. } => "account_type_unknown",
            TxError::Simulation { .. } => "simulation_unreadable",
            TxError::Amount { .. } => "invalid_amount",
        }
    }
}

/// A coin (`amount` in the denom's smallest unit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coin {
    pub denom: String,
    #[serde(with = "decimal")]
    pub amount: u128,
}

/// What the transaction pays: `amount` for at most `gas_limit` gas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    pub amount: Vec<Coin>,
    pub gas_limit: u64,
}

/// Who signs, as the chain knows the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    pub chain_id: String,
    pub account_number: u64,
    pub sequence: u64,
}

/// One contract call: `msg` is the contract's message as JSON bytes (from `resource_msgs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Execute {
    pub contract: String,
    pub msg: serde_json::Value,
    #[serde(default)]
    pub funds: Vec<Coin>,
}

mod decimal {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(|_| serde::de::Error::custom(format!("{text:?} is not a whole number (a decimal string)")))
    }
}

const SECP256K1_PUBKEY_URL: &str = "/cosmos.crypto.secp256k1.PubKey";
const EXECUTE_URL: &str = "/cosmwasm.wasm.v1.MsgExecuteContract";
const SEND_URL: &str = "/cosmos.bank.v1beta1.MsgSend";
/// Injective's account type: a BaseAccount plus an EVM code hash.
pub const ETH_ACCOUNT_TYPE_URL: &str = "/injective.types.v1beta1.EthAccount";

fn coins(list: &[Coin]) -> Vec<ProtoCoin> {
    list.iter().map(|c| ProtoCoin { denom: c.denom.clone(), amount: c.amount.to_string() }).collect()
}

/// The `Any` of a `MsgExecuteContract` from `sender`.
pub fn execute_msg(sender: &str, execute: &Execute) -> Any {
    let msg = MsgExecuteContract {
        sender: sender.to_string(),
        contract: execute.contract.clone(),
        msg: serde_json::to_vec(&execute.msg).expect("a JSON value serializes"),
        funds: coins(&execute.funds),
    };
    Any { type_url: EXECUTE_URL.into(), value: msg.encode_to_vec() }
}

/// The `Any` of a bank `MsgSend` of `amount` from `from` to `to` (gas money for a new account).
pub fn send_msg(from: &str, to: &str, amount: &[Coin]) -> Any {
    let msg = MsgSend { from_address: from.to_string(), to_address: to.to_string(), amount: coins(amount) };
    Any { type_url: SEND_URL.into(), value: msg.encode_to_vec() }
}

/// The body of a transaction of `msgs`.
pub fn body(msgs: Vec<Any>, memo: &str) -> TxBody {
    TxBody { messages: msgs, memo: memo.to_string(), timeout_height: 0, ..Default::default() }
}

fn auth_info(public_key: &[u8; 33], sequence: u64, fee: &Fee) -> AuthInfo {
    let key = PubKey { key: public_key.to_vec() };
    let signer = SignerInfo {
        public_key: Some(Any { type_url: SECP256K1_PUBKEY_URL.into(), value: key.encode_to_vec() }),
        mode_info: Some(ModeInfo { sum: Some(Sum::Single(Single { mode: SignMode::Direct as i32 })) }),
        sequence,
    };
    #[allow(deprecated)] // `tip` is gone from the SDK; the field stays in the type.
    AuthInfo {
        signer_infos: vec![signer],
        fee: Some(ProtoFee {
            amount: coins(&fee.amount),
            gas_limit: fee.gas_limit,
            payer: String::new(),
            granter: String::new(),
        }),
        tip: None,
    }
}

/// A transaction before its signature: the two parts of the `SignDoc` that any `SIGN_MODE_DIRECT`
/// signer signs (this crate's keys, or a wallet's: Keplr, Leap, a cosmjs `OfflineDirectSigner`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsigned {
    pub body_bytes: Vec<u8>,
    pub auth_info_bytes: Vec<u8>,
}

/// `body` paying `fee`, to be signed in `SIGN_MODE_DIRECT` by the holder of `public_key` at `sequence`.
pub fn unsigned(public_key: &[u8; 33], body: &TxBody, fee: &Fee, sequence: u64) -> Unsigned {
    Unsigned { body_bytes: body.encode_to_vec(), auth_info_bytes: auth_info(public_key, sequence, fee).encode_to_vec() }
}

/// The `SignDoc` bytes whose signature the chain checks.
pub fn sign_doc(unsigned: &Unsigned, chain_id: &str, account_number: u64) -> Vec<u8> {
    SignDoc {
        body_bytes: unsigned.body_bytes.clone(),
        auth_info_bytes: unsigned.auth_info_bytes.clone(),
        chain_id: chain_id.to_string(),
        account_number,
    }
    .encode_to_vec()
}

/// The bytes a node broadcasts: the two signed parts and the signature.
pub fn tx_raw(unsigned: Unsigned, signature: Vec<u8>) -> Vec<u8> {
    TxRaw { body_bytes: unsigned.body_bytes, auth_info_bytes: unsigned.auth_info_bytes, signatures: vec![signature] }
        .encode_to_vec()
}

/// The bytes a node broadcasts: `body` signed in `SIGN_MODE_DIRECT` by `key` as `signer`.
pub fn sign_direct(key: &CosmosKey, body: &TxBody, fee: &Fee, signer: &Signer) -> Vec<u8> {
    let unsigned = unsigned(&key.public_key(), body, fee, signer.sequence);
    let signature = key.sign(&sign_doc(&unsigned, &signer.chain_id, signer.account_number));
    tx_raw(unsigned, signature.to_vec())
}

/// The request `/cosmos.tx.v1beta1.Service/Simulate` takes for `body` from the holder of
/// `public_key` at `sequence`: the transaction with an empty signature (a node checks no signature
/// when simulating, and charges the same gas).
pub fn simulate_request(public_key: &[u8; 33], body: &TxBody, sequence: u64) -> Vec<u8> {
    let fee = Fee { amount: Vec::new(), gas_limit: 0 };
    let tx = tx_raw(unsigned(public_key, body, &fee, sequence), vec![0u8; 64]);
    #[allow(deprecated)] // `tx` is the old field; `tx_bytes` is what nodes read.
    SimulateRequest { tx: None, tx_bytes: tx }.encode_to_vec()
}

/// The gas a simulation used, from the node's `SimulateResponse` bytes.
pub fn simulated_gas(response: &[u8]) -> Result<u64, TxError> {
    let response = SimulateResponse::decode(response).map_err(|e| TxError::Simulation { reason: e.to_string() })?;
    response.gas_info.map(|g| g.gas_used).ok_or_else(|| TxError::Simulation { reason: "no gas_info".into() })
}

/// Injective's `EthAccount`.
#[derive(Clone, PartialEq, Message)]
struct EthAccount {
    #[prost(message, optional, tag = "1")]
    base_account: Option<BaseAccount>,
    #[prost(bytes = "vec", tag = "2")]
    code_hash: Vec<u8>,
}

/// The account number and sequence in a node's `QueryAccountResponse` bytes (the answer of
/// `/cosmos.auth.v1beta1.Query/Account`), whatever account type wraps the base account.
pub fn account_of_response(response: &[u8]) -> Result<(u64, u64), TxError> {
    let bad = |reason: String| TxError::Account { reason };
    let response = QueryAccountResponse::decode(response).map_err(|e| bad(e.to_string()))?;
    let any = response.account.ok_or_else(|| bad("no account in the answer".into()))?;
    account_number_and_sequence(&any.type_url, &any.value)
}

/// The account number and sequence of an account `Any` (`type_url`, `value`).
pub fn account_number_and_sequence(type_url: &str, value: &[u8]) -> Result<(u64, u64), TxError> {
    fn decode<M: Message + Default>(bytes: &[u8]) -> Result<M, TxError> {
        M::decode(bytes).map_err(|e| TxError::Account { reason: e.to_string() })
    }
    let base = match type_url {
        "/cosmos.auth.v1beta1.BaseAccount" => Some(decode::<BaseAccount>(value)?),
        ETH_ACCOUNT_TYPE_URL => decode::<EthAccount>(value)?.base_account,
        "/cosmos.auth.v1beta1.ModuleAccount" => decode::<ModuleAccount>(value)?.base_account,
        "/cosmos.vesting.v1beta1.ContinuousVestingAccount" => {
            decode::<ContinuousVestingAccount>(value)?.base_vesting_account.and_then(|v| v.base_account)
        }
        "/cosmos.vesting.v1beta1.DelayedVestingAccount" => {
            decode::<DelayedVestingAccount>(value)?.base_vesting_account.and_then(|v| v.base_account)
        }
        "/cosmos.vesting.v1beta1.PeriodicVestingAccount" => {
            decode::<PeriodicVestingAccount>(value)?.base_vesting_account.and_then(|v| v.base_account)
        }
        "/cosmos.vesting.v1beta1.PermanentLockedAccount" => {
            decode::<PermanentLockedAccount>(value)?.base_vesting_account.and_then(|v| v.base_account)
        }
        other => return Err(TxError::AccountType { type_url: other.to_string() }),
    };
    let base = base.ok_or_else(|| TxError::Account { reason: format!("`{type_url}` without a base account") })?;
    Ok((base.account_number, base.sequence))
}

#[cfg(test)]
mod tests {
    use super::*;
    use resource_keys::Secret;

    const ALICE: &str = "wink lab invite deal icon mask brave proud hill usage trim protect rapid snack actor shift long yellow guess comic bubble biology copy mail";

    fn key() -> CosmosKey {
        CosmosKey::derive(&Secret::from_phrase(ALICE).unwrap(), "inj").unwrap()
    }

    fn transfer() -> Execute {
        Execute {
            contract: "inj14hj2tavq8fpesdwxxcu44rty3hh90vhujaxlnz".into(),
            msg: serde_json::json!({ "transfer": { "recipient": "inj1l67pxmnuaqyeefqp5d3hecf0sjgq79tcyqkws7", "amount": "250" } }),
            funds: vec![Coin { denom: "inj".into(), amount: 7 }],
        }
    }

    /// The same transaction signed by cosmrs, as the Rust client signs (the chain suite's path).
    fn cosmrs_bytes(fee: &Fee, signer: &Signer) -> Vec<u8> {
        use cosmrs::crypto::secp256k1::SigningKey;
        use cosmrs::tx::{Body, Fee as CFee, SignDoc as CDoc, SignerInfo as CSigner};
        let signing = SigningKey::from_slice(&*key().secret_bytes()).unwrap();
        let msg = execute_msg(key().address(), &transfer());
        let any = cosmrs::Any { type_url: msg.type_url, value: msg.value };
        let body = Body::new(vec![any], "", 0u32);
        let coin = cosmrs::Coin::new(fee.amount[0].amount, &fee.amount[0].denom).unwrap();
        let auth = CSigner::single_direct(Some(signing.public_key()), signer.sequence)
            .auth_info(CFee::from_amount_and_gas(coin, fee.gas_limit));
        let doc = CDoc::new(&body, &auth, &signer.chain_id.parse().unwrap(), signer.account_number).unwrap();
        doc.sign(&signing).unwrap().to_bytes().unwrap()
    }

    #[test]
    fn a_signed_execute_is_byte_for_byte_what_cosmrs_signs() {
        let fee = Fee { amount: vec![Coin { denom: "inj".into(), amount: 1_000_000_000_000_000 }], gas_limit: 300_000 };
        let signer = Signer { chain_id: "resource-1".into(), account_number: 12, sequence: 3 };
        let ours = sign_direct(&key(), &body(vec![execute_msg(key().address(), &transfer())], ""), &fee, &signer);
        assert_eq!(ours, cosmrs_bytes(&fee, &signer));
        let tx = TxRaw::decode(ours.as_slice()).unwrap();
        assert_eq!(tx.signatures[0].len(), 64);
        let body = TxBody::decode(tx.body_bytes.as_slice()).unwrap();
        let msg = MsgExecuteContract::decode(body.messages[0].value.as_slice()).unwrap();
        assert_eq!(msg.sender, "inj1l67pxmnuaqyeefqp5d3hecf0sjgq79tcyqkws7");
        assert_eq!(serde_json::from_slice::<serde_json::Value>(&msg.msg).unwrap(), transfer().msg);
    }

    #[test]
    fn a_signature_made_elsewhere_over_the_sign_doc_gives_the_same_transaction() {
        let fee = Fee { amount: vec![Coin { denom: "inj".into(), amount: 5 }], gas_limit: 200_000 };
        let signer = Signer { chain_id: "resource-1".into(), account_number: 4, sequence: 9 };
        let body = body(vec![execute_msg(key().address(), &transfer())], "memo");
        let parts = unsigned(&key().public_key(), &body, &fee, signer.sequence);
        let doc = SignDoc::decode(sign_doc(&parts, "resource-1", 4).as_slice()).unwrap();
        assert_eq!((doc.chain_id.as_str(), doc.account_number), ("resource-1", 4));
        assert_eq!(doc.body_bytes, parts.body_bytes);
        let signature = key().sign(&doc.encode_to_vec());
        assert_eq!(tx_raw(parts, signature.to_vec()), sign_direct(&key(), &body, &fee, &signer));
    }

    #[test]
    fn a_bank_send_is_what_cosmrs_encodes() {
        let to = "inj14hj2tavq8fpesdwxxcu44rty3hh90vhujaxlnz";
        let ours = send_msg(key().address(), to, &[Coin { denom: "inj".into(), amount: 1_000 }]);
        let theirs = cosmrs::bank::MsgSend {
            from_address: key().address().parse().unwrap(),
            to_address: to.parse().unwrap(),
            amount: vec![cosmrs::Coin::new(1_000, "inj").unwrap()],
        };
        let theirs = cosmrs::tx::Msg::to_any(&theirs).unwrap();
        assert_eq!((ours.type_url, ours.value), (theirs.type_url, theirs.value));
    }

    #[test]
    fn accounts_of_every_type_are_read() {
        let base = BaseAccount { address: "inj1x".into(), pub_key: None, account_number: 7, sequence: 42 };
        let eth = EthAccount { base_account: Some(base.clone()), code_hash: vec![0xc5; 32] };
        let answer = |type_url: &str, value: Vec<u8>| {
            QueryAccountResponse { account: Some(Any { type_url: type_url.into(), value }) }.encode_to_vec()
        };
        assert_eq!(account_of_response(&answer(ETH_ACCOUNT_TYPE_URL, eth.encode_to_vec())).unwrap(), (7, 42));
        let plain = answer("/cosmos.auth.v1beta1.BaseAccount", base.encode_to_vec());
        assert_eq!(account_of_response(&plain).unwrap(), (7, 42));
        let unknown = account_of_response(&answer("/foo.Account", vec![])).unwrap_err();
        assert_eq!(unknown.code(), "account_type_unknown");
        let empty = account_of_response(&answer(ETH_ACCOUNT_TYPE_URL, EthAccount::default().encode_to_vec()));
        assert_eq!(empty.unwrap_err().code(), "account_unreadable");
        assert_eq!(account_of_response(&[0x0a, 0xff]).unwrap_err().code(), "account_unreadable");
    }

    #[test]
    fn a_simulation_request_carries_the_body_and_the_key() {
        let body = body(vec![execute_msg(key().address(), &transfer())], "checkout");
        let request = SimulateRequest::decode(simulate_request(&key().public_key(), &body, 5).as_slice()).unwrap();
        let tx = TxRaw::decode(request.tx_bytes.as_slice()).unwrap();
        assert_eq!(TxBody::decode(tx.body_bytes.as_slice()).unwrap().memo, "checkout");
        let auth = AuthInfo::decode(tx.auth_info_bytes.as_slice()).unwrap();
        assert_eq!(auth.signer_infos[0].sequence, 5);
        let gas = SimulateResponse {
            gas_info: Some(cosmos_sdk_proto::cosmos::base::abci::v1beta1::GasInfo { gas_wanted: 0, gas_used: 123_456 }),
            result: None,
        };
        assert_eq!(simulated_gas(&gas.encode_to_vec()).unwrap(), 123_456);
        assert_eq!(
            simulated_gas(&SimulateResponse::default().encode_to_vec()).unwrap_err().code(),
            "simulation_unreadable"
        );
    }
}
