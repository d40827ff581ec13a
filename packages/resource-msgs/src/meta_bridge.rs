//! The meta-network bridge (`contracts/meta-bridge`, artifact `meta_bridge.wasm`): an IBC application
//! joining two community networks. Its messages, queries, and the wire types of its IBC channel: the
//! handshake version, the packet and the acknowledgement (kept here as Polytone keeps its packet
//! types in a package, so both ends and every client read the same types).
//!
//! A member pays a member of the other network by sending credit to its bridge through the credit
//! token's `Send` with a [`ReceiveMsg::Pay`] ([`pay_msg`] builds it). The bridge holds the amount and
//! sends a [`PaymentPacket`]; the other bridge pays the receiver from its own account at the channel's
//! rate and answers with a [`PaymentAck`]. An error acknowledgement or a timeout refunds the sender
//! exactly what it sent.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{to_json_binary, Addr, Binary, StdResult, Uint128};
pub use cw20::Cw20ReceiveMsg;
pub use resource_core::bridge::PaymentStatus;

/// The channel version both ends must agree on in the handshake.
pub const PROTOCOL_VERSION: &str = "resource-meta-1";
/// The packet timeout when a payment names none, in seconds.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 600;
/// The longest packet timeout a payment may ask for, in seconds (one day): the sender's credit is
/// held until then.
pub const MAX_TIMEOUT_SECONDS: u64 = 86_400;
/// The shortest packet timeout, in seconds: a packet needs a few blocks to be relayed.
pub const MIN_TIMEOUT_SECONDS: u64 = 10;
/// The longest receiver address and memo a packet carries, in bytes.
pub const MAX_RECEIVER_LEN: usize = 128;
pub const MAX_MEMO_LEN: usize = 256;
/// The gas the bridge gives the credit token's payout or refund: the bridge keeps the rest of the
/// transaction's gas to write the error acknowledgement (or the refund's failure) when the token
/// runs out of it, instead of failing the whole relay transaction.
pub const PAYOUT_GAS_LIMIT: u64 = 400_000;

#[cw_serde]
pub struct InstantiateMsg {
    /// Defaults to the instantiating address.
    pub admin: Option<String>,
    /// The network's credit token: the bridge is one of its members (with a credit line set by the
    /// network) and should be fee-exempt, so that its payouts and refunds are exact.
    pub credit_token: String,
    /// This network's name, as the other side's status shows it (for example `asheville-rusd`).
    pub network: String,
}

#[cw_serde]
pub enum ExecuteMsg {
    /// The credit token's `Send` hook; `msg` is a [`ReceiveMsg`]. Only the configured token may call it.
    Receive(Cw20ReceiveMsg),
    /// Admin: the counterpart network of an open channel, the rate of what comes in over it, and the
    /// most that network may draw here net of what went the other way. A channel carries nothing until
    /// it is configured. May be sent again to change the rate or the limit.
    ConfigureChannel {
        channel_id: String,
        /// The other network's name (informational).
        counterparty_network: String,
        /// Local units per `rate_denominator` units of the other network.
        rate_numerator: Uint128,
        rate_denominator: Uint128,
        /// In local units.
        draw_limit: Uint128,
    },
    /// Admin: no new payment either way on the channel (inbound packets get an error
    /// acknowledgement); what is in flight still settles.
    PauseChannel {
        channel_id: String,
    },
    ResumeChannel {
        channel_id: String,
    },
    /// Admin: closes a paused channel with nothing in flight (pause it, let what is in flight settle,
    /// then close).
    CloseChannel {
        channel_id: String,
    },
    /// Anyone: sends again a refund the credit token refused earlier (status `refund_pending`).
    RetryRefund {
        payment_id: u64,
    },
    /// Admin, for a payment still in flight on a closed channel (its acknowledgement can no longer
    /// arrive): `delivered` when the other bridge's `Inbound` query shows it paid the receiver, else
    /// the sender is refunded.
    ResolvePayment {
        payment_id: u64,
        delivered: bool,
    },
    /// Admin: proposes a new admin, who must accept with `AcceptAdmin`.
    UpdateAdmin {
        new_admin: String,
    },
    AcceptAdmin {},
}

/// The message a member's `Send` to the bridge carries.
#[cw_serde]
pub enum ReceiveMsg {
    /// Pays `receiver` on the network at the other end of `channel_id`; the receiver gets at least
    /// `min_amount_out` of that network's credit or the sender is refunded.
    Pay {
        channel_id: String,
        /// An address on the other chain (checked there).
        receiver: String,
        min_amount_out: Uint128,
        /// Seconds from now until the packet times out; default [`DEFAULT_TIMEOUT_SECONDS`],
        /// between [`MIN_TIMEOUT_SECONDS`] and [`MAX_TIMEOUT_SECONDS`].
        #[serde(default)]
        timeout_seconds: Option<u64>,
        #[serde(default)]
        memo: Option<String>,
    },
}

#[cw_serde]
pub struct MigrateMsg {}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    #[returns(ConfigResponse)]
    Config {},
    /// One channel: its counterpart, terms, state and position.
    #[returns(ChannelResponse)]
    Channel { channel_id: String },
    #[returns(ChannelsResponse)]
    Channels { start_after: Option<String>, limit: Option<u32> },
    /// An outbound payment by its id (the `payment_id` of the `bridge_send` event).
    #[returns(PaymentResponse)]
    Payment { payment_id: u64 },
    /// Outbound payments still in flight, oldest first (on one channel when given).
    #[returns(PaymentsResponse)]
    InFlight { channel_id: Option<String>, start_after: Option<u64>, limit: Option<u32> },
    /// An inbound payment by the channel and packet sequence it came with.
    #[returns(InboundResponse)]
    Inbound { channel_id: String, sequence: u64 },
}

#[cw_serde]
pub struct ConfigResponse {
    pub admin: Addr,
    pub pending_admin: Option<Addr>,
    pub credit_token: Addr,
    pub network: String,
    pub next_payment_id: u64,
}

/// A channel's lifecycle.
#[cw_serde]
pub enum ChannelState {
    /// Open, waiting for the admin's `ConfigureChannel`.
    Unconfigured,
    Open,
    Paused,
    Closed,
}

#[cw_serde]
pub struct ChannelTermsView {
    pub counterparty_network: String,
    pub rate_numerator: Uint128,
    pub rate_denominator: Uint128,
    pub draw_limit: Uint128,
}

#[cw_serde]
pub struct ChannelResponse {
    pub channel_id: String,
    pub counterparty_port: String,
    pub counterparty_channel: String,
    pub connection_id: String,
    pub state: ChannelState,
    pub terms: Option<ChannelTermsView>,
    /// Delivered from local senders (the bridge keeps it).
    pub sent: Uint128,
    /// Paid out here for the other network's senders.
    pub received: Uint128,
    /// Held for payments not yet acknowledged.
    pub in_flight: Uint128,
    /// The other network owes this one this much through the channel (net).
    pub owed_by_counterparty: Uint128,
    /// This network owes the other this much through the channel (net).
    pub owed_to_counterparty: Uint128,
    pub in_flight_count: u64,
}

#[cw_serde]
pub struct ChannelsResponse {
    pub channels: Vec<ChannelResponse>,
}

#[cw_serde]
pub struct PaymentResponse {
    pub payment_id: u64,
    pub channel_id: String,
    pub sender: Addr,
    pub receiver: String,
    pub amount: Uint128,
    pub min_amount_out: Uint128,
    /// Unix seconds.
    pub timeout: u64,
    pub status: PaymentStatus,
    /// What the receiver got (from the success acknowledgement).
    pub amount_out: Option<Uint128>,
    /// Why it was refunded (the error acknowledgement, `timeout`, or `channel closed`).
    pub refund_reason: Option<String>,
}

#[cw_serde]
pub struct PaymentsResponse {
    pub payments: Vec<PaymentResponse>,
}

#[cw_serde]
pub struct InboundResponse {
    pub channel_id: String,
    pub sequence: u64,
    /// The sending bridge's payment id.
    pub payment_id: u64,
    pub sender: String,
    pub receiver: Addr,
    pub amount_in: Uint128,
    pub amount_out: Uint128,
}

/// The data of every packet on a bridge channel.
#[cw_serde]
pub struct PaymentPacket {
    /// The sending bridge's id of the payment.
    pub payment_id: u64,
    /// The payer, on the sending chain.
    pub sender: String,
    /// The payee, on the receiving chain.
    pub receiver: String,
    /// In the sending network's units.
    pub amount: Uint128,
    /// In the receiving network's units.
    pub min_amount_out: Uint128,
    #[serde(default)]
    pub memo: Option<String>,
}

/// The acknowledgement of a [`PaymentPacket`], in ICS-20's shape: `{"result": ...}` or
/// `{"error": "..."}`.
#[cw_serde]
pub enum PaymentAck {
    Result(PaymentReceipt),
    Error(String),
}

#[cw_serde]
pub struct PaymentReceipt {
    /// What the receiver was paid, in the receiving network's units.
    pub amount_out: Uint128,
}

impl PaymentAck {
    pub fn to_binary(&self) -> StdResult<Binary> {
        to_json_binary(self)
    }
}

/// The credit token's `Send` of `amount` into `bridge` that pays `receiver` on the other side of
/// `channel_id` (the whole outbound payment, as a member sends it to its token).
pub fn pay_msg(
    bridge: impl Into<String>,
    amount: Uint128,
    pay: &ReceiveMsg,
) -> StdResult<crate::credit_token::ExecuteMsg> {
    Ok(crate::credit_token::ExecuteMsg::Send { contract: bridge.into(), amount, msg: to_json_binary(pay)? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acknowledgements_have_ics20_shape() {
        let ok = PaymentAck::Result(PaymentReceipt { amount_out: Uint128::new(5) });
        assert_eq!(cosmwasm_std::to_json_string(&ok).unwrap(), r#"{"result":{"amount_out":"5"}}"#);
        let err = PaymentAck::Error("no".into());
        assert_eq!(cosmwasm_std::to_json_string(&err).unwrap(), r#"{"error":"no"}"#);
    }

    #[test]
    fn pay_msg_wraps_the_hook_in_a_send() {
        let pay = ReceiveMsg::Pay {
            channel_id: "channel-0".into(),
            receiver: "bob".into(),
            min_amount_out: Uint128::new(1),
            timeout_seconds: None,
            memo: None,
        };
        let crate::credit_token::ExecuteMsg::Send { contract, amount, msg } =
            pay_msg("bridge", Uint128::new(9), &pay).unwrap()
        else {
            panic!("not a Send")
        };
        assert_eq!((contract.as_str(), amount.u128()), ("bridge", 9));
        assert_eq!(cosmwasm_std::from_json::<ReceiveMsg>(&msg).unwrap(), pay);
    }
}
