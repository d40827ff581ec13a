//! Property tests: random operation sequences on a small network, checked against the ledger
//! invariants and against an independent statement of each rule; plus full-range inputs to show no
//! function panics or breaks conservation anywhere in the number range.

use proptest::prelude::*;
use resource_core::ledger::{
    available_credit, close_credit_line, declare_default, freeze, set_credit_line, supply, transfer, transfer_with_fee,
    unfreeze, Account, CreditLine, FeeRate, LedgerError, LineStatus, LineTerms, NetworkStats, Party, StatsDelta,
    TransferOutcome, MAX_AMOUNT,
};

/// Account 0 collects fees, account 1 absorbs defaults, 2.. are members.
const N: usize = 7;
const COLLECTOR: usize = 0;
const LOSS: usize = 1;
const START: u64 = 1_700_000_000;

#[derive(Clone, Debug)]
enum Op {
    Transfer {
        from: usize,
        to: usize,
        amount: u128,
        bps: u16,
        with_fee: bool,
    },
    SetLine {
        who: usize,
        limit: u128,
        term_offset: i64,
        grace: u64,
    },
    Close {
        who: usize,
    },
    Freeze {
        who: usize,
    },
    Unfreeze {
        who: usize,
    },
    Default {
        who: usize,
    },
    Advance {
        secs: u64,
    },
    /// Jump to a boundary of `who`'s line (term end, grace end, or the second after), if still ahead.
    AdvanceToBoundary {
        who: usize,
        boundary: u8,
    },
}

fn who() -> impl Strategy<Value = usize> {
    0..N
}

fn amount() -> impl Strategy<Value = u128> {
    prop_oneof![
        12 => 1u128..=400,
        1 => Just(0u128),
        1 => (MAX_AMOUNT - 2)..=MAX_AMOUNT.saturating_add(2),
        1 => any::<u128>(),
    ]
}

fn bps() -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => 0u16..=300,
        2 => 0u16..=10_000,
        1 => Just(10_000u16),
        1 => 10_001u16..=u16::MAX,
    ]
}

fn limit() -> impl Strategy<Value = u128> {
    prop_oneof![
        10 => 0u128..=1_000,
        1 => Just(MAX_AMOUNT),
        1 => (MAX_AMOUNT + 1)..=u128::MAX,
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        10 => (who(), who(), amount(), bps(), any::<bool>())
            .prop_map(|(from, to, amount, bps, with_fee)| Op::Transfer { from, to, amount, bps, with_fee }),
        3 => (who(), limit(), -200i64..3_000, 0u64..1_000)
            .prop_map(|(who, limit, term_offset, grace)| Op::SetLine { who, limit, term_offset, grace }),
        1 => who().prop_map(|who| Op::Close { who }),
        1 => who().prop_map(|who| Op::Freeze { who }),
        1 => who().prop_map(|who| Op::Unfreeze { who }),
        2 => who().prop_map(|who| Op::Default { who }),
        3 => (0u64..1_500).prop_map(|secs| Op::Advance { secs }),
        1 => (who(), 0u8..4).prop_map(|(who, boundary)| Op::AdvanceToBoundary { who, boundary }),
    ]
}

/// An exact integer wider than i128 (`hi * 2^64 + lo`, `lo < 2^64`), so that sums over several
/// extreme balances and Σminted over many huge transfers cannot overflow in the test itself.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Wide {
    hi: i128,
    lo: u128,
}

impl Wide {
    const MASK: u128 = u64::MAX as u128;

    fn add(self, hi: i128, lo: u128) -> Wide {
        let lo = self.lo + lo;
        Wide { hi: self.hi + hi + (lo >> 64) as i128, lo: lo & Self::MASK }
    }

    fn plus_i128(self, v: i128) -> Wide {
        self.add(v >> 64, (v as u128) & Self::MASK)
    }

    fn plus_u128(self, v: u128) -> Wide {
        self.add((v >> 64) as i128, v & Self::MASK)
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Net {
    accounts: [Account; N],
    now: u64,
    minted: Wide,
    burned: Wide,
}

impl Net {
    /// Members start with staggered lines (set through the library) so that sequences mint, burn and
    /// reach their term ends early; the collector and the loss account start without one.
    fn new() -> Self {
        let mut accounts = [Account::EMPTY; N];
        for (i, account) in accounts.iter_mut().enumerate().skip(2) {
            let i = i as u64;
            let terms = LineTerms { limit: 100 * i as u128, term_end: START + 400 * i, grace_period: 100 * i };
            *account = set_credit_line(account, terms, START).unwrap();
        }
        Net { accounts, now: START, minted: Wide::default(), burned: Wide::default() }
    }

    fn record(&mut self, minted: u128, burned: u128) {
        self.minted = self.minted.plus_u128(minted);
        self.burned = self.burned.plus_u128(burned);
    }

    /// Applies `op`; on error the network must be left exactly as it was (checked by the caller).
    fn apply(&mut self, op: &Op) -> Result<(), LedgerError> {
        match *op {
            Op::Transfer { from, to, amount, bps, with_fee } => self.transfer(from, to, amount, bps, with_fee),
            Op::SetLine { who, limit, term_offset, grace } => {
                let term_end = self.now.saturating_add_signed(term_offset);
                let before = self.accounts[who];
                let expected = expect_set_line(&before, limit, term_end, self.now);
                let result = set_credit_line(&before, LineTerms { limit, term_end, grace_period: grace }, self.now);
                assert_eq!(result.err(), expected.err(), "set_credit_line error for {before:?}");
                let new = result?;
                assert_eq!(new.balance, before.balance);
                let line = new.line.expect("a line was set");
                assert_eq!(
                    (line.limit, line.term_start, line.term_end, line.grace_period),
                    (limit, self.now, term_end, grace)
                );
                self.accounts[who] = new;
                Ok(())
            }
            Op::Close { who } => self.status_change(who, close_credit_line, LineStatus::Active, LineStatus::Closed),
            Op::Freeze { who } => self.status_change(who, freeze, LineStatus::Active, LineStatus::Frozen),
            Op::Unfreeze { who } => self.status_change(who, unfreeze, LineStatus::Frozen, LineStatus::Active),
            Op::Default { who } => self.default(who),
            Op::Advance { secs } => {
                self.now += secs;
                Ok(())
            }
            Op::AdvanceToBoundary { who, boundary } => {
                if let Some(line) = self.accounts[who].line {
                    let grace_end = line.term_end + line.grace_period;
                    let target = [line.term_end, line.term_end + 1, grace_end, grace_end + 1][usize::from(boundary)];
                    self.now = self.now.max(target);
                }
                Ok(())
            }
        }
    }

    fn transfer(&mut self, from: usize, to: usize, amount: u128, bps: u16, with_fee: bool) -> Result<(), LedgerError> {
        let rate = match FeeRate::new(bps) {
            Ok(rate) => rate,
            Err(e) => {
                assert!(bps > 10_000);
                assert_eq!(e, LedgerError::FeeRateTooHigh { bps });
                return Err(e);
            }
        };
        let [s, r, c] = [from, to, COLLECTOR].map(|i| self.accounts[i]);
        let collects = with_fee && COLLECTOR != from;
        // The textbook formula where amount * bps fits a u128; beyond that, fee_for (unit-tested on huge
        // amounts separately).
        let expected_fee = if collects { naive_fee(amount, bps).unwrap_or_else(|| rate.fee_for(amount)) } else { 0 };
        let result = if with_fee {
            transfer_with_fee(
                Party::new(&from, &s),
                Party::new(&to, &r),
                Party::new(&COLLECTOR, &c),
                amount,
                rate,
                self.now,
            )
        } else {
            transfer(Party::new(&from, &s), Party::new(&to, &r), amount, self.now)
        };
        // Credits: the receiver gets the amount (and the fee when it is the collector); a distinct
        // collector gets the fee. Either may overflow a balance near the top of the range.
        let receiver_gain = amount.saturating_add(if to == COLLECTOR { expected_fee } else { 0 });
        let collector_gain = if to != COLLECTOR { expected_fee } else { 0 };
        let expected = expect_transfer(&s, from, to, amount, expected_fee, self.now).and_then(|()| {
            let overflows = |account: &Account, gain: u128| {
                gain > 0 && i128::try_from(gain).ok().and_then(|g| account.balance.checked_add(g)).is_none()
            };
            if overflows(&r, receiver_gain) || overflows(&c, collector_gain) {
                Err(LedgerError::Overflow)
            } else {
                Ok(())
            }
        });
        match (&result, expected) {
            (Ok(_), Ok(())) => {}
            (Err(got), Err(want)) => assert_eq!(*got, want),
            (got, want) => panic!("transfer {from}->{to} of {amount} from {s:?}: got {got:?}, want {want:?}"),
        }
        let o: TransferOutcome = result?;

        // The outcome is exactly amount + fee out of the sender, amount (+ fee) into the receiver.
        assert_eq!(o.fee, expected_fee);
        let total = amount + o.fee;
        assert_eq!(o.amount, amount);
        assert_eq!(o.sender.balance, s.balance - total as i128);
        assert_eq!((o.sender.line, o.receiver.line), (s.line, r.line), "transfers never touch lines");
        let fee_to_receiver = with_fee && to == COLLECTOR && o.fee > 0;
        assert_eq!(o.receiver.balance, r.balance + (amount + if fee_to_receiver { o.fee } else { 0 }) as i128);
        let fee_to_third = with_fee && o.fee > 0 && !fee_to_receiver;
        assert_eq!(o.collector.is_some(), fee_to_third);
        if let Some(new_c) = o.collector {
            assert_eq!(new_c.balance, c.balance + o.fee as i128);
        }

        // Spending goes below zero only inside a usable line, never below -limit.
        match s.line {
            Some(line) if usable(&line, self.now) => assert!(o.sender.balance >= -(line.limit as i128)),
            _ => assert!(o.sender.balance >= 0 && o.minted == 0, "minting without a usable line: {s:?} -> {o:?}"),
        }

        // Minted = debt the sender took on; burned = debt the receiving side paid off.
        assert_eq!(o.minted, o.sender.debt() - s.debt());
        let mut burned = r.debt() - o.receiver.debt();
        if let Some(new_c) = o.collector {
            burned += c.debt() - new_c.debt();
        }
        assert_eq!(o.burned, burned);

        self.accounts[from] = o.sender;
        self.accounts[to] = o.receiver;
        if let Some(new_c) = o.collector {
            self.accounts[COLLECTOR] = new_c;
        }
        self.record(o.minted, o.burned);
        Ok(())
    }

    fn status_change(
        &mut self,
        who: usize,
        f: fn(&Account) -> Result<Account, LedgerError>,
        from: LineStatus,
        to: LineStatus,
    ) -> Result<(), LedgerError> {
        let before = self.accounts[who];
        let result = f(&before);
        assert_eq!(result.is_ok(), before.status() == Some(from), "{before:?} -> {result:?}");
        let new = result?;
        assert_eq!(new.status(), Some(to));
        assert_eq!(new.balance, before.balance);
        self.accounts[who] = new;
        Ok(())
    }

    fn default(&mut self, who: usize) -> Result<(), LedgerError> {
        let (m, l) = (self.accounts[who], self.accounts[LOSS]);
        let result = declare_default(Party::new(&who, &m), Party::new(&LOSS, &l), self.now);
        let declarable = who != LOSS
            && m.balance < 0
            && m.line.is_some_and(|line| {
                line.status != LineStatus::Defaulted && self.now > line.term_end + line.grace_period
            });
        assert_eq!(result.is_ok(), declarable, "default of {m:?} at {}: {result:?}", self.now);
        let o = result?;
        assert_eq!(o.debt, m.debt());
        assert_eq!(o.member.balance, 0);
        assert_eq!(o.loss.balance, l.balance - m.debt() as i128);
        assert_eq!(o.member.status(), Some(LineStatus::Defaulted));
        self.accounts[who] = o.member;
        self.accounts[LOSS] = o.loss;
        self.record(o.minted, o.burned);
        Ok(())
    }

    fn check_invariants(&self) {
        let balances = self.accounts.map(|a| a.balance);
        let sum = balances.iter().fold(Wide::default(), |w, b| w.plus_i128(*b));
        assert_eq!(sum, Wide::default(), "sum of balances: {balances:?}");
        let positive = self.accounts.iter().fold(Wide::default(), |w, a| w.plus_u128(a.holdings()));
        let negative = self.accounts.iter().fold(Wide::default(), |w, a| w.plus_u128(a.debt()));
        assert_eq!(positive, negative, "supply != debt: {balances:?}");
        // Tracked supply: 0 + Σminted - Σburned == Σpositive, i.e. Σminted == Σburned + Σpositive.
        let burned_plus_supply = self.burned.add(positive.hi, positive.lo);
        assert_eq!(self.minted, burned_plus_supply, "tracked supply vs positive balances {balances:?}");
        // The library's own supply() agrees whenever its u128 sides fit.
        match supply(balances) {
            Ok(s) => assert!(s.is_balanced() && Wide::default().plus_u128(s.total()) == positive, "{s:?}"),
            Err(e) => assert!(e == LedgerError::Overflow && positive.hi >> 64 != 0, "{e:?} for {balances:?}"),
        }
        for (i, a) in self.accounts.iter().enumerate() {
            if i == LOSS {
                continue; // the loss account is the one place debt lands without a line
            }
            match a.line {
                Some(line) if matches!(line.status, LineStatus::Active | LineStatus::Frozen) => {
                    assert!(a.balance >= -(line.limit as i128), "account {i} over its limit: {a:?}")
                }
                Some(line) if line.status == LineStatus::Defaulted => {
                    assert!(a.balance >= 0 && line.limit == 0, "defaulted {i}: {a:?}")
                }
                Some(_) => {} // closed: the debt stays until repaid or written off
                None => assert!(a.balance >= 0, "account {i} in debt without a line: {a:?}"),
            }
        }
    }
}

fn usable(line: &CreditLine, now: u64) -> bool {
    line.status == LineStatus::Active && line.term_start <= now && now <= line.term_end
}

/// ceil(amount * bps / 10_000) by the textbook formula, when the product fits.
fn naive_fee(amount: u128, bps: u16) -> Option<u128> {
    amount.checked_mul(bps as u128).map(|p| p.div_ceil(10_000))
}

/// The transfer rule stated independently: the sender's balance after paying must stay at or above
/// its floor, which is -limit inside a usable line and min(balance, 0) otherwise.
fn expect_transfer(
    sender: &Account,
    from: usize,
    to: usize,
    amount: u128,
    fee: u128,
    now: u64,
) -> Result<(), LedgerError> {
    if amount == 0 {
        return Err(LedgerError::ZeroAmount);
    }
    if from == to {
        return Err(LedgerError::SelfTransfer);
    }
    if amount > MAX_AMOUNT {
        return Err(LedgerError::Overflow);
    }
    let total = amount.checked_add(fee).filter(|t| *t <= MAX_AMOUNT).ok_or(LedgerError::Overflow)?;
    match sender.status() {
        Some(LineStatus::Frozen) => return Err(LedgerError::AccountFrozen),
        Some(LineStatus::Defaulted) => return Err(LedgerError::AccountDefaulted),
        _ => {}
    }
    let floor = match sender.line {
        Some(line) if usable(&line, now) => -(line.limit.min(MAX_AMOUNT) as i128),
        _ => sender.balance.min(0),
    };
    let insufficient = LedgerError::InsufficientCredit { available: available_credit(sender, now), requested: total };
    match sender.balance.checked_sub(total as i128) {
        Some(after) if after >= floor => Ok(()),
        _ => Err(insufficient),
    }
}

fn expect_set_line(account: &Account, limit: u128, term_end: u64, now: u64) -> Result<(), LedgerError> {
    if account.status() == Some(LineStatus::Defaulted) {
        return Err(LedgerError::AccountDefaulted);
    }
    if limit > MAX_AMOUNT {
        return Err(LedgerError::Overflow);
    }
    if term_end <= now {
        return Err(LedgerError::TermEndNotInFuture { term_end, now });
    }
    if limit < account.debt() {
        return Err(LedgerError::LimitBelowDebt { debt: account.debt(), limit });
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_operation_sequences_keep_the_ledger_consistent(ops in prop::collection::vec(op(), 1..=64)) {
        let mut net = Net::new();
        for op in &ops {
            let before = net.clone();
            if net.apply(op).is_err() {
                prop_assert_eq!(&net, &before, "a failed {:?} changed the network", op);
            }
            net.check_invariants();
        }
    }
}

/// The property above is only as good as what the generator reaches: run it deterministically and
/// require that every interesting path actually happens.
#[test]
fn the_generator_reaches_every_path() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = prop::collection::vec(op(), 1..=64);
    let (mut mints, mut burns, mut fees, mut defaults, mut errors) = (0, 0, 0, 0, std::collections::HashSet::new());
    for _ in 0..256 {
        let ops = strategy.new_tree(&mut runner).unwrap().current();
        let mut net = Net::new();
        for op in &ops {
            let (minted, burned) = (net.minted, net.burned);
            match net.apply(op) {
                Ok(()) => {
                    mints += usize::from(net.minted != minted);
                    burns += usize::from(net.burned != burned);
                    defaults += usize::from(matches!(op, Op::Default { .. }));
                    fees += usize::from(matches!(op, Op::Transfer { with_fee: true, bps: 1.., .. }));
                }
                Err(e) => {
                    errors.insert(std::mem::discriminant(&e));
                }
            }
        }
    }
    std::println!("successful mints {mints}, burns {burns}, fees {fees}, defaults {defaults}, errors {}", errors.len());
    assert!(mints > 500 && burns > 100 && fees > 200 && defaults > 20, "{mints} {burns} {fees} {defaults}");
    // All 15 LedgerError variants are reachable from the model's operations.
    assert_eq!(errors.len(), 15, "distinct errors reached");
}

// ---- full-range inputs: nothing panics, and what succeeds conserves balances ----

fn wide_i128() -> impl Strategy<Value = i128> {
    prop_oneof![any::<i128>(), -1_000i128..1_000, Just(i128::MIN), Just(i128::MAX), Just(-i128::MAX)]
}

fn wide_u128() -> impl Strategy<Value = u128> {
    prop_oneof![any::<u128>(), 0u128..1_000, Just(MAX_AMOUNT), Just(MAX_AMOUNT + 1), Just(u128::MAX)]
}

fn wide_u64() -> impl Strategy<Value = u64> {
    prop_oneof![any::<u64>(), 0u64..1_000, Just(u64::MAX), Just(u64::MAX - 1)]
}

fn any_status() -> impl Strategy<Value = LineStatus> {
    prop_oneof![
        Just(LineStatus::Active),
        Just(LineStatus::Frozen),
        Just(LineStatus::Defaulted),
        Just(LineStatus::Closed)
    ]
}

fn any_account() -> impl Strategy<Value = Account> {
    let line = (wide_u128(), wide_u64(), wide_u64(), wide_u64(), any_status()).prop_map(
        |(limit, term_start, term_end, grace_period, status)| CreditLine {
            limit,
            term_start,
            term_end,
            grace_period,
            status,
        },
    );
    (wide_i128(), proptest::option::of(line)).prop_map(|(balance, line)| Account { balance, line })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn no_input_panics_and_successes_conserve(
        s in any_account(),
        r in any_account(),
        c in any_account(),
        amount in wide_u128(),
        bps in 0u16..=10_000,
        now in wide_u64(),
        limit in wide_u128(),
        term_end in wide_u64(),
        grace in wide_u64(),
    ) {
        let rate = FeeRate::new(bps).unwrap();
        let _ = available_credit(&s, now);
        let _ = s.standing(now);
        if let Ok(o) = transfer_with_fee(Party::new(&0, &s), Party::new(&1, &r), Party::new(&2, &c), amount, rate, now) {
            let total = amount + o.fee;
            prop_assert_eq!(s.balance.checked_sub(o.sender.balance), Some(total as i128));
            prop_assert_eq!(o.receiver.balance.checked_sub(r.balance), Some(amount as i128));
            let fee_in = o.collector.map_or(0, |n| n.balance - c.balance);
            prop_assert_eq!(fee_in as u128, if o.collector.is_some() { o.fee } else { 0 });
            prop_assert!(total <= available_credit(&s, now));
            prop_assert_eq!(o.minted, o.sender.debt() - s.debt());
        }
        if let Ok(o) = declare_default(Party::new(&0, &s), Party::new(&1, &r), now) {
            prop_assert_eq!(o.member.balance, 0);
            prop_assert_eq!(r.balance.checked_sub(o.loss.balance), Some(o.debt as i128));
        }
        if let Ok(a) = set_credit_line(&s, LineTerms { limit, term_end, grace_period: grace }, now) {
            prop_assert!(a.line.is_some_and(|l| l.limit >= s.debt() && l.term_end > now));
        }
        for f in [close_credit_line, freeze, unfreeze] {
            if let Ok(a) = f(&s) {
                prop_assert_eq!(a.balance, s.balance);
            }
        }
    }
}

/// One step of the network-statistics model: a transfer (with a fee to account 0 or without), a new
/// credit line, or a default into account 1, at a time that moves forward.
#[derive(Clone, Debug)]
enum StatsOp {
    Transfer { from: usize, to: usize, amount: u128, with_fee: bool },
    SetLine { who: usize, limit: u128 },
    Default { who: usize },
    Advance { secs: u64 },
}

fn stats_op() -> impl Strategy<Value = StatsOp> {
    prop_oneof![
        10 => (who(), who(), 1u128..=500, any::<bool>())
            .prop_map(|(from, to, amount, with_fee)| StatsOp::Transfer { from, to, amount, with_fee }),
        3 => (who(), 0u128..=1_000).prop_map(|(who, limit)| StatsOp::SetLine { who, limit }),
        1 => who().prop_map(|who| StatsOp::Default { who }),
        2 => (0u64..2_000).prop_map(|secs| StatsOp::Advance { secs }),
    ]
}

proptest! {
    /// The counters a contract keeps by applying each operation's `StatsDelta` (never by iterating over
    /// accounts) agree with a recount over all accounts after every operation.
    #[test]
    fn network_stats_follow_the_balances(ops in prop::collection::vec(stats_op(), 1..=64)) {
        let fee = FeeRate::new(250).unwrap();
        let mut accounts: [Option<Account>; N] = [None; N];
        let mut stats = NetworkStats::default();
        let mut now = START;
        for op in &ops {
            let stored = accounts;
            let get = |i: usize| stored[i].unwrap_or(Account::EMPTY);
            // (index, account before, account after) of every account the operation writes.
            let (writes, minted, burned): (Vec<(usize, Account)>, u128, u128) = match *op {
                StatsOp::Transfer { from, to, amount, with_fee } => {
                    let (s, r, c) = (get(from), get(to), get(COLLECTOR));
                    let (sender, receiver) = (Party::new(&from, &s), Party::new(&to, &r));
                    let result = if with_fee {
                        transfer_with_fee(sender, receiver, Party::new(&COLLECTOR, &c), amount, fee, now)
                    } else {
                        transfer(sender, receiver, amount, now)
                    };
                    let Ok(o) = result else { continue };
                    let mut w = vec![(from, o.sender), (to, o.receiver)];
                    w.extend(o.collector.map(|n| (COLLECTOR, n)));
                    (w, o.minted, o.burned)
                }
                StatsOp::SetLine { who, limit } => {
                    let terms = LineTerms { limit, term_end: now + 1_000, grace_period: 100 };
                    let Ok(a) = set_credit_line(&get(who), terms, now) else { continue };
                    (vec![(who, a)], 0, 0)
                }
                StatsOp::Default { who } => {
                    let Ok(o) = declare_default(Party::new(&who, &get(who)), Party::new(&LOSS, &get(LOSS)), now)
                    else {
                        continue;
                    };
                    (vec![(who, o.member), (LOSS, o.loss)], o.minted, o.burned)
                }
                StatsOp::Advance { secs } => {
                    now += secs;
                    continue;
                }
            };
            let delta =
                StatsDelta::of(writes.iter().map(|(i, new)| (stored[*i].as_ref(), new)), minted, burned).unwrap();
            stats.apply(&delta).unwrap();
            for (i, new) in writes {
                accounts[i] = Some(new);
            }

            let present = || accounts.iter().flatten();
            prop_assert_eq!(stats.supply, present().map(|a| a.holdings()).sum::<u128>(), "supply: {:?}", accounts);
            prop_assert_eq!(stats.members_in_debt, present().filter(|a| a.balance < 0).count() as u64);
            prop_assert_eq!(stats.credit_extended, present().map(|a| a.line.map_or(0, |l| l.limit)).sum::<u128>());
            prop_assert_eq!(stats.members, present().count() as u64);
        }
    }
}
