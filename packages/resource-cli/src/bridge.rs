//! `resource bridge`: payments to another network through the meta-bridge, and the bridge's state
//! (its channels, what the networks owe each other, payments in flight), on a chain of the devnet.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use cosmwasm_std::Uint128;
use resource_client::test_accounts::{test_account, TEST_ACCOUNTS};
use resource_client::{ChainClient, ChainConfig, Gas, Wallet};
use resource_msgs::credit_token;
use resource_msgs::meta_bridge::{
    pay_msg, ChannelResponse, ChannelsResponse, ConfigResponse, PaymentResponse, PaymentStatus, PaymentsResponse,
    QueryMsg, ReceiveMsg,
};
use serde::Serialize;

use crate::devnet::DevnetState;
use crate::format::{parse_units, units};
use crate::ui::{table, Progress};

/// The devnet chain `chain_id` (the first running one when not given).
pub fn devnet_chain(home: &Path, chain_id: Option<&str>) -> anyhow::Result<ChainConfig> {
    let state = DevnetState::load(home)?
        .with_context(|| format!("no devnet is running in {}; start one with `resource devnet up`", home.display()))?;
    let mut running = state.running().map(|(chain, _)| chain.config.clone());
    match chain_id {
        None => running.next().with_context(|| format!("no chain of the devnet in {} is running", home.display())),
        Some(id) => {
            let all: Vec<ChainConfig> = running.collect();
            let ids: Vec<&str> = all.iter().map(|c| c.chain_id.as_str()).collect();
            let ids = ids.join(", ");
            all.iter().find(|c| c.chain_id == id).cloned().with_context(|| {
                format!("the devnet in {} runs no chain `{id}`; its chains are: {ids}", home.display())
            })
        }
    }
}

fn test_wallet(from: &str, prefix: &str) -> anyhow::Result<Wallet> {
    let account = test_account(from).with_context(|| {
        let names: Vec<_> = TEST_ACCOUNTS.iter().map(|a| a.name).collect();
        format!("no test account `{from}`; use one of {}", names.join(", "))
    })?;
    Ok(Wallet::from_mnemonic(account.mnemonic, prefix)?)
}

struct Bridge {
    client: ChainClient,
    address: String,
    config: ConfigResponse,
    decimals: u32,
    symbol: String,
}

impl Bridge {
    async fn connect(home: &Path, chain_id: Option<&str>, address: &str) -> anyhow::Result<Bridge> {
        let client = ChainClient::connect(devnet_chain(home, chain_id)?).await?;
        let config: ConfigResponse = client.query_smart(address, &QueryMsg::Config {}).await.with_context(|| {
            format!(
                "`{address}` on {} does not answer as a meta-bridge; check --bridge and --chain-id",
                client.config().chain_id
            )
        })?;
        let info: cw20::TokenInfoResponse =
            client.query_smart(config.credit_token.as_str(), &credit_token::QueryMsg::TokenInfo {}).await?;
        Ok(Bridge { client, address: address.to_string(), config, decimals: info.decimals.into(), symbol: info.symbol })
    }

    async fn query<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> anyhow::Result<T> {
        Ok(self.client.query_smart(&self.address, msg).await?)
    }

    fn amount(&self, u: Uint128) -> String {
        format!("{} {}", units(u.u128(), self.decimals), self.symbol)
    }
}

#[derive(Serialize)]
struct StatusJson<'a> {
    chain_id: &'a str,
    bridge: &'a str,
    network: &'a str,
    credit_token: &'a str,
    /// Signed, in base units, as a decimal string (as the contracts write amounts).
    bridge_balance: String,
    channels: &'a [ChannelResponse],
    in_flight: &'a [PaymentResponse],
}

/// `resource bridge status`.
pub async fn status_command(home: &Path, chain_id: Option<&str>, bridge: &str, json: bool) -> anyhow::Result<()> {
    let b = Bridge::connect(home, chain_id, bridge).await?;
    let channels: ChannelsResponse = b.query(&QueryMsg::Channels { start_after: None, limit: Some(100) }).await?;
    let in_flight: PaymentsResponse =
        b.query(&QueryMsg::InFlight { channel_id: None, start_after: None, limit: Some(100) }).await?;
    let account: credit_token::CreditAccountResponse = b
        .client
        .query_smart(b.config.credit_token.as_str(), &credit_token::QueryMsg::CreditAccount { address: bridge.into() })
        .await?;
    let balance = account.balance.i128();
    if json {
        let doc = StatusJson {
            chain_id: &b.client.config().chain_id,
            bridge,
            network: &b.config.network,
            credit_token: b.config.credit_token.as_str(),
            bridge_balance: balance.to_string(),
            channels: &channels.channels,
            in_flight: &in_flight.payments,
        };
        println!("{}", serde_json::to_string(&doc)?);
        return Ok(());
    }
    let signed = crate::format::signed_units(balance < 0, balance.unsigned_abs(), b.decimals);
    println!(
        "bridge {bridge} of network {} on {} (token {}): balance {signed} {}",
        b.config.network,
        b.client.config().chain_id,
        b.config.credit_token,
        b.symbol
    );
    if channels.channels.is_empty() {
        println!("no channel yet: open one to another bridge with Hermes (`--channel-version resource-meta-1`)");
        return Ok(());
    }
    let mut t =
        table(["channel", "counterparty", "state", "rate", "draw limit", "sent", "received", "in flight", "position"]);
    for c in &channels.channels {
        let (network, rate, limit) = match &c.terms {
            Some(t) => (
                t.counterparty_network.clone(),
                format!("{}/{}", t.rate_numerator, t.rate_denominator),
                b.amount(t.draw_limit),
            ),
            None => ("(not configured)".into(), "-".into(), "-".into()),
        };
        let position = if !c.owed_to_counterparty.is_zero() {
            format!("owes {}", b.amount(c.owed_to_counterparty))
        } else if !c.owed_by_counterparty.is_zero() {
            format!("is owed {}", b.amount(c.owed_by_counterparty))
        } else {
            "even".into()
        };
        t.add_row([
            format!("{} -> {}", c.channel_id, c.counterparty_channel),
            network,
            format!("{:?}", c.state).to_lowercase(),
            rate,
            limit,
            b.amount(c.sent),
            b.amount(c.received),
            format!("{} ({})", b.amount(c.in_flight), c.in_flight_count),
            position,
        ]);
    }
    println!("{t}");
    if !in_flight.payments.is_empty() {
        let mut t = table(["payment", "channel", "sender", "receiver", "amount", "times out"]);
        for p in &in_flight.payments {
            t.add_row([
                p.payment_id.to_string(),
                p.channel_id.clone(),
                p.sender.to_string(),
                p.receiver.clone(),
                b.amount(p.amount),
                crate::format::utc(p.timeout),
            ]);
        }
        println!("payments in flight:\n{t}");
    }
    Ok(())
}

/// What `resource bridge pay` was asked.
pub struct PayArgs<'a> {
    pub bridge: &'a str,
    pub channel: Option<&'a str>,
    pub to: &'a str,
    pub amount: &'a str,
    pub min_out: Option<&'a str>,
    pub timeout: Option<u64>,
    pub from: &'a str,
    pub wait: bool,
    pub json: bool,
}

#[derive(Serialize)]
struct PayJson<'a> {
    payment_id: u64,
    tx_hash: &'a str,
    height: u64,
    gas_used: u64,
    payment: &'a PaymentResponse,
}

/// `resource bridge pay`.
pub async fn pay_command(home: &Path, chain_id: Option<&str>, args: PayArgs<'_>) -> anyhow::Result<()> {
    let progress = Progress::new();
    let result = async {
        let b = Bridge::connect(home, chain_id, args.bridge).await?;
        let wallet = test_wallet(args.from, &b.client.config().prefix)?;
        let channels: ChannelsResponse = b.query(&QueryMsg::Channels { start_after: None, limit: Some(100) }).await?;
        let channel = match args.channel {
            Some(c) => c.to_string(),
            None => match &channels.channels[..] {
                [only] => only.channel_id.clone(),
                [] => bail!("the bridge has no channel yet; open one with Hermes first"),
                _ => bail!("the bridge has several channels; choose one with --channel (see `resource bridge status`)"),
            },
        };
        let amount = parse_units(args.amount, b.decimals).map_err(|e| anyhow::anyhow!("--amount: {e}"))?;
        // The minimum out is in the other network's units: its decimals are not known here, so it is
        // given in base units.
        let min_out: u128 = match args.min_out {
            Some(m) => m.parse().with_context(|| format!("--min-out `{m}` is not a whole number of base units"))?,
            None => 0,
        };
        let hook = ReceiveMsg::Pay {
            channel_id: channel.clone(),
            receiver: args.to.to_string(),
            min_amount_out: Uint128::new(min_out),
            timeout_seconds: args.timeout,
            memo: None,
        };
        progress.step(&format!("sending {} from {} to {} over {channel}", b.amount(amount.into()), args.from, args.to));
        let msg = pay_msg(args.bridge, amount.into(), &hook)?;
        let out = b.client.execute(&wallet, b.config.credit_token.as_str(), &msg, &[], Gas::Auto).await?;
        let id: u64 = out
            .attribute("wasm-bridge_send", "payment_id")
            .context("the transaction has no bridge_send event")?
            .parse()?;
        let mut payment: PaymentResponse = b.query(&QueryMsg::Payment { payment_id: id }).await?;
        if args.wait {
            let started = Instant::now();
            let limit = Duration::from_secs(args.timeout.unwrap_or(600) + 120);
            while payment.status == PaymentStatus::InFlight {
                progress.step(&format!("payment {id} in flight ({:.0} s); waiting for the relayer", started.elapsed().as_secs_f64()));
                if started.elapsed() > limit {
                    bail!("payment {id} is still in flight after {limit:?}: is the relayer running? (`resource bridge status`)");
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
                payment = b.query(&QueryMsg::Payment { payment_id: id }).await?;
            }
        }
        anyhow::Ok((b, out, payment))
    }
    .await;
    progress.finish();
    let (b, out, payment) = result?;
    if args.json {
        let doc = PayJson {
            payment_id: payment.payment_id,
            tx_hash: &out.tx_hash,
            height: out.height,
            gas_used: out.gas_used,
            payment: &payment,
        };
        println!("{}", serde_json::to_string(&doc)?);
        return Ok(());
    }
    let mut t = table(["payment", "amount", "to", "status", "paid out there", "gas used", "tx"]);
    t.add_row([
        payment.payment_id.to_string(),
        b.amount(payment.amount),
        payment.receiver.clone(),
        payment.status.as_str().to_string(),
        payment.amount_out.map(|o| format!("{o} base units")).unwrap_or_else(|| "-".into()),
        out.gas_used.to_string(),
        out.tx_hash.clone(),
    ]);
    println!("{t}");
    match payment.status {
        PaymentStatus::InFlight => {
            println!("in flight until acknowledged or timed out: follow it with `resource bridge status`")
        }
        PaymentStatus::Refunded | PaymentStatus::RefundPending => {
            println!("refunded: {}", payment.refund_reason.as_deref().unwrap_or("-"))
        }
        PaymentStatus::Delivered => {}
    }
    Ok(())
}
