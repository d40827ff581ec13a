use super::LedgerError;

/// Basis points in 100 %.
pub const BPS_DENOMINATOR: u16 = 10_000;

/// A network fee rate in basis points (1 bp = 0.01 %), at most [`BPS_DENOMINATOR`] (100 %).
///
/// The bound is checked once at construction (and on deserialization), so fee computation itself
/// cannot fail or overflow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "u16", into = "u16"))]
pub struct FeeRate(u16);

impl FeeRate {
    /// No fee: use it for fee-exempt parties (bridge, clearing) or networks without a fee.
    pub const ZERO: FeeRate = FeeRate(0);
    /// 100 %.
    pub const MAX: FeeRate = FeeRate(BPS_DENOMINATOR);

    /// A rate of `bps` basis points; more than 10 000 (100 %) is [`LedgerError::FeeRateTooHigh`].
    pub const fn new(bps: u16) -> Result<Self, LedgerError> {
        if bps > BPS_DENOMINATOR {
            Err(LedgerError::FeeRateTooHigh { bps })
        } else {
            Ok(FeeRate(bps))
        }
    }

    /// The rate in basis points.
    pub const fn bps(self) -> u16 {
        self.0
    }

    /// The fee on `amount`: `ceil(amount * bps / 10_000)`.
    ///
    /// Rounded **up** so that the network is never underpaid: with rounding down, every payment below
    /// `10_000 / bps` units would be free and a payer could avoid the fee by splitting a payment. Rounding
    /// up costs a payer at most one smallest unit per transfer. As a consequence any positive amount pays
    /// at least 1 unit when the rate is positive, and nothing when the rate is zero.
    ///
    /// Exact for every `u128` (no intermediate `amount * bps`), and never more than `amount`.
    // The denominator is a non-zero constant and bps <= denominator, so whole * bps <= amount - rest and
    // rest * bps < denominator^2: no division by zero, and neither the products nor the sum (<= amount)
    // can overflow.
    #[allow(clippy::arithmetic_side_effects)]
    pub const fn fee_for(self, amount: u128) -> u128 {
        let denominator = BPS_DENOMINATOR as u128;
        let bps = self.0 as u128;
        let whole = amount / denominator;
        let rest = amount % denominator;
        whole * bps + (rest * bps).div_ceil(denominator)
    }
}

/// Whether the network fee applies to a transfer from a sender.
///
/// Fee-exempt accounts (the bridge, the clearing contract) move money on the network's behalf: what
/// **they** pay out is not taxed (clearing forwarding a settlement to the creditor, the bridge paying a
/// member from another network). Paying **to** one of them is a payment like any other, so a member
/// settling an obligation through clearing pays the fee exactly once, as it would paying the creditor
/// directly; exempting the receiving side too would let any payment avoid the fee by routing through
/// clearing. A zero rate is free as well.
///
/// Exempt accounts receive only through `Send` (with the receiving contract's hook), never a plain
/// transfer: a contract acting for the network has no use for money nobody told it about, so the
/// credit token refuses it on arrival instead of locking it there.
///
/// `risk` is the sender's own risk rate ([`Account::risk_fee`](super::Account::risk_fee)): a member
/// with one pays a fee on the credit it draws even in a network whose base rate is zero.
pub const fn fee_applies(rate: FeeRate, risk: FeeRate, sender_exempt: bool) -> bool {
    (rate.0 > 0 || risk.0 > 0) && !sender_exempt
}

/// The fee of a payment of `amount` that draws `credit_used` of it on credit: the base rate on the
/// whole amount plus the sender's risk rate on the credit drawn, each rounded up
/// ([`FeeRate::fee_for`]). Only the part of a payment beyond what the sender holds pays the risk
/// part; the fee itself is not charged a risk fee. `None` on overflow (sums above `u128`).
pub const fn risk_priced_fee(base: FeeRate, risk: FeeRate, amount: u128, credit_used: u128) -> Option<u128> {
    base.fee_for(amount).checked_add(risk.fee_for(credit_used))
}

impl TryFrom<u16> for FeeRate {
    type Error = LedgerError;

    fn try_from(bps: u16) -> Result<Self, Self::Error> {
        FeeRate::new(bps)
    }
}

impl From<FeeRate> for u16 {
    fn from(rate: FeeRate) -> u16 {
        rate.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(bps: u16) -> FeeRate {
        FeeRate::new(bps).unwrap()
    }

    #[test]
    fn rejects_rates_above_100_percent() {
        assert_eq!(FeeRate::new(10_001), Err(LedgerError::FeeRateTooHigh { bps: 10_001 }));
        assert_eq!(FeeRate::try_from(u16::MAX), Err(LedgerError::FeeRateTooHigh { bps: u16::MAX }));
        assert_eq!(FeeRate::new(10_000), Ok(FeeRate::MAX));
        assert_eq!(FeeRate::new(0), Ok(FeeRate::ZERO));
        assert_eq!(u16::from(rate(30)), 30);
        assert_eq!(rate(30).bps(), 30);
    }

    #[test]
    fn only_an_exempt_sender_or_a_zero_rate_waives_the_fee() {
        assert!(fee_applies(rate(30), FeeRate::ZERO, false));
        assert!(!fee_applies(rate(30), FeeRate::ZERO, true));
        assert!(!fee_applies(FeeRate::ZERO, FeeRate::ZERO, false));
        assert!(fee_applies(FeeRate::ZERO, rate(200), false), "a risk rate alone charges a fee");
        assert!(!fee_applies(FeeRate::ZERO, rate(200), true), "exemption covers the risk part too");
    }

    #[test]
    fn exact_multiples_are_not_rounded() {
        assert_eq!(rate(30).fee_for(10_000), 30);
        assert_eq!(rate(100).fee_for(1_000), 10);
        assert_eq!(rate(10_000).fee_for(1_234), 1_234);
    }

    #[test]
    fn fractions_round_up() {
        // 0.3 % of 1 = 0.003 -> 1; of 333 = 0.999 -> 1; of 334 = 1.002 -> 2.
        assert_eq!(rate(30).fee_for(1), 1);
        assert_eq!(rate(30).fee_for(333), 1);
        assert_eq!(rate(30).fee_for(334), 2);
        assert_eq!(rate(1).fee_for(10_001), 2);
        assert_eq!(rate(9_999).fee_for(1), 1);
    }

    #[test]
    fn zero_rate_or_zero_amount_is_free() {
        assert_eq!(FeeRate::ZERO.fee_for(u128::MAX), 0);
        assert_eq!(rate(30).fee_for(0), 0);
    }

    #[test]
    fn huge_amounts_do_not_overflow() {
        assert_eq!(FeeRate::MAX.fee_for(u128::MAX), u128::MAX);
        // u128::MAX = 10_000 * q + 1_455 with q = u128::MAX / 10_000; 1 bp -> q + ceil(1_455 / 10_000).
        assert_eq!(rate(1).fee_for(u128::MAX), u128::MAX / 10_000 + 1);
        let half = rate(5_000).fee_for(u128::MAX);
        assert_eq!(half, u128::MAX / 2 + 1);
    }

    #[test]
    fn matches_the_naive_formula_where_it_fits() {
        for bps in [0u16, 1, 7, 30, 99, 2_500, 9_999, 10_000] {
            for amount in [0u128, 1, 2, 9_999, 10_000, 10_001, 123_456_789, u64::MAX as u128] {
                let naive = (amount * bps as u128).div_ceil(10_000);
                assert_eq!(rate(bps).fee_for(amount), naive, "bps {bps} amount {amount}");
            }
        }
    }
}
