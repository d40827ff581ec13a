//! The underwriting contract with the real credit token: three underwriters stake native coins, a
//! member applies, they back it, approval opens its credit line on the token, the member trades
//! (fees go to the underwriting contract, the token's fee collector), fees become rewards, and the
//! term ends either in repayment (backing released) or in default (stake slashed to the reserve,
//! the debt moved to the token's loss account).

use crate::contracts::{token_contract, underwriting_contract};
use cosmwasm_std::{coins, Addr, Uint128};
use cw_multi_test::{App, AppBuilder, Executor};

use resource_core::underwriting::{ApplicationPolicy, ApplicationStatus, BackingRules, Price};
use resource_msgs::credit_token::{
    ConfigUpdate, CreditAccountResponse, ExecuteMsg as TokenMsg, InstantiateMsg as TokenInit, NetworkStatsResponse,
    QueryMsg as TokenQuery,
};
use resource_msgs::underwriting::{ApplicationResponse, ExecuteMsg, InstantiateMsg, QueryMsg, UnderwriterResponse};
use resource_testing::multi;

const DAY: u64 = 86_400;
const DENOM: &str = "ustake";
const TERM: u64 = 30 * DAY;
const GRACE: u64 = 7 * DAY;
const UNBONDING: u64 = 14 * DAY;
const UNDERWRITERS: [&str; 3] = ["bob", "carol", "dave"];

struct Net {
    app: App,
    token: Addr,
    uw: Addr,
}

impl Net {
    fn new() -> Net {
        let mut app = AppBuilder::new().build(|router, api, storage| {
            for u in UNDERWRITERS {
                router.bank.init_balance(storage, &api.addr_make(u), coins(1_000, DENOM)).unwrap();
            }
        });
        let addr = |app: &App, n: &str| app.api().addr_make(n);
        let admin = addr(&app, "admin");
        let (token_code, uw_code) = (app.store_code(token_contract()), app.store_code(underwriting_contract()));
        let init = TokenInit {
            name: "Asheville Credit".into(),
            symbol: "AVL".into(),
            decimals: 6,
            admin: None,
            underwriting: None,
            fee_bps: 100,
            fee_collector: admin.to_string(),
            fee_exempt: vec![],
            loss_account: addr(&app, "loss").into(),
            default_grace_period: GRACE,
            did_registry: None,
            min_term: None,
            min_grace_period: None,
        };
        let token = app.instantiate_contract(token_code, admin.clone(), &init, &[], "credit", None).unwrap();
        // The shop's line, set by the admin before the underwriting contract takes over.
        let line = TokenMsg::SetCreditLine {
            member: addr(&app, "shop").into(),
            limit: 10_000u128.into(),
            term_end: app.block_info().time.seconds() + 365 * DAY,
        };
        app.execute_contract(admin.clone(), token.clone(), &line, &[]).unwrap();
        let init = InstantiateMsg {
            admin: None,
            credit_token: token.to_string(),
            stake_denom: DENOM.into(),
            rules: BackingRules {
                collateral_ratio_bps: 15_000,
                price: Price::PAR,
                min_underwriters: 3,
                max_share_bps: 4_000,
            },
            policy: ApplicationPolicy { min_term: DAY, max_term: 365 * DAY, open_period: 7 * DAY },
            unbonding_period: UNBONDING,
            reserve: addr(&app, "reserve").into(),
        };
        let uw = app.instantiate_contract(uw_code, admin.clone(), &init, &[], "underwriting", None).unwrap();
        // The underwriting contract sets lines, collects the fees and pays rewards untaxed.
        let update = TokenMsg::UpdateConfig(ConfigUpdate {
            underwriting: Some(uw.to_string()),
            fee_collector: Some(uw.to_string()),
            fee_exempt: Some(vec![uw.to_string()]),
            ..ConfigUpdate::default()
        });
        app.execute_contract(admin, token.clone(), &update, &[]).unwrap();
        Net { app, token, uw }
    }

    fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    fn uw_exec(&mut self, sender: &str, msg: &ExecuteMsg) -> cw_multi_test::AppResponse {
        let sender = self.addr(sender);
        multi::execute::<_, resource_underwriting::ContractError>(&mut self.app, sender, &self.uw, msg)
            .unwrap_or_else(|e| panic!("{msg:?}: {e}"))
    }

    fn pay(&mut self, from: &str, to: &str, amount: u128) {
        let msg = TokenMsg::Transfer { recipient: self.addr(to).into(), amount: amount.into() };
        let from = self.addr(from);
        multi::execute::<_, resource_credit_token::ContractError>(&mut self.app, from, &self.token, &msg)
            .unwrap_or_else(|e| panic!("{msg:?}: {e}"));
    }

    fn credit(&self, who: &Addr) -> CreditAccountResponse {
        let q = TokenQuery::CreditAccount { address: who.to_string() };
        self.app.wrap().query_wasm_smart(&self.token, &q).unwrap()
    }

    fn balance(&self, who: &str) -> i128 {
        self.credit(&self.addr(who)).balance.i128()
    }

    fn coins_of(&self, who: &str) -> u128 {
        self.app.wrap().query_balance(self.addr(who), DENOM).unwrap().amount.u128()
    }

    fn underwriter(&self, who: &str) -> UnderwriterResponse {
        let q = QueryMsg::Underwriter { address: self.addr(who).into() };
        self.app.wrap().query_wasm_smart(&self.uw, &q).unwrap()
    }

    fn application(&self, id: u64) -> ApplicationResponse {
        self.app.wrap().query_wasm_smart(&self.uw, &QueryMsg::Application { id }).unwrap()
    }

    /// Everyone stakes 1 000, alice applies for 1 000 over `TERM`, each backs 500: approved.
    fn approved_line(&mut self) -> u64 {
        for u in UNDERWRITERS {
            let sender = self.addr(u);
            self.app.execute_contract(sender, self.uw.clone(), &ExecuteMsg::Stake {}, &coins(1_000, DENOM)).unwrap();
            assert_eq!(self.coins_of(u), 0);
        }
        let r = self.uw_exec("alice", &ExecuteMsg::Apply { amount: Uint128::new(1_000), term: TERM });
        let id: u64 = multi::wasm_attr(&r, "application").parse().unwrap();
        for (i, u) in UNDERWRITERS.into_iter().enumerate() {
            let r = self.uw_exec(u, &ExecuteMsg::Back { application: id, amount: Uint128::new(500) });
            assert_eq!(multi::wasm_attr(&r, "approved"), if i == 2 { "true" } else { "false" });
        }
        let app = self.application(id);
        assert_eq!(app.status, ApplicationStatus::Approved);
        let line = self.credit(&self.addr("alice")).line.expect("approval opened the line");
        assert_eq!((line.limit.u128(), line.term_end), (1_000, app.term_end.unwrap()));
        id
    }
}

#[test]
fn full_cycle_fees_become_rewards_and_repayment_releases_the_backing() {
    let mut n = Net::new();
    let id = n.approved_line();
    // Alice buys for 600 (fee 6), the shop buys from her for 894 (fee 9): 15 in fees.
    n.pay("alice", "shop", 600);
    n.pay("shop", "alice", 894);
    assert_eq!(n.balance("alice"), 288);
    let uw = n.uw.clone();
    assert_eq!(n.credit(&uw).balance.i128(), 15);
    let r = n.uw_exec("anyone", &ExecuteMsg::DistributeFees {});
    assert_eq!(multi::wasm_attr(&r, "to_underwriters"), "15");
    for u in UNDERWRITERS {
        assert_eq!(n.underwriter(u).rewards.u128(), 5);
        n.uw_exec(u, &ExecuteMsg::ClaimRewards {});
        // Fee-exempt: the reward arrives whole and the contract pays nothing more.
        assert_eq!(n.balance(u), 5);
    }
    assert_eq!(n.credit(&uw).balance.i128(), 0);
    // No new fees now.
    let sender = n.addr("anyone");
    let err = multi::execute::<_, resource_underwriting::ContractError>(
        &mut n.app,
        sender,
        &uw,
        &ExecuteMsg::DistributeFees {},
    )
    .unwrap_err();
    assert_eq!(err, resource_underwriting::ContractError::NoNewFees { balance: 0 });
    // The term ends with alice in credit: repaid, backing released.
    multi::advance(&mut n.app, TERM);
    let r = n.uw_exec("anyone", &ExecuteMsg::Settle { application: id });
    assert_eq!(multi::wasm_attr(&r, "outcome"), "repaid");
    assert_eq!(n.application(id).status, ApplicationStatus::Repaid);
    for u in UNDERWRITERS {
        let s = n.underwriter(u);
        assert_eq!((s.free.u128(), s.locked.u128(), s.exposure.u128()), (1_000, 0, 0));
    }
    // Bob leaves: unbond, wait, claim his coins back.
    n.uw_exec("bob", &ExecuteMsg::Unbond { amount: Uint128::new(1_000) });
    multi::advance(&mut n.app, UNBONDING);
    n.uw_exec("bob", &ExecuteMsg::Claim {});
    assert_eq!(n.coins_of("bob"), 1_000);
}

#[test]
fn default_slashes_the_backers_to_the_reserve_and_the_loss_account_takes_the_debt() {
    let mut n = Net::new();
    let id = n.approved_line();
    n.pay("alice", "shop", 600);
    assert_eq!(n.balance("alice"), -606);
    n.uw_exec("anyone", &ExecuteMsg::DistributeFees {});
    assert_eq!(n.underwriter("carol").rewards.u128(), 2);
    // At the term end the debt is not yet declarable: refused, nothing moves.
    multi::advance(&mut n.app, TERM);
    let sender = n.addr("anyone");
    let uw = n.uw.clone();
    let err = multi::execute::<_, resource_underwriting::ContractError>(
        &mut n.app,
        sender,
        &uw,
        &ExecuteMsg::Settle { application: id },
    )
    .unwrap_err();
    assert!(matches!(err, resource_underwriting::ContractError::DefaultNotDeclarableYet { debt: 606, .. }), "{err}");
    // The token declares a default from the second after term end plus grace.
    multi::advance(&mut n.app, GRACE + 1);
    let r = n.uw_exec("anyone", &ExecuteMsg::Settle { application: id });
    assert_eq!(multi::wasm_attr(&r, "outcome"), "defaulted");
    assert_eq!(n.application(id).status, ApplicationStatus::Defaulted);
    // A loss of 606 at par over 1 500 of backing: 202 from each, to the reserve.
    assert_eq!(n.coins_of("reserve"), 606);
    for u in UNDERWRITERS {
        let s = n.underwriter(u);
        assert_eq!((s.free.u128(), s.locked.u128(), s.slashed.u128(), s.exposure.u128()), (798, 0, 202, 0));
    }
    let alice = n.credit(&n.addr("alice"));
    assert_eq!((alice.balance.i128(), alice.written_off.u128()), (0, 606));
    let stats: NetworkStatsResponse = n.app.wrap().query_wasm_smart(&n.token, &TokenQuery::NetworkStats {}).unwrap();
    assert_eq!(stats.loss_account_balance.i128(), -606);
    // Rewards earned while exposed stay claimable after the default.
    n.uw_exec("carol", &ExecuteMsg::ClaimRewards {});
    assert_eq!(n.balance("carol"), 2);
}
