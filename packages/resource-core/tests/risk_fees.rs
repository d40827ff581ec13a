//! Risk-priced fees (issue 24): `fee = base_rate * amount + member_risk_rate * credit_used`, where
//! only the part of a payment drawn on credit pays the risk part. Tests named after the reference
//! protocol's cases say so.

use proptest::prelude::*;
use resource_core::ledger::{
    collector_role, risk_priced_fee, set_credit_line, set_risk_fee, transfer_with_fee, Account, CollectorRole, FeeRate,
    LedgerError, LinePolicy, LineTerms, Party,
};

const NOW: u64 = 1_700_000_000;
const POLICY: LinePolicy = LinePolicy { min_term: 0, min_grace_period: 0 };

fn rate(bps: u16) -> FeeRate {
    FeeRate::new(bps).unwrap()
}

/// A member holding `balance` with a line of `limit` and a risk fee of `risk_bps`.
fn member(balance: i128, limit: u128, risk_bps: u16) -> Account {
    let terms = LineTerms { limit, term_end: NOW + 86_400, grace_period: 3_600 };
    let line = set_credit_line(&Account::new(balance, None), terms, POLICY, NOW).unwrap().account;
    set_risk_fee(&line, rate(risk_bps)).unwrap()
}

fn pay(sender: &Account, amount: u128, base: FeeRate) -> Result<(u128, Account, Account), LedgerError> {
    let (shop, collector) = (Account::EMPTY, Account::EMPTY);
    let o = transfer_with_fee(
        Party::new("member", sender),
        Party::new("shop", &shop),
        Party::new("collector", &collector),
        amount,
        base,
        NOW,
    )?;
    Ok((o.fee, o.sender, o.collector.unwrap_or(collector)))
}

#[test]
fn calculate_fee() {
    // 1 % base on 1,000 and 5 % risk on the 600 drawn on credit: 10 + 30.
    assert_eq!(risk_priced_fee(rate(100), rate(500), 1_000, 600), Some(40));
    assert_eq!(risk_priced_fee(rate(100), rate(500), 1_000, 0), Some(10), "nothing drawn: base only");
    assert_eq!(risk_priced_fee(FeeRate::ZERO, rate(500), 1_000, 1_000), Some(50), "risk only");
    // Each part is rounded up on its own.
    assert_eq!(risk_priced_fee(rate(1), rate(1), 1, 1), Some(2));
    assert_eq!(risk_priced_fee(FeeRate::MAX, FeeRate::MAX, u128::MAX, u128::MAX), None);
}

#[test]
fn transfer_with_credit_fees() {
    // Holds 400, pays 1,000: 600 drawn on credit.
    let (fee, sender, collector) = pay(&member(400, 2_000, 500), 1_000, rate(100)).unwrap();
    assert_eq!(fee, 40);
    assert_eq!(sender.balance, 400 - 1_040);
    assert_eq!(collector.balance, 40, "FeeCollection: the collector gets the whole fee");
    // The same member paying within what it holds pays the base fee only.
    let (fee, ..) = pay(&member(4_000, 2_000, 500), 1_000, rate(100)).unwrap();
    assert_eq!(fee, 10);
    // A member already in debt draws all of it.
    let (fee, ..) = pay(&member(-100, 2_000, 500), 1_000, rate(100)).unwrap();
    assert_eq!(fee, 60);
    // The fee must fit the credit too.
    let short = member(0, 1_050, 500);
    assert_eq!(
        pay(&short, 1_000, rate(100)),
        Err(LedgerError::InsufficientCredit { available: 1_050, requested: 1_060 })
    );
}

#[test]
fn pause_fees() {
    // A paused network charges neither part: the collector takes no part in the payment.
    let sender = member(0, 2_000, 500);
    assert_eq!(
        collector_role(FeeRate::ZERO, FeeRate::ZERO, false, "collector", "member", "shop"),
        CollectorRole::NoFee
    );
    assert_eq!(
        collector_role(FeeRate::ZERO, sender.risk_fee, false, "collector", "member", "shop"),
        CollectorRole::Third
    );
    assert_eq!(collector_role(rate(100), sender.risk_fee, true, "collector", "member", "shop"), CollectorRole::NoFee);
}

#[test]
fn the_risk_fee_needs_a_line() {
    assert_eq!(set_risk_fee(&Account::EMPTY, rate(10)), Err(LedgerError::NoCreditLine));
    assert_eq!(member(0, 10, 700).risk_fee, rate(700));
}

proptest! {
    /// Whatever the balance, rates and amount: the fee is the base on the amount plus the risk on
    /// the credit drawn (never on what the member held), the collector receives it, and balances
    /// still sum to zero.
    #[test]
    fn the_fee_is_base_plus_risk_on_the_credit_drawn(
        balance in -5_000i128..5_000,
        limit in 0u128..20_000,
        base in 0u16..=1_000,
        risk in 0u16..=2_000,
        amount in 1u128..10_000,
    ) {
        let sender = member(balance, limit.max(balance.unsigned_abs()), risk);
        if let Ok((fee, after, collector)) = pay(&sender, amount, rate(base)) {
            let held = balance.max(0).unsigned_abs();
            let drawn = amount.saturating_sub(held);
            prop_assert_eq!(fee, rate(base).fee_for(amount) + rate(risk).fee_for(drawn));
            prop_assert_eq!(collector.balance, fee as i128);
            prop_assert_eq!(after.balance + amount as i128 + collector.balance, balance);
            if drawn == 0 {
                prop_assert_eq!(fee, rate(base).fee_for(amount), "no credit drawn, no risk part");
            }
        }
    }
}
