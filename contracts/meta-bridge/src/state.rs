//! What the bridge stores: its config, one record per channel (endpoint, terms, position), outbound
//! payments by id with an index of those in flight, inbound payments by (channel, sequence) (both as
//! their queries answer them), and the context a submessage's reply needs.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, StdResult, Storage, Uint128};
use cw_storage_plus::{Item, Map};
use resource_core::bridge::{ChannelPosition, ChannelTerms, ExchangeRate};
use resource_msgs::meta_bridge::{ChannelResponse, ChannelState, ChannelTermsView, InboundResponse, PaymentResponse};

#[cw_serde]
pub struct Config {
    pub admin: Addr,
    pub pending_admin: Option<Addr>,
    pub credit_token: Addr,
    pub network: String,
    pub next_payment_id: u64,
}

/// A channel's terms, stored as the `Channel` query shows them.
pub type Terms = ChannelTermsView;

#[cw_serde]
pub struct Channel {
    pub channel_id: String,
    pub counterparty_port: String,
    pub counterparty_channel: String,
    pub connection_id: String,
    pub state: ChannelState,
    pub terms: Option<Terms>,
    pub sent: Uint128,
    pub received: Uint128,
    pub in_flight: Uint128,
    pub in_flight_count: u64,
    /// Refunds the token refused (the bridge still holds them until `RetryRefund`).
    pub refunds_pending: Uint128,
}

impl Channel {
    pub fn new(
        channel_id: String,
        counterparty_port: String,
        counterparty_channel: String,
        connection_id: String,
    ) -> Self {
        Channel {
            channel_id,
            counterparty_port,
            counterparty_channel,
            connection_id,
            state: ChannelState::Unconfigured,
            terms: None,
            sent: Uint128::zero(),
            received: Uint128::zero(),
            in_flight: Uint128::zero(),
            in_flight_count: 0,
            refunds_pending: Uint128::zero(),
        }
    }

    pub fn position(&self) -> ChannelPosition {
        ChannelPosition { sent: self.sent.u128(), received: self.received.u128(), in_flight: self.in_flight.u128() }
    }

    pub fn set_position(&mut self, p: ChannelPosition) {
        self.sent = p.sent.into();
        self.received = p.received.into();
        self.in_flight = p.in_flight.into();
    }

    /// The core terms, when configured (`paused` from the channel's state).
    pub fn core_terms(&self) -> Option<ChannelTerms> {
        let t = self.terms.as_ref()?;
        Some(ChannelTerms {
            rate: ExchangeRate { numerator: t.rate_numerator.u128(), denominator: t.rate_denominator.u128() },
            draw_limit: t.draw_limit.u128(),
            paused: self.state == ChannelState::Paused,
        })
    }

    pub fn view(&self) -> ChannelResponse {
        let p = self.position();
        ChannelResponse {
            channel_id: self.channel_id.clone(),
            counterparty_port: self.counterparty_port.clone(),
            counterparty_channel: self.counterparty_channel.clone(),
            connection_id: self.connection_id.clone(),
            state: self.state.clone(),
            terms: self.terms.clone(),
            sent: self.sent,
            received: self.received,
            in_flight: self.in_flight,
            owed_by_counterparty: p.drawn().into(),
            owed_to_counterparty: p.owed().into(),
            in_flight_count: self.in_flight_count,
        }
    }
}

/// An outbound payment, stored as the `Payment` query answers it.
pub type Payment = PaymentResponse;
/// An inbound payment, stored as the `Inbound` query answers it.
pub type Inbound = InboundResponse;

/// What the reply of an inbound payout needs to undo it when the token refuses.
#[cw_serde]
pub struct PendingPayout {
    pub channel_id: String,
    pub sequence: u64,
    pub amount_out: Uint128,
}

pub const CONFIG: Item<Config> = Item::new("config");
pub const CHANNELS: Map<&str, Channel> = Map::new("channels");
pub const PAYMENTS: Map<u64, Payment> = Map::new("payments");
/// Payment id -> channel id, for the payments in flight.
pub const IN_FLIGHT: Map<u64, String> = Map::new("in_flight");
pub const INBOUND: Map<(&str, u64), Inbound> = Map::new("inbound");
/// Set while an inbound payout's submessage runs (one packet at a time).
pub const PENDING_PAYOUT: Item<PendingPayout> = Item::new("pending_payout");
/// Set while a refund's submessage runs.
pub const PENDING_REFUND: Item<u64> = Item::new("pending_refund");

pub fn load_channel(storage: &dyn Storage, channel_id: &str) -> Result<Channel, crate::ContractError> {
    CHANNELS
        .may_load(storage, channel_id)?
        .ok_or_else(|| crate::ContractError::UnknownChannel { channel_id: channel_id.to_string() })
}

pub fn load_payment(storage: &dyn Storage, payment_id: u64) -> Result<Payment, crate::ContractError> {
    PAYMENTS.may_load(storage, payment_id)?.ok_or(crate::ContractError::UnknownPayment { payment_id })
}

pub fn save_channel(storage: &mut dyn Storage, channel: &Channel) -> StdResult<()> {
    CHANNELS.save(storage, &channel.channel_id, channel)
}
