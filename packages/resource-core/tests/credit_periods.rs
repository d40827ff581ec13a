//! Credit periods on accounts (issue 24): the ledger's period rules as the credit token runs them,
//! through `set_period_terms`, payments (the lazy sync) and `sync_credit_period`. Tests named after
//! the reference protocol's cases say so.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use resource_core::ledger::{
    account_needed_income, account_period, close_credit_line, declare_default, set_credit_line, set_period_paused,
    set_period_terms, sync_credit_period, transfer, Account, LedgerError, LinePolicy, LineStatus, LineTerms, MinItd,
    Party, PeriodIncome, PeriodState, PeriodTerms, Standing, SyncOutcome,
};

const DAY: u64 = 86_400;
const T0: u64 = 1_700_000_000;
const LENGTH: u64 = 30 * DAY;
const GRACE: u64 = 7 * DAY;
const EXPIRATION: u64 = T0 + LENGTH;
const HALF: MinItd = MinItd(500_000);
const POLICY: LinePolicy = LinePolicy { min_term: 0, min_grace_period: 0 };

/// A member with a line of 1,000 from `T0` for `LENGTH`, on period terms with `min_itd`.
fn member(min_itd: MinItd) -> Account {
    let terms = LineTerms { limit: 1_000, term_end: EXPIRATION, grace_period: GRACE };
    let account = set_credit_line(&Account::EMPTY, terms, POLICY, T0).unwrap().account;
    set_period_terms(&account, Some(min_itd)).unwrap()
}

fn pay(from: &Account, to: &Account, amount: u128, now: u64) -> Result<(Account, Account), LedgerError> {
    transfer(Party::new("from", from), Party::new("to", to), amount, now).map(|o| (o.sender, o.receiver))
}

fn income(a: &Account) -> PeriodIncome {
    a.period.unwrap().income
}

fn sync(a: &Account, now: u64) -> Result<SyncOutcome, LedgerError> {
    sync_credit_period(Party::new("member", a), Party::new("loss", &Account::EMPTY), now)
}

#[test]
fn initialize_credit_period() {
    let m = member(HALF);
    let p = account_period(&m).unwrap();
    assert_eq!((p.issued_at, p.expiration, p.grace_length, p.paused), (T0, EXPIRATION, GRACE, false));
    assert_eq!(p.state(T0), PeriodState::Active);
    assert_eq!(m.period.unwrap(), PeriodTerms { min_itd: HALF, paused: false, income: PeriodIncome::NONE });
    assert_eq!(account_period(&Account::EMPTY), None);
    assert_eq!(set_period_terms(&Account::EMPTY, Some(HALF)), Err(LedgerError::NoCreditLine));
    assert_eq!(set_period_terms(&member(HALF), None).unwrap().period, None, "back to a fixed term");
    let fixed = set_period_terms(&member(HALF), None).unwrap();
    assert_eq!(set_period_terms(&fixed, None), Err(LedgerError::NoCreditPeriod));
}

#[test]
fn a_compliant_member_renews_on_its_next_payment() {
    // Owes 400, received 200 this period: ITD 50 %.
    let (m, shop) = pay(&member(HALF), &Account::EMPTY, 600, T0 + DAY).unwrap();
    let (_, m) = pay(&shop, &m, 200, T0 + 2 * DAY).unwrap();
    assert_eq!((m.balance, income(&m).income), (-400, 200));
    let now = EXPIRATION + 1;
    let o = transfer(Party::new("m", &m), Party::new("shop", &shop), 10, now).unwrap();
    let renewal = o.renewals.sender.expect("renewed");
    assert_eq!(renewal.expiration, now + LENGTH);
    let line = o.sender.line.unwrap();
    assert_eq!((line.term_start, line.term_end, line.grace_period), (now, now + LENGTH, GRACE));
    assert_eq!(income(&o.sender), PeriodIncome::NONE, "ExpirationResetsPeriodIncome");
    assert_eq!(o.sender.balance, -410);
    assert_eq!(renewal.repaid_on_time, None, "still in debt: no on-time record");
}

#[test]
fn expiration_resets_rebalanced() {
    let (m, shop) = pay(&member(MinItd(5_000_000)), &Account::EMPTY, 300, T0 + DAY).unwrap();
    let (shop, m) = pay(&shop, &m, 300, T0 + 2 * DAY).unwrap();
    assert!(income(&m).rebalanced, "one payment covered the whole debt");
    let (m, _) = pay(&m, &shop, 50, T0 + 3 * DAY).unwrap();
    assert_eq!(m.balance, -50);
    let SyncOutcome::Renewed { account, renewal } = sync(&m, EXPIRATION + 1).unwrap() else { panic!() };
    assert_eq!(income(&account), PeriodIncome::NONE);
    assert_eq!(renewal.repaid_on_time, None);
}

#[test]
fn renewal_settles_a_term_repaid_on_time() {
    let (m, shop) = pay(&member(HALF), &Account::EMPTY, 300, T0 + DAY).unwrap();
    let (_, m) = pay(&shop, &m, 300, T0 + 2 * DAY).unwrap();
    let SyncOutcome::Renewed { account, renewal } = sync(&m, EXPIRATION + 5).unwrap() else { panic!() };
    assert_eq!(renewal.repaid_on_time, Some(300), "the term's peak debt, all repaid by its end");
    assert_eq!(account.term.peak_debt, 0);
}

#[test]
fn grace_period_freeze() {
    let (m, shop) = pay(&member(HALF), &Account::EMPTY, 400, T0 + DAY).unwrap();
    let now = EXPIRATION + DAY;
    assert_eq!(m.standing(now), Standing::PastDue);
    assert_eq!(account_needed_income(&m, now), 134, "(0.5 * 400) / 1.5, rounded up");
    assert_eq!(
        pay(&m, &shop, 1, now),
        Err(LedgerError::CreditFrozenInGrace { expiration: EXPIRATION, needed_income: 134 })
    );
    assert_eq!(sync(&m, now), Err(LedgerError::CreditFrozenInGrace { expiration: EXPIRATION, needed_income: 134 }));
    // It can still receive, and that income counts for the period in grace.
    let (shop, m) = pay(&shop, &m, 133, now).unwrap();
    assert_eq!(account_needed_income(&m, now), 1);
    assert!(matches!(pay(&m, &shop, 1, now), Err(LedgerError::CreditFrozenInGrace { needed_income: 1, .. })));
    // GracePeriodCompliance: one more unit and the period renews on its next payment.
    let (_, m) = pay(&shop, &m, 1, now).unwrap();
    assert_eq!(account_needed_income(&m, now), 0);
    let (m, _) = pay(&m, &Account::EMPTY, 10, now + 1).unwrap();
    assert_eq!(m.line.unwrap().term_end, now + 1 + LENGTH);
}

#[test]
fn default_when_the_grace_runs_out() {
    let (m, _) = pay(&member(HALF), &Account::EMPTY, 400, T0 + DAY).unwrap();
    let late = EXPIRATION + GRACE + 1;
    assert_eq!(m.standing(late), Standing::DefaultDeclarable);
    assert_eq!(
        pay(&m, &Account::EMPTY, 1, late),
        Err(LedgerError::GraceRanOut { expiration: EXPIRATION, grace_end: EXPIRATION + GRACE })
    );
    let SyncOutcome::Defaulted(o) = sync(&m, late).unwrap() else { panic!() };
    assert_eq!((o.debt, o.member.balance, o.loss.balance), (400, 0, -400));
    assert_eq!(o.member.line.unwrap().status, LineStatus::Defaulted);
    // InDefault: terminal; no spending, no new line, nothing to sync.
    assert_eq!(pay(&o.member, &Account::EMPTY, 1, late), Err(LedgerError::AccountDefaulted));
    let terms = LineTerms { limit: 10, term_end: late + DAY, grace_period: GRACE };
    assert_eq!(set_credit_line(&o.member, terms, POLICY, late).map(|c| c.account), Err(LedgerError::AccountDefaulted));
    assert_eq!(sync(&o.member, late), Err(LedgerError::NoCreditPeriod));
}

#[test]
fn income_after_the_grace_comes_too_late() {
    let (m, shop) = pay(&member(HALF), &Account::EMPTY, 400, T0 + DAY).unwrap();
    // Found in review: the formula's 134 would no longer save it; only the whole debt does.
    assert_eq!(account_needed_income(&m, EXPIRATION + GRACE), 134, "the last second of grace");
    assert_eq!(account_needed_income(&m, EXPIRATION + GRACE + 1), 400);
    let (_, m) = pay(&shop, &m, 300, EXPIRATION + GRACE + 1).unwrap();
    assert_eq!(income(&m), PeriodIncome::NONE);
    assert!(matches!(sync(&m, EXPIRATION + GRACE + 1), Ok(SyncOutcome::Defaulted(o)) if o.debt == 100));
}

#[test]
fn a_sync_before_expiration_changes_nothing_and_says_so() {
    let m = member(HALF);
    assert_eq!(sync(&m, EXPIRATION), Err(LedgerError::CreditPeriodRunning { expiration: EXPIRATION }));
    let fixed = set_period_terms(&m, None).unwrap();
    assert_eq!(sync(&fixed, EXPIRATION + 1), Err(LedgerError::NoCreditPeriod));
}

#[test]
fn declaring_a_default_follows_the_period() {
    let (m, shop) = pay(&member(HALF), &Account::EMPTY, 400, T0 + DAY).unwrap();
    let late = EXPIRATION + GRACE + 1;
    let (_, compliant) = pay(&shop, &m, 200, T0 + 2 * DAY).unwrap();
    let declare = |a: &Account| declare_default(Party::new("m", a), Party::new("loss", &Account::EMPTY), late);
    assert_eq!(declare(&compliant).map(|o| o.debt), Err(LedgerError::MeetsCreditTerms));
    let paused = set_period_paused(&m, true).unwrap();
    assert_eq!(declare(&paused).map(|o| o.debt), Err(LedgerError::CreditPeriodPaused));
    assert_eq!(declare(&m).map(|o| o.debt), Ok(400));
}

#[test]
fn expiration_with_paused_period() {
    let (m, shop) = pay(&member(HALF), &Account::EMPTY, 400, T0 + DAY).unwrap();
    let m = set_period_paused(&m, true).unwrap();
    assert_eq!(set_period_paused(&m, true), Err(LedgerError::AlreadyPaused));
    let late = EXPIRATION + 365 * DAY;
    assert_eq!(m.standing(late), Standing::Good);
    assert_eq!(sync(&m, late), Err(LedgerError::CreditPeriodPaused));
    // No rule applies: the line still grants credit past its end.
    let (m, _) = pay(&m, &shop, 100, late).unwrap();
    assert_eq!(m.balance, -500);
    // UnpauseAfterExpirationAndIncompliant: the rules apply at once.
    let m = set_period_paused(&m, false).unwrap();
    assert_eq!(set_period_paused(&m, false), Err(LedgerError::NotPaused));
    assert!(matches!(sync(&m, late), Ok(SyncOutcome::Defaulted(o)) if o.debt == 500));
}

#[test]
fn tx_validation_expired_but_not_using_credit() {
    // A member in grace spends what it holds: nothing is refused. (Holding money means no debt, so
    // it is compliant and renews; a fixed-term line past its end spends what it holds too.)
    let (shop, m) = pay(&Account::new(500, None), &member(HALF), 300, T0 + DAY).unwrap();
    let (m, _) = pay(&m, &shop, 300, EXPIRATION + DAY).unwrap();
    assert_eq!(m.balance, 0);
    let fixed = set_period_terms(&member(HALF), None).unwrap();
    let (_, fixed) = pay(&shop, &fixed, 50, T0 + DAY).unwrap();
    let (fixed, _) = pay(&fixed, &shop, 50, EXPIRATION + DAY).unwrap();
    assert_eq!(fixed.line.unwrap().term_end, EXPIRATION, "a fixed term does not renew");
    assert_eq!(
        pay(&fixed, &shop, 1, EXPIRATION + DAY),
        Err(LedgerError::InsufficientCredit { available: 0, requested: 1 })
    );
}

/// Found in review: changing a running line restarted its term at that moment, so a limit raised on
/// day 29 of a 30-day period made every later period one day long.
#[test]
fn changing_a_running_line_keeps_its_period_length() {
    let raise = LineTerms { limit: 2_000, term_end: EXPIRATION, grace_period: GRACE };
    let raised = set_credit_line(&member(HALF), raise, POLICY, EXPIRATION - DAY).unwrap().account;
    assert_eq!(account_period(&raised).unwrap().length(), LENGTH);
    let SyncOutcome::Renewed { account, .. } = sync(&raised, EXPIRATION + 1).unwrap() else { panic!() };
    assert_eq!(account_period(&account).unwrap().length(), LENGTH);
}

/// Found in review: pausing a closed or defaulted line's period succeeded and did nothing.
#[test]
fn only_a_running_period_can_be_paused() {
    let (m, _) = pay(&member(HALF), &Account::EMPTY, 400, T0 + DAY).unwrap();
    let closed = close_credit_line(&m).unwrap().account;
    assert_eq!(set_period_paused(&closed, true), Err(LedgerError::NoCreditPeriod));
    // A new term starts its period unpaused.
    let paused = set_period_paused(&member(HALF), true).unwrap();
    let closed = close_credit_line(&paused).unwrap().account;
    let terms = LineTerms { limit: 500, term_end: T0 + 2 * LENGTH, grace_period: GRACE };
    let reopened = set_credit_line(&closed, terms, POLICY, T0 + 1).unwrap().account;
    assert!(!reopened.period.unwrap().paused);
}

#[test]
fn a_new_term_starts_a_new_period_record() {
    let (m, shop) = pay(&member(HALF), &Account::EMPTY, 400, T0 + DAY).unwrap();
    let (_, m) = pay(&shop, &m, 100, T0 + 2 * DAY).unwrap();
    let raise = LineTerms { limit: 2_000, term_end: EXPIRATION + DAY, grace_period: GRACE };
    let within = set_credit_line(&m, raise, POLICY, T0 + 3 * DAY).unwrap().account;
    assert_eq!(income(&within).income, 100, "a running term changed: the record carries on");
    let after = LineTerms { term_end: EXPIRATION + 60 * DAY, ..raise };
    let new_term = set_credit_line(&m, after, POLICY, EXPIRATION + 2).unwrap().account;
    assert_eq!(income(&new_term), PeriodIncome::NONE);
    assert_eq!(new_term.period.unwrap().min_itd, HALF, "the terms stay");
}

/// One step of a small network of period members, at a time that only moves forward.
#[derive(Clone, Debug)]
enum Step {
    Pay { from: usize, to: usize, amount: u128 },
    Sync { who: usize },
    Pause { who: usize, paused: bool },
    Wait { seconds: u64 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0usize..4, 0usize..4, 1u128..600).prop_map(|(from, to, amount)| Step::Pay { from, to, amount }),
        2 => (0usize..4).prop_map(|who| Step::Sync { who }),
        1 => (0usize..4, any::<bool>()).prop_map(|(who, paused)| Step::Pause { who, paused }),
        2 => (0u64..20 * DAY).prop_map(|seconds| Step::Wait { seconds }),
    ]
}

/// What a run of [`run_network`] went through.
#[derive(Default)]
struct Reached {
    renewals: usize,
    defaults: usize,
    frozen: usize,
    paused_draws: usize,
}

/// Runs `steps` over four period members with `min_itds`, checking after every step that the
/// balances (loss account included) sum to 0 and no member is beyond its limit; that whoever draws
/// credit is in an active (or renewed, or paused) period, so never frozen in grace nor after its
/// grace ran out; that a refused payment changes nothing; and that a renewed period starts with no
/// income on record.
fn run_network(min_itds: &[u64], steps: &[Step]) -> Result<Reached, TestCaseError> {
    let mut accounts: Vec<Account> = min_itds.iter().map(|m| member(MinItd(*m))).collect();
    let mut loss = Account::EMPTY;
    let mut now = T0 + 1;
    let mut reached = Reached::default();
    for step in steps {
        match *step {
            Step::Pay { from, to, amount } if from != to => {
                let before = accounts[from];
                match transfer(Party::new(&from, &before), Party::new(&to, &accounts[to]), amount, now) {
                    Ok(o) => {
                        if o.sender.debt() > before.debt() {
                            let p = account_period(&o.sender).unwrap();
                            prop_assert!(p.paused || p.state(now) == PeriodState::Active, "{:?} at {}", p, now);
                            reached.paused_draws += usize::from(p.paused && p.state(now) != PeriodState::Active);
                        }
                        for (renewal, account) in [(o.renewals.sender, o.sender), (o.renewals.receiver, o.receiver)] {
                            if renewal.is_some() {
                                reached.renewals += 1;
                                prop_assert_eq!(account.line.unwrap().term_start, now);
                            }
                        }
                        if o.renewals.sender.is_some() {
                            prop_assert_eq!(income(&o.sender), PeriodIncome::NONE);
                        }
                        accounts[from] = o.sender;
                        accounts[to] = o.receiver;
                    }
                    Err(e) => {
                        reached.frozen += usize::from(matches!(e, LedgerError::CreditFrozenInGrace { .. }));
                        prop_assert_eq!(accounts[from], before, "{:?}", e);
                    }
                }
            }
            Step::Pay { .. } => {}
            Step::Sync { who } => {
                match sync_credit_period(Party::new(&who, &accounts[who]), Party::new(&9, &loss), now) {
                    Ok(SyncOutcome::Renewed { account, .. }) => {
                        reached.renewals += 1;
                        accounts[who] = account;
                    }
                    Ok(SyncOutcome::Defaulted(o)) => {
                        reached.defaults += 1;
                        accounts[who] = o.member;
                        loss = o.loss;
                    }
                    Err(_) => {}
                }
            }
            Step::Pause { who, paused } => {
                if let Ok(a) = set_period_paused(&accounts[who], paused) {
                    accounts[who] = a;
                }
            }
            Step::Wait { seconds } => now += seconds,
        }
        let sum: i128 = accounts.iter().map(|a| a.balance).sum::<i128>() + loss.balance;
        prop_assert_eq!(sum, 0);
        for a in &accounts {
            prop_assert!(a.balance >= -1_000, "no one beyond its limit");
        }
    }
    Ok(reached)
}

fn network() -> impl Strategy<Value = (Vec<u64>, Vec<Step>)> {
    (prop::collection::vec(0u64..2_000_000, 4), prop::collection::vec(step(), 1..80))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn period_rules_keep_the_ledger_whole((min_itds, steps) in network()) {
        run_network(&min_itds, &steps)?;
    }
}

/// The property above is only as good as what its generator reaches: renewals, defaults, freezes
/// and credit drawn while paused past the expiration.
#[test]
fn the_generator_reaches_every_period_path() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut total = Reached::default();
    for _ in 0..300 {
        let (min_itds, steps) = network().new_tree(&mut runner).unwrap().current();
        let r = run_network(&min_itds, &steps).unwrap();
        total.renewals += r.renewals;
        total.defaults += r.defaults;
        total.frozen += r.frozen;
        total.paused_draws += r.paused_draws;
    }
    let Reached { renewals, defaults, frozen, paused_draws } = total;
    std::println!("renewals {renewals}, defaults {defaults}, freezes {frozen}, paused draws {paused_draws}");
    assert!(
        renewals > 50 && defaults > 20 && frozen > 20 && paused_draws > 5,
        "{renewals} {defaults} {frozen} {paused_draws}"
    );
}
