//! `cargo xtask bench bridge`: the meta-bridge on two devnet chains with Hermes relaying.
//!
//! - Gas, whole transactions read back from the chains: the outbound payment (credit-token `Send`
//!   into the bridge) beside cw20-base's `send` into a do-nothing contract on the same chain, signed
//!   alike; and the relayer's receive transaction on chain B and acknowledgement transaction on chain
//!   A (Hermes puts a client update in each, so both figures include it).
//! - Latency in blocks over N payments (default 20): from the send's block on A to the block on B
//!   that paid the receiver, and to the block on A that settled the payment with the acknowledgement;
//!   then a timeout's refund, in blocks of A after the packet timed out on B.
//! - Accounting: every payment ends credited on B or refunded on A, and both networks' balances sum
//!   to zero.

use std::io::Write as _;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use cosmwasm_std::{Binary, Uint128};
use cw20::{Cw20Coin, Cw20ExecuteMsg};
use resource_cli::relayer::Hermes;
use resource_client::cosmrs::rpc::{client::CompatMode, Client, HttpClient, Order};
use resource_client::{ChainClient, ChainConfig, Gas};
use resource_msgs::meta_bridge::{PaymentStatus, MIN_TIMEOUT_SECONDS, PROTOCOL_VERSION};
use resource_tests::meta::{Network, GAS};
use resource_tests::{artifact, devnet_chain, wait_past, wallet};
use serde_json::json;

const UNIT: u128 = 1_000_000;

fn progress(msg: &str) {
    eprintln!("bridge-bench: {msg}");
}

fn median(v: &mut [u64]) -> u64 {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

/// The (height, gas_used) of the transaction on `chain` with the IBC event `kind` for `sequence` on
/// `channel` (`recv_packet` on the destination, `acknowledge_packet` / `timeout_packet` on the source).
async fn ibc_tx(
    chain: &ChainConfig,
    kind: &str,
    channel_key: &str,
    channel: &str,
    sequence: u64,
) -> anyhow::Result<(u64, u64)> {
    let rpc = HttpClient::builder(chain.rpc.as_str().try_into()?).compat_mode(CompatMode::V0_38).build()?;
    let query = format!("{kind}.packet_sequence='{sequence}' AND {kind}.{channel_key}='{channel}'");
    let start = Instant::now();
    loop {
        let found = rpc.tx_search(query.parse()?, false, 1, 5, Order::Ascending).await?;
        if let Some(tx) = found.txs.first() {
            return Ok((tx.height.value(), u64::try_from(tx.tx_result.gas_used)?));
        }
        if start.elapsed() > Duration::from_secs(90) {
            bail!("no {kind} transaction for sequence {sequence} on {} after 90 s", chain.chain_id);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut json_out = false;
    let mut payments = 20usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => json_out = true,
            "--payments" => payments = args.next().context("--payments needs a number")?.parse()?,
            other => bail!("unknown argument `{other}`; usage: bridge-bench [--json] [--payments N]"),
        }
    }
    let started = Instant::now();
    let (chain_a, chain_b) = (devnet_chain(0)?, devnet_chain(1)?);
    let dir = std::env::var_os("RESOURCE_DEVNET_HOME").map(std::path::PathBuf::from).context("RESOURCE_DEVNET_HOME")?;
    let mut hermes = Hermes::new(&dir.join("hermes"), &[chain_a.clone(), chain_b.clone()])?;
    progress("deploying a network and its bridge on each chain");
    let mut a =
        Network::deploy(ChainClient::connect(chain_a.clone()).await?, "Asheville Dollar", "rUSD", 100_000 * UNIT)
            .await?;
    let mut b =
        Network::deploy(ChainClient::connect(chain_b.clone()).await?, "Nairobi Shilling", "rKES", 10_000_000 * UNIT)
            .await?;
    let (pa, pb) = (a.prefix().to_string(), b.prefix().to_string());
    let (alice, bob) = (wallet("alice", &pa), wallet("bob", &pb));
    let (alice_addr, bob_addr) = (alice.address().to_string(), bob.address().to_string());
    a.set_line(&alice_addr, 10_000 * UNIT).await?;

    // The reference on chain A: cw20-base's send into a contract that accepts any message.
    let (cw20_code, _) = a.client.store_code(&a.admin, &artifact("cw20_base")?, Gas::Auto).await?;
    let (base_code, _) = a.client.store_code(&a.admin, &artifact("gas_baseline")?, Gas::Auto).await?;
    let cw20_init = cw20_base::msg::InstantiateMsg {
        name: "Reference".into(),
        symbol: "REF".into(),
        decimals: 6,
        initial_balances: vec![Cw20Coin { address: alice_addr.clone(), amount: Uint128::new(1_000_000 * UNIT) }],
        mint: None,
        marketing: None,
    };
    let (cw20, _) = a.client.instantiate(&a.admin, cw20_code, &cw20_init, "ref", None, &[], Gas::Auto).await?;
    let (baseline, _) =
        a.client.instantiate(&a.admin, base_code, &serde_json::json!({}), "baseline", None, &[], Gas::Auto).await?;

    progress("opening the channel (Hermes, about a minute)");
    hermes.create_channel((&chain_a.chain_id, &a.bridge), (&chain_b.chain_id, &b.bridge), None, PROTOCOL_VERSION)?;
    a.find_channel().await?;
    b.find_channel().await?;
    a.configure_channel("nairobi", 1, 100, 50_000 * UNIT).await?;
    b.configure_channel("asheville", 100, 1, 5_000_000 * UNIT).await?;
    hermes.relay(&chain_a.chain_id, &format!("wasm.{}", a.bridge), &a.channel)?;

    // Warm-up: the accounts' first transactions store their public keys.
    let warm = Cw20ExecuteMsg::Send { contract: baseline.clone(), amount: Uint128::new(1), msg: Binary::from(b"{}") };
    a.client.execute(&alice, &cw20, &warm, &[], GAS).await?;

    let (mut send_gas, mut cw20_gas, mut recv_gas, mut ack_gas) = (vec![], vec![], vec![], vec![]);
    let (mut recv_blocks, mut ack_blocks) = (vec![], vec![]);
    let (mut delivered, mut refunded) = (0usize, 0usize);
    let mut expected_bob = 0i128;
    for i in 0..payments {
        progress(&format!("payment {}/{payments}", i + 1));
        let reference =
            Cw20ExecuteMsg::Send { contract: baseline.clone(), amount: Uint128::new(UNIT), msg: Binary::from(b"{}") };
        cw20_gas.push(a.client.execute(&alice, &cw20, &reference, &[], GAS).await?.gas_used);
        let amount = (i as u128 + 1) * UNIT;
        let (id, sent) = a.pay(&alice, &bob_addr, amount, 0, None).await?;
        send_gas.push(sent.gas_used);
        let sequence: u64 = sent.attribute("send_packet", "packet_sequence").context("send_packet event")?.parse()?;
        let b_height_at_send = b.client.height().await?;
        let (recv_height, recv) = ibc_tx(&chain_b, "recv_packet", "packet_dst_channel", &b.channel, sequence).await?;
        let (ack_height, ack) =
            ibc_tx(&chain_a, "acknowledge_packet", "packet_src_channel", &a.channel, sequence).await?;
        recv_gas.push(recv);
        ack_gas.push(ack);
        recv_blocks.push(recv_height.saturating_sub(b_height_at_send));
        ack_blocks.push(ack_height.saturating_sub(sent.height));
        let (p, _) = a.wait_settled(id, Duration::from_secs(60)).await?;
        match p.status {
            PaymentStatus::Delivered => {
                delivered += 1;
                expected_bob += (amount * 100) as i128;
            }
            PaymentStatus::Refunded => refunded += 1,
            other => bail!("payment {id} ended {other:?}"),
        }
    }
    b.wait_balance(&bob_addr, expected_bob, Duration::from_secs(30)).await?;

    progress("a timeout: relayer stopped until the packet times out, then started");
    hermes.stop();
    let (id, sent) = a.pay(&alice, &bob_addr, UNIT, 0, Some(MIN_TIMEOUT_SECONDS)).await?;
    let sequence: u64 = sent.attribute("send_packet", "packet_sequence").context("send_packet event")?.parse()?;
    let timeout = a.payment(id).await?.timeout;
    wait_past(&b.client, timeout, Duration::from_secs(60)).await?;
    wait_past(&a.client, timeout, Duration::from_secs(60)).await?;
    let a_height_at_timeout = a.client.height().await?;
    hermes.start()?;
    let (refund_height, timeout_gas) =
        ibc_tx(&chain_a, "timeout_packet", "packet_src_channel", &a.channel, sequence).await?;
    let (p, _) = a.wait_settled(id, Duration::from_secs(30)).await?;
    anyhow::ensure!(p.status == PaymentStatus::Refunded, "the timed-out payment is {:?}", p.status);
    let refund_blocks = refund_height.saturating_sub(a_height_at_timeout);
    a.assert_balanced(&[&alice_addr]).await?;
    b.assert_balanced(&[&bob_addr]).await?;
    progress(&format!("done in {:.0} s", started.elapsed().as_secs_f64()));

    let rows = [
        json!({"metric": "gas.send", "ours": median(&mut send_gas), "reference": median(&mut cw20_gas), "reference_name": "cw20-base send"}),
        json!({"metric": "gas.receive_tx", "ours": median(&mut recv_gas), "reference": null, "reference_name": "includes Hermes' client update"}),
        json!({"metric": "gas.ack_tx", "ours": median(&mut ack_gas), "reference": null, "reference_name": "includes Hermes' client update"}),
        json!({"metric": "gas.timeout_tx", "ours": timeout_gas, "reference": null, "reference_name": "includes Hermes' client update"}),
        json!({"metric": "blocks.send_to_credit", "ours": median(&mut recv_blocks), "max": recv_blocks.iter().max(), "target": 10, "payments": payments}),
        json!({"metric": "blocks.send_to_ack", "ours": median(&mut ack_blocks), "max": ack_blocks.iter().max(), "payments": payments}),
        json!({"metric": "blocks.timeout_to_refund", "ours": refund_blocks, "target": 10}),
        json!({"metric": "accounted", "delivered": delivered, "refunded": refunded, "payments": payments, "balanced": true}),
    ];
    let mut out = std::io::stdout().lock();
    if json_out {
        for r in &rows {
            writeln!(out, "{r}")?;
        }
    } else {
        for r in &rows {
            writeln!(out, "{}", serde_json::to_string(r)?)?;
        }
        let (s, c) = (rows[0]["ours"].as_u64().unwrap_or(0), rows[0]["reference"].as_u64().unwrap_or(1));
        writeln!(out, "send / cw20-base send = {:.2}x (target 1.5x)", s as f64 / c as f64)?;
    }
    Ok(())
}
