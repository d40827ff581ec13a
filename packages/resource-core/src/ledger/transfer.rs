use super::period::{account_period, check_credit_use, record_income, renew_if_due, Renewal};
use super::{available_credit, Account, FeeRate, LedgerError, LineStatus, MAX_AMOUNT, MIN_BALANCE};

/// An account together with the caller's identifier for it (an address, a key, an index).
///
/// Accounts are plain values, so the ledger can only tell that two of them are the same member through
/// their ids: that is how it refuses self-transfers and routes a fee correctly when the fee collector
/// is also the sender or the receiver, instead of trusting every caller to get aliasing right.
#[derive(Debug)]
pub struct Party<'a, K: ?Sized> {
    /// Identifier compared with `==` (e.g. `&Addr`, `&str`, `&usize`).
    pub id: &'a K,
    /// The account's current state.
    pub account: &'a Account,
}

impl<'a, K: ?Sized> Party<'a, K> {
    /// Pairs an id with its account.
    pub const fn new(id: &'a K, account: &'a Account) -> Self {
        Party { id, account }
    }
}

// Derived Clone/Copy would require `K: Clone`; a Party only holds references.
impl<K: ?Sized> Clone for Party<'_, K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K: ?Sized> Copy for Party<'_, K> {}

/// The result of a transfer: the new state of every touched account and what happened to supply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TransferOutcome {
    /// New sender account: debited `amount + fee`.
    pub sender: Account,
    /// New receiver account: credited `amount` (plus `fee` when the receiver is the fee collector).
    pub receiver: Account,
    /// New fee collector account, present only when the collector is a third account and the fee is
    /// positive; otherwise the collector needs no write (a collector that is the receiver is already
    /// included in `receiver`).
    pub collector: Option<Account>,
    /// Amount received by the receiver (as requested).
    pub amount: u128,
    /// Fee paid by the sender on top of `amount`.
    pub fee: u128,
    /// New money: how much deeper the sender went into debt.
    pub minted: u128,
    /// Destroyed money: how much debt the receiver (and collector) paid off.
    pub burned: u128,
    /// The credit periods the payment renewed: each party's whose period had expired with the
    /// member meeting its terms is renewed before the payment, as a sync would.
    #[cfg_attr(feature = "serde", serde(default))]
    pub renewals: Renewals,
}

/// The credit periods a payment renewed, by party.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Renewals {
    /// The sender's.
    pub sender: Option<Renewal>,
    /// The receiver's.
    pub receiver: Option<Renewal>,
    /// The third-party fee collector's.
    pub collector: Option<Renewal>,
}

impl TransferOutcome {
    /// Everything that leaves the sender: `amount + fee`. A spender paying from an allowance uses up
    /// this much of it, so an allowance caps what the owner can lose, fee included.
    pub const fn debited(&self) -> u128 {
        // Cannot saturate: the ledger accepted the transfer, so amount + fee fit the sender's i128 debit.
        self.amount.saturating_add(self.fee)
    }

    /// `minted - burned`: the change of total supply.
    pub fn supply_delta(&self) -> Result<i128, LedgerError> {
        super::supply_delta(self.minted, self.burned)
    }
}

/// Fee-free transfer of `amount` from `sender` to `receiver` at `now`.
///
/// For fee-exempt parties (bridge, clearing) and networks without a fee; see [`transfer_with_fee`]
/// for the rules, which are the same with a zero fee.
pub fn transfer<K: PartialEq + ?Sized>(
    sender: Party<'_, K>,
    receiver: Party<'_, K>,
    amount: u128,
    now: u64,
) -> Result<TransferOutcome, LedgerError> {
    execute(sender, receiver, None, amount, FeeRate::ZERO, now, Spending::Normal)
}

/// THE transfer rule: `sender` pays `amount` to `receiver` plus a fee to `collector`, at `now`: the
/// base `fee_rate` of `amount` and the sender's risk rate of the part of `amount` it draws on credit,
/// each rounded up ([`risk_priced_fee`](super::risk_priced_fee)).
///
/// - The sender must be able to spend `amount + fee` ([`available_credit`]): its balance after the
///   transfer stays `>= -limit` and it only goes below zero through an active, unexpired line.
/// - The part of the debit that takes the sender from `max(balance, 0)` into the negative is
///   **minted**; the part of a credit that raises a negative balance toward zero is **burned**. The
///   sum of balances stays 0 and supply changes by `minted - burned`.
/// - Any account can receive, whatever its line status (a frozen or defaulted member can repay).
/// - If the collector is the sender, no fee is charged (it would pay itself). If the collector is the
///   receiver, the receiver gets `amount + fee` and `collector` in the outcome is `None`.
///
/// Errors, in the order they are checked: [`ZeroAmount`](LedgerError::ZeroAmount),
/// [`SelfTransfer`](LedgerError::SelfTransfer), [`Overflow`](LedgerError::Overflow) (amount or amount
/// plus fee above [`MAX_AMOUNT`]), [`AccountFrozen`](LedgerError::AccountFrozen),
/// [`AccountDefaulted`](LedgerError::AccountDefaulted),
/// [`InsufficientCredit`](LedgerError::InsufficientCredit), then [`Overflow`](LedgerError::Overflow)
/// if a resulting balance would leave the representable range.
pub fn transfer_with_fee<K: PartialEq + ?Sized>(
    sender: Party<'_, K>,
    receiver: Party<'_, K>,
    collector: Party<'_, K>,
    amount: u128,
    fee_rate: FeeRate,
    now: u64,
) -> Result<TransferOutcome, LedgerError> {
    execute(sender, receiver, Some(collector), amount, fee_rate, now, Spending::Normal)
}

/// Whose account the fee collector's is in a payment, which decides what the token must read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CollectorRole {
    /// No fee: the sender is exempt or the rate is zero.
    NoFee,
    /// The collector pays: the ledger waives the fee (it would pay itself).
    Sender,
    /// The collector is paid: it receives `amount + fee`.
    Receiver,
    /// A third account, whose state the payment needs as well.
    Third,
}

/// The collector's part in a payment from `from` to `to` under `fee_rate` and the sender's own
/// `sender_risk` rate (exemption is the sender's alone, [`fee_applies`](super::fee_applies)). A
/// network whose fees are paused passes [`FeeRate::ZERO`] for both.
pub fn collector_role<K: PartialEq + ?Sized>(
    fee_rate: FeeRate,
    sender_risk: FeeRate,
    sender_exempt: bool,
    collector: &K,
    from: &K,
    to: &K,
) -> CollectorRole {
    if !super::fee_applies(fee_rate, sender_risk, sender_exempt) {
        CollectorRole::NoFee
    } else if collector == from {
        CollectorRole::Sender
    } else if collector == to {
        CollectorRole::Receiver
    } else {
        CollectorRole::Third
    }
}

/// Whether a payment is a defaulted member's recovery payment: a defaulted sender paying the loss
/// account ([`repay_written_off`]); any other payment of a defaulted sender is refused.
pub fn is_recovery(sender: &Account, receiver_is_loss_account: bool) -> bool {
    receiver_is_loss_account && sender.status() == Some(LineStatus::Defaulted)
}

/// THE payment of the credit token (its `Transfer`, `Send` and their `From` forms, and the SDK's
/// preview): `sender` pays `amount` to `receiver`, the fee going to `collector_id`, whose part
/// [`collector_role`] gave (`collector_account`: its state when it is a [`Third`](CollectorRole::Third)
/// account, unused otherwise); a recovery ([`is_recovery`]) goes to [`repay_written_off`], anything
/// else to [`transfer_with_fee`] or, without a fee, [`transfer`].
#[allow(clippy::too_many_arguments)]
pub fn pay<K: PartialEq + ?Sized>(
    sender: Party<'_, K>,
    receiver: Party<'_, K>,
    collector_id: &K,
    role: CollectorRole,
    collector_account: &Account,
    recovery: bool,
    fee_rate: FeeRate,
    amount: u128,
    now: u64,
) -> Result<TransferOutcome, LedgerError> {
    let collector = match role {
        CollectorRole::NoFee => None,
        CollectorRole::Sender => Some(Party::new(collector_id, sender.account)),
        CollectorRole::Receiver => Some(Party::new(collector_id, receiver.account)),
        CollectorRole::Third => Some(Party::new(collector_id, collector_account)),
    };
    match (recovery, collector) {
        (true, collector) => repay_written_off(sender, receiver, collector, amount, fee_rate, now),
        (false, Some(c)) => transfer_with_fee(sender, receiver, c, amount, fee_rate, now),
        (false, None) => transfer(sender, receiver, amount, now),
    }
}

/// A defaulted member repays `amount` of its written-off debt to `loss` (the network's loss account),
/// with the network fee of `fee_rate` to `collector` when one is given (a fee-exempt member passes
/// `None`), at `now`.
///
/// This is the one payment a defaulted member may make: what it receives after its default is not
/// locked forever, it can hand it back to the loss account, whose negative balance (the network's
/// written-off loss) rises by `amount`. It spends only what it holds (no credit), at most its
/// [`written_off`](super::TermRecord::written_off) debt, and not while frozen; the amount repaid
/// comes off `written_off`. Everything else about a defaulted account stays as it is: it can receive
/// from anyone, it cannot get a new line, pay anyone else or be undefaulted.
///
/// Errors: those of [`transfer_with_fee`], and [`NoWrittenOffDebt`](LedgerError::NoWrittenOffDebt)
/// (the member is not in default or has repaid it all),
/// [`RecoveryAboveWrittenOff`](LedgerError::RecoveryAboveWrittenOff).
pub fn repay_written_off<K: PartialEq + ?Sized>(
    member: Party<'_, K>,
    loss: Party<'_, K>,
    collector: Option<Party<'_, K>>,
    amount: u128,
    fee_rate: FeeRate,
    now: u64,
) -> Result<TransferOutcome, LedgerError> {
    let written_off = match member.account.status() {
        Some(LineStatus::Defaulted) => member.account.term.written_off,
        _ => 0,
    };
    if written_off == 0 {
        return Err(LedgerError::NoWrittenOffDebt);
    }
    if amount > written_off {
        return Err(LedgerError::RecoveryAboveWrittenOff { written_off, requested: amount });
    }
    let mut outcome = execute(member, loss, collector, amount, fee_rate, now, Spending::Recovery)?;
    // amount <= written_off, checked above.
    outcome.sender.term.written_off = written_off.saturating_sub(amount);
    Ok(outcome)
}

/// Which spending rule applies to the sender.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Spending {
    /// [`available_credit`]: nothing for a frozen or defaulted account.
    Normal,
    /// A defaulted member repaying the loss account: only what it holds, not while frozen.
    Recovery,
}

/// Where the fee goes once aliasing is resolved.
enum FeeRoute<'a> {
    None,
    ToReceiver,
    ToCollector(&'a Account),
}

fn execute<K: PartialEq + ?Sized>(
    sender: Party<'_, K>,
    receiver: Party<'_, K>,
    collector: Option<Party<'_, K>>,
    amount: u128,
    fee_rate: FeeRate,
    now: u64,
    spending: Spending,
) -> Result<TransferOutcome, LedgerError> {
    if amount == 0 {
        return Err(LedgerError::ZeroAmount);
    }
    if sender.id == receiver.id {
        return Err(LedgerError::SelfTransfer);
    }
    if amount > MAX_AMOUNT {
        return Err(LedgerError::Overflow);
    }
    // Credit periods are synced lazily: a party whose expired period it meets renews first.
    let (sender_account, sender_renewal) = renew_if_due(sender.account, now);
    let (fee, route) = match collector {
        None => (0, FeeRoute::None),
        Some(c) if c.id == sender.id => (0, FeeRoute::None),
        Some(c) => {
            // The risk part is on the credit this payment draws: what the amount takes beyond what
            // the sender holds.
            let credit_used = amount.saturating_sub(sender_account.holdings());
            let fee = super::risk_priced_fee(fee_rate, sender_account.risk_fee, amount, credit_used)
                .ok_or(LedgerError::Overflow)?;
            if fee == 0 {
                (0, FeeRoute::None)
            } else if c.id == receiver.id {
                (fee, FeeRoute::ToReceiver)
            } else {
                (fee, FeeRoute::ToCollector(c.account))
            }
        }
    };
    let total = amount.checked_add(fee).filter(|t| *t <= MAX_AMOUNT).ok_or(LedgerError::Overflow)?;
    check_can_spend(&sender_account, total, now, spending)?;
    let (new_sender, minted) = debit(&sender_account, total)?;
    let receiver_credit = match route {
        FeeRoute::ToReceiver => total,
        _ => amount,
    };
    let (receiver_account, receiver_renewal) = renew_if_due(receiver.account, now);
    let (new_receiver, mut burned) = credit(&receiver_account, receiver_credit)?;
    let mut collector_renewal = None;
    let new_collector = match route {
        FeeRoute::ToCollector(account) => {
            let (account, renewal) = renew_if_due(account, now);
            collector_renewal = renewal;
            let (new_collector, burned_by_fee) = credit(&account, fee)?;
            burned = burned.checked_add(burned_by_fee).ok_or(LedgerError::Overflow)?;
            Some(received(&account, new_collector, fee, now))
        }
        _ => None,
    };
    Ok(TransferOutcome {
        sender: carried(new_sender),
        receiver: received(&receiver_account, new_receiver, receiver_credit, now),
        collector: new_collector,
        amount,
        fee,
        minted,
        burned,
        renewals: Renewals { sender: sender_renewal, receiver: receiver_renewal, collector: collector_renewal },
    })
}

/// The account after receiving `amount`: its term record ([`repaid`]) and its period's income.
fn received(old: &Account, new: Account, amount: u128, now: u64) -> Account {
    record_income(old, repaid(old, new, now), amount, now)
}

/// The term record after a debit: the term's peak debt (for an account with a line).
fn carried(mut account: Account) -> Account {
    if account.line.is_some() && account.debt() > account.term.peak_debt {
        account.term.peak_debt = account.debt();
    }
    account
}

/// The term record after a credit: a debt still owed after the term end and paid now was overdue.
fn repaid(old: &Account, mut new: Account, now: u64) -> Account {
    if let Some(line) = &old.line {
        if old.balance < 0 && now > line.term_end {
            new.term.overdue = true;
        }
    }
    new
}

/// Refuses spending `total` that the account's hold, line state or credit does not allow.
fn check_can_spend(account: &Account, total: u128, now: u64, spending: Spending) -> Result<(), LedgerError> {
    if account.frozen {
        return Err(LedgerError::AccountFrozen);
    }
    if account.status() == Some(LineStatus::Defaulted) && spending == Spending::Normal {
        return Err(LedgerError::AccountDefaulted);
    }
    if let (Some(period), Some(terms)) = (account_period(account), account.period) {
        let credit_used = total.saturating_sub(account.holdings());
        check_credit_use(Some(&period), account.balance, terms.income, terms.min_itd, credit_used, now)?;
    }
    let available = match spending {
        Spending::Normal => available_credit(account, now),
        Spending::Recovery => account.holdings(),
    };
    if total > available {
        return Err(LedgerError::InsufficientCredit { available, requested: total });
    }
    Ok(())
}

/// Subtracts `amount` (`<= MAX_AMOUNT`) and returns the new account and how much debt was created.
/// Spending rules are the caller's job ([`check_can_spend`]); this only guards the number range.
pub(super) fn debit(account: &Account, amount: u128) -> Result<(Account, u128), LedgerError> {
    let amount = i128::try_from(amount).map_err(|_| LedgerError::Overflow)?;
    let balance = account.balance.checked_sub(amount).filter(|b| *b >= MIN_BALANCE).ok_or(LedgerError::Overflow)?;
    let new = Account { balance, ..*account };
    // Debt can only grow on a debit.
    let minted = new.debt().checked_sub(account.debt()).ok_or(LedgerError::Overflow)?;
    Ok((new, minted))
}

/// Adds `amount` and returns the new account and how much debt was paid off (burned).
pub(super) fn credit(account: &Account, amount: u128) -> Result<(Account, u128), LedgerError> {
    let amount = i128::try_from(amount).map_err(|_| LedgerError::Overflow)?;
    let balance = account.balance.checked_add(amount).ok_or(LedgerError::Overflow)?;
    let new = Account { balance, ..*account };
    let burned = account.debt().checked_sub(new.debt()).ok_or(LedgerError::Overflow)?;
    Ok((new, burned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{CreditLine, LineStatus, TermRecord, MAX_BALANCE, MIN_BALANCE};

    const NOW: u64 = 1_500;
    const END: u64 = 2_000;

    fn with_line(balance: i128, limit: u128) -> Account {
        let line =
            CreditLine { limit, term_start: 1_000, term_end: END, grace_period: 100, status: LineStatus::Active };
        Account::new(balance, Some(line))
    }

    fn plain(balance: i128) -> Account {
        Account::new(balance, None)
    }

    fn with_status(balance: i128, limit: u128, status: LineStatus) -> Account {
        let mut a = with_line(balance, limit);
        if let Some(line) = a.line.as_mut() {
            line.status = status;
        }
        a
    }

    fn rate(bps: u16) -> FeeRate {
        FeeRate::new(bps).unwrap()
    }

    /// Plain two-party transfer between ids "a" and "b".
    fn pay(from: &Account, to: &Account, amount: u128, now: u64) -> Result<TransferOutcome, LedgerError> {
        transfer(Party::new("a", from), Party::new("b", to), amount, now)
    }

    /// Transfer a -> b with fee to a third account "c".
    fn pay_fee(
        from: &Account,
        to: &Account,
        collector: &Account,
        amount: u128,
        bps: u16,
    ) -> Result<TransferOutcome, LedgerError> {
        transfer_with_fee(
            Party::new("a", from),
            Party::new("b", to),
            Party::new("c", collector),
            amount,
            rate(bps),
            NOW,
        )
    }

    fn sum(outcome: &TransferOutcome) -> i128 {
        outcome.sender.balance + outcome.receiver.balance + outcome.collector.map_or(0, |c| c.balance)
    }

    #[test]
    fn positive_to_positive_neither_mints_nor_burns() {
        let o = pay(&plain(100), &plain(5), 60, NOW).unwrap();
        assert_eq!((o.sender.balance, o.receiver.balance), (40, 65));
        assert_eq!((o.minted, o.burned, o.fee), (0, 0, 0));
        assert_eq!(o.collector, None);
        assert_eq!(o.supply_delta(), Ok(0));
    }

    #[test]
    fn spending_below_zero_mints_only_the_part_below_zero() {
        let o = pay(&with_line(30, 100), &plain(0), 80, NOW).unwrap();
        assert_eq!(o.sender.balance, -50);
        assert_eq!(o.minted, 50, "30 existed, 50 are new");
        assert_eq!(o.burned, 0);
        assert_eq!(o.supply_delta(), Ok(50));
        assert_eq!(o.sender.line, with_line(30, 100).line, "the line is untouched");
    }

    #[test]
    fn spending_while_already_negative_mints_everything() {
        let o = pay(&with_line(-20, 100), &plain(0), 30, NOW).unwrap();
        assert_eq!(o.sender.balance, -50);
        assert_eq!(o.minted, 30);
    }

    #[test]
    fn receiving_while_negative_burns_up_to_the_debt() {
        let o = pay(&plain(100), &with_line(-30, 100), 50, NOW).unwrap();
        assert_eq!(o.receiver.balance, 20);
        assert_eq!(o.burned, 30, "30 of debt paid off, 20 held");
        assert_eq!(o.supply_delta(), Ok(-30));
        let o = pay(&plain(100), &with_line(-80, 100), 50, NOW).unwrap();
        assert_eq!((o.receiver.balance, o.burned), (-30, 50));
    }

    #[test]
    fn mint_and_burn_in_one_transfer() {
        // A debtor pays another debtor: money is created and destroyed at once; supply unchanged.
        let o = pay(&with_line(-10, 100), &with_line(-40, 100), 25, NOW).unwrap();
        assert_eq!((o.sender.balance, o.receiver.balance), (-35, -15));
        assert_eq!((o.minted, o.burned), (25, 25));
        assert_eq!(o.supply_delta(), Ok(0));
    }

    #[test]
    fn spending_exactly_down_to_the_limit_is_allowed() {
        let o = pay(&with_line(0, 100), &plain(0), 100, NOW).unwrap();
        assert_eq!(o.sender.balance, -100);
        assert_eq!(
            pay(&with_line(0, 100), &plain(0), 101, NOW),
            Err(LedgerError::InsufficientCredit { available: 100, requested: 101 })
        );
    }

    #[test]
    fn insufficient_credit_accounts_for_existing_debt_and_the_fee() {
        assert_eq!(
            pay(&with_line(-30, 100), &plain(0), 71, NOW),
            Err(LedgerError::InsufficientCredit { available: 70, requested: 71 })
        );
        // 70 + ceil(70 * 1%) = 71 > 70.
        assert_eq!(
            pay_fee(&with_line(-30, 100), &plain(0), &plain(0), 70, 100),
            Err(LedgerError::InsufficientCredit { available: 70, requested: 71 })
        );
        assert!(pay_fee(&with_line(-30, 100), &plain(0), &plain(0), 69, 100).is_ok());
        assert_eq!(
            pay(&plain(10), &plain(0), 11, NOW),
            Err(LedgerError::InsufficientCredit { available: 10, requested: 11 })
        );
        assert_eq!(
            pay(&plain(-10), &plain(0), 1, NOW),
            Err(LedgerError::InsufficientCredit { available: 0, requested: 1 })
        );
    }

    #[test]
    fn past_term_end_only_the_positive_balance_is_spendable() {
        let a = with_line(40, 100);
        assert!(pay(&a, &plain(0), 41, END).is_ok(), "the term end second itself is inside the term");
        assert!(pay(&a, &plain(0), 140, END).is_ok());
        assert_eq!(
            pay(&a, &plain(0), 41, END + 1),
            Err(LedgerError::InsufficientCredit { available: 40, requested: 41 })
        );
        let o = pay(&a, &plain(0), 40, END + 1).unwrap();
        assert_eq!((o.sender.balance, o.minted), (0, 0));
    }

    #[test]
    fn closed_line_spends_holdings_but_mints_nothing() {
        let a = with_status(25, 100, LineStatus::Closed);
        assert_eq!(pay(&a, &plain(0), 26, NOW), Err(LedgerError::InsufficientCredit { available: 25, requested: 26 }));
        assert_eq!(pay(&a, &plain(0), 25, NOW).unwrap().sender.balance, 0);
    }

    #[test]
    fn frozen_and_defaulted_accounts_cannot_spend_but_can_receive() {
        let frozen = Account { frozen: true, ..with_line(500, 100) };
        let frozen_plain = Account { frozen: true, ..plain(500) };
        let defaulted = with_status(500, 0, LineStatus::Defaulted);
        assert_eq!(pay(&frozen, &plain(0), 1, NOW), Err(LedgerError::AccountFrozen));
        assert_eq!(pay(&frozen_plain, &plain(0), 1, NOW), Err(LedgerError::AccountFrozen), "no line, still frozen");
        assert_eq!(pay(&defaulted, &plain(0), 1, NOW), Err(LedgerError::AccountDefaulted));
        let frozen_debtor = Account { frozen: true, ..with_line(-50, 100) };
        let o = pay(&plain(80), &frozen_debtor, 30, NOW).unwrap();
        assert_eq!((o.receiver.balance, o.burned), (-20, 30));
        assert!(o.receiver.frozen, "receiving does not unfreeze");
        let o = pay(&plain(80), &defaulted, 30, NOW).unwrap();
        assert_eq!(o.receiver.balance, 530);
    }

    #[test]
    fn the_term_record_follows_the_debt() {
        let a = with_line(0, 100);
        let o = pay(&a, &plain(0), 60, NOW).unwrap();
        assert_eq!(o.sender.term.peak_debt, 60);
        let repaid = pay(&plain(100), &o.sender, 60, NOW).unwrap().receiver;
        assert_eq!((repaid.balance, repaid.term.peak_debt, repaid.term.overdue), (0, 60, false), "the peak stays");
        let again = pay(&repaid, &plain(0), 10, NOW).unwrap().sender;
        assert_eq!(again.term.peak_debt, 60, "a smaller debt later leaves the peak");
        // Paying a debt after the term end marks the term overdue; before it, nothing changes.
        let late = pay(&plain(100), &again, 10, END + 1).unwrap().receiver;
        assert!(late.term.overdue);
        assert!(!pay(&plain(100), &again, 10, END).unwrap().receiver.term.overdue);
        // Money received by an account not in debt is no repayment.
        assert!(!pay(&plain(100), &with_line(5, 100), 10, END + 1).unwrap().receiver.term.overdue);
        // No line: nothing to track (the loss account).
        let loss = pay(&plain(100), &plain(-50), 10, END + 1).unwrap().receiver;
        assert_eq!(loss.term, TermRecord::NONE);
    }

    #[test]
    fn a_defaulted_member_repays_written_off_debt_to_the_loss_account() {
        let mut member = with_status(300, 0, LineStatus::Defaulted);
        member.term.written_off = 200;
        let (loss, collector) = (plain(-900), plain(0));
        let repay = |m: &Account, amount: u128, bps: u16| {
            repay_written_off(
                Party::new("m", m),
                Party::new("loss", &loss),
                Some(Party::new("c", &collector)),
                amount,
                rate(bps),
                NOW,
            )
        };
        let o = repay(&member, 150, 100).unwrap();
        assert_eq!((o.sender.balance, o.receiver.balance, o.fee), (300 - 152, -750, 2), "the fee like any payment");
        assert_eq!((o.sender.term.written_off, o.burned, o.minted), (50, 150, 0));
        assert_eq!(
            repay(&member, 201, 0),
            Err(LedgerError::RecoveryAboveWrittenOff { written_off: 200, requested: 201 })
        );
        member.balance = 100;
        assert_eq!(repay(&member, 150, 0), Err(LedgerError::InsufficientCredit { available: 100, requested: 150 }));
        assert_eq!(repay(&Account { frozen: true, ..member }, 10, 0), Err(LedgerError::AccountFrozen));
        assert_eq!(repay(&with_line(100, 100), 10, 0), Err(LedgerError::NoWrittenOffDebt), "not in default");
        member.term.written_off = 0;
        assert_eq!(repay(&member, 10, 0), Err(LedgerError::NoWrittenOffDebt), "all repaid");
    }

    #[test]
    fn zero_and_self_transfers_are_rejected() {
        assert_eq!(pay(&plain(10), &plain(0), 0, NOW), Err(LedgerError::ZeroAmount));
        let a = plain(10);
        assert_eq!(transfer(Party::new("a", &a), Party::new("a", &a), 5, NOW), Err(LedgerError::SelfTransfer));
        assert_eq!(
            transfer_with_fee(Party::new(&1, &a), Party::new(&1, &a), Party::new(&2, &a), 5, rate(10), NOW),
            Err(LedgerError::SelfTransfer)
        );
    }

    #[test]
    fn amounts_beyond_i128_are_overflow() {
        let rich = with_line(MAX_BALANCE, u128::MAX);
        assert_eq!(pay(&rich, &plain(0), MAX_AMOUNT + 1, NOW), Err(LedgerError::Overflow));
        assert_eq!(pay(&rich, &plain(0), u128::MAX, NOW), Err(LedgerError::Overflow));
        // The amount fits but amount + fee does not.
        assert_eq!(pay_fee(&rich, &plain(0), &plain(0), MAX_AMOUNT, 1), Err(LedgerError::Overflow));
    }

    #[test]
    fn resulting_balances_out_of_range_are_overflow() {
        // Receiver would exceed i128::MAX.
        assert_eq!(pay(&plain(10), &plain(MAX_BALANCE), 1, NOW), Err(LedgerError::Overflow));
        // Collector would exceed i128::MAX (receiver is fine).
        assert_eq!(pay_fee(&plain(10_000), &plain(0), &plain(MAX_BALANCE), 100, 100), Err(LedgerError::Overflow));
        // A (hand-built) limit above MAX_AMOUNT counts as MAX_AMOUNT, so spending stops at MIN_BALANCE.
        let deep = with_line(MIN_BALANCE + 5, u128::MAX);
        assert_eq!(pay(&deep, &plain(0), 6, NOW), Err(LedgerError::InsufficientCredit { available: 5, requested: 6 }));
        assert_eq!(pay(&deep, &plain(0), 5, NOW).unwrap().sender.balance, MIN_BALANCE);
        // A balance already below the range (hand-built i128::MIN) can neither spend nor be paid into overflow.
        assert_eq!(
            pay(&with_line(i128::MIN, u128::MAX), &plain(0), 1, NOW),
            Err(LedgerError::InsufficientCredit { available: 0, requested: 1 })
        );
    }

    #[test]
    fn fee_goes_to_a_third_collector_on_top_of_the_amount() {
        let o = pay_fee(&plain(1_000), &plain(0), &plain(7), 500, 30).unwrap();
        assert_eq!(o.fee, 2, "ceil(500 * 0.3 %) = ceil(1.5)");
        assert_eq!(o.sender.balance, 498);
        assert_eq!(o.receiver.balance, 500, "the receiver gets the full amount");
        assert_eq!(o.collector, Some(plain(9)));
        assert_eq!(sum(&o), 1_007);
    }

    #[test]
    fn fee_rounds_up_to_one_unit() {
        let o = pay_fee(&plain(1_000), &plain(0), &plain(0), 1, 1).unwrap();
        assert_eq!((o.fee, o.sender.balance), (1, 998));
    }

    #[test]
    fn fee_can_be_minted_and_burned() {
        // Sender at 0 with a line: amount and fee are both new money.
        let o = pay_fee(&with_line(0, 1_000), &plain(0), &with_line(-5, 10), 100, 1_000).unwrap();
        assert_eq!((o.fee, o.sender.balance, o.minted), (10, -110, 110));
        // A negative collector burns the fee against its debt.
        assert_eq!((o.collector.map(|c| c.balance), o.burned), (Some(5), 5));
        assert_eq!(o.supply_delta(), Ok(105));
    }

    #[test]
    fn zero_fee_rate_needs_no_collector_write() {
        let o = pay_fee(&plain(100), &plain(0), &plain(0), 100, 0).unwrap();
        assert_eq!((o.fee, o.collector, o.sender.balance), (0, None, 0));
    }

    #[test]
    fn collector_as_receiver_gets_amount_plus_fee() {
        let (s, r) = (plain(1_000), with_line(-3, 10));
        let o =
            transfer_with_fee(Party::new(&0, &s), Party::new(&1, &r), Party::new(&1, &r), 100, rate(100), NOW).unwrap();
        assert_eq!(o.fee, 1);
        assert_eq!((o.sender.balance, o.receiver.balance, o.collector), (899, 98, None));
        assert_eq!(o.burned, 3);
    }

    #[test]
    fn collector_as_sender_pays_no_fee() {
        let (s, r) = (plain(100), plain(0));
        let o =
            transfer_with_fee(Party::new(&0, &s), Party::new(&1, &r), Party::new(&0, &s), 100, rate(100), NOW).unwrap();
        assert_eq!((o.fee, o.sender.balance, o.receiver.balance, o.collector), (0, 0, 100, None));
    }

    #[test]
    fn the_sum_of_touched_balances_is_preserved() {
        let cases = [
            (with_line(0, 1_000), plain(0), plain(0), 999, 1),
            (with_line(-400, 1_000), with_line(-300, 500), with_line(-10, 50), 300, 250),
            (plain(77), with_line(-77, 100), plain(3), 38, 10_000),
        ];
        for (s, r, c, amount, bps) in cases {
            let before = s.balance + r.balance + c.balance;
            let o = pay_fee(&s, &r, &c, amount, bps).unwrap();
            assert_eq!(sum(&o), before);
            let debt_before = s.debt() + r.debt() + c.debt();
            let debt_after = o.sender.debt() + o.receiver.debt() + o.collector.map_or(0, |c| c.debt());
            assert_eq!(debt_after as i128 - debt_before as i128, o.supply_delta().unwrap());
        }
    }

    #[test]
    fn a_line_that_has_not_started_grants_nothing() {
        let mut a = with_line(0, 100);
        if let Some(l) = a.line.as_mut() {
            l.term_start = NOW + 1;
        }
        assert_eq!(pay(&a, &plain(0), 1, NOW), Err(LedgerError::InsufficientCredit { available: 0, requested: 1 }));
    }

    #[test]
    fn party_is_copy_for_unsized_ids() {
        let a = plain(1);
        let p: Party<'_, str> = Party::new("x", &a);
        let q = p;
        assert_eq!((p.id, q.account), ("x", &a));
    }
}
