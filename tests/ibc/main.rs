//! The meta-network over real IBC: two devnet chains (`cargo xtask test --suite ibc` starts them with
//! `resource devnet up --chains 2` and installs Hermes), a credit token and a bridge on each, a
//! channel opened between the bridges by Hermes, and payments relayed by Hermes: both ways, an error
//! acknowledgement refunded, a timeout refunded, positions netting, and every network balanced.

use std::path::PathBuf;
use std::time::Duration;

use resource_cli::relayer::Hermes;
use resource_client::ChainClient;
use resource_msgs::meta_bridge::{ChannelState, PaymentStatus, MIN_TIMEOUT_SECONDS, PROTOCOL_VERSION};
use resource_tests::meta::Network;
use resource_tests::{block_time, devnet_chain, wait_past, wallet};

/// One rUSD / rKES in base units (6 decimals).
const UNIT: u128 = 1_000_000;
/// rKES per rUSD.
const KES_PER_USD: u128 = 100;
const RELAY: Duration = Duration::from_secs(90);

fn hermes_dir() -> PathBuf {
    std::env::var_os("RESOURCE_DEVNET_HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir).join("hermes")
}

#[tokio::test]
async fn payments_cross_two_chains_over_hermes() -> anyhow::Result<()> {
    let (chain_a, chain_b) = (devnet_chain(0)?, devnet_chain(1)?);
    let mut hermes = Hermes::new(&hermes_dir(), &[chain_a.clone(), chain_b.clone()])?;
    let mut a =
        Network::deploy(ChainClient::connect(chain_a.clone()).await?, "Asheville Dollar", "rUSD", 10_000 * UNIT)
            .await?;
    let mut b =
        Network::deploy(ChainClient::connect(chain_b.clone()).await?, "Nairobi Shilling", "rKES", 1_000_000 * UNIT)
            .await?;
    let (pa, pb) = (a.prefix().to_string(), b.prefix().to_string());
    let (alice, bob, carol) = (wallet("alice", &pa), wallet("bob", &pb), wallet("carol", &pb));
    let alice_addr = alice.address().to_string();
    let (bob_addr, carol_addr) = (bob.address().to_string(), carol.address().to_string());
    a.set_line(&alice_addr, 1_000 * UNIT).await?;
    b.set_line(&bob_addr, 100_000 * UNIT).await?;

    hermes.create_channel((&chain_a.chain_id, &a.bridge), (&chain_b.chain_id, &b.bridge), None, PROTOCOL_VERSION)?;
    let (ca, cb) = (a.find_channel().await?, b.find_channel().await?);
    assert_eq!((ca.state, cb.counterparty_channel.as_str()), (ChannelState::Unconfigured, ca.channel_id.as_str()));
    // A wrong version is refused in the handshake, by the bridge itself: no second channel.
    let wrong = hermes.create_channel(
        (&chain_a.chain_id, &a.bridge),
        (&chain_b.chain_id, &b.bridge),
        Some(&ca.connection_id),
        "ics20-1",
    );
    let err = wrong.expect_err("the bridges refuse another protocol");
    assert!(format!("{err:#}").contains("resource-meta-1"), "{err:#}");
    assert_eq!(a.find_channel().await?.channel_id, ca.channel_id);
    a.configure_channel("nairobi", 1, KES_PER_USD, 5_000 * UNIT).await?;
    b.configure_channel("asheville", KES_PER_USD, 1, 500_000 * UNIT).await?;
    hermes.relay(&chain_a.chain_id, &format!("wasm.{}", a.bridge), &a.channel)?;

    // A -> B: Alice pays Bob 200 rUSD, Bob gets 20,000 rKES from bridge B's credit line.
    let (id, sent) = a.pay(&alice, &bob_addr, 200 * UNIT, 20_000 * UNIT, None).await?;
    b.wait_balance(&bob_addr, (20_000 * UNIT) as i128, RELAY).await.map_err(|e| e.context(hermes.log_tail()))?;
    let (p, _) = a.wait_settled(id, RELAY).await?;
    assert_eq!((p.status, p.amount_out.map(|o| o.u128())), (PaymentStatus::Delivered, Some(20_000 * UNIT)));
    assert!(sent.height > 0);
    assert_eq!(a.balance(&alice_addr).await?, -((200 * UNIT) as i128));
    assert_eq!(b.balance(&b.bridge).await?, -((20_000 * UNIT) as i128));

    // B -> A: Bob pays Alice back 5,000 rKES = 50 rUSD.
    let (id, _) = b.pay(&bob, &alice_addr, 5_000 * UNIT, 50 * UNIT, None).await?;
    a.wait_balance(&alice_addr, -((150 * UNIT) as i128), RELAY).await?;
    assert_eq!(b.wait_settled(id, RELAY).await?.0.status, PaymentStatus::Delivered);

    // Rejected on B (the rate gives less than Alice's minimum): error ack, refunded on A in full.
    let (id, _) = a.pay(&alice, &carol_addr, 10 * UNIT, 1_001 * UNIT, None).await?;
    assert_eq!(a.balance(&alice_addr).await?, -((160 * UNIT) as i128), "held by the bridge meanwhile");
    let (p, _) = a.wait_settled(id, RELAY).await?;
    assert_eq!(p.status, PaymentStatus::Refunded);
    assert!(p.refund_reason.as_deref().unwrap_or_default().contains("below the sender's minimum"), "{p:?}");
    assert_eq!(a.balance(&alice_addr).await?, -((150 * UNIT) as i128));
    assert_eq!(b.balance(&carol_addr).await?, 0);

    // Timeout: the relayer is stopped until the packet has timed out on B, then relays the timeout.
    hermes.stop();
    let (id, _) = a.pay(&alice, &bob_addr, 30 * UNIT, 0, Some(MIN_TIMEOUT_SECONDS)).await?;
    let timeout = a.payment(id).await?.timeout;
    wait_past(&b.client, timeout + 2, Duration::from_secs(60)).await?;
    hermes.start()?;
    let (p, _) = a.wait_settled(id, RELAY).await.map_err(|e| e.context(hermes.log_tail()))?;
    assert_eq!((p.status, p.refund_reason.as_deref()), (PaymentStatus::Refunded, Some("timeout")));
    assert_eq!(a.balance(&alice_addr).await?, -((150 * UNIT) as i128));
    assert_eq!(b.balance(&bob_addr).await?, (15_000 * UNIT) as i128, "never paid on B");
    assert!(block_time(&b.client).await? > timeout);

    // Positions net: A owes 150 rUSD through the channel, B is owed 15,000 rKES.
    let (ca, cb) = (a.channel().await?, b.channel().await?);
    assert_eq!(
        (ca.sent.u128(), ca.received.u128(), ca.owed_to_counterparty.u128()),
        (200 * UNIT, 50 * UNIT, 150 * UNIT)
    );
    assert_eq!(cb.owed_by_counterparty.u128(), 15_000 * UNIT);
    assert_eq!((ca.in_flight_count, cb.in_flight_count), (0, 0));
    assert_eq!(a.balance(&a.bridge).await?, (150 * UNIT) as i128);
    assert_eq!(b.balance(&b.bridge).await?, -((15_000 * UNIT) as i128));
    a.assert_balanced(&[&alice_addr]).await?;
    b.assert_balanced(&[&bob_addr, &carol_addr]).await?;

    // The same as a user: `resource bridge pay --wait` and `resource bridge status --json`.
    let home = std::env::var_os("RESOURCE_DEVNET_HOME").map(PathBuf::from).expect("set by xtask");
    let cli = |args: &[&str]| -> anyhow::Result<serde_json::Value> {
        let out =
            std::process::Command::new(resource_tests::resource_cli()).args(args).arg("--home").arg(&home).output()?;
        anyhow::ensure!(out.status.success(), "resource {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        Ok(serde_json::from_slice(&out.stdout)?)
    };
    let paid = cli(&[
        "bridge",
        "pay",
        "--bridge",
        &a.bridge,
        "--chain-id",
        &chain_a.chain_id,
        "--to",
        &bob_addr,
        "--amount",
        "1.5",
        "--from",
        "alice",
        "--wait",
        "--json",
    ])?;
    assert_eq!(paid["payment"]["status"], "delivered", "{paid}");
    assert_eq!(paid["payment"]["amount_out"], (150 * UNIT).to_string());
    b.wait_balance(&bob_addr, (15_150 * UNIT) as i128, RELAY).await?;
    let status = cli(&["bridge", "status", "--bridge", &b.bridge, "--chain-id", &chain_b.chain_id, "--json"])?;
    assert_eq!(status["channels"][0]["owed_by_counterparty"], (15_150 * UNIT).to_string(), "{status}");
    assert_eq!(status["bridge_balance"], (-((15_150 * UNIT) as i128)).to_string(), "{status}");
    let err = std::process::Command::new(resource_tests::resource_cli())
        .args(["bridge", "status", "--bridge", &b.bridge, "--chain-id", "nowhere-9", "--home"])
        .arg(&home)
        .output()?;
    assert!(String::from_utf8_lossy(&err.stderr).contains("runs no chain `nowhere-9`"), "{err:?}");
    a.assert_balanced(&[&alice_addr]).await?;
    b.assert_balanced(&[&bob_addr, &carol_addr]).await?;
    Ok(())
}
