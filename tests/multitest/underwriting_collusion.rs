//! Collusion resistance with the real contracts: each attempt the issue names is tried and fails
//! with a typed error, changing nothing, or leaves the application unapproved. Identities come from
//! the real DID registry: accounts whose DIDs share a controller are one party.

use cosmwasm_std::Uint128;
use resource_core::underwriting::{ApplicationStatus, UnderwritingError};
use resource_msgs::underwriting::ExecuteMsg;
use resource_underwriting::ContractError;

use crate::underwriting::Net;

fn core(e: UnderwritingError) -> ContractError {
    ContractError::Underwriting(e)
}

fn back(id: u64, amount: u128) -> ExecuteMsg {
    ExecuteMsg::Back { application: id, amount: Uint128::new(amount) }
}

#[test]
fn backing_oneself_is_refused_also_through_an_account_one_controls() {
    let mut n = Net::with_registry();
    // boss controls erin's DID: erin applies, boss may not back her (nor erin herself).
    n.controlled_by("erin", "boss");
    n.stake("boss", 1_000);
    n.stake("erin", 1_000);
    let id = n.apply("erin", 1_000, &[]);
    n.uw_refused("erin", &back(id, 100), core(UnderwritingError::SelfBacking));
    n.uw_refused("boss", &back(id, 100), core(UnderwritingError::SelfBacking));
}

#[test]
fn two_accounts_with_one_did_controller_count_as_one_underwriter() {
    let mut n = Net::with_registry();
    n.controlled_by("bob", "boss");
    n.controlled_by("carol", "boss");
    for u in ["bob", "carol", "dave", "erin"] {
        n.stake(u, 1_000);
    }
    let id = n.apply("alice", 1_000, &[]);
    // Three addresses and full coverage, but two parties: still open.
    for u in ["bob", "carol", "dave"] {
        assert!(!n.back(u, id, 500));
    }
    assert_eq!(n.application(id).status, ApplicationStatus::Open);
    // A third party makes it; bob and carol together hold 1 000 of 1 600 = 62.5 % > 40 %: still open.
    assert!(!n.back("erin", id, 100));
    // Bob steps back to 100 and erin adds 100: the boss party holds 600 of 1 300 (46 %), and the
    // coverage of 1 500 is not met.
    n.uw_exec("bob", &ExecuteMsg::Withdraw { application: id, amount: Uint128::new(400) });
    assert!(!n.back("erin", id, 100));
    // Carol steps back to 100 too and erin adds 300: boss 200, dave 500, erin 500 of 1 200.
    n.uw_exec("carol", &ExecuteMsg::Withdraw { application: id, amount: Uint128::new(400) });
    assert!(!n.back("erin", id, 300));
    // More from the boss party, up to 40 %, approves: boss 600 of 1 600 (37.5 %), dave and erin
    // 500 each (31.25 %).
    assert!(n.back("bob", id, 400));
    assert_eq!(n.application(id).status, ApplicationStatus::Approved);
}

#[test]
fn one_underwriter_above_max_share_does_not_approve() {
    let mut n = Net::new();
    for u in ["bob", "carol", "dave"] {
        n.stake(u, 1_000);
    }
    let id = n.apply("alice", 1_000, &[]);
    assert!(!n.back("carol", id, 400));
    assert!(!n.back("dave", id, 400));
    // Bob's 700 of 1 500 is 46.7 %: covered by three, but one holds too much.
    assert!(!n.back("bob", id, 700));
    assert_eq!(n.application(id).status, ApplicationStatus::Open);
    // Down to 600 of 1 400 (42.9 %) and then evened out by carol: 600 of 1 600 = 37.5 %.
    n.uw_exec("bob", &ExecuteMsg::Withdraw { application: id, amount: Uint128::new(100) });
    assert!(n.back("carol", id, 200));
}

#[test]
fn fewer_than_min_underwriters_never_approve_whatever_the_coverage() {
    let mut n = Net::new();
    for u in ["bob", "carol"] {
        n.stake(u, 1_000);
    }
    let id = n.apply("alice", 100, &[]);
    // 2 000 of backing for a line of 100: coverage 20 times over, but two underwriters of three.
    assert!(!n.back("bob", id, 1_000));
    assert!(!n.back("carol", id, 1_000));
    assert_eq!(n.application(id).status, ApplicationStatus::Open);
    let line = n.credit(&n.addr("alice")).line;
    assert!(line.is_none(), "no line without approval: {line:?}");
}

#[test]
fn backing_cannot_move_away_after_approval() {
    let mut n = Net::new();
    let id = n.approved_line();
    n.uw_refused(
        "bob",
        &ExecuteMsg::Withdraw { application: id, amount: Uint128::new(1) },
        core(UnderwritingError::BackingLocked),
    );
    // Locked stake cannot be unbonded either (bob has 500 free, 500 locked).
    n.uw_refused(
        "bob",
        &ExecuteMsg::Unbond { amount: Uint128::new(501) },
        core(UnderwritingError::InsufficientFreeStake { free: 500, requested: 501 }),
    );
    // Nor backed elsewhere: bob's free 500 is all he can use.
    let other = n.apply("erin", 100, &[]);
    n.uw_refused(
        "bob",
        &back(other, 501),
        core(UnderwritingError::InsufficientFreeStake { free: 500, requested: 501 }),
    );
}
