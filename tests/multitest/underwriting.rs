//! The underwriting contract with the real credit token: three underwriters stake native coins, a
//! member applies, they back it, approval opens its credit line on the token, the member trades
//! (fees go to the underwriting contract, the token's fee collector), fees become rewards, and the
//! term ends either in repayment (backing released) or in default (stake slashed to the reserve,
//! the debt moved to the token's loss account).

use crate::contracts::{registry_contract, token_contract, underwriting_contract};
use cosmwasm_std::{coins, Addr, Uint128};
use cw_multi_test::{App, AppBuilder, Executor};

use resource_core::underwriting::{ApplicationPolicy, ApplicationStatus, BackingRules, Price};
use resource_msgs::credit_token::{
    ConfigUpdate, CreditAccountResponse, ExecuteMsg as TokenMsg, InstantiateMsg as TokenInit, LineStatus,
    NetworkStatsResponse, QueryMsg as TokenQuery,
};
use resource_msgs::did_registry;
use resource_msgs::underwriting::{
    ApplicationResponse, ExecuteMsg, InstantiateMsg, QueryMsg, ReceiveMsg, StakeAsset, UnderwriterResponse,
};
use resource_testing::multi;
use resource_underwriting::ContractError;

const DAY: u64 = 86_400;
pub(crate) const DENOM: &str = "ustake";
pub(crate) const TERM: u64 = 30 * DAY;
pub(crate) const GRACE: u64 = 7 * DAY;
const UNBONDING: u64 = 14 * DAY;
pub(crate) const UNDERWRITERS: [&str; 3] = ["bob", "carol", "dave"];

pub(crate) struct Net {
    pub(crate) app: App,
    pub(crate) token: Addr,
    pub(crate) uw: Addr,
    /// The DID registry, when the network has one (the token records reputation in it and the
    /// underwriting contract reads identities from it).
    pub(crate) registry: Option<Addr>,
    /// The cw20 stake token (cw20-base), when stake is a cw20 rather than coins.
    pub(crate) stake_token: Option<Addr>,
}

/// Who starts with stake coins (1 000 each).
const FUNDED: [&str; 6] = ["bob", "carol", "dave", "erin", "frank", "boss"];

impl Net {
    pub(crate) fn new() -> Net {
        Net::build(false, false)
    }

    /// A network whose token and underwriting contract use a DID registry.
    pub(crate) fn with_registry() -> Net {
        Net::build(true, false)
    }

    /// A network whose underwriters stake a cw20 (cw20-base) instead of coins.
    pub(crate) fn with_cw20_stake() -> Net {
        Net::build(false, true)
    }

    fn build(with_registry: bool, cw20_stake: bool) -> Net {
        let mut app = AppBuilder::new().build(|router, api, storage| {
            for u in FUNDED {
                router.bank.init_balance(storage, &api.addr_make(u), coins(1_000, DENOM)).unwrap();
            }
        });
        let addr = |app: &App, n: &str| app.api().addr_make(n);
        let admin = addr(&app, "admin");
        let (token_code, uw_code) = (app.store_code(token_contract()), app.store_code(underwriting_contract()));
        let registry = with_registry.then(|| {
            let code = app.store_code(registry_contract());
            let init = did_registry::InstantiateMsg::default();
            app.instantiate_contract(code, admin.clone(), &init, &[], "registry", None).unwrap()
        });
        let stake_token = cw20_stake.then(|| {
            let code = app.store_code(Box::new(cw_multi_test::ContractWrapper::new(
                cw20_base::contract::execute,
                cw20_base::contract::instantiate,
                cw20_base::contract::query,
            )));
            let init = cw20_base::msg::InstantiateMsg {
                name: "Source".into(),
                symbol: "SOURCE".into(),
                decimals: 6,
                initial_balances: FUNDED
                    .iter()
                    .map(|u| cw20::Cw20Coin { address: addr(&app, u).to_string(), amount: Uint128::new(1_000) })
                    .collect(),
                mint: None,
                marketing: None,
            };
            app.instantiate_contract(code, admin.clone(), &init, &[], "source", None).unwrap()
        });
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
            did_registry: registry.as_ref().map(|r| r.to_string()),
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
            stake_asset: match &stake_token {
                Some(t) => StakeAsset::Cw20 { address: t.to_string() },
                None => StakeAsset::Native { denom: DENOM.into() },
            },
            rules: BackingRules {
                collateral_ratio_bps: 15_000,
                price: Price::PAR,
                min_underwriters: 3,
                max_share_bps: 4_000,
            },
            policy: ApplicationPolicy { min_term: DAY, max_term: 365 * DAY, open_period: 7 * DAY },
            unbonding_period: UNBONDING,
            reserve: addr(&app, "reserve").into(),
            did_registry: registry.as_ref().map(|r| r.to_string()),
            require_did: false,
            scoring: None,
            vouching: None,
            credit_period_min_itd: None,
            risk_fee_bps: None,
        };
        let uw = app.instantiate_contract(uw_code, admin.clone(), &init, &[], "underwriting", None).unwrap();
        // The underwriting contract sets lines, collects the fees and pays rewards untaxed.
        let update = TokenMsg::UpdateConfig(ConfigUpdate {
            underwriting: Some(uw.to_string()),
            fee_collector: Some(uw.to_string()),
            fee_exempt: Some(vec![uw.to_string()]),
            ..ConfigUpdate::default()
        });
        app.execute_contract(admin.clone(), token.clone(), &update, &[]).unwrap();
        if let Some(registry) = &registry {
            // The token writes reputation records (line granted, vouches, defaults).
            let roles = did_registry::ExecuteMsg::UpdateRoles {
                add_writers: vec![token.to_string()],
                remove_writers: vec![],
                add_verifiers: vec![],
                remove_verifiers: vec![],
            };
            app.execute_contract(admin, registry.clone(), &roles, &[]).unwrap();
        }
        Net { app, token, uw, registry, stake_token }
    }

    pub(crate) fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub(crate) fn did_of(&self, name: &str) -> String {
        format!("did:resource:{}:{}", self.app.block_info().chain_id, self.addr(name))
    }

    /// `name` registers its account DID, then hands it to `controller`'s account DID as its only
    /// controller (the registry lets only a controller create a document, so this takes two steps).
    pub(crate) fn controlled_by(&mut self, name: &str, controller: &str) {
        let registry = self.registry.clone().expect("a network with a DID registry");
        let own: resource_core::did::Did = self.did_of(name).parse().unwrap();
        let doc = resource_core::did::DidDocument::new(own, vec![self.did_of(controller).parse().unwrap()]);
        let sender = self.addr(name);
        for msg in [
            did_registry::ExecuteMsg::Create { did: None, document: None },
            did_registry::ExecuteMsg::Update {
                did: self.did_of(name),
                change: resource_core::did::DocumentUpdate::Replace { document: doc.clone() },
            },
        ] {
            multi::execute::<_, resource_did_registry::ContractError>(&mut self.app, sender.clone(), &registry, &msg)
                .unwrap_or_else(|e| panic!("{msg:?}: {e}"));
        }
    }

    pub(crate) fn uw_exec(&mut self, sender: &str, msg: &ExecuteMsg) -> cw_multi_test::AppResponse {
        self.uw_try(sender, msg).unwrap_or_else(|e| panic!("{msg:?}: {e}"))
    }

    pub(crate) fn uw_try(
        &mut self,
        sender: &str,
        msg: &ExecuteMsg,
    ) -> Result<cw_multi_test::AppResponse, ContractError> {
        let sender = self.addr(sender);
        multi::execute::<_, ContractError>(&mut self.app, sender, &self.uw, msg)
    }

    /// `msg` from `sender` must fail with `expected` and change nothing in the underwriting contract.
    pub(crate) fn uw_refused(&mut self, sender: &str, msg: &ExecuteMsg, expected: ContractError) {
        let before = multi::contract_state(&self.app, &self.uw);
        assert_eq!(self.uw_try(sender, msg).unwrap_err(), expected);
        assert_eq!(multi::contract_state(&self.app, &self.uw), before);
    }

    /// `who` stakes `amount`: coins with `Stake`, or a cw20 `Send` with the `stake` hook.
    pub(crate) fn stake(&mut self, who: &str, amount: u128) {
        let sender = self.addr(who);
        match self.stake_token.clone() {
            None => {
                self.app
                    .execute_contract(sender, self.uw.clone(), &ExecuteMsg::Stake {}, &coins(amount, DENOM))
                    .unwrap();
            }
            Some(t) => {
                let send = cw20::Cw20ExecuteMsg::Send {
                    contract: self.uw.to_string(),
                    amount: Uint128::new(amount),
                    msg: cosmwasm_std::to_json_binary(&ReceiveMsg::Stake {}).unwrap(),
                };
                self.app.execute_contract(sender, t, &send, &[]).unwrap();
            }
        }
    }

    pub(crate) fn apply(&mut self, who: &str, amount: u128, vouchers: &[&str]) -> u64 {
        let vouchers = vouchers.iter().map(|v| self.addr(v).to_string()).collect();
        let msg = ExecuteMsg::Apply { amount: Uint128::new(amount), term: TERM, claims: vec![], vouchers };
        multi::wasm_attr(&self.uw_exec(who, &msg), "application").parse().unwrap()
    }

    /// The shop gets stake too (it has no coins of its own: the admin sends it some).
    pub(crate) fn stake_for_shop(&mut self) {
        let (boss, shop) = (self.addr("boss"), self.addr("shop"));
        if self.stake_token.is_none() {
            let send = cosmwasm_std::BankMsg::Send { to_address: shop.to_string(), amount: coins(100, DENOM) };
            self.app.execute(boss, send.into()).unwrap();
            self.stake("shop", 100);
        }
    }

    /// `who` backs `id` with `amount`; whether that approved it.
    pub(crate) fn back(&mut self, who: &str, id: u64, amount: u128) -> bool {
        let r = self.uw_exec(who, &ExecuteMsg::Back { application: id, amount: Uint128::new(amount) });
        multi::wasm_attr(&r, "approved") == "true"
    }

    pub(crate) fn pay(&mut self, from: &str, to: &str, amount: u128) {
        let msg = TokenMsg::Transfer { recipient: self.addr(to).into(), amount: amount.into() };
        let from = self.addr(from);
        multi::execute::<_, resource_credit_token::ContractError>(&mut self.app, from, &self.token, &msg)
            .unwrap_or_else(|e| panic!("{msg:?}: {e}"));
    }

    pub(crate) fn credit(&self, who: &Addr) -> CreditAccountResponse {
        let q = TokenQuery::CreditAccount { address: who.to_string() };
        self.app.wrap().query_wasm_smart(&self.token, &q).unwrap()
    }

    pub(crate) fn balance(&self, who: &str) -> i128 {
        self.credit(&self.addr(who)).balance.i128()
    }

    /// What `who` holds of the stake asset.
    pub(crate) fn coins_of(&self, who: &str) -> u128 {
        self.coins_of_addr(&self.addr(who))
    }

    pub(crate) fn coins_of_addr(&self, who: &Addr) -> u128 {
        match &self.stake_token {
            None => self.app.wrap().query_balance(who, DENOM).unwrap().amount.u128(),
            Some(t) => {
                let q = cw20::Cw20QueryMsg::Balance { address: who.to_string() };
                let b: cw20::BalanceResponse = self.app.wrap().query_wasm_smart(t, &q).unwrap();
                b.balance.u128()
            }
        }
    }

    pub(crate) fn underwriter(&self, who: &str) -> UnderwriterResponse {
        let q = QueryMsg::Underwriter { address: self.addr(who).into() };
        self.app.wrap().query_wasm_smart(&self.uw, &q).unwrap()
    }

    pub(crate) fn application(&self, id: u64) -> ApplicationResponse {
        self.app.wrap().query_wasm_smart(&self.uw, &QueryMsg::Application { id }).unwrap()
    }

    /// Everyone stakes 1 000, alice applies for 1 000 over `TERM`, each backs 500: approved.
    pub(crate) fn approved_line(&mut self) -> u64 {
        for u in UNDERWRITERS {
            self.stake(u, 1_000);
            assert_eq!(self.coins_of(u), 0);
        }
        let id = self.apply("alice", 1_000, &[]);
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
    default_cycle(Net::new());
}

#[test]
fn a_cw20_stake_is_bonded_by_its_hook_slashed_and_claimed_as_cw20() {
    let mut n = default_cycle(Net::with_cw20_stake());
    // The contract holds what is still staked (3 x 798) in the cw20, and pays it out in the cw20.
    assert_eq!(n.coins_of_addr(&n.uw.clone()), 3 * 798);
    n.uw_exec("bob", &ExecuteMsg::Unbond { amount: Uint128::new(798) });
    multi::advance(&mut n.app, UNBONDING);
    n.uw_exec("bob", &ExecuteMsg::Claim {});
    assert_eq!(n.coins_of("bob"), 798);
    // Coins are refused on a cw20 network.
    let sender = n.addr("erin");
    let err = n.app.execute_contract(sender, n.uw.clone(), &ExecuteMsg::Stake {}, &[]).unwrap_err();
    let stake_token = n.stake_token.clone().unwrap();
    assert_eq!(
        multi::contract_error::<ContractError>(err),
        ContractError::StakeThroughCw20 { token: stake_token.to_string() }
    );
}

/// The default scenario on `n`, returned for more checks.
fn default_cycle(mut n: Net) -> Net {
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
    n
}

// ---------------------------------------------------------------------------------------------
// credit periods (issue 24)

/// A network whose underwriting contract approves lines on credit-period terms (a 50 % minimum
/// income-to-debt ratio).
fn with_credit_periods() -> Net {
    let mut n = Net::new();
    let update = resource_msgs::underwriting::ConfigUpdate {
        credit_period_min_itd: Some(500_000),
        ..resource_msgs::underwriting::ConfigUpdate::default()
    };
    n.uw_exec("admin", &ExecuteMsg::UpdateConfig(Box::new(update)));
    n
}

#[test]
fn an_approved_line_renews_while_the_member_meets_its_terms_and_settle_waits_for_it() {
    let mut n = with_credit_periods();
    let id = n.approved_line();
    let period = n.credit(&n.addr("alice")).period.expect("approval set the period");
    assert_eq!(period.min_itd, 500_000);
    // Alice spends 600 (606 with the fee) and earns 400 back: 400 on 206 owed.
    n.pay("alice", "shop", 600);
    n.pay("shop", "alice", 400);
    multi::advance(&mut n.app, TERM + GRACE + 1);
    // She meets her terms: her line renews, so the backing stays exposed and Settle waits.
    let alice = n.credit(&n.addr("alice"));
    let renewed_end = alice.line.as_ref().unwrap().term_end;
    assert_eq!(renewed_end, n.app.block_info().time.seconds() + TERM);
    let err = n.uw_try("anyone", &ExecuteMsg::Settle { application: id }).unwrap_err();
    assert!(matches!(err, ContractError::DefaultNotDeclarableYet { debt: 206, .. }), "{err}");
    // Once she has repaid, the application settles as repaid, and the line closes with the backing
    // released: it cannot renew on, unbacked.
    n.pay("shop", "alice", 206);
    let r = n.uw_exec("anyone", &ExecuteMsg::Settle { application: id });
    assert_eq!(multi::wasm_attr(&r, "outcome"), "repaid");
    assert_eq!(n.underwriter("bob").slashed.u128(), 0);
    let alice = n.credit(&n.addr("alice"));
    let line = alice.line.expect("the line");
    assert_eq!((line.status, line.limit.u128(), alice.available.u128()), (LineStatus::Closed, 0, 0));
}

#[test]
fn a_default_by_anyones_sync_still_slashes_the_backers() {
    let mut n = with_credit_periods();
    let id = n.approved_line();
    n.pay("alice", "shop", 600);
    multi::advance(&mut n.app, TERM + GRACE + 1);
    // Anyone defaults her on the token before the application is settled.
    let sync = TokenMsg::SyncCreditPeriod { member: n.addr("alice").into() };
    let sender = n.addr("anyone");
    let token = n.token.clone();
    let r = multi::execute::<_, resource_credit_token::ContractError>(&mut n.app, sender, &token, &sync).unwrap();
    assert_eq!(multi::wasm_attr(&r, "outcome"), "defaulted");
    assert_eq!(n.balance("alice"), 0);
    // Settle finds the written-off debt and slashes for it: 606 at par, 202 from each backer.
    let r = n.uw_exec("anyone", &ExecuteMsg::Settle { application: id });
    assert_eq!((multi::wasm_attr(&r, "outcome"), multi::wasm_attr(&r, "loss")), ("defaulted".into(), "606".into()));
    assert_eq!(n.coins_of("reserve"), 606);
    for u in UNDERWRITERS {
        assert_eq!(n.underwriter(u).slashed.u128(), 202);
    }
    assert_eq!(n.application(id).status, ApplicationStatus::Defaulted);
}
