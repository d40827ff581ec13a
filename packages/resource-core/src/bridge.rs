//! The meta-network bridge's rules: two community networks pay each other through their bridges.
//!
//! Each network's bridge is a member of its own network. An outbound payment is credit a local member
//! sends to the bridge, which holds it while the packet is in flight; it becomes the bridge's for good
//! when the other side acknowledges, and goes back to the sender, exactly, on an error
//! acknowledgement or a timeout. An inbound payment is paid by the bridge from its own account, at
//! the channel's rate, possibly into the bridge's credit line.
//!
//! A channel's [`ChannelPosition`] is what the two networks owe each other through it, in local units:
//! `received` (paid out here to local receivers) against `sent` (delivered from local senders). The
//! other side may draw at most `draw_limit` net of what went the other way, so a counterpart can never
//! take more than the governance of this network allowed, whatever its own rules say.

use thiserror::Error;

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// Why the bridge refuses a payment (outbound) or answers a packet with an error acknowledgement
/// (inbound). Nothing changes when it refuses.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum BridgeError {
    /// The amount is zero.
    #[error("the amount must be greater than 0")]
    ZeroAmount,
    /// A rate with a zero numerator or denominator.
    #[error("an exchange rate needs a numerator and a denominator above 0, got {numerator}/{denominator}")]
    InvalidRate {
        /// The numerator given.
        numerator: u128,
        /// The denominator given.
        denominator: u128,
    },
    /// Converting the amount overflowed 128 bits.
    #[error("the amount {amount} is too large to convert at this rate")]
    Overflow {
        /// The amount that overflowed.
        amount: u128,
    },
    /// The amount converts to less than one local unit.
    #[error("{amount} converts to 0 at the channel's rate; send a larger amount")]
    RoundsToZero {
        /// The amount sent.
        amount: u128,
    },
    /// The rate moved: the receiver would get less than the sender asked for at least.
    #[error("the payment would pay out {amount_out}, below the sender's minimum of {min_amount_out}; the rate moved")]
    BelowMinimum {
        /// What the rate gives now.
        amount_out: u128,
        /// The sender's minimum.
        min_amount_out: u128,
    },
    /// The channel's draw limit would be exceeded.
    #[error(
        "the other network may draw at most {draw_limit} through this channel; it has drawn {drawn} net and this \
         payment needs {amount_out} more"
    )]
    DrawLimitReached {
        /// The channel's limit.
        draw_limit: u128,
        /// What it has drawn, net of what went the other way.
        drawn: u128,
        /// What this payment would add.
        amount_out: u128,
    },
    /// The channel is paused by the bridge's admin.
    #[error("the channel is paused by the bridge's admin; payments resume when it is resumed")]
    ChannelPaused,
    /// The payment was already settled (acknowledged, refunded or timed out).
    #[error("the payment is already settled ({status}); it is settled once")]
    AlreadySettled {
        /// The status it is in.
        status: &'static str,
    },
    /// The position's bookkeeping would go below zero: a settlement of a payment not in flight.
    #[error("the channel has only {in_flight} in flight, less than the {amount} being settled")]
    NotInFlight {
        /// What is in flight on the channel.
        in_flight: u128,
        /// What was being settled.
        amount: u128,
    },
}

/// How many local units one unit of the other network's credit is worth: `numerator / denominator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ExchangeRate {
    /// Local units...
    pub numerator: u128,
    /// ...per this many remote units.
    pub denominator: u128,
}

impl ExchangeRate {
    /// One for one.
    pub const PAR: ExchangeRate = ExchangeRate { numerator: 1, denominator: 1 };

    /// A rate with both parts above zero.
    pub fn new(numerator: u128, denominator: u128) -> Result<Self, BridgeError> {
        if numerator == 0 || denominator == 0 {
            return Err(BridgeError::InvalidRate { numerator, denominator });
        }
        Ok(ExchangeRate { numerator, denominator })
    }

    /// `remote_amount` in local units, rounded down (the bridge never pays out more than the rate).
    pub fn convert(&self, remote_amount: u128) -> Result<u128, BridgeError> {
        if self.denominator == 0 {
            return Err(BridgeError::InvalidRate { numerator: self.numerator, denominator: self.denominator });
        }
        let product =
            remote_amount.checked_mul(self.numerator).ok_or(BridgeError::Overflow { amount: remote_amount })?;
        Ok(product.checked_div(self.denominator).unwrap_or(0))
    }
}

/// What a channel lets through: its rate, the most the other side may draw, and whether it is paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelTerms {
    /// Inbound amounts (the other network's units) to local units.
    pub rate: ExchangeRate,
    /// The most the other network may draw here, net of what went the other way (local units).
    pub draw_limit: u128,
    /// Paused channels take no new payment either way.
    pub paused: bool,
}

/// What two networks owe each other through one channel, in local units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ChannelPosition {
    /// Delivered from local senders to the other network (the bridge keeps it).
    pub sent: u128,
    /// Paid out here to local receivers for the other network's senders (from the bridge's account).
    pub received: u128,
    /// Sent by local senders, held by the bridge, not yet acknowledged or refunded.
    pub in_flight: u128,
}

impl ChannelPosition {
    /// What the other network has drawn here net of what went the other way: it owes this network
    /// that much (0 when this network is the debtor).
    pub fn drawn(&self) -> u128 {
        self.received.saturating_sub(self.sent)
    }

    /// What this network owes the other through the channel (0 when the other is the debtor).
    pub fn owed(&self) -> u128 {
        self.sent.saturating_sub(self.received)
    }

    /// The bridge's balance the channel accounts for: what it holds (delivered and in flight) minus
    /// what it paid out. Over all channels this is the bridge's balance in its network.
    pub fn bridge_balance(&self) -> i128 {
        let held = i128::try_from(self.sent.saturating_add(self.in_flight)).unwrap_or(i128::MAX);
        let paid = i128::try_from(self.received).unwrap_or(i128::MAX);
        held.saturating_sub(paid)
    }

    /// An outbound payment of `amount` the bridge now holds: refused on a paused channel or for 0.
    pub fn start_outbound(&mut self, terms: &ChannelTerms, amount: u128) -> Result<(), BridgeError> {
        if terms.paused {
            return Err(BridgeError::ChannelPaused);
        }
        if amount == 0 {
            return Err(BridgeError::ZeroAmount);
        }
        self.in_flight = self.in_flight.checked_add(amount).ok_or(BridgeError::Overflow { amount })?;
        Ok(())
    }

    /// An in-flight payment of `amount` is settled: `delivered` (success acknowledgement) keeps it in
    /// the bridge, else (error acknowledgement, timeout, refund) it goes back to its sender.
    pub fn settle_outbound(&mut self, amount: u128, delivered: bool) -> Result<(), BridgeError> {
        let in_flight =
            self.in_flight.checked_sub(amount).ok_or(BridgeError::NotInFlight { in_flight: self.in_flight, amount })?;
        if delivered {
            self.sent = self.sent.checked_add(amount).ok_or(BridgeError::Overflow { amount })?;
        }
        self.in_flight = in_flight;
        Ok(())
    }

    /// An inbound payment of `amount` (the other network's units) with the sender's `min_amount_out`:
    /// what the bridge pays out here, recorded in the position, or why it is refused (then nothing
    /// changes and the packet is answered with an error acknowledgement).
    pub fn accept_inbound(
        &mut self,
        terms: &ChannelTerms,
        amount: u128,
        min_amount_out: u128,
    ) -> Result<u128, BridgeError> {
        if terms.paused {
            return Err(BridgeError::ChannelPaused);
        }
        if amount == 0 {
            return Err(BridgeError::ZeroAmount);
        }
        let amount_out = terms.rate.convert(amount)?;
        if amount_out == 0 {
            return Err(BridgeError::RoundsToZero { amount });
        }
        if amount_out < min_amount_out {
            return Err(BridgeError::BelowMinimum { amount_out, min_amount_out });
        }
        let received = self.received.checked_add(amount_out).ok_or(BridgeError::Overflow { amount })?;
        let drawn_after = received.saturating_sub(self.sent);
        if drawn_after > terms.draw_limit {
            return Err(BridgeError::DrawLimitReached {
                draw_limit: terms.draw_limit,
                drawn: self.drawn(),
                amount_out,
            });
        }
        self.received = received;
        Ok(amount_out)
    }

    /// Takes back an inbound payment recorded by [`accept_inbound`](Self::accept_inbound) whose payout
    /// failed afterwards (the packet is then answered with an error acknowledgement).
    pub fn undo_inbound(&mut self, amount_out: u128) {
        self.received = self.received.saturating_sub(amount_out);
    }
}

/// Where an outbound payment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum PaymentStatus {
    /// The packet is on its way; the bridge holds the amount.
    InFlight,
    /// Acknowledged: the receiver was paid on the other network. Final.
    Delivered,
    /// The refund to the sender was sent (error acknowledgement, timeout or a closed channel). Final.
    Refunded,
    /// The refund to the sender failed (the token refused it); the bridge still holds the amount and
    /// anyone may retry the refund.
    RefundPending,
}

impl PaymentStatus {
    /// The status's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::InFlight => "in_flight",
            PaymentStatus::Delivered => "delivered",
            PaymentStatus::Refunded => "refunded",
            PaymentStatus::RefundPending => "refund_pending",
        }
    }

    /// The status an acknowledgement or timeout moves an in-flight payment to: `Delivered` on
    /// success, else `Refunded`. A payment already settled stays as it is (`AlreadySettled`): replayed
    /// acknowledgements and timeouts change nothing.
    pub fn settle(self, delivered: bool) -> Result<PaymentStatus, BridgeError> {
        match self {
            PaymentStatus::InFlight if delivered => Ok(PaymentStatus::Delivered),
            PaymentStatus::InFlight => Ok(PaymentStatus::Refunded),
            other => Err(BridgeError::AlreadySettled { status: other.as_str() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TERMS: ChannelTerms = ChannelTerms { rate: ExchangeRate::PAR, draw_limit: 1_000, paused: false };

    #[test]
    fn rates_convert_down_and_refuse_zero_parts() {
        assert_eq!(ExchangeRate::new(0, 1), Err(BridgeError::InvalidRate { numerator: 0, denominator: 1 }));
        assert_eq!(ExchangeRate::new(1, 0), Err(BridgeError::InvalidRate { numerator: 1, denominator: 0 }));
        let kes_per_usd = ExchangeRate::new(129, 1).unwrap();
        assert_eq!(kes_per_usd.convert(100), Ok(12_900));
        let usd_per_kes = ExchangeRate::new(1, 129).unwrap();
        assert_eq!(usd_per_kes.convert(12_900), Ok(100));
        assert_eq!(usd_per_kes.convert(12_899), Ok(99), "rounded down");
        assert_eq!(kes_per_usd.convert(u128::MAX), Err(BridgeError::Overflow { amount: u128::MAX }));
    }

    #[test]
    fn inbound_is_refused_below_minimum_past_the_draw_limit_or_paused() {
        let mut p = ChannelPosition::default();
        assert_eq!(p.accept_inbound(&TERMS, 0, 0), Err(BridgeError::ZeroAmount));
        assert_eq!(
            p.accept_inbound(&TERMS, 600, 601),
            Err(BridgeError::BelowMinimum { amount_out: 600, min_amount_out: 601 })
        );
        assert_eq!(p.accept_inbound(&TERMS, 600, 600), Ok(600));
        assert_eq!(
            p.accept_inbound(&TERMS, 401, 0),
            Err(BridgeError::DrawLimitReached { draw_limit: 1_000, drawn: 600, amount_out: 401 })
        );
        assert_eq!(p.received, 600, "a refusal changes nothing");
        let paused = ChannelTerms { paused: true, ..TERMS };
        assert_eq!(p.accept_inbound(&paused, 1, 0), Err(BridgeError::ChannelPaused));
        let tiny = ChannelTerms { rate: ExchangeRate::new(1, 100).unwrap(), ..TERMS };
        assert_eq!(p.accept_inbound(&tiny, 99, 0), Err(BridgeError::RoundsToZero { amount: 99 }));
        // Payments the other way make room again.
        p.start_outbound(&TERMS, 500).unwrap();
        p.settle_outbound(500, true).unwrap();
        assert_eq!((p.drawn(), p.owed()), (100, 0));
        assert_eq!(p.accept_inbound(&TERMS, 900, 0), Ok(900));
        assert_eq!(p.drawn(), 1_000);
    }

    #[test]
    fn outbound_settles_once_either_way() {
        let mut p = ChannelPosition::default();
        assert_eq!(p.start_outbound(&TERMS, 0), Err(BridgeError::ZeroAmount));
        assert_eq!(p.start_outbound(&ChannelTerms { paused: true, ..TERMS }, 5), Err(BridgeError::ChannelPaused));
        p.start_outbound(&TERMS, 70).unwrap();
        p.start_outbound(&TERMS, 30).unwrap();
        assert_eq!(p.bridge_balance(), 100);
        p.settle_outbound(70, true).unwrap();
        p.settle_outbound(30, false).unwrap();
        assert_eq!((p.sent, p.in_flight, p.bridge_balance()), (70, 0, 70));
        assert_eq!(p.settle_outbound(1, false), Err(BridgeError::NotInFlight { in_flight: 0, amount: 1 }));
        let s = PaymentStatus::InFlight;
        assert_eq!(s.settle(true), Ok(PaymentStatus::Delivered));
        assert_eq!(s.settle(false), Ok(PaymentStatus::Refunded));
        assert_eq!(PaymentStatus::Delivered.settle(false), Err(BridgeError::AlreadySettled { status: "delivered" }));
        assert_eq!(PaymentStatus::Refunded.settle(true), Err(BridgeError::AlreadySettled { status: "refunded" }));
    }

    #[derive(Debug, Clone)]
    enum Op {
        Send(u128),
        Settle(usize, bool),
        Inbound(u128, u128),
        Undo(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u128..500).prop_map(Op::Send),
            (0usize..8, any::<bool>()).prop_map(|(i, d)| Op::Settle(i, d)),
            (0u128..500, 0u128..600).prop_map(|(a, m)| Op::Inbound(a, m)),
            (0usize..8).prop_map(Op::Undo),
        ]
    }

    proptest! {
        /// Whatever happens, the bridge's balance is what it holds minus what it paid out, every
        /// sender is either still in flight, delivered or refunded in full, and the other network
        /// never draws past the limit.
        #[test]
        fn positions_account_for_every_unit(ops in proptest::collection::vec(op(), 0..60), limit in 0u128..2_000) {
            let terms = ChannelTerms { rate: ExchangeRate::new(3, 2).unwrap(), draw_limit: limit, paused: false };
            let mut p = ChannelPosition::default();
            let mut flights: std::vec::Vec<(u128, PaymentStatus)> = std::vec::Vec::new();
            let mut inbound: std::vec::Vec<u128> = std::vec::Vec::new();
            let (mut refunded, mut bridge): (u128, i128) = (0, 0);
            for op in ops {
                match op {
                    Op::Send(a) => if p.start_outbound(&terms, a).is_ok() {
                        flights.push((a, PaymentStatus::InFlight));
                        bridge += a as i128;
                    },
                    Op::Settle(i, delivered) => if let Some((a, status)) = flights.get_mut(i) {
                        match status.settle(delivered) {
                            Ok(next) => {
                                p.settle_outbound(*a, delivered).unwrap();
                                if !delivered { refunded += *a; bridge -= *a as i128; }
                                *status = next;
                            }
                            Err(_) => prop_assert_ne!(*status, PaymentStatus::InFlight),
                        }
                    },
                    Op::Inbound(a, m) => {
                        let before = p;
                        match p.accept_inbound(&terms, a, m) {
                            Ok(out) => { prop_assert!(out >= m); inbound.push(out); bridge -= out as i128; }
                            Err(_) => prop_assert_eq!(p, before),
                        }
                    }
                    Op::Undo(i) => if i < inbound.len() {
                        let out = inbound.remove(i);
                        p.undo_inbound(out);
                        bridge += out as i128;
                    },
                }
                prop_assert!(p.drawn() <= limit);
                prop_assert_eq!(p.bridge_balance(), bridge);
                let flying: u128 = flights.iter().filter(|f| f.1 == PaymentStatus::InFlight).map(|f| f.0).sum();
                let delivered: u128 = flights.iter().filter(|f| f.1 == PaymentStatus::Delivered).map(|f| f.0).sum();
                prop_assert_eq!(p.in_flight, flying);
                prop_assert_eq!(p.sent, delivered);
                let total: u128 = flights.iter().map(|f| f.0).sum();
                prop_assert_eq!(total, flying + delivered + refunded);
            }
        }
    }
}
