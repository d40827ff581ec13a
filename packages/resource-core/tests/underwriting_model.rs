//! Property tests for the underwriting rules: random operation sequences on a small pool (3 to 30
//! underwriters, a few applications, six members who apply and vouch), checked after every step
//! against the invariants (stake conservation, exact reward accounting with bounded dust, slashing
//! capped at the loss and the backing) and against independent statements of the rules (approval,
//! collusion refusals, pro-rata slashing); failed operations change nothing; and a coverage test
//! requiring the generator to reach every error variant. Vouches reserve and release credit on the
//! members' ledger accounts as the credit token does (`ledger::reserve_credit`, `release_credit`).

mod common;

use proptest::prelude::*;
use resource_core::ledger::{
    release_credit, reserve_credit, set_credit_line, Account, LedgerError, LinePolicy, LineTerms, StandingIssue,
};
use resource_core::underwriting::*;

const START: u64 = 1_700_000_000;
const POLICY: ApplicationPolicy = ApplicationPolicy { min_term: 10, max_term: 200, open_period: 100 };
const UNBONDING: u64 = 30;
const VOUCH_POLICY: VouchPolicy = VouchPolicy { reward_weight_bps: 5_000 };
/// Members (applicants, vouchers) are accounts 100..106, underwriters 0..n.
const MEMBER0: u32 = 100;
const MEMBERS: u32 = 6;
const MAX_APPS: usize = 4;
/// Every underwriter starts with this much bonded.
const INITIAL_STAKE: u128 = 300;

/// Why an operation was refused: by the underwriting rules, or by the ledger when the credit token
/// reserves a vouch's credit (the whole vouch is then refused).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Refusal {
    Underwriting(UnderwritingError),
    Ledger(LedgerError),
}

impl From<UnderwritingError> for Refusal {
    fn from(e: UnderwritingError) -> Self {
        Refusal::Underwriting(e)
    }
}

impl From<LedgerError> for Refusal {
    fn from(e: LedgerError) -> Self {
        Refusal::Ledger(e)
    }
}

#[derive(Clone, Debug)]
enum Op {
    Bond {
        who: usize,
        amount: u128,
    },
    Unbond {
        who: usize,
        amount: u128,
    },
    Claim {
        who: usize,
    },
    Apply {
        member: u32,
        amount: u128,
        term: u64,
        vouchers: Vec<u32>,
        bad_policy: bool,
    },
    /// `amount`, or (`None`) 40 % of what the application requires, within the free stake, so that
    /// sequences reach approvals.
    Back {
        app: usize,
        who: usize,
        amount: Option<u128>,
    },
    Withdraw {
        app: usize,
        who: usize,
        amount: u128,
    },
    Approve {
        app: usize,
    },
    Reject {
        app: usize,
    },
    Expire {
        app: usize,
    },
    Repaid {
        app: usize,
    },
    Default {
        app: usize,
        loss: u128,
    },
    Fee {
        amount: u128,
    },
    ClaimRewards {
        who: usize,
    },
    Vouch {
        voucher: u32,
        newcomer: u32,
        amount: u128,
    },
    SettleVouch {
        pick: usize,
        how: u8,
    },
    SetRules {
        ratio: u32,
        num: u128,
        den: u128,
        min: u32,
        max_share: u16,
    },
    /// A caller whose records disagree with the stake or reward account (a contract bug): the
    /// primitives must refuse it (a success is discarded).
    Misuse {
        who: usize,
        amount: u128,
        kind: u8,
    },
    Advance {
        secs: u64,
    },
    /// Every underwriter backs one open application with 1 unit, one after the other (a crowd, so
    /// that sequences reach the bound on backers).
    Crowd {
        app: usize,
    },
    /// One underwriter unbonds 1 unit a second, `MAX_UNBONDINGS + 1` times (so that sequences reach
    /// the bound on pending unbondings).
    Drip {
        who: usize,
    },
    /// Jump to the term end of an approved application (or its expiry, for an open one), if ahead.
    AdvanceToBoundary {
        app: usize,
        after: bool,
    },
}

impl Op {
    fn needs_application(&self) -> bool {
        matches!(
            self,
            Op::Back { .. }
                | Op::Withdraw { .. }
                | Op::Approve { .. }
                | Op::Reject { .. }
                | Op::Expire { .. }
                | Op::Repaid { .. }
                | Op::Default { .. }
                | Op::AdvanceToBoundary { .. }
                | Op::Crowd { .. }
        )
    }
}

fn amount() -> impl Strategy<Value = u128> {
    prop_oneof![8 => 0u128..120, 2 => 100u128..2_000, 1 => Just(u128::MAX)]
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0usize..30;
    let app = 0usize..4 * MAX_APPS;
    let member = 0u32..MEMBERS + 2; // 6, 7: an underwriter (0, 1)
    prop_oneof![
        6 => (who.clone(), amount()).prop_map(|(who, amount)| Op::Bond { who, amount }),
        3 => (prop_oneof![0usize..2, who.clone()], prop_oneof![amount(), 1u128..4]).prop_map(|(who, amount)| Op::Unbond { who, amount }),
        1 => (0usize..4 * MAX_APPS).prop_map(|app| Op::Crowd { app }),
        1 => (0usize..30).prop_map(|who| Op::Drip { who }),
        2 => who.clone().prop_map(|who| Op::Claim { who }),
        5 => (0u32..MEMBERS, 0u128..300, 0u64..250, prop_oneof![6 => prop::collection::vec(member.clone(), 0..3), 1 => prop::collection::vec(member, 0..10)], prop::bool::weighted(0.03))
            .prop_map(|(member, amount, term, vouchers, bad_policy)| Op::Apply { member, amount, term, vouchers, bad_policy }),
        14 => (app.clone(), who.clone(), prop_oneof![amount().prop_map(Some), Just(None)]).prop_map(|(app, who, amount)| Op::Back { app, who, amount }),
        3 => (app.clone(), who.clone(), 0u128..150).prop_map(|(app, who, amount)| Op::Withdraw { app, who, amount }),
        2 => app.clone().prop_map(|app| Op::Approve { app }),
        1 => app.clone().prop_map(|app| Op::Reject { app }),
        1 => app.clone().prop_map(|app| Op::Expire { app }),
        3 => app.clone().prop_map(|app| Op::Repaid { app }),
        3 => (app, prop_oneof![1 => Just(0u128), 6 => 1u128..400]).prop_map(|(app, loss)| Op::Default { app, loss }),
        5 => prop_oneof![Just(0u128), 1u128..1_000_000].prop_map(|amount| Op::Fee { amount }),
        2 => who.clone().prop_map(|who| Op::ClaimRewards { who }),
        2 => (0u32..MEMBERS, 0u32..MEMBERS, 0u128..400).prop_map(|(voucher, newcomer, amount)| Op::Vouch { voucher, newcomer, amount }),
        1 => (0usize..8, 0u8..3).prop_map(|(pick, how)| Op::SettleVouch { pick, how }),
        1 => (prop_oneof![Just(0u32), 5_000u32..30_000], 0u128..4, 0u128..4, 0u32..5, prop_oneof![Just(0u16), 2_000u16..10_001, Just(10_001u16)])
            .prop_map(|(ratio, num, den, min, max_share)| Op::SetRules { ratio, num, den, min, max_share }),
        1 => (who, 0u128..300, 0u8..3).prop_map(|(who, amount, kind)| Op::Misuse { who, amount, kind }),
        3 => (0usize..4 * MAX_APPS, any::<bool>()).prop_map(|(app, after)| Op::AdvanceToBoundary { app, after }),
        3 => prop_oneof![8 => 0u64..20, 2 => 20u64..120, 1 => Just(250u64)].prop_map(|secs| Op::Advance { secs }),
    ]
}

/// The pool: `n` underwriters with identities (some shared, some a member's).
fn case() -> impl Strategy<Value = (Vec<u32>, Vec<Op>)> {
    (3usize..=30).prop_flat_map(|n| {
        let ident = prop_oneof![8 => 0u32..n as u32, 1 => MEMBER0..MEMBER0 + MEMBERS];
        (prop::collection::vec(ident, n), prop::collection::vec(op(), 1..=80))
    })
}

#[derive(Clone, Debug, PartialEq)]
struct Model {
    now: u64,
    ident: Vec<u32>,
    stakes: Vec<Stake>,
    rewards: Vec<RewardAccount>,
    pool: RewardPool,
    apps: Vec<Application<u32>>,
    rules: BackingRules,
    /// The members' credit-token accounts (their `reserved` is what their active vouches hold).
    members: Vec<Account>,
    vouches: Vec<Vouch<u32>>,
    // Independent bookkeeping.
    bonded: Vec<u128>,
    claimed: Vec<u128>,
    reserve: u128,
    fees_to_reserve: u128,
    rewards_claimed: u128,
    max_exposure: u128,
}

fn member_account(m: u32) -> Account {
    let terms = LineTerms { limit: 1_000, term_end: START + 400, grace_period: 50 };
    let line = set_credit_line(&Account::EMPTY, terms, LinePolicy::default(), START).unwrap().account;
    match m {
        3 => Account { balance: -900, ..line },
        4 => Account::EMPTY,
        5 => Account { frozen: true, ..line },
        _ => line,
    }
}

fn member(m: u32) -> Member<u32> {
    Member::own(MEMBER0 + m)
}

impl Model {
    fn new(ident: Vec<u32>) -> Model {
        let n = ident.len();
        Model {
            now: START,
            ident,
            stakes: vec![Stake::new(INITIAL_STAKE); n],
            rewards: vec![RewardAccount::default(); n],
            pool: RewardPool::default(),
            apps: Vec::new(),
            rules: BackingRules {
                collateral_ratio_bps: 12_000,
                price: Price { numerator: 1, denominator: 2 },
                min_underwriters: 2,
                max_share_bps: 6_000,
            },
            members: (0..MEMBERS).map(member_account).collect(),
            vouches: Vec::new(),
            bonded: vec![INITIAL_STAKE; n],
            claimed: vec![0; n],
            reserve: 0,
            fees_to_reserve: 0,
            rewards_claimed: 0,
            max_exposure: 0,
        }
    }

    fn n(&self) -> usize {
        self.ident.len()
    }

    fn underwriter(&self, who: usize) -> (usize, Member<u32>) {
        let i = who % self.n();
        (i, Member { address: i as u32, identity: self.ident[i] })
    }

    fn index_of(&self, address: u32) -> usize {
        address as usize
    }

    /// Usually (`app % 4 != 3`) an application with `status`, if there is one, so that sequences
    /// reach approvals and settlements; otherwise any.
    fn pick(&self, app: usize, status: ApplicationStatus) -> Result<usize, ()> {
        let with: Vec<usize> = (0..self.apps.len()).filter(|&k| self.apps[k].status == status).collect();
        if app % 4 != 3 && !with.is_empty() {
            return Ok(with[(app / 4) % with.len()]);
        }
        self.app(app)
    }

    fn app(&self, app: usize) -> Result<usize, ()> {
        // `run` skips application ops while there is none.
        Ok(app % self.apps.len())
    }

    /// Applies `op`; on error nothing may have changed (checked by the caller).
    fn apply(&mut self, op: &Op) -> Result<(), Refusal> {
        match *op {
            Op::Bond { who, amount } => {
                let (i, _) = self.underwriter(who);
                self.stakes[i] = bond(&self.stakes[i], amount)?;
                self.bonded[i] += amount;
            }
            Op::Unbond { who, amount } => {
                let (i, _) = self.underwriter(who);
                let before = self.stakes[i].clone();
                let after = unbond(&before, amount, self.now, UNBONDING)?;
                // Locked stake cannot be unbonded: only free stake moves.
                assert_eq!(after.locked, before.locked);
                assert_eq!(after.free, before.free - amount);
                self.stakes[i] = after;
            }
            Op::Claim { who } => {
                let (i, _) = self.underwriter(who);
                let expected: u128 =
                    self.stakes[i].unbonding.iter().filter(|u| u.release_at <= self.now).map(|u| u.amount).sum();
                let (stake, paid) = claim_unbonded(&self.stakes[i], self.now)?;
                assert_eq!(paid, expected);
                self.stakes[i] = stake;
                self.claimed[i] += paid;
            }
            Op::Apply { member: m, amount, term, ref vouchers, bad_policy } => {
                let vouchers: Vec<Member<u32>> = vouchers
                    .iter()
                    .map(|&v| {
                        if v < MEMBERS {
                            member(v)
                        } else {
                            let (_, u) = self.underwriter(v as usize - 6);
                            u
                        }
                    })
                    .collect();
                let policy = if bad_policy { ApplicationPolicy { min_term: 300, ..POLICY } } else { POLICY };
                // Independent statement of the apply rules, in their order.
                let applicant = member(m);
                let expected = if amount == 0 {
                    Some(UnderwritingError::ZeroAmount)
                } else if bad_policy {
                    Some(UnderwritingError::InvalidTermRange { min_term: 300, max_term: 200 })
                } else if !(10..=200).contains(&term) {
                    Some(UnderwritingError::TermOutOfRange { term, min_term: 10, max_term: 200 })
                } else if vouchers.len() > MAX_VOUCHERS {
                    Some(UnderwritingError::TooManyVouchers { max: MAX_VOUCHERS })
                } else {
                    let mut e = None;
                    for (k, v) in vouchers.iter().enumerate() {
                        if v.address == applicant.address || v.identity == applicant.identity {
                            e = Some(UnderwritingError::SelfVouch);
                            break;
                        }
                        if vouchers[..k].iter().any(|w| w.address == v.address || w.identity == v.identity) {
                            e = Some(UnderwritingError::DuplicateVoucher);
                            break;
                        }
                    }
                    e
                };
                let result = apply(applicant, amount, term, vouchers, &policy, self.now);
                assert_eq!(result.as_ref().err(), expected.as_ref(), "{op:?}");
                let application = result?;
                if self.apps.len() < MAX_APPS {
                    self.apps.push(application);
                } else {
                    // Replace a settled one, if any (keeps the set small).
                    if let Some(k) = self
                        .apps
                        .iter()
                        .position(|a| !matches!(a.status, ApplicationStatus::Open | ApplicationStatus::Approved))
                    {
                        self.apps[k] = application;
                    }
                }
            }
            Op::Back { app, who, amount } => {
                let k = self.pick(app, ApplicationStatus::Open).expect("an application");
                let (i, backer) = self.underwriter(who);
                let a = &self.apps[k];
                let amount = amount.unwrap_or_else(|| {
                    let required = self.rules.required_backing(a.amount).unwrap_or(0);
                    (required * 2 / 5 + 1).min(self.stakes[i].free)
                });
                // Independent statement of the collusion rules.
                let is_open = a.status == ApplicationStatus::Open && self.now <= a.expires_at;
                let self_backing = backer.address == a.applicant.address || backer.identity == a.applicant.identity;
                let voucher = a.vouchers.iter().any(|v| v.address == backer.address || v.identity == backer.identity);
                let result = back(a, &self.stakes[i], backer, amount, self.now);
                if is_open && amount > 0 {
                    if self_backing {
                        assert_eq!(result, Err(UnderwritingError::SelfBacking));
                    } else if voucher {
                        assert_eq!(result, Err(UnderwritingError::VoucherBacking));
                    }
                }
                let (application, stake) = result?;
                self.apps[k] = application;
                self.stakes[i] = stake;
                // The contract approves as soon as the rules hold.
                let _ = self.approve(k);
            }
            Op::Withdraw { app, who, amount } => {
                let k = self.app(app).expect("an application");
                let (i, _) = self.underwriter(who);
                let a = &self.apps[k];
                let result = withdraw(a, &self.stakes[i], &(i as u32), amount);
                if a.status == ApplicationStatus::Approved {
                    assert_eq!(result, Err(UnderwritingError::BackingLocked));
                }
                let (application, stake) = result?;
                self.apps[k] = application;
                self.stakes[i] = stake;
            }
            Op::Approve { app } => {
                let k = self.app(app).expect("an application");
                self.approve(k)?;
            }
            Op::Reject { app } => {
                let k = self.app(app).expect("an application");
                let application = reject(&self.apps[k])?;
                self.release_all(&application);
                self.apps[k] = application;
            }
            Op::Expire { app } => {
                let k = self.app(app).expect("an application");
                let application = expire(&self.apps[k], self.now)?;
                self.release_all(&application);
                self.apps[k] = application;
            }
            Op::Repaid { app } => {
                let k = self.pick(app, ApplicationStatus::Approved).expect("an application");
                let application = settle_repaid(&self.apps[k], self.now)?;
                self.release_all(&application);
                self.unexpose(&application);
                self.apps[k] = application;
            }
            Op::Default { app, loss } => {
                let k = self.pick(app, ApplicationStatus::Approved).expect("an application");
                let (application, settlement) = settle_default(&self.apps[k], loss, &self.rules.price, self.now)?;
                // Independent statement: floor(min(loss value, total) * backing / total) each.
                let p = self.rules.price;
                let loss_value = loss * p.numerator / p.denominator;
                let total: u128 = application.backers.iter().map(|b| b.amount).sum();
                let target = loss_value.min(total);
                assert_eq!(settlement.loss_value, loss_value);
                for (b, s) in application.backers.iter().zip(&settlement.backers) {
                    assert_eq!((s.underwriter, s.backing), (b.underwriter, b.amount));
                    assert_eq!(s.slashed, target * b.amount / total);
                    assert_eq!(s.slashed + s.released, s.backing);
                    assert!(s.slashed <= s.backing);
                }
                assert!(settlement.slashed <= target && settlement.slashed <= loss_value);
                let backers = application.backers.len() as u128;
                assert!(target - settlement.slashed < backers.max(1), "rounding below one unit per backer");
                for s in &settlement.backers {
                    let i = self.index_of(s.underwriter);
                    assert!(s.slashed <= self.stakes[i].locked);
                    self.stakes[i] = slash(&self.stakes[i], s.backing, s.slashed).expect("consistent stake");
                }
                self.reserve += settlement.slashed;
                self.unexpose(&application);
                self.apps[k] = application;
            }
            Op::Fee { amount } => {
                let (pool, d) = distribute(&self.pool, amount)?;
                assert_eq!(d.to_underwriters + d.to_reserve, amount);
                assert_eq!(d.to_reserve > 0, self.pool.total_exposure == 0);
                self.fees_to_reserve += d.to_reserve;
                self.pool = pool;
            }
            Op::ClaimRewards { who } => {
                // Usually one that has earned something.
                let earners: Vec<usize> =
                    (0..self.n()).filter(|&i| claimable(&self.pool, &self.rewards[i]).unwrap() > 0).collect();
                let i = if who % 4 != 3 && !earners.is_empty() { earners[who % earners.len()] } else { who % self.n() };
                let (pool, account, paid) = claim_rewards(&self.pool, &self.rewards[i])?;
                self.pool = pool;
                self.rewards[i] = account;
                self.rewards_claimed += paid;
            }
            Op::Vouch { voucher, newcomer, amount } => {
                let v = voucher as usize;
                let before = self.members[v];
                let (pool, vouch) =
                    vouch(&self.pool, MEMBER0 + voucher, MEMBER0 + newcomer, amount, &self.rules.price, &VOUCH_POLICY)?;
                // The token reserves the credit in the same transaction: a refusal refuses the vouch.
                let expected = common::expect_reserve(&before, before.reserved, amount, self.now);
                let result = reserve_credit(&before, amount, self.now);
                assert_eq!(result.err(), expected.err(), "reserving {amount} on {before:?} at {}", self.now);
                let account = result?;
                assert_eq!(Account { reserved: before.reserved, ..account }, before, "only the reservation changes");
                assert_eq!(account.reserved, before.reserved + amount);
                self.pool = pool;
                if self.vouches.len() < 8 {
                    self.vouches.push(vouch);
                    self.members[v] = account;
                } else {
                    // Keep the set small: the pool and the account must then forget this vouch too.
                    let (pool, _, outcome) = cancel_vouch(&self.pool, &vouch).expect("active");
                    self.pool = pool;
                    let released = release_credit(&account, outcome.released, false).expect("just reserved");
                    assert_eq!(released, before);
                }
            }
            Op::SettleVouch { pick, how } => {
                if self.vouches.is_empty() {
                    return Err(UnderwritingError::VouchNotActive { status: VouchStatus::Cancelled }.into());
                }
                let k = pick % self.vouches.len();
                let f = [keep_vouch::<u32>, break_vouch::<u32>, cancel_vouch::<u32>][how as usize];
                let (pool, vouch, outcome) = f(&self.pool, &self.vouches[k])?;
                let v = (vouch.voucher - MEMBER0) as usize;
                let broken = vouch.status == VouchStatus::Broken;
                assert_eq!((outcome.released, outcome.line_cut), (vouch.amount, if broken { vouch.amount } else { 0 }));
                let before = self.members[v];
                // The token releases it, cutting the line of a broken vouch; this never fails.
                let after = release_credit(&before, outcome.released, outcome.line_cut > 0)
                    .expect("an active vouch's amount is reserved on its voucher's account");
                assert_eq!(after.reserved, before.reserved - outcome.released, "released never exceeds reserved");
                let limit = |a: &Account| a.line.map_or(0, |l| l.limit);
                assert_eq!(
                    limit(&after),
                    limit_after_cut(limit(&before), outcome.line_cut),
                    "a cut never raises a limit"
                );
                assert_eq!(Account { reserved: before.reserved, line: before.line, ..after }, before);
                self.members[v] = after;
                self.rewards_claimed += outcome.reward;
                self.pool = pool;
                self.vouches[k] = vouch;
            }
            Op::SetRules { ratio, num, den, min, max_share } => {
                let rules = BackingRules {
                    collateral_ratio_bps: ratio,
                    price: Price { numerator: num, denominator: den },
                    min_underwriters: min,
                    max_share_bps: max_share,
                };
                rules.check()?;
                self.rules = rules;
            }
            Op::Misuse { who, amount, kind } => {
                let (i, _) = self.underwriter(who);
                // Ask for more than the records allow: must be refused.
                match kind {
                    0 => release(&self.stakes[i], self.stakes[i].locked + 1 + amount).map(|_| ())?,
                    1 => {
                        slash(&self.stakes[i], self.stakes[i].locked, self.stakes[i].locked + 1 + amount).map(|_| ())?
                    }
                    _ => remove_exposure(&self.pool, &self.rewards[i], self.rewards[i].exposure + 1 + amount)
                        .map(|_| ())?,
                }
                panic!("a misuse was accepted: {op:?}");
            }
            Op::Advance { secs } => self.now += secs,
            Op::Crowd { .. } | Op::Drip { .. } => unreachable!("expanded by `run`"),
            Op::AdvanceToBoundary { app, after } => {
                let k = self.pick(app, ApplicationStatus::Approved).expect("an application");
                let a = &self.apps[k];
                let boundary = a.term_end.unwrap_or(a.expires_at) + u64::from(after);
                self.now = self.now.max(boundary);
            }
        }
        Ok(())
    }

    /// Approval, checked against an independent statement of the rules; on success the backers'
    /// exposure starts.
    fn approve(&mut self, k: usize) -> Result<(), Refusal> {
        let a = &self.apps[k];
        let r = self.rules;
        let total: u128 = a.backers.iter().map(|b| b.amount).sum();
        let mut identities: Vec<(u32, u128)> = Vec::new();
        for b in &a.backers {
            match identities.iter_mut().find(|(id, _)| *id == b.identity) {
                Some((_, sum)) => *sum += b.amount,
                None => identities.push((b.identity, b.amount)),
            }
        }
        let largest = identities.iter().map(|(_, s)| *s).max().unwrap_or(0);
        let required_num = a.amount * u128::from(r.collateral_ratio_bps) * r.price.numerator;
        let required_den = 10_000 * r.price.denominator;
        let holds = a.status == ApplicationStatus::Open
            && self.now <= a.expires_at
            && total * required_den >= required_num
            && identities.len() as u32 >= r.min_underwriters
            && largest * 10_000 <= total * u128::from(r.max_share_bps);
        let result = approve(a, &r, self.now);
        assert_eq!(result.is_ok(), holds, "approval exactly when the rules hold: {result:?} {a:?} {r:?}");
        let application = result?;
        assert_eq!(application.term_end, Some(self.now + application.term));
        for b in &application.backers {
            let i = self.index_of(b.underwriter);
            let (pool, account) = add_exposure(&self.pool, &self.rewards[i], b.amount).expect("fits");
            self.pool = pool;
            self.rewards[i] = account;
        }
        self.apps[k] = application;
        Ok(())
    }

    fn release_all(&mut self, application: &Application<u32>) {
        for b in &application.backers {
            let i = self.index_of(b.underwriter);
            self.stakes[i] = release(&self.stakes[i], b.amount).expect("consistent stake");
        }
    }

    fn unexpose(&mut self, application: &Application<u32>) {
        for b in &application.backers {
            let i = self.index_of(b.underwriter);
            let (pool, account) = remove_exposure(&self.pool, &self.rewards[i], b.amount).expect("consistent exposure");
            self.pool = pool;
            self.rewards[i] = account;
        }
    }

    fn check(&mut self) {
        let scale = REWARD_SCALE;
        // Stake conservation, per underwriter: bonded - claimed = free + locked + unbonding + slashed.
        let mut slashed = 0;
        for i in 0..self.n() {
            let s = &self.stakes[i];
            assert_eq!(self.bonded[i] - self.claimed[i], s.free + s.locked + s.unbonding_total() + s.slashed, "{i}");
            assert!(s.unbonding.len() <= MAX_UNBONDINGS);
            // Locked = backing of open and approved applications.
            let backing: u128 = self
                .apps
                .iter()
                .filter(|a| matches!(a.status, ApplicationStatus::Open | ApplicationStatus::Approved))
                .flat_map(|a| &a.backers)
                .filter(|b| b.underwriter == i as u32)
                .map(|b| b.amount)
                .sum();
            assert_eq!(s.locked, backing, "locked = backing of {i}");
            // Exposure = backing of approved applications.
            let exposure: u128 = self
                .apps
                .iter()
                .filter(|a| a.status == ApplicationStatus::Approved)
                .flat_map(|a| &a.backers)
                .filter(|b| b.underwriter == i as u32)
                .map(|b| b.amount)
                .sum();
            assert_eq!(self.rewards[i].exposure, exposure, "exposure of {i}");
            slashed += s.slashed;
        }
        assert_eq!(slashed, self.reserve, "slashed stake = what the reserve received");
        // Rewards: exact accounting.
        let mut accounts: Vec<RewardAccount> = self.rewards.clone();
        accounts.extend(self.vouches.iter().filter(|v| v.status == VouchStatus::Active).map(|v| v.rewards));
        let exposure: u128 = accounts.iter().map(|a| a.exposure).sum();
        assert_eq!(self.pool.total_exposure, exposure);
        self.max_exposure = self.max_exposure.max(exposure);
        let accrued: Vec<RewardAccount> = accounts.iter().map(|a| accrue(&self.pool, a).unwrap()).collect();
        let claimable: u128 = accrued.iter().map(|a| a.pending).sum();
        let fractions: u128 = accrued.iter().map(|a| a.fraction).sum();
        assert!(accrued.iter().all(|a| a.fraction < scale));
        let for_underwriters = self.pool.received - self.pool.to_reserve;
        assert_eq!(self.pool.to_reserve, self.fees_to_reserve);
        assert_eq!(self.pool.paid, self.rewards_claimed);
        let out = self.pool.paid + self.pool.forfeited + claimable;
        assert!(out <= for_underwriters, "claimed + claimable never exceed the fees received");
        assert_eq!(for_underwriters * scale, out * scale + fractions + self.pool.carry, "exact to the unit");
        let dust = for_underwriters - out;
        let bound = accounts.len() as u128 + 1 + self.max_exposure / scale;
        assert!(dust <= bound, "dust {dust} above the stated bound {bound}");
        // Vouch reservations: what each member's account holds reserved is what its active vouches
        // hold, and with the debt it never exceeds the limit (the member cannot spend into it).
        for m in 0..MEMBERS as usize {
            let active: u128 = self
                .vouches
                .iter()
                .filter(|v| v.status == VouchStatus::Active && v.voucher == MEMBER0 + m as u32)
                .map(|v| v.amount)
                .sum();
            let a = &self.members[m];
            assert_eq!(a.reserved, active, "member {m}");
            if a.reserved > 0 {
                assert!(a.reserved + a.debt() <= a.line.map_or(0, |l| l.limit), "member {m}: {a:?}");
            }
        }
        // Backers per application stay bounded and distinct.
        for a in &self.apps {
            assert!(a.backers.len() <= MAX_BACKERS && a.backers.iter().all(|b| b.amount > 0));
        }
    }
}

fn run(ident: Vec<u32>, ops: &[Op], mut on_result: impl FnMut(&Op, &Result<(), Refusal>)) {
    let mut model = Model::new(ident);
    for op in ops {
        if model.apps.is_empty() && op.needs_application() {
            continue;
        }
        if let Op::Crowd { app } = *op {
            let crowd: Vec<Op> = (0..model.n()).map(|who| Op::Back { app, who, amount: Some(1) }).collect();
            for op in &crowd {
                step(&mut model, op, &mut on_result);
            }
            continue;
        }
        if let Op::Drip { who } = *op {
            for _ in 0..=MAX_UNBONDINGS {
                step(&mut model, &Op::Unbond { who, amount: 1 }, &mut on_result);
                step(&mut model, &Op::Advance { secs: 1 }, &mut on_result);
            }
            continue;
        }
        step(&mut model, op, &mut on_result);
    }
}

fn step(model: &mut Model, op: &Op, on_result: &mut impl FnMut(&Op, &Result<(), Refusal>)) {
    let before = model.clone();
    let result = model.apply(op);
    if result.is_err() {
        assert_eq!(*model, before, "a failed operation changed something: {op:?} {result:?}");
    }
    on_result(op, &result);
    model.check();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_keep_every_invariant((ident, ops) in case()) {
        run(ident, &ops, |_, _| {});
    }
}

#[test]
fn the_generator_reaches_every_path() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::HashSet;

    let mut runner = TestRunner::deterministic();
    let (mut errors, mut ledger_errors) = (HashSet::new(), HashSet::new());
    let mut approved = 0;
    let (mut approvals, mut defaults, mut repaid, mut fees, mut claims, mut kept) = (0, 0, 0, 0, 0, 0);
    let (mut vouches, mut broken) = (0, 0);
    for _ in 0..512 {
        let (ident, ops) = case().new_tree(&mut runner).unwrap().current();
        run(ident, &ops, |op, result| match result {
            Ok(()) => {
                approved += usize::from(matches!(op, Op::Approve { .. }));
                approvals += usize::from(matches!(op, Op::Approve { .. } | Op::Back { .. }));
                defaults += usize::from(matches!(op, Op::Default { .. }));
                repaid += usize::from(matches!(op, Op::Repaid { .. }));
                fees += usize::from(matches!(op, Op::Fee { .. }));
                claims += usize::from(matches!(op, Op::ClaimRewards { .. }));
                kept += usize::from(matches!(op, Op::SettleVouch { how: 0, .. }));
                broken += usize::from(matches!(op, Op::SettleVouch { how: 1, .. }));
                vouches += usize::from(matches!(op, Op::Vouch { .. }));
            }
            Err(Refusal::Underwriting(e)) => {
                errors.insert(std::mem::discriminant(e));
            }
            Err(Refusal::Ledger(e)) => {
                ledger_errors.insert(*e);
            }
        });
    }
    std::println!(
        "approvals by an explicit Approve (after a rule change) {approved}, successful backs {approvals}, defaults {defaults}, repaid {repaid}, fees {fees}, reward claims {claims}, \
         vouches {vouches}, kept {kept}, broken {broken}, errors {}, ledger refusals of reservations {}",
        errors.len(),
        ledger_errors.len()
    );
    let all = [
        UnderwritingError::ZeroAmount,
        UnderwritingError::Overflow,
        UnderwritingError::InvalidPrice,
        UnderwritingError::ZeroCollateralRatio,
        UnderwritingError::ZeroMinUnderwriters,
        UnderwritingError::InvalidMaxShare { bps: 0 },
        UnderwritingError::InvalidTermRange { min_term: 0, max_term: 0 },
        UnderwritingError::InsufficientFreeStake { free: 0, requested: 0 },
        UnderwritingError::TooManyUnbondings { max: 0 },
        UnderwritingError::NothingToClaim { next_release_at: None },
        UnderwritingError::LockedStakeTooLow { locked: 0, requested: 0 },
        UnderwritingError::TermOutOfRange { term: 0, min_term: 0, max_term: 0 },
        UnderwritingError::TooManyVouchers { max: 0 },
        UnderwritingError::DuplicateVoucher,
        UnderwritingError::SelfVouch,
        UnderwritingError::NotOpen { status: ApplicationStatus::Open },
        UnderwritingError::NotApproved { status: ApplicationStatus::Open },
        UnderwritingError::ApplicationExpired { expires_at: 0 },
        UnderwritingError::NotExpiredYet { expires_at: 0 },
        UnderwritingError::SelfBacking,
        UnderwritingError::VoucherBacking,
        UnderwritingError::TooManyBackers { max: 0 },
        UnderwritingError::NotABacker,
        UnderwritingError::WithdrawAboveBacking { backing: 0, requested: 0 },
        UnderwritingError::BackingLocked,
        UnderwritingError::InsufficientCoverage { required: 0, backed: 0 },
        UnderwritingError::TooFewUnderwriters { distinct: 0, min: 0 },
        UnderwritingError::ShareAboveMax { backing: 0, total: 0, max_share_bps: 0 },
        UnderwritingError::TermRunning { term_end: 0 },
        UnderwritingError::NoLoss,
        UnderwritingError::ExposureTooLow { exposure: 0, requested: 0 },
        UnderwritingError::NoRewards,
        UnderwritingError::VouchForSelf,
        UnderwritingError::VouchNotActive { status: VouchStatus::Active },
    ];
    let missing: Vec<_> = all.iter().filter(|e| !errors.contains(&std::mem::discriminant(*e))).collect();
    assert!(missing.is_empty(), "never reached: {missing:?}");
    assert_eq!(errors.len(), all.len(), "every variant is listed");
    assert!(defaults > 20 && repaid > 20 && fees > 200 && claims > 20 && kept > 5);
    assert!(vouches > 20 && broken > 5, "{vouches} {broken}");
    // The token's refusals of a reservation that the members reach: no line (member 4), frozen
    // (member 5), past the term end, and above the capacity (member 3 is deep in debt).
    let reached = |f: fn(&LedgerError) -> bool| ledger_errors.iter().any(f);
    use StandingIssue::*;
    assert!(reached(|e| matches!(e, LedgerError::NotInGoodStanding { reason: NoCreditLine })), "{ledger_errors:?}");
    assert!(reached(|e| matches!(e, LedgerError::NotInGoodStanding { reason: Frozen })), "{ledger_errors:?}");
    assert!(reached(|e| matches!(e, LedgerError::NotInGoodStanding { reason: TermEnded { .. } })), "{ledger_errors:?}");
    assert!(reached(|e| matches!(e, LedgerError::ReservationAboveCapacity { .. })), "{ledger_errors:?}");
    assert!(
        ledger_errors
            .iter()
            .all(|e| matches!(e, LedgerError::NotInGoodStanding { .. } | LedgerError::ReservationAboveCapacity { .. })),
        "only reservations are refused by the ledger: {ledger_errors:?}"
    );
}
