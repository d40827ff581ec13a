//! The meta-network step: Asheville's network joins Nairobi's over IBC, and a payment crosses.
//!
//! Nairobi's network (its credit token, rKES, and its bridge) runs on a second chain: a second
//! embedded chain, where `resource_testing::ibc` relays the packets between the two bridges through
//! their real IBC entry points, or the devnet's second chain (`resource devnet up --chains 2`), where
//! the Hermes relayer opens the channel and relays the packets. Everything else is the same code on
//! both. A devnet of one chain, or no Hermes, skips the step and says what it needs.

use std::time::{Duration, Instant};

use anyhow::{anyhow, ensure, Context};
use cosmwasm_std::{Addr, IbcOrder, Uint128};
use resource_msgs::credit_token::{self as token, ConfigResponse};
use resource_msgs::meta_bridge::{
    self as bridge_msgs, pay_msg, ChannelResponse, ChannelsResponse, PaymentAck, PaymentResponse, PaymentStatus,
    PaymentsResponse, ReceiveMsg, PROTOCOL_VERSION,
};
use resource_testing::ibc::{handshake, relay, BridgeEnd, Relayed};

use super::backend::{Network, Target};
use super::events::TransferEffect;
use super::invariants::Totals;
use super::render::{rusd, rusd_u};
use super::scenario::{usd, BAKERY, OPERATOR};
use crate::format::signed_units;
use crate::relayer::{find_hermes, Hermes};
use crate::ui::table;

/// rKES per rUSD at the channel's rate.
const KES_PER_USD: u128 = 129;
/// What the bakery pays the coffee cooperative, in rUSD.
const PAYMENT_USD: u128 = 25;
/// The cooperative that sells the bakery its coffee (a key of its own on Nairobi's chain).
const COOPERATIVE: &str = "kiambu-coffee-cooperative";
/// Nairobi's loss account (a key of its own).
const NAIROBI_LOSSES: &str = "nairobi-loss";
const DECIMALS: u32 = 6;
/// How long Hermes may take to relay the payment and its acknowledgement on the devnet.
const RELAY_TIMEOUT: Duration = Duration::from_secs(180);

/// Deploys Nairobi's network on `nairobi`: its token, and its bridge, a fee-exempt member with a
/// credit line of `bridge_line` to pay out from.
async fn deploy_nairobi(nairobi: &mut Network, bridge_line: u128) -> anyhow::Result<()> {
    let admin = nairobi.address(OPERATOR.account).to_string();
    let init = token::InstantiateMsg {
        name: "Nairobi Shilling".into(),
        symbol: "rKES".into(),
        decimals: DECIMALS as u8,
        admin: None,
        underwriting: None,
        fee_bps: 0,
        fee_collector: admin,
        fee_exempt: vec![],
        loss_account: nairobi.key_address(NAIROBI_LOSSES)?,
        default_grace_period: 30 * 86_400,
        min_term: None,
        min_grace_period: None,
        did_registry: None,
    };
    nairobi.token = nairobi.instantiate(Target::Token, &init).await.context("Nairobi's credit token")?.0;
    let bridge_init = bridge_msgs::InstantiateMsg {
        admin: None,
        credit_token: nairobi.token.clone(),
        network: "nairobi-rkes".into(),
    };
    nairobi.bridge = nairobi.instantiate(Target::Bridge, &bridge_init).await.context("Nairobi's bridge")?.0;
    let exempt = token::ExecuteMsg::UpdateConfig(token::ConfigUpdate {
        fee_exempt: Some(vec![nairobi.bridge.clone()]),
        ..Default::default()
    });
    nairobi.execute(OPERATOR.account, Target::Token, &exempt).await.context("making Nairobi's bridge fee-exempt")?;
    let term_end = nairobi.now()? + 365 * 86_400;
    let line = token::ExecuteMsg::SetCreditLine { member: nairobi.bridge.clone(), limit: bridge_line.into(), term_end };
    nairobi.execute(OPERATOR.account, Target::Token, &line).await.context("Nairobi's bridge's credit line")?;
    Ok(())
}

/// Every account of `network` sums to zero.
async fn balances_sum(network: &Network) -> anyhow::Result<i128> {
    let mut sum = 0i128;
    for address in network.all_accounts().await? {
        sum += network.credit_account(&address).await?.balance.i128();
    }
    Ok(sum)
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

/// What carries the packets between the two bridges.
enum Link {
    /// The in-process relay between two embedded chains.
    Embedded { asheville: BridgeEnd, nairobi: BridgeEnd },
    /// Hermes between the devnet's two chains, and the id of Asheville's chain.
    Hermes(Hermes, String),
}

impl Link {
    /// Opens a channel between the bridges; returns the link and each side's channel id.
    fn open(asheville: &mut Network, nairobi: &mut Network) -> anyhow::Result<(Link, String, String)> {
        match (asheville.devnet_chain(), nairobi.devnet_chain()) {
            (Some((a, home)), Some((b, _))) => {
                let (a, b, dir) = (a.clone(), b.clone(), home.join("hermes-demo"));
                asheville.step("Hermes opens a client, a connection and a channel between the bridges");
                let hermes = Hermes::new(&dir, &[a.clone(), b.clone()])?;
                hermes.create_channel(
                    (&a.chain_id, &asheville.bridge),
                    (&b.chain_id, &nairobi.bridge),
                    None,
                    PROTOCOL_VERSION,
                )?;
                Ok((Link::Hermes(hermes, a.chain_id), String::new(), String::new()))
            }
            _ => {
                let end = |network: &mut Network| -> anyhow::Result<BridgeEnd> {
                    let bridge = Addr::unchecked(&network.bridge);
                    let (_, sent) = network.embedded_chain().context("an embedded chain")?;
                    Ok(BridgeEnd { bridge, channel: "channel-0".into(), sent: sent.clone(), relayed: 0 })
                };
                let (a, b) = (end(asheville)?, end(nairobi)?);
                let (app_a, _) = asheville.embedded_chain().context("an embedded chain")?;
                let (app_b, _) = nairobi.embedded_chain().context("an embedded chain")?;
                handshake((app_a, &a), (app_b, &b), PROTOCOL_VERSION, IbcOrder::Unordered)?;
                let channels = (a.channel.clone(), b.channel.clone());
                Ok((Link::Embedded { asheville: a, nairobi: b }, channels.0, channels.1))
            }
        }
    }

    /// Relays the packets Asheville's bridge sent on `channel` and their acknowledgements, until
    /// payment `id` is no longer in flight.
    async fn deliver(
        &mut self,
        asheville: &mut Network,
        nairobi: &mut Network,
        channel: &str,
        id: u64,
    ) -> anyhow::Result<()> {
        match self {
            Link::Embedded { asheville: a, nairobi: b } => {
                let (app_a, _) = asheville.embedded_chain().context("an embedded chain")?;
                let (app_b, _) = nairobi.embedded_chain().context("an embedded chain")?;
                let relayed = relay((app_a, a), (app_b, b), false)?;
                let [Relayed::Acknowledged { ack, .. }] = &relayed[..] else {
                    return Err(anyhow!("the relay delivered {} packets, not the payment's one", relayed.len()));
                };
                ensure!(matches!(ack, PaymentAck::Result(_)), "Nairobi's bridge refused the payment: {ack:?}");
                Ok(())
            }
            Link::Hermes(hermes, chain_id) => {
                asheville.step("Hermes relays the payment to Nairobi's chain and its acknowledgement back");
                hermes.relay(chain_id, &format!("wasm.{}", asheville.bridge), channel)?;
                let started = Instant::now();
                let settled = loop {
                    let payment: PaymentResponse =
                        asheville.query(Target::Bridge, &bridge_msgs::QueryMsg::Payment { payment_id: id }).await?;
                    if payment.status != PaymentStatus::InFlight {
                        break Ok(());
                    }
                    if started.elapsed() > RELAY_TIMEOUT {
                        break Err(anyhow!(
                            "Hermes has not relayed payment {id} in {} s; its log ends with:\n{}",
                            RELAY_TIMEOUT.as_secs(),
                            hermes.log_tail()
                        ));
                    }
                    tokio::time::sleep(Duration::from_millis(300)).await;
                };
                hermes.stop();
                settled
            }
        }
    }
}

/// The step's page when it cannot run, saying why.
fn skipped(why: &str) -> String {
    format!(
        "Meta-network: skipped, {why}. (It needs a second chain and the Hermes relayer; on the embedded \
         chain, `resource demo`, the bakery pays a coffee cooperative in Nairobi over IBC.)"
    )
}

/// Runs the step and returns its page.
pub(super) async fn cross_network(network: &mut Network, totals: &mut Totals) -> anyhow::Result<String> {
    if network.devnet_chain().is_some() {
        if let Err(e) = find_hermes() {
            return Ok(skipped(&format!("{e:#}")));
        }
    }
    let mut nairobi = match network.peer("nairobi").await? {
        Ok(peer) => peer,
        Err(why) => return Ok(skipped(&why)),
    };
    deploy_nairobi(&mut nairobi, usd(10_000) * KES_PER_USD).await?;
    // Asheville's bridge: a fee-exempt member of the pilot network (it needs no credit line to send).
    let init = bridge_msgs::InstantiateMsg {
        admin: None,
        credit_token: network.token.clone(),
        network: "asheville-rusd".into(),
    };
    network.bridge = network.instantiate(Target::Bridge, &init).await.context("Asheville's bridge")?.0;
    let (mut link, mut ours, mut theirs) = Link::open(network, &mut nairobi)?;
    if ours.is_empty() {
        // Hermes opened the channel: each bridge lists it.
        let list = bridge_msgs::QueryMsg::Channels { start_after: None, limit: None };
        let only = |channels: ChannelsResponse| channels.channels.into_iter().last().map(|c| c.channel_id);
        ours = only(network.query(Target::Bridge, &list).await?).context("Asheville's bridge has no channel")?;
        theirs = only(nairobi.query(Target::Bridge, &list).await?).context("Nairobi's bridge has no channel")?;
    }
    let asheville_terms = configure(&ours, "nairobi-rkes", 1, KES_PER_USD, usd(1_000));
    network.execute(OPERATOR.account, Target::Bridge, &asheville_terms).await.context("Asheville's channel")?;
    let nairobi_terms = configure(&theirs, "asheville-rusd", KES_PER_USD, 1, usd(5_000) * KES_PER_USD);
    nairobi.execute(OPERATOR.account, Target::Bridge, &nairobi_terms).await.context("Nairobi's channel")?;
    let cfg: ConfigResponse = network.query(Target::Token, &token::QueryMsg::Config {}).await?;
    let update = crate::wiring::TokenWiring::exempt(&[&network.bridge])
        .update_msg(&cfg)
        .context("a new bridge is not fee-exempt yet")?;
    network.execute(OPERATOR.account, Target::Token, &update).await?;

    // The bakery pays the cooperative: credit into Asheville's bridge, a packet, a payout in rKES.
    let cooperative = nairobi.key_address(COOPERATIVE)?;
    let amount = usd(PAYMENT_USD);
    let hook = ReceiveMsg::Pay {
        channel_id: ours.clone(),
        receiver: cooperative.clone(),
        min_amount_out: Uint128::new(amount * KES_PER_USD),
        timeout_seconds: None,
        memo: Some("coffee beans, invoice 2041".into()),
    };
    let before = network.credit_account(network.address(BAKERY.account)).await?.balance.i128();
    let executed =
        network.execute(BAKERY.account, Target::Token, &pay_msg(network.bridge.clone(), amount.into(), &hook)?).await?;
    let effect = TransferEffect::of_transaction(&executed.events)?;
    totals.minted += effect.minted;
    totals.burned += effect.burned;
    totals.fees += effect.fee;
    let in_flight = bridge_msgs::QueryMsg::InFlight { channel_id: Some(ours.clone()), start_after: None, limit: None };
    let sent: PaymentsResponse = network.query(Target::Bridge, &in_flight).await?;
    let id = sent.payments.last().map(|p| p.payment_id).context("the bridge holds no payment in flight")?;
    link.deliver(network, &mut nairobi, &ours, id).await?;
    let payment: PaymentResponse =
        network.query(Target::Bridge, &bridge_msgs::QueryMsg::Payment { payment_id: id }).await?;
    ensure!(payment.status == PaymentStatus::Delivered, "the payment is {:?}, not delivered", payment.status);
    let ours: ChannelResponse =
        network.query(Target::Bridge, &bridge_msgs::QueryMsg::Channel { channel_id: ours }).await?;
    let theirs: ChannelResponse =
        nairobi.query(Target::Bridge, &bridge_msgs::QueryMsg::Channel { channel_id: theirs }).await?;
    let after = network.credit_account(network.address(BAKERY.account)).await?.balance.i128();
    let asheville_bridge = network.credit_account(&network.bridge).await?.balance.i128();
    let received = nairobi.credit_account(&cooperative).await?.balance.i128();
    let nairobi_bridge = nairobi.credit_account(&nairobi.bridge).await?.balance.i128();
    ensure!(balances_sum(&nairobi).await? == 0, "Nairobi's balances do not sum to zero");

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
