//! The underwriting contract with the credit token on the real devnet, through the Rust client:
//! underwriters stake the chain's native coin, back two members' applications, approval opens the
//! lines on the token, trade fees become exact rewards, one member repays (settling releases the
//! backing, and unbonded stake returns to the bank) and the other defaults (settling slashes its
//! backers to the reserve and the token writes the debt off).
//!
//! Every account is new to this run (random keys the admin funds), so each bank balance checked
//! is this test's alone. Terms, grace and unbonding periods are seconds of the chain's block time.
use std::time::Duration;

use cosmwasm_std::Uint128;
use resource_client::{ChainClient, ClientError, Gas, TxOutcome, Wallet};
use resource_msgs::credit_token::{
    ConfigResponse as TokenConfig, ConfigUpdate, CreditAccountResponse, ExecuteMsg as TokenMsg, LineStatus,
    NetworkStatsResponse, QueryMsg as TokenQuery, Standing,
};
use resource_msgs::underwriting::{
    ApplicationPolicy, ApplicationResponse, ApplicationStatus, BackingRules, ConfigResponse, ExecuteMsg, PoolResponse,
    Price, QueryMsg, StakeAsset, UnderwriterResponse,
};
use resource_tests::{
    apply_msg, artifact, block_time, devnet_client, fresh_wallet, fund, pilot_token, underwriting_init, wait_past,
    wallet,
};
use serde::de::DeserializeOwned;

/// Network fee of the token (basis points): every payment in this story pays it.
const FEE_BPS: u16 = 100;
/// The shortest term the token and the underwriting policy accept: short enough to wait out.
const MIN_TERM: u64 = 10;
/// The term both members apply for; it must outlast the trades that follow each approval.
const TERM: u64 = 20;
/// Grace after a term end before the token can declare a default (also its floor).
const GRACE: u64 = 6;
const UNBONDING: u64 = 4;
/// Native coins each underwriter bonds.
const STAKE: u128 = 3_000;
/// The credit line each member applies for; the collateral ratio sets the backing it needs.
const LINE: u128 = 2_000;
/// Coins for each new account's transaction fees.
const FUNDS: u128 = 1_000_000_000_000_000_000;
/// Block time may lag this machine's clock; no wait here is meant to take longer than this.
const WAIT: Duration = Duration::from_secs(120);

struct Net {
    client: ChainClient,
    denom: String,
    token: String,
    uw: String,
}

impl Net {
    async fn query<T: DeserializeOwned>(&self, contract: &str, msg: &impl serde::Serialize) -> anyhow::Result<T> {
        Ok(self.client.query_smart(contract, msg).await?)
    }

    async fn exec(&self, who: &Wallet, msg: &ExecuteMsg) -> anyhow::Result<TxOutcome> {
        Ok(self.client.execute(who, &self.uw, msg, &[], Gas::Auto).await?)
    }

    /// The contract's refusal of `msg` (its own sentence), which must fail.
    async fn refused(&self, who: &Wallet, msg: &ExecuteMsg) -> anyhow::Result<String> {
        match self.client.execute(who, &self.uw, msg, &[], Gas::Auto).await {
            Err(ClientError::ContractFailed { message, .. }) => Ok(message),
            Err(other) => anyhow::bail!("{msg:?} failed, but not in the contract: {other}"),
            Ok(out) => anyhow::bail!("{msg:?} should have been refused; it landed in block {}", out.height),
        }
    }

    async fn pay(&self, from: &Wallet, to: &Wallet, amount: u128) -> anyhow::Result<TxOutcome> {
        let msg = TokenMsg::Transfer { recipient: to.address().to_string(), amount: Uint128::new(amount) };
        Ok(self.client.execute(from, &self.token, &msg, &[], Gas::Auto).await?)
    }

    async fn credit(&self, address: &str) -> anyhow::Result<CreditAccountResponse> {
        self.query(&self.token, &TokenQuery::CreditAccount { address: address.to_string() }).await
    }

    async fn balance(&self, address: &str) -> anyhow::Result<i128> {
        Ok(self.credit(address).await?.balance.i128())
    }

    async fn underwriter(&self, who: &Wallet) -> anyhow::Result<UnderwriterResponse> {
        self.query(&self.uw, &QueryMsg::Underwriter { address: who.address().to_string() }).await
    }

    async fn application(&self, id: u64) -> anyhow::Result<ApplicationResponse> {
        self.query(&self.uw, &QueryMsg::Application { id }).await
    }

    async fn coins(&self, address: &str) -> anyhow::Result<u128> {
        Ok(self.client.bank_balance(address, &self.denom).await?)
    }

    /// What a transaction cost its signer in fees: the whole limit is charged, at the client's price.
    fn fee(&self, out: &TxOutcome) -> u128 {
        u128::from(out.gas_wanted) * self.client.config().gas_price
    }

    /// (free, locked, slashed, exposure) of an underwriter.
    async fn stake(&self, who: &Wallet) -> anyhow::Result<(u128, u128, u128, u128)> {
        let s = self.underwriter(who).await?;
        Ok((s.free.u128(), s.locked.u128(), s.slashed.u128(), s.exposure.u128()))
    }

    /// The contract holds, in the bank, exactly the stake its records account for.
    async fn check_stake_held(&self, underwriters: &[Wallet]) -> anyhow::Result<u128> {
        let mut accounted = 0;
        for u in underwriters {
            let s = self.underwriter(u).await?;
            accounted += s.free.u128() + s.locked.u128() + s.unbonding.iter().map(|b| b.amount.u128()).sum::<u128>();
        }
        assert_eq!(self.coins(&self.uw).await?, accounted, "bank balance of the contract = stake on its records");
        Ok(accounted)
    }

    /// `member` applies for [`LINE`] over [`TERM`]; the new application's id.
    async fn apply(&self, member: &Wallet) -> anyhow::Result<u64> {
        let out = self.exec(member, &apply_msg(LINE, TERM)).await?;
        let id = out.attribute("wasm", "application").expect("an application id").parse()?;
        let app = self.application(id).await?;
        assert_eq!((app.status, app.amount.u128(), app.term), (ApplicationStatus::Open, LINE, TERM));
        assert_eq!(app.required_backing.u128(), 3_000);
        Ok(id)
    }

    /// The underwriters back `id` with `amounts` in turn; only the last back approves it, and the
    /// approval opens the member's line on the token. The term end.
    async fn back(&self, id: u64, underwriters: &[Wallet], amounts: [u128; 3], member: &Wallet) -> anyhow::Result<u64> {
        for (i, (u, amount)) in underwriters.iter().zip(amounts).enumerate() {
            let out = self.exec(u, &ExecuteMsg::Back { application: id, amount: Uint128::new(amount) }).await?;
            let last = i == amounts.len() - 1;
            assert_eq!(out.attribute("wasm", "approved"), Some(if last { "true" } else { "false" }), "back {i}");
            if !last {
                let pending = out.attribute("wasm", "pending").unwrap_or_default();
                assert!(pending.contains("does not cover the 3000 required"), "{pending}");
            }
        }
        let app = self.application(id).await?;
        assert_eq!(app.status, ApplicationStatus::Approved);
        assert_eq!(app.total_backing.u128(), 3_000);
        let term_end = app.term_end.expect("an approved application has a term end");
        let account = self.credit(member.address()).await?;
        let line = account.line.expect("approval opened the line");
        assert_eq!((line.limit.u128(), line.term_end, line.status), (LINE, term_end, LineStatus::Active));
        assert_eq!(line.default_declarable_at, Some(term_end + GRACE + 1));
        assert_eq!((account.balance.i128(), account.available.u128(), account.reserved.u128()), (0, LINE, 0));
        Ok(term_end)
    }
}

#[tokio::test]
async fn underwriters_earn_a_lines_fees_and_are_slashed_for_a_default_on_a_real_chain() -> anyhow::Result<()> {
    let client = devnet_client().await?;
    let p = client.config().prefix.clone();
    let denom = client.config().denom.clone();
    let admin = wallet("admin", &p);
    let underwriters: Vec<Wallet> = (0..3).map(|_| fresh_wallet(&p)).collect();
    let (member, defaulter, shop) = (fresh_wallet(&p), fresh_wallet(&p), fresh_wallet(&p));
    // They never sign: their balances move only by what the contracts send them.
    let (reserve, loss) = (fresh_wallet(&p), fresh_wallet(&p));
    let signers: Vec<&Wallet> = underwriters.iter().chain([&member, &defaulter, &shop]).collect();
    fund(&client, &admin, &signers, FUNDS).await?;

    // The token, with the shop's line set by the admin before the underwriting contract takes over.
    let (token_code, _) = client.store_code(&admin, &artifact("credit_token")?, Gas::Auto).await?;
    let (uw_code, _) = client.store_code(&admin, &artifact("underwriting")?, Gas::Auto).await?;
    let init = resource_msgs::credit_token::InstantiateMsg {
        fee_bps: FEE_BPS,
        loss_account: loss.address().to_string(),
        default_grace_period: GRACE,
        min_term: Some(MIN_TERM),
        min_grace_period: Some(GRACE),
        ..pilot_token(&p, None)
    };
    let (token, _) = client.instantiate(&admin, token_code, &init, "uw-e2e-token", None, &[], Gas::Auto).await?;
    let year = block_time(&client).await? + 365 * 86_400;
    let shop_line =
        TokenMsg::SetCreditLine { member: shop.address().to_string(), limit: Uint128::new(10_000), term_end: year };
    client.execute(&admin, &token, &shop_line, &[], Gas::Auto).await?;
    let rules =
        BackingRules { collateral_ratio_bps: 15_000, price: Price::PAR, min_underwriters: 3, max_share_bps: 4_000 };
    let policy = ApplicationPolicy { min_term: MIN_TERM, max_term: 365 * 86_400, open_period: 600 };
    let init = underwriting_init(&token, &denom, rules, policy, UNBONDING, reserve.address());
    let (uw, _) = client.instantiate(&admin, uw_code, &init, "uw-e2e", None, &[], Gas::Auto).await?;
    // The underwriting contract sets lines, collects the fees and pays rewards untaxed.
    let update = TokenMsg::UpdateConfig(ConfigUpdate {
        underwriting: Some(uw.clone()),
        fee_collector: Some(uw.clone()),
        fee_exempt: Some(vec![uw.clone()]),
        ..ConfigUpdate::default()
    });
    client.execute(&admin, &token, &update, &[], Gas::Auto).await?;
    let net = Net { client, denom: denom.clone(), token: token.clone(), uw: uw.clone() };
    let cfg: TokenConfig = net.query(&token, &TokenQuery::Config {}).await?;
    assert_eq!(cfg.underwriting.as_ref().map(|a| a.as_str()), Some(uw.as_str()));
    assert_eq!(cfg.fee_collector.as_str(), uw);
    assert_eq!(cfg.fee_exempt.iter().map(|a| a.as_str()).collect::<Vec<_>>(), [uw.as_str()]);
    let uw_cfg: ConfigResponse = net.query(&uw, &QueryMsg::Config {}).await?;
    assert_eq!(uw_cfg.stake_asset, StakeAsset::Native { denom: denom.clone() });
    assert_eq!((uw_cfg.credit_token.as_str(), uw_cfg.reserve.as_str()), (token.as_str(), reserve.address()));

    // Three underwriters bond native coins: they leave each bank account, fee apart, and sit in the
    // contract's.
    for u in &underwriters {
        let before = net.coins(u.address()).await?;
        let out = net.client.execute(u, &uw, &ExecuteMsg::Stake {}, &[(STAKE, denom.as_str())], Gas::Auto).await?;
        assert_eq!(net.coins(u.address()).await?, before - STAKE - net.fee(&out));
        assert_eq!(net.stake(u).await?, (STAKE, 0, 0, 0));
    }
    assert_eq!(net.check_stake_held(&underwriters).await?, 3 * STAKE);

    // The member applies, is backed (the largest backer at exactly the maximum share) and trades
    // at once, while its term runs; the payment carries the network fee.
    let repays = net.apply(&member).await?;
    let defaults = net.apply(&defaulter).await?;
    let repays_end = net.back(repays, &underwriters, [1_200, 1_000, 800], &member).await?;
    let out = net.pay(&member, &shop, 1_500).await?;
    assert_eq!(out.attribute("wasm", "fee"), Some("15"));
    assert_eq!(net.balance(member.address()).await?, -1_515);
    // Settling before the term end is refused.
    let why = net.refused(&admin, &ExecuteMsg::Settle { application: repays }).await?;
    assert!(why.contains(&format!("the term runs until {repays_end}")), "{why}");
    // The second member, backed equally, spends the same.
    let defaults_end = net.back(defaults, &underwriters, [1_000, 1_000, 1_000], &defaulter).await?;
    net.pay(&defaulter, &shop, 1_500).await?;
    assert_eq!(net.balance(defaulter.address()).await?, -1_515);
    let exposure = [2_200, 2_000, 1_800];
    for (u, e) in underwriters.iter().zip(exposure) {
        assert_eq!(net.stake(u).await?, (STAKE - e, e, 0, e));
    }

    // The fees are the underwriters' in proportion to their exposure, chosen to divide exactly.
    assert_eq!(net.balance(&uw).await?, 30);
    let out = net.exec(&admin, &ExecuteMsg::DistributeFees {}).await?;
    assert_eq!(
        (out.attribute("wasm", "fees"), out.attribute("wasm", "to_underwriters"), out.attribute("wasm", "to_reserve")),
        (Some("30"), Some("30"), Some("0"))
    );
    for (u, share) in underwriters.iter().zip([11, 10, 9]) {
        assert_eq!(net.underwriter(u).await?.rewards.u128(), share);
        let out = net.exec(u, &ExecuteMsg::ClaimRewards {}).await?;
        assert_eq!(out.attribute("wasm", "amount"), Some(share.to_string().as_str()));
        // Fee-exempt: the reward arrives whole.
        assert_eq!(net.balance(u.address()).await?, share as i128);
        assert_eq!(net.underwriter(u).await?.rewards.u128(), 0);
    }
    assert_eq!(net.balance(&uw).await?, 0);
    let pool: PoolResponse = net.query(&uw, &QueryMsg::Pool {}).await?;
    assert_eq!((pool.fees_received.u128(), pool.rewards_paid.u128(), pool.total_exposure.u128()), (30, 30, 6_000));
    let why = net.refused(&admin, &ExecuteMsg::DistributeFees {}).await?;
    assert!(why.contains("no new fees"), "{why}");

    // The shop buys from the member for its whole debt: it has repaid.
    net.pay(&shop, &member, 1_515).await?;
    assert_eq!(net.balance(member.address()).await?, 0);
    wait_past(&net.client, repays_end, WAIT).await?;
    let out = net.exec(&admin, &ExecuteMsg::Settle { application: repays }).await?;
    assert_eq!(out.attribute("wasm", "outcome"), Some("repaid"));
    assert_eq!(net.application(repays).await?.status, ApplicationStatus::Repaid);
    // Each keeps only its backing of the other member locked.
    for u in &underwriters {
        assert_eq!(net.stake(u).await?, (2_000, 1_000, 0, 1_000));
    }

    // The first underwriter unbonds all its free stake.
    let leaver = &underwriters[0];
    let out = net.exec(leaver, &ExecuteMsg::Unbond { amount: Uint128::new(2_000) }).await?;
    let release_at: u64 = out.attribute("wasm", "release_at").expect("a release time").parse()?;
    let unbonding = net.underwriter(leaver).await?.unbonding;
    assert_eq!(unbonding.iter().map(|u| (u.amount.u128(), u.release_at)).collect::<Vec<_>>(), [(2_000, release_at)]);
    let why = net.refused(leaver, &ExecuteMsg::Claim {}).await?;
    assert!(why.contains(&format!("the next unbonding is released at {release_at}")), "{why}");

    // The other member's term ends in debt: past due, not yet declarable, so settling is refused.
    wait_past(&net.client, defaults_end, WAIT).await?;
    let account = net.credit(defaulter.address()).await?;
    assert_eq!(account.standing, Standing::PastDue);
    let declarable_at = defaults_end + GRACE + 1;
    let why = net.refused(&admin, &ExecuteMsg::Settle { application: defaults }).await?;
    assert!(
        why.contains(&format!("owes 1515 but the credit token cannot declare the default before {declarable_at}")),
        "{why}"
    );

    // The unbonding period is over: the coins come back to the bank account.
    wait_past(&net.client, release_at, WAIT).await?;
    let before = net.coins(leaver.address()).await?;
    let out = net.exec(leaver, &ExecuteMsg::Claim {}).await?;
    assert_eq!(out.attribute("wasm", "amount"), Some("2000"));
    assert_eq!(net.coins(leaver.address()).await?, before + 2_000 - net.fee(&out));
    assert!(net.underwriter(leaver).await?.unbonding.is_empty());
    assert_eq!(net.check_stake_held(&underwriters).await?, 3 * STAKE - 2_000);

    // Past the grace period: the default. The loss, valued at par, is slashed from the backers in
    // proportion to their backing (equal here) and sent to the reserve.
    wait_past(&net.client, declarable_at, WAIT).await?;
    let reserve_before = net.coins(reserve.address()).await?;
    let out = net.exec(&admin, &ExecuteMsg::Settle { application: defaults }).await?;
    assert_eq!(
        (out.attribute("wasm", "outcome"), out.attribute("wasm", "loss"), out.attribute("wasm", "to_reserve")),
        (Some("defaulted"), Some("1515"), Some("1515"))
    );
    assert_eq!(net.coins(reserve.address()).await?, reserve_before + 1_515);
    assert_eq!(net.application(defaults).await?.status, ApplicationStatus::Defaulted);
    assert_eq!(net.stake(leaver).await?, (495, 0, 505, 0));
    for u in &underwriters[1..] {
        assert_eq!(net.stake(u).await?, (2_495, 0, 505, 0));
    }
    assert_eq!(net.check_stake_held(&underwriters).await?, 3 * STAKE - 2_000 - 1_515);
    // The token wrote the debt off to its loss account.
    let account = net.credit(defaulter.address()).await?;
    assert_eq!((account.balance.i128(), account.written_off.u128(), account.available.u128()), (0, 1_515, 0));
    assert_eq!(account.line.map(|l| l.status), Some(LineStatus::Defaulted));
    let stats: NetworkStatsResponse = net.query(&token, &TokenQuery::NetworkStats {}).await?;
    assert_eq!(stats.loss_account_balance.i128(), -1_515);
    assert_eq!(net.balance(loss.address()).await?, -1_515);
    // Settled once: a second Settle is refused.
    let why = net.refused(&admin, &ExecuteMsg::Settle { application: defaults }).await?;
    assert!(why.contains("not approved"), "{why}");
    Ok(())
}
