//! Vouching with the real credit token: a member in good standing reserves part of its own line for
//! a newcomer; the newcomer's repayment releases it and pays the voucher its reward share, its
//! default cuts the voucher's line by the vouched amount and forfeits the reward to the reserve.

use cosmwasm_std::Uint128;
use cw_multi_test::Executor;
use resource_core::underwriting::{UnderwritingError, VouchStatus};
use resource_msgs::credit_token::ExecuteMsg as TokenMsg;
use resource_msgs::underwriting::{ExecuteMsg, MemberExposureResponse, QueryMsg, VouchResponse};
use resource_testing::multi;
use resource_underwriting::ContractError;

use crate::underwriting::{Net, GRACE, TERM, UNDERWRITERS};

const VOUCHED: u128 = 300;

fn vouch_of(n: &Net, voucher: &str, newcomer: &str) -> VouchResponse {
    let q = QueryMsg::VouchOf { voucher: n.addr(voucher).into(), newcomer: n.addr(newcomer).into() };
    n.app.wrap().query_wasm_smart(&n.uw, &q).unwrap()
}

/// The shop (a 10 000 line set by the admin) vouches for alice, who applies naming it; the three
/// underwriters back her: approved.
fn vouched_line(n: &mut Net) -> u64 {
    let before = n.credit(&n.addr("shop"));
    let vouch = ExecuteMsg::Vouch { newcomer: n.addr("alice").into(), amount: Uint128::new(VOUCHED) };
    n.uw_exec("shop", &vouch);
    let shop = n.credit(&n.addr("shop"));
    assert_eq!(shop.reserved.u128(), VOUCHED);
    assert_eq!(shop.available.u128(), before.available.u128() - VOUCHED);
    for u in UNDERWRITERS {
        n.stake(u, 1_000);
    }
    let id = n.apply("alice", 1_000, &["shop"]);
    // The voucher may not also back the one it vouched for.
    n.stake_for_shop();
    n.uw_refused(
        "shop",
        &ExecuteMsg::Back { application: id, amount: Uint128::new(1) },
        ContractError::Underwriting(UnderwritingError::VoucherBacking),
    );
    for u in UNDERWRITERS {
        n.back(u, id, 500);
    }
    let exposure: MemberExposureResponse =
        n.app.wrap().query_wasm_smart(&n.uw, &QueryMsg::MemberExposure { member: n.addr("alice").into() }).unwrap();
    assert_eq!((exposure.vouched_for.u128(), exposure.backing.u128()), (VOUCHED, 1_500));
    id
}

#[test]
fn a_kept_vouch_releases_the_reservation_and_pays_the_voucher() {
    let mut n = Net::new();
    let id = vouched_line(&mut n);
    // The shop cannot spend into its reservation: 9 700 plus its fee of 97 fits the 10 000 limit,
    // but not the 9 700 left unreserved.
    assert_eq!(n.credit(&n.addr("shop")).available.u128(), 10_000 - VOUCHED);
    let too_much = TokenMsg::Transfer { recipient: n.addr("carol").into(), amount: Uint128::new(9_700) };
    let sender = n.addr("shop");
    assert!(n.app.execute_contract(sender, n.token.clone(), &too_much, &[]).is_err());
    // Trade with fees, shared by the backers and the vouch.
    n.pay("alice", "shop", 600);
    n.pay("shop", "alice", 894);
    n.uw_exec("anyone", &ExecuteMsg::DistributeFees {});
    let reward = vouch_of(&n, "shop", "alice").accrued_reward.u128();
    assert!(reward > 0, "the vouch earns while active");
    let shop_balance = n.balance("shop");
    multi::advance(&mut n.app, TERM);
    n.uw_exec("anyone", &ExecuteMsg::Settle { application: id });
    let v = vouch_of(&n, "shop", "alice");
    assert_eq!((v.status, v.application), (VouchStatus::Kept, None));
    let shop = n.credit(&n.addr("shop"));
    assert_eq!(shop.reserved.u128(), 0);
    assert_eq!(shop.line.unwrap().limit.u128(), 10_000, "a kept vouch leaves the limit");
    assert_eq!(n.balance("shop"), shop_balance + reward as i128);
    // Everything the contract accounts for is paid out or claimable: rewards never exceed fees.
    for u in UNDERWRITERS {
        n.uw_exec(u, &ExecuteMsg::ClaimRewards {});
    }
    let uw = n.uw.clone();
    let left = n.credit(&uw).balance.i128();
    assert!((0..=3).contains(&left), "rounding dust only: {left}");
}

#[test]
fn a_broken_vouch_cuts_the_vouchers_line_and_forfeits_its_reward() {
    let mut n = Net::new();
    let id = vouched_line(&mut n);
    n.pay("alice", "shop", 600);
    n.uw_exec("anyone", &ExecuteMsg::DistributeFees {});
    let forfeited = vouch_of(&n, "shop", "alice").accrued_reward.u128();
    let reserve_before = n.balance("reserve");
    multi::advance(&mut n.app, TERM + GRACE + 1);
    let r = n.uw_exec("anyone", &ExecuteMsg::Settle { application: id });
    assert_eq!(multi::wasm_attr(&r, "outcome"), "defaulted");
    let v = vouch_of(&n, "shop", "alice");
    assert_eq!(v.status, VouchStatus::Broken);
    let shop = n.credit(&n.addr("shop"));
    assert_eq!((shop.reserved.u128(), shop.line.unwrap().limit.u128()), (0, 10_000 - VOUCHED));
    assert_eq!(n.balance("reserve"), reserve_before + forfeited as i128);
}

#[test]
fn a_member_without_standing_cannot_vouch_and_nothing_changes() {
    let mut n = Net::new();
    // erin has no credit line: the token refuses the reservation, so the vouch fails whole.
    let before = multi::contract_state(&n.app, &n.uw);
    let vouch = ExecuteMsg::Vouch { newcomer: n.addr("alice").into(), amount: Uint128::new(10) };
    assert!(n.app.execute_contract(n.addr("erin"), n.uw.clone(), &vouch, &[]).is_err());
    assert_eq!(multi::contract_state(&n.app, &n.uw), before);
    assert_eq!(n.credit(&n.addr("erin")).reserved.u128(), 0);
    // The shop vouches more than its line: refused by the token.
    let vouch = ExecuteMsg::Vouch { newcomer: n.addr("alice").into(), amount: Uint128::new(10_001) };
    assert!(n.app.execute_contract(n.addr("shop"), n.uw.clone(), &vouch, &[]).is_err());
    assert_eq!(multi::contract_state(&n.app, &n.uw), before);
    // An unused vouch can be cancelled; the reservation goes.
    let vouch = ExecuteMsg::Vouch { newcomer: n.addr("alice").into(), amount: Uint128::new(VOUCHED) };
    n.uw_exec("shop", &vouch);
    n.uw_exec("shop", &ExecuteMsg::CancelVouch { newcomer: n.addr("alice").into() });
    assert_eq!(n.credit(&n.addr("shop")).reserved.u128(), 0);
    assert_eq!(vouch_of(&n, "shop", "alice").status, VouchStatus::Cancelled);
}
