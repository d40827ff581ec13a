//! The underwriting invariants on the real contracts, as a property: any sequence of stakes,
//! unbondings, claims, applications, backings, withdrawals, vouches, trades, fee distributions,
//! reward claims, expiries and settlements, with time passing, keeps
//! - stake conserved: every underwriter's coins out of its wallet are its free, locked, unbonding
//!   and slashed stake together; the contract holds exactly the free, locked and unbonding stake of
//!   all; the reserve holds exactly what was slashed;
//! - rewards within fees: rewards paid + fees forwarded to the reserve <= fees received, and the
//!   contract's credit balance covers every claimable reward;
//! - the ledger: balances sum to zero, supply equals the sum of positive balances;
//! - a refused message changes nothing (neither contract's storage).

use cosmwasm_std::{coins, Uint128};
use cw_multi_test::Executor;
use proptest::prelude::*;
use resource_msgs::credit_token::{ExecuteMsg as TokenMsg, NetworkStatsResponse, QueryMsg as TokenQuery};
use resource_msgs::underwriting::{ApplicationResponse, ExecuteMsg, PoolResponse, QueryMsg};
use resource_testing::multi;

use crate::underwriting::{Net, DENOM, TERM};

const STAKERS: [&str; 4] = ["bob", "carol", "dave", "erin"];
/// Members who apply; the shop (a line set by the admin) trades and vouches.
const MEMBERS: [&str; 3] = ["alice", "mia", "shop"];
const EVERYONE: [&str; 8] = ["bob", "carol", "dave", "erin", "alice", "mia", "shop", "reserve"];

#[derive(Clone, Debug)]
enum Op {
    Stake {
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
        who: usize,
        amount: u128,
        with_voucher: bool,
    },
    Back {
        who: usize,
        app: u64,
        amount: u128,
    },
    /// Three underwriters, starting at `first`, back `app` evenly with what it still lacks.
    CoverEvenly {
        first: usize,
        app: u64,
    },
    Withdraw {
        who: usize,
        app: u64,
        amount: u128,
    },
    Vouch {
        newcomer: usize,
        amount: u128,
    },
    Pay {
        from: usize,
        to: usize,
        amount: u128,
    },
    Distribute,
    ClaimRewards {
        who: usize,
    },
    Advance {
        seconds: u64,
    },
    Settle {
        app: u64,
    },
    Expire {
        app: u64,
    },
}

/// Weighted so that many sequences reach approvals, fees, settlements and defaults: staking and
/// backing the few open applications come often, time jumps that end terms and open periods too.
fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..4usize, 50..300u128).prop_map(|(who, amount)| Op::Stake { who, amount }),
        1 => (0..4usize, 1..400u128).prop_map(|(who, amount)| Op::Unbond { who, amount }),
        1 => (0..4usize).prop_map(|who| Op::Claim { who }),
        2 => (0..2usize, 100..400u128, any::<bool>()).prop_map(|(who, amount, with_voucher)| Op::Apply {
            who,
            amount,
            with_voucher
        }),
        8 => (0..4usize, 1..4u64, 100..250u128).prop_map(|(who, app, amount)| Op::Back { who, app, amount }),
        3 => (0..4usize, 1..4u64).prop_map(|(first, app)| Op::CoverEvenly { first, app }),
        1 => (0..4usize, 1..4u64, 1..300u128).prop_map(|(who, app, amount)| Op::Withdraw { who, app, amount }),
        1 => (0..2usize, 1..500u128).prop_map(|(newcomer, amount)| Op::Vouch { newcomer, amount }),
        3 => (0..3usize, 0..3usize, 1..900u128).prop_map(|(from, to, amount)| Op::Pay { from, to, amount }),
        2 => Just(Op::Distribute),
        2 => (0..4usize).prop_map(|who| Op::ClaimRewards { who }),
        2 => prop_oneof![Just(3_600u64), Just(2 * 86_400), Just(TERM), Just(TERM + 8 * 86_400)]
            .prop_map(|seconds| Op::Advance { seconds }),
        2 => (1..4u64).prop_map(|app| Op::Settle { app }),
        1 => (1..4u64).prop_map(|app| Op::Expire { app }),
    ]
}

/// The message and its sender for `op` (`None` for time and payments, run directly). An op's `app`
/// picks one of the three latest of the `apps` applications made so far.
fn message(n: &Net, op: &Op, apps: u64) -> Option<(&'static str, ExecuteMsg, u128)> {
    let amount = |a: u128| Uint128::new(a);
    let recent = |pick: u64| apps.saturating_sub(pick % apps.clamp(1, 3)).max(1);
    Some(match *op {
        Op::Stake { who, amount: a } => (STAKERS[who], ExecuteMsg::Stake {}, a),
        Op::Unbond { who, amount: a } => (STAKERS[who], ExecuteMsg::Unbond { amount: amount(a) }, 0),
        Op::Claim { who } => (STAKERS[who], ExecuteMsg::Claim {}, 0),
        Op::Apply { who, amount: a, with_voucher } => {
            let vouchers = if with_voucher { vec![n.addr("shop").to_string()] } else { vec![] };
            (MEMBERS[who], ExecuteMsg::Apply { amount: amount(a), term: TERM, claims: vec![], vouchers }, 0)
        }
        Op::Back { who, app, amount: a } => {
            (STAKERS[who], ExecuteMsg::Back { application: recent(app), amount: amount(a) }, 0)
        }
        Op::Withdraw { who, app, amount: a } => {
            (STAKERS[who], ExecuteMsg::Withdraw { application: recent(app), amount: amount(a) }, 0)
        }
        Op::Vouch { newcomer, amount: a } => {
            ("shop", ExecuteMsg::Vouch { newcomer: n.addr(MEMBERS[newcomer]).into(), amount: amount(a) }, 0)
        }
        Op::Distribute => ("anyone", ExecuteMsg::DistributeFees {}, 0),
        Op::ClaimRewards { who } => (STAKERS[who], ExecuteMsg::ClaimRewards {}, 0),
        Op::Settle { app } => ("anyone", ExecuteMsg::Settle { application: recent(app) }, 0),
        Op::Expire { app } => ("anyone", ExecuteMsg::Expire { application: recent(app) }, 0),
        Op::Pay { .. } | Op::Advance { .. } | Op::CoverEvenly { .. } => return None,
    })
}

fn states(n: &Net) -> (multi::ContractState, multi::ContractState) {
    (multi::contract_state(&n.app, &n.uw), multi::contract_state(&n.app, &n.token))
}

fn check_invariants(n: &Net) {
    // Stake conservation, per underwriter and in total.
    let mut held = 0u128;
    let mut slashed = 0u128;
    for u in STAKERS {
        let s = n.underwriter(u);
        let unbonding: u128 = s.unbonding.iter().map(|b| b.amount.u128()).sum();
        let in_contract = s.free.u128() + s.locked.u128() + unbonding;
        assert_eq!(n.coins_of(u) + in_contract + s.slashed.u128(), 1_000, "{u}'s stake is conserved");
        held += in_contract;
        slashed += s.slashed.u128();
    }
    assert_eq!(n.coins_of_addr(&n.uw), held, "the contract holds exactly the stake it accounts");
    assert_eq!(n.coins_of("reserve"), slashed, "the reserve holds exactly what was slashed");
    // Rewards never exceed fees, and what is claimable is there to pay.
    let pool: PoolResponse = n.app.wrap().query_wasm_smart(&n.uw, &QueryMsg::Pool {}).unwrap();
    assert!(pool.rewards_paid + pool.fees_to_reserve <= pool.fees_received, "{pool:?}");
    let claimable: u128 = STAKERS.iter().map(|u| n.underwriter(u).rewards.u128()).sum();
    let uw_credit = n.credit(&n.uw.clone()).balance.i128();
    assert!(uw_credit >= 0 && claimable <= uw_credit as u128, "claimable {claimable} > held {uw_credit}");
    // The ledger.
    let stats: NetworkStatsResponse = n.app.wrap().query_wasm_smart(&n.token, &TokenQuery::NetworkStats {}).unwrap();
    let mut sum = stats.loss_account_balance.i128() + uw_credit;
    let mut positive = uw_credit.max(0) as u128 + stats.loss_account_balance.i128().max(0) as u128;
    for who in EVERYONE {
        let b = n.balance(who);
        sum += b;
        positive += b.max(0) as u128;
    }
    assert_eq!(sum, 0, "balances sum to zero");
    assert_eq!(stats.total_supply.u128(), positive, "supply is the sum of positive balances");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn stake_rewards_and_the_ledger_stay_consistent(ops in prop::collection::vec(op(), 10..60)) {
        let mut n = Net::new();
        // Every sequence starts from staked underwriters and one open application, so that most
        // reach approvals, fees and settlements.
        for u in STAKERS {
            n.stake(u, 600);
        }
        n.apply("alice", 400, &[]);
        let mut apps = 1u64;
        check_invariants(&n);
        for op in &ops {
            let before = states(&n);
            let ok = match (op, message(&n, op, apps)) {
                (Op::Advance { seconds }, _) => {
                    multi::advance(&mut n.app, *seconds);
                    true
                }
                (Op::CoverEvenly { first, app }, _) => {
                    let id = apps.saturating_sub(app % apps.clamp(1, 3)).max(1);
                    let q = QueryMsg::Application { id };
                    let found: Result<ApplicationResponse, _> = n.app.wrap().query_wasm_smart(&n.uw, &q);
                    let lacking = found.map_or(0, |a| a.required_backing.u128().saturating_sub(a.total_backing.u128()));
                    // Each of three backs a third (rounded up); the backings are separate messages.
                    let share = lacking.div_ceil(3).max(1);
                    for k in 0..3 {
                        let who = n.addr(STAKERS[(first + k) % 4]);
                        let msg = ExecuteMsg::Back { application: id, amount: Uint128::new(share) };
                        let before = states(&n);
                        if n.app.execute_contract(who, n.uw.clone(), &msg, &[]).is_err() {
                            prop_assert_eq!(states(&n), before, "a refused backing changed the state");
                        }
                        check_invariants(&n);
                    }
                    // Each backing's refusal was checked on its own.
                    true
                }
                (Op::Pay { from, to, amount }, _) => {
                    let msg = TokenMsg::Transfer { recipient: n.addr(MEMBERS[*to]).into(), amount: Uint128::new(*amount) };
                    let sender = n.addr(MEMBERS[*from]);
                    n.app.execute_contract(sender, n.token.clone(), &msg, &[]).is_ok()
                }
                (_, Some((sender, msg, funds))) => {
                    let sender = n.addr(sender);
                    let funds = if funds > 0 { coins(funds, DENOM) } else { vec![] };
                    n.app.execute_contract(sender, n.uw.clone(), &msg, &funds).is_ok()
                }
                (_, None) => unreachable!("every other op is a message"),
            };
            if ok && matches!(op, Op::Apply { .. }) {
                apps += 1;
            }
            if !ok {
                prop_assert_eq!(states(&n), before, "a refused {:?} changed the state", op);
            }
            check_invariants(&n);
        }
    }
}
