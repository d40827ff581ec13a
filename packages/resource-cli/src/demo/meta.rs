//! The meta-network step: Asheville's network joins Nairobi's over IBC, and a payment crosses.
//!
//! On the embedded chain, Nairobi's network (its credit token, rKES, and its bridge) runs on a
//! second embedded chain, and `resource_testing::ibc` relays the packets between the two bridges
//! through their real IBC entry points. On the devnet the step needs a second chain and a relayer:
//! `cargo xtask test --suite ibc` runs the same payment over Hermes, so the demo says so and goes on.

use anyhow::{anyhow, ensure, Context};
use cosmwasm_std::{Addr, Empty, Uint128};
use cw_multi_test::{ContractWrapper, Executor, IntoBech32};
use resource_msgs::credit_token::{self as token, ConfigResponse, CreditAccountResponse};
use resource_msgs::meta_bridge::{
    self as bridge_msgs, pay_msg, ChannelResponse, PaymentAck, PaymentResponse, PaymentStatus, ReceiveMsg,
    PROTOCOL_VERSION,
};
use resource_testing::ibc::{bridge_contract, handshake, ibc_chain, relay, BridgeEnd, IbcChain, Relayed};

use super::backend::{Network, Target};
use super::events::TransferEffect;
use super::invariants::Totals;
use super::render::{rusd, rusd_u};
use super::scenario::{usd, BAKERY, OPERATOR};
use crate::format::signed_units;
use crate::ui::table;

/// rKES per rUSD at the channel's rate.
const KES_PER_USD: u128 = 129;
/// What the bakery pays the coffee cooperative, in rUSD.
const PAYMENT_USD: u128 = 25;
/// The cooperative that sells the bakery its coffee (an account on Nairobi's chain).
const COOPERATIVE: &str = "kiambu-coffee-cooperative";
const DECIMALS: u32 = 6;

/// Nairobi's network on its own embedded chain.
struct Nairobi {
    app: IbcChain,
    token: Addr,
    end: BridgeEnd,
}

impl Nairobi {
    fn new(bridge_line: u128) -> anyhow::Result<Nairobi> {
        let (mut app, sent, _) = ibc_chain(|_, _, _| {});
        let admin = OPERATOR.account.into_bech32();
        let token_code = app.store_code(Box::new(
            ContractWrapper::<_, _, _, _, _, _, Empty>::new(
                resource_credit_token::contract::execute,
                resource_credit_token::contract::instantiate,
                resource_credit_token::contract::query,
            )
            .with_reply(resource_credit_token::contract::reply),
        ));
        let init = token::InstantiateMsg {
            name: "Nairobi Shilling".into(),
            symbol: "rKES".into(),
            decimals: DECIMALS as u8,
            admin: None,
            underwriting: None,
            fee_bps: 0,
            fee_collector: admin.to_string(),
            fee_exempt: vec![],
            loss_account: "nairobi-loss".into_bech32().to_string(),
            default_grace_period: 30 * 86_400,
            min_term: None,
            min_grace_period: None,
            did_registry: None,
        };
        fn fail(what: &'static str) -> impl Fn(anyhow::Error) -> anyhow::Error {
            move |e| anyhow!("{what} on Nairobi's chain: {e:#}")
        }
        let token = app
            .instantiate_contract(token_code, admin.clone(), &init, &[], "nairobi-credit", None)
            .map_err(fail("the token"))?;
        let bridge_code = app.store_code(bridge_contract());
        let bridge_init = bridge_msgs::InstantiateMsg {
            admin: None,
            credit_token: token.to_string(),
            network: "nairobi-rkes".into(),
        };
        let bridge = app
            .instantiate_contract(bridge_code, admin.clone(), &bridge_init, &[], "nairobi-bridge", None)
            .map_err(fail("the bridge"))?;
        let exempt = token::ExecuteMsg::UpdateConfig(token::ConfigUpdate {
            fee_exempt: Some(vec![bridge.to_string()]),
            ..Default::default()
        });
        app.execute_contract(admin.clone(), token.clone(), &exempt, &[])
            .map_err(fail("making the bridge fee-exempt"))?;
        let term_end = app.block_info().time.seconds() + 365 * 86_400;
        let line = token::ExecuteMsg::SetCreditLine { member: bridge.to_string(), limit: bridge_line.into(), term_end };
        app.execute_contract(admin, token.clone(), &line, &[]).map_err(fail("the bridge's credit line"))?;
        Ok(Nairobi { app, token, end: BridgeEnd { bridge, channel: "channel-0".into(), sent, relayed: 0 } })
    }

    fn account(&self, address: &str) -> anyhow::Result<CreditAccountResponse> {
        let q = token::QueryMsg::CreditAccount { address: address.into() };
        Ok(self.app.wrap().query_wasm_smart(&self.token, &q)?)
    }

    /// Every account of Nairobi's network: the balances sum to zero.
    fn balances_sum(&self) -> anyhow::Result<i128> {
        let all: cw20::AllAccountsResponse = self
            .app
            .wrap()
            .query_wasm_smart(&self.token, &token::QueryMsg::AllAccounts { start_after: None, limit: Some(30) })?;
        let mut sum = 0i128;
        for a in all.accounts {
            sum += self.account(&a)?.balance.i128();
        }
        Ok(sum)
    }
}

fn configure(
    channel_id: &str,
    counterparty: &str,
    numerator: u128,
    denominator: u128,
    limit: u128,
) -> bridge_msgs::ExecuteMsg {
    bridge_msgs::ExecuteMsg::ConfigureChannel {
        channel_id: channel_id.into(),
        counterparty_network: counterparty.into(),
        rate_numerator: numerator.into(),
        rate_denominator: denominator.into(),
        draw_limit: limit.into(),
    }
}

/// Runs the step and returns its page.
pub(super) async fn cross_network(network: &mut Network, totals: &mut Totals) -> anyhow::Result<String> {
    if network.embedded_chain().is_none() {
        return Ok("Meta-network: on the devnet a payment to another network needs a second chain and a relayer; \
                   `cargo xtask test --suite ibc` runs it over two devnet chains with Hermes."
            .into());
    }
    // Asheville's bridge: a fee-exempt member of the pilot network (it needs no credit line to send).
    let cfg: ConfigResponse = network.query(Target::Token, &token::QueryMsg::Config {}).await?;
    let operator = OPERATOR.account.into_bech32();
    let token_addr = network.token.clone();
    let (app, sent) = network.embedded_chain().context("embedded")?;
    let code = app.store_code(bridge_contract());
    let init = bridge_msgs::InstantiateMsg { admin: None, credit_token: token_addr, network: "asheville-rusd".into() };
    let bridge = app
        .instantiate_contract(code, operator.clone(), &init, &[], "asheville-bridge", None)
        .map_err(|e| anyhow!("instantiating Asheville's bridge: {e:#}"))?;
    let mut asheville =
        BridgeEnd { bridge: bridge.clone(), channel: "channel-0".into(), sent: sent.clone(), relayed: 0 };
    let mut nairobi = Nairobi::new(usd(10_000) * KES_PER_USD)?;
    handshake(
        (app, &asheville),
        (&mut nairobi.app, &nairobi.end),
        PROTOCOL_VERSION,
        cosmwasm_std::IbcOrder::Unordered,
    )?;
    app.execute_contract(
        operator.clone(),
        bridge.clone(),
        &configure("channel-0", "nairobi-rkes", 1, KES_PER_USD, usd(1_000)),
        &[],
    )
    .map_err(|e| anyhow!("configuring Asheville's channel: {e:#}"))?;
    let admin = OPERATOR.account.into_bech32();
    let b_bridge = nairobi.end.bridge.clone();
    nairobi
        .app
        .execute_contract(
            admin,
            b_bridge,
            &configure("channel-0", "asheville-rusd", KES_PER_USD, 1, usd(5_000) * KES_PER_USD),
            &[],
        )
        .map_err(|e| anyhow!("configuring Nairobi's channel: {e:#}"))?;
    network.bridge = bridge.to_string();
    let mut exempt: Vec<String> = cfg.fee_exempt.iter().map(Addr::to_string).collect();
    exempt.push(bridge.to_string());
    let update =
        token::ExecuteMsg::UpdateConfig(token::ConfigUpdate { fee_exempt: Some(exempt), ..Default::default() });
    network.execute(OPERATOR.account, Target::Token, &update).await?;

    // The bakery pays the cooperative: credit into Asheville's bridge, a packet, a payout in rKES.
    let cooperative = COOPERATIVE.into_bech32().to_string();
    let amount = usd(PAYMENT_USD);
    let hook = ReceiveMsg::Pay {
        channel_id: "channel-0".into(),
        receiver: cooperative.clone(),
        min_amount_out: Uint128::new(amount * KES_PER_USD),
        timeout_seconds: None,
        memo: Some("coffee beans, invoice 2041".into()),
    };
    let before = network.credit_account(network.address(BAKERY.account)).await?.balance.i128();
    let executed =
        network.execute(BAKERY.account, Target::Token, &pay_msg(bridge.to_string(), amount.into(), &hook)?).await?;
    let effect = TransferEffect::of_transaction(&executed.events)?;
    totals.minted += effect.minted;
    totals.burned += effect.burned;
    totals.fees += effect.fee;
    let (app, _) = network.embedded_chain().context("embedded")?;
    let relayed = relay((app, &mut asheville), (&mut nairobi.app, &nairobi.end), false)?;
    let [Relayed::Acknowledged { ack, .. }] = &relayed[..] else {
        return Err(anyhow!("the relay delivered {} packets, not the payment's one", relayed.len()));
    };
    ensure!(matches!(ack, PaymentAck::Result(_)), "Nairobi's bridge refused the payment: {ack:?}");
    let payment: PaymentResponse =
        app.wrap().query_wasm_smart(&bridge, &bridge_msgs::QueryMsg::Payment { payment_id: 1 })?;
    ensure!(payment.status == PaymentStatus::Delivered, "the payment is {:?}, not delivered", payment.status);
    let ours: ChannelResponse =
        app.wrap().query_wasm_smart(&bridge, &bridge_msgs::QueryMsg::Channel { channel_id: "channel-0".into() })?;
    let theirs: ChannelResponse = nairobi
        .app
        .wrap()
        .query_wasm_smart(&nairobi.end.bridge, &bridge_msgs::QueryMsg::Channel { channel_id: "channel-0".into() })?;
    let after = network.credit_account(network.address(BAKERY.account)).await?.balance.i128();
    let asheville_bridge = network.credit_account(bridge.as_str()).await?.balance.i128();
    let received = nairobi.account(&cooperative)?.balance.i128();
    let nairobi_bridge = nairobi.account(nairobi.end.bridge.as_str())?.balance.i128();
    ensure!(nairobi.balances_sum()? == 0, "Nairobi's balances do not sum to zero");

    let kes = |v: i128| format!("{} rKES", signed_units(v < 0, v.unsigned_abs(), DECIMALS));
    let mut t = table(["", "Asheville (rUSD, chain 1)", "Nairobi (rKES, chain 2)"]);
    t.add_row(["payer / payee".to_string(), BAKERY.name.to_string(), "Kiambu Coffee Cooperative".to_string()]);
    t.add_row([
        "balance before -> after".to_string(),
        format!("{} -> {}", rusd(before), rusd(after)),
        format!("0 -> {}", kes(received)),
    ]);
    t.add_row(["bridge balance".to_string(), rusd(asheville_bridge), kes(nairobi_bridge)]);
    t.add_row([
        "channel position".to_string(),
        format!("owes {} rUSD to Nairobi", rusd_u(ours.owed_to_counterparty.u128())),
        format!("is owed {}", kes(i128::try_from(theirs.owed_by_counterparty.u128())?)),
    ]);
    Ok(format!(
        "Meta-network: Asheville's network joins Nairobi's over IBC (channel version {PROTOCOL_VERSION}).\n\
         Each network's bridge is one of its members. {} pays the cooperative {} rUSD: the credit goes \
         to Asheville's bridge, a packet crosses, and Nairobi's bridge pays {} from its own credit line at \
         {KES_PER_USD} rKES per rUSD. The acknowledgement makes it final (payment {} {}).\n{t}\n\
         Both networks still balance: each one's accounts sum to zero. An error acknowledgement or a \
         timeout would have refunded the bakery exactly.",
        BAKERY.name,
        rusd_u(amount),
        kes(received),
        payment.payment_id,
        payment.status.as_str(),
    ))
}
