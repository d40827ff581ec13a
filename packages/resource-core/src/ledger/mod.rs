//! The mutual-credit ledger (CIP-36): signed balances, credit lines, the transfer rule, defaults,
//! credit reserved for vouches, the network's running counters ([`NetworkStats`]) and the token-info
//! rules ([`validate_token_info`]).
//!
//! | Concern | Items |
//! |---|---|
//! | Accounts ([`Account`], [`CreditLine`], [`TermRecord`]) | [`available_credit`], [`Account::standing`], [`term_settlement`] |
//! | Transfers ([`Party`], [`FeeRate`]) | [`transfer`], [`transfer_with_fee`], [`repay_written_off`], [`fee_applies`] ([`TransferOutcome`]) |
//! | Credit lines ([`LineTerms`], [`LinePolicy`]) | [`set_credit_line`], [`close_credit_line`], [`settle_term`], [`freeze`], [`unfreeze`] ([`LineChange`], [`Grant`]) |
//! | Compliance by income-to-debt ([`PeriodIncome`], [`MinItd`]) | [`itd_of`], [`has_valid_itd`], [`is_compliant`], [`needed_income`] |
//! | Credit periods ([`CreditPeriod`], [`PeriodState`], [`PeriodTerms`]) | [`sync_period`] ([`PeriodAction`]), [`check_credit_use`], [`sync_credit_period`] ([`SyncOutcome`]), [`renew_if_due`] ([`Renewal`]), [`record_income`], [`set_period_terms`], [`set_period_paused`], [`account_period`], [`account_needed_income`] |
//! | Default | [`declare_default`] ([`DefaultOutcome`]) |
//! | Reservations (vouches) | [`reservable_credit`], [`reserve_credit`], [`release_credit`], [`limit_after_cut`] |
//! | Supply and counters | [`supply`], [`supply_delta`], [`StatsDelta`], [`NetworkStats`] |
//! | Token info | [`validate_token_info`] ([`TokenInfoError`]) |
//!
//! Every function is pure: it takes the accounts it touches by reference and returns their new values,
//! or a [`LedgerError`] and nothing else. A caller (contract, SDK, CLI) loads the touched accounts,
//! calls one function and, on success, stores every account it returns. On error it stores nothing,
//! so a failed operation can never leave a partial update behind.
//!
//! # Numbers
//! - Amounts, limits and fees are `u128` in the token's smallest unit, at most [`MAX_AMOUNT`]
//!   (`i128::MAX`, about 1.7e38); anything larger is rejected with [`LedgerError::Overflow`].
//! - Balances are `i128` in `MIN_BALANCE..=MAX_BALANCE`, i.e. `±(2^127 - 1)`. `i128::MIN` is excluded
//!   so that a debt (`-balance`) is always representable.
//! - Time is unix seconds (`u64`), passed in as `now` (the block time in a contract).
//!
//! # Invariants (kept by every operation, checked by the property tests)
//! - The sum of all balances is 0: every unit on a positive balance is matched by a unit of debt.
//! - Total supply = sum of positive balances = -(sum of negative balances) (see [`supply`]).
//! - Supply changes only by the `minted` and `burned` amounts reported by operations
//!   ([`supply_delta`]).
//! - Spending only goes below zero inside an active, unexpired credit line, and never into the
//!   credit reserved for vouches: after a transfer the sender's balance is `>= -(limit - reserved)`.
//! - A balance is below `-limit` only after [`close_credit_line`] on a debtor (limit 0, the debt still
//!   owed and due at the term end) or a cut by a broken vouch ([`release_credit`]); nothing makes
//!   such a debt grow, every later change only repays it. "No account is over its limit" holds for
//!   every account that can spend.
//! - A release never exceeds the reservation, and a cut never raises a limit.
//! - A fee reaches the collector exactly as [`FeeRate::fee_for`] says on every path a payment takes,
//!   and never an account that holds written-off debt (the caller keeps such an account from being
//!   the collector).
//!
//! # Rules chosen
//! - **Fee**: basis points of the amount, rounded **up**, paid by the sender on top of the amount
//!   ([`FeeRate::fee_for`]), plus the sender's own risk rate ([`Account::risk_fee`]) on the part of
//!   the amount it draws on credit, rounded up too ([`risk_priced_fee`]).
//! - **Past term end**: no new credit; a member can still spend a positive balance
//!   ([`available_credit`]).
//! - **Closing a line in debt** is allowed: it stops new credit, the debt stays and must be repaid by
//!   the term end plus grace period, after which the member can be declared in default
//!   ([`close_credit_line`]).
//! - **Frozen** accounts (with or without a line) cannot spend at all; **defaulted** ones only repay
//!   their written-off debt to the loss account ([`repay_written_off`]); every account can always
//!   receive.
//! - **Reservations** ([`reserve_credit`]) need good standing (an active, unfrozen line whose term
//!   is running) and at most `min(limit, available credit) - reserved` ([`reservable_credit`]); they
//!   come out of the line, never out of what the member holds, and change no balance, so supply and
//!   the counters stay as they were. Releasing ([`release_credit`]) works in any line state, so that
//!   a reservation never gets stuck; a broken vouch also cuts the limit by the amount, at least to 0.
//! - **Fee exemption** is the sender's: an exempt account (bridge, clearing) pays out fee-free, and
//!   paying one costs the fee like any payment ([`fee_applies`]).
//! - **Reputation records** mean one thing each: a grant for new credit only, one on-time repayment
//!   per term (see the [`line`](set_credit_line) docs and [`term_settlement`]).
//!
//! # Example
//! ```
//! use resource_core::ledger::{set_credit_line, transfer_with_fee, Account, FeeRate, LinePolicy, LineTerms, Party};
//!
//! let now = 1_700_000_000;
//! let terms = LineTerms { limit: 1_000, term_end: now + 90 * 86_400, grace_period: 14 * 86_400 };
//! let alice = set_credit_line(&Account::EMPTY, terms, LinePolicy::default(), now)?.account;
//! let (bob, collector) = (Account::EMPTY, Account::EMPTY);
//!
//! // Alice pays Bob 500 with a 0.3 % network fee: she goes 502 into debt, all of it new money.
//! let fee = FeeRate::new(30)?;
//! let out = transfer_with_fee(
//!     Party::new("alice", &alice),
//!     Party::new("bob", &bob),
//!     Party::new("collector", &collector),
//!     500,
//!     fee,
//!     now,
//! )?;
//! assert_eq!((out.sender.balance, out.receiver.balance, out.fee, out.minted), (-502, 500, 2, 502));
//! assert_eq!(out.collector.map(|c| c.balance), Some(2));
//! # Ok::<(), resource_core::ledger::LedgerError>(())
//! ```

mod account;
mod compliance;
mod error;
mod fee;
mod line;
mod period;
mod reserve;
mod stats;
mod supply;
mod token;
mod transfer;

pub use account::{available_credit, term_settlement, Account, CreditLine, LineStatus, Standing, TermRecord};
pub use compliance::{has_valid_itd, is_compliant, itd_of, needed_income, Itd, MinItd, PeriodIncome, ITD_SCALE};
pub use error::{LedgerError, StandingIssue};
pub use fee::{fee_applies, risk_priced_fee, FeeRate, BPS_DENOMINATOR};
pub use line::{
    close_credit_line, declare_default, freeze, set_credit_line, set_risk_fee, settle_term, unfreeze, DefaultOutcome,
    Grant, LineChange, LinePolicy, LineTerms,
};
pub use period::{
    account_needed_income, account_period, account_period_action, check_credit_use, period_state, record_income,
    renew_if_due, set_period_paused, set_period_terms, sync_credit_period, sync_period, CreditPeriod, PeriodAction,
    PeriodError, PeriodState, PeriodTerms, Renewal, SyncOutcome,
};
pub use reserve::{limit_after_cut, release_credit, reservable_credit, reserve_credit};
pub use stats::{NetworkStats, StatsDelta};
pub use supply::{supply, supply_delta, Supply};
pub use token::{validate_token_info, TokenInfoError, MAX_DECIMALS, NAME_LEN, SYMBOL_LEN};
pub use transfer::{
    collector_role, is_recovery, pay, repay_written_off, transfer, transfer_with_fee, CollectorRole, Party, Renewals,
    TransferOutcome,
};

/// Largest amount, limit or fee the ledger accepts: `i128::MAX` units.
pub const MAX_AMOUNT: u128 = i128::MAX as u128;
/// Largest balance: `i128::MAX`.
pub const MAX_BALANCE: i128 = i128::MAX;
/// Smallest balance: `-i128::MAX` (not `i128::MIN`, so a debt is always representable as an amount).
pub const MIN_BALANCE: i128 = -i128::MAX;
