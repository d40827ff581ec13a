//! Two embedded networks (each a cw-multi-test chain with its real credit token and bridge) and a
//! small in-process relay between them: the handshake, payments both ways, error acknowledgements,
//! timeouts, replays, pause and close. cw-multi-test relays no IBC packets, so the chain's IBC module
//! here records what the bridge sends, and the relay calls the other bridge's IBC entry points through
//! a sudo adapter, inside the chain's transactions (submessages, replies and reverts as usual).

use std::sync::{Arc, Mutex};

use anyhow::Result as AnyResult;
use cosmwasm_std::{Addr, IbcAcknowledgement, IbcEndpoint, IbcOrder, IbcPacket, IbcPacketAckMsg, Uint128};
use cw_multi_test::{AppResponse, Executor};
use resource_testing::ibc::{self, bridge_contract, handshake, ibc_chain, BridgeEnd, IbcCall, IbcChain, Relayed, Sent};
use serde::de::DeserializeOwned;

use resource_meta_bridge::ContractError;
use resource_msgs::credit_token::{self as token_msgs, CreditAccountResponse};
use resource_msgs::meta_bridge::{
    pay_msg, ChannelResponse, ChannelState, ExecuteMsg, InstantiateMsg, PaymentAck, PaymentResponse, PaymentStatus,
    PaymentsResponse, QueryMsg, ReceiveMsg, PROTOCOL_VERSION,
};

use crate::contracts::token_contract;

/// One community network on its own chain: its credit token and its bridge (a fee-exempt member with
/// a credit line).
struct Net {
    app: IbcChain,
    token: Addr,
    bridge: Addr,
    end: BridgeEnd,
    closes: Arc<Mutex<Vec<String>>>,
    channel: String,
}

const TERM: u64 = 90 * 86_400;

impl Net {
    fn new(name: &str, bridge_line: u128) -> Net {
        let (mut app, sent, closes) = ibc_chain(|_, _, _| {});
        let admin = app.api().addr_make("admin");
        let token_code = app.store_code(token_contract());
        let bridge_code = app.store_code(bridge_contract());
        // The bridge's address is known before the token exists: instantiate it first with a
        // placeholder-free order (bridge needs the token), so predict nothing: token, then bridge, then
        // make the bridge fee-exempt.
        let token = app
            .instantiate_contract(
                token_code,
                admin.clone(),
                &token_msgs::InstantiateMsg {
                    name: format!("{name} credit"),
                    symbol: name.into(),
                    decimals: 6,
                    admin: None,
                    underwriting: None,
                    fee_bps: 100,
                    fee_collector: app.api().addr_make("collector").into(),
                    fee_exempt: vec![],
                    loss_account: app.api().addr_make("loss").into(),
                    default_grace_period: 30 * 86_400,
                    min_term: None,
                    min_grace_period: None,
                    did_registry: None,
                },
                &[],
                "token",
                None,
            )
            .unwrap();
        let bridge = app
            .instantiate_contract(
                bridge_code,
                admin.clone(),
                &InstantiateMsg { admin: None, credit_token: token.to_string(), network: name.into() },
                &[],
                "bridge",
                None,
            )
            .unwrap();
        let end = BridgeEnd { bridge: bridge.clone(), channel: String::new(), sent, relayed: 0 };
        let mut net = Net { app, token, bridge, end, closes, channel: String::new() };
        let update = token_msgs::ExecuteMsg::UpdateConfig(token_msgs::ConfigUpdate {
            fee_exempt: Some(vec![net.bridge.to_string()]),
            ..Default::default()
        });
        net.token_exec("admin", &update).unwrap();
        let bridge_addr = net.bridge.to_string();
        net.line(&bridge_addr, bridge_line);
        net
    }

    fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    fn token_exec(&mut self, sender: &str, msg: &token_msgs::ExecuteMsg) -> AnyResult<AppResponse> {
        let sender = self.addr(sender);
        self.app.execute_contract(sender, self.token.clone(), msg, &[])
    }

    fn bridge_exec(&mut self, sender: &str, msg: &ExecuteMsg) -> Result<AppResponse, ContractError> {
        let sender = self.addr(sender);
        resource_testing::multi::contract_error_result(self.app.execute_contract(sender, self.bridge.clone(), msg, &[]))
    }

    /// A credit line for `member` (a name, or an address as it is).
    fn line(&mut self, member: &str, limit: u128) {
        let member = if member.starts_with("cosmwasm1") { member.to_string() } else { self.addr(member).to_string() };
        let term_end = self.app.block_info().time.seconds() + TERM;
        let msg = token_msgs::ExecuteMsg::SetCreditLine { member, limit: limit.into(), term_end };
        self.token_exec("admin", &msg).unwrap();
    }

    fn account(&self, who: &Addr) -> CreditAccountResponse {
        self.app
            .wrap()
            .query_wasm_smart(&self.token, &token_msgs::QueryMsg::CreditAccount { address: who.to_string() })
            .unwrap()
    }

    fn balance(&self, name: &str) -> i128 {
        self.account(&self.addr(name)).balance.i128()
    }

    fn bridge_balance(&self) -> i128 {
        self.account(&self.bridge).balance.i128()
    }

    fn q<R: DeserializeOwned>(&self, msg: &QueryMsg) -> R {
        self.app.wrap().query_wasm_smart(&self.bridge, msg).unwrap()
    }

    fn channel(&self) -> ChannelResponse {
        self.q(&QueryMsg::Channel { channel_id: self.channel.clone() })
    }

    fn payment(&self, id: u64) -> PaymentResponse {
        self.q(&QueryMsg::Payment { payment_id: id })
    }

    /// `from` pays `to` on the other network through the bridge's channel.
    fn pay(&mut self, from: &str, to: &Addr, amount: u128, min_out: u128) -> AnyResult<AppResponse> {
        let hook = ReceiveMsg::Pay {
            channel_id: self.channel.clone(),
            receiver: to.to_string(),
            min_amount_out: min_out.into(),
            timeout_seconds: Some(120),
            memo: Some("invoice 17".into()),
        };
        let send = pay_msg(self.bridge.to_string(), amount.into(), &hook).unwrap();
        self.token_exec(from, &send)
    }

    fn sudo(&mut self, call: IbcCall) -> AnyResult<AppResponse> {
        self.app.wasm_sudo(self.bridge.clone(), &call)
    }

    /// Every account's balance sums to zero and supply is the sum of the positive ones.
    fn assert_balanced(&self, names: &[&str]) {
        let mut accounts: Vec<Addr> = names.iter().map(|n| self.addr(n)).collect();
        accounts.extend([self.bridge.clone(), self.addr("collector"), self.addr("loss")]);
        let balances: Vec<i128> = accounts.iter().map(|a| self.account(a).balance.i128()).collect();
        assert_eq!(balances.iter().sum::<i128>(), 0, "balances {balances:?}");
        let stats: token_msgs::NetworkStatsResponse =
            self.app.wrap().query_wasm_smart(&self.token, &token_msgs::QueryMsg::NetworkStats {}).unwrap();
        assert_eq!(stats.total_supply.u128() as i128, balances.iter().filter(|b| **b > 0).sum::<i128>());
    }
}

/// Opens a channel between the two bridges through the four handshake steps.
fn open(a: &mut Net, b: &mut Net, version: &str, order: IbcOrder) -> AnyResult<()> {
    a.end.channel = "channel-3".into();
    b.end.channel = "channel-8".into();
    handshake((&mut a.app, &a.end), (&mut b.app, &b.end), version, order)?;
    a.channel = a.end.channel.clone();
    b.channel = b.end.channel.clone();
    Ok(())
}

/// A channel configured on both sides: `a_per_b` A-units per B-unit inbound on A, and the inverse on B.
fn connected(line: u128, draw_limit: u128) -> (Net, Net) {
    let (mut a, mut b) = (Net::new("rUSD", line), Net::new("rKES", line * 100));
    open(&mut a, &mut b, PROTOCOL_VERSION, IbcOrder::Unordered).unwrap();
    for (net, other, num, den, limit) in
        [(&mut a, "nairobi", 1u128, 100u128, draw_limit), (&mut b, "asheville", 100, 1, draw_limit * 100)]
    {
        let msg = ExecuteMsg::ConfigureChannel {
            channel_id: net.channel.clone(),
            counterparty_network: other.into(),
            rate_numerator: num.into(),
            rate_denominator: den.into(),
            draw_limit: limit.into(),
        };
        net.bridge_exec("admin", &msg).unwrap();
    }
    (a, b)
}

/// Delivers every packet `from` sent to `to` and its acknowledgement back (or, with `timeout`, lets
/// them time out on `from`), checking that each callback answered as it must. Returns the
/// acknowledgements.
fn relay(from: &mut Net, to: &mut Net, timeout: bool) -> Vec<PaymentAck> {
    let relayed = ibc::relay((&mut from.app, &mut from.end), (&mut to.app, &to.end), timeout)
        .expect("receive, ack and timeout never fail");
    let mut acks = vec![];
    for r in relayed {
        match r {
            Relayed::TimedOut(r) => assert!(r.events.iter().any(|e| e.ty == "wasm-bridge_refunded"), "{r:?}"),
            Relayed::Acknowledged { ack, replay, .. } => {
                // A relayer replaying the acknowledgement changes nothing.
                assert!(replay.events.iter().any(|e| e.ty == "wasm-bridge_settle_ignored"));
                acks.push(ack);
            }
        }
    }
    acks
}

#[test]
fn handshake_refuses_other_versions_and_ordered_channels() {
    let (mut a, mut b) = (Net::new("rUSD", 1_000), Net::new("rKES", 1_000));
    let err = open(&mut a, &mut b, "ics20-1", IbcOrder::Unordered).unwrap_err();
    assert_eq!(
        err.downcast::<ContractError>().unwrap(),
        ContractError::WrongVersion { expected: PROTOCOL_VERSION, got: "ics20-1".into() }
    );
    let err = open(&mut a, &mut b, PROTOCOL_VERSION, IbcOrder::Ordered).unwrap_err();
    assert_eq!(err.downcast::<ContractError>().unwrap(), ContractError::OrderedChannel);
    open(&mut a, &mut b, PROTOCOL_VERSION, IbcOrder::Unordered).unwrap();
    assert_eq!(a.channel().state, ChannelState::Unconfigured);
    assert_eq!(b.channel().counterparty_channel, "channel-3");
}

#[test]
fn payments_cross_both_ways_and_positions_net() {
    let (mut a, mut b) = connected(10_000, 5_000);
    a.line("alice", 1_000);
    b.line("bob", 100_000);
    let (alice_a, bob_b) = (a.addr("alice"), b.addr("bob"));
    // Alice pays Bob 200 rUSD (plus A's 1% fee to the collector); Bob gets 20,000 rKES.
    a.pay("alice", &bob_b, 200, 20_000).unwrap();
    assert_eq!(a.bridge_balance(), 200, "the bridge holds it while in flight");
    assert_eq!(
        a.q::<PaymentsResponse>(&QueryMsg::InFlight { channel_id: None, start_after: None, limit: None })
            .payments
            .len(),
        1
    );
    let acks = relay(&mut a, &mut b, false);
    assert!(matches!(acks[..], [PaymentAck::Result(ref r)] if r.amount_out.u128() == 20_000));
    assert_eq!(b.balance("bob"), 20_000);
    assert_eq!(b.bridge_balance(), -20_000, "bridge B paid from its credit line");
    assert_eq!(a.balance("alice"), -202);
    assert_eq!(a.payment(1).status, PaymentStatus::Delivered);
    assert_eq!((a.channel().owed_to_counterparty.u128(), b.channel().owed_by_counterparty.u128()), (200, 20_000));
    // Bob pays Alice back 5,000 rKES -> 50 rUSD: the positions net.
    b.pay("bob", &alice_a, 5_000, 50).unwrap();
    relay(&mut b, &mut a, false);
    assert_eq!(a.balance("alice"), -152);
    assert_eq!(
        (a.channel().owed_to_counterparty.u128(), a.channel().sent.u128(), a.channel().received.u128()),
        (150, 200, 50)
    );
    assert_eq!(b.channel().owed_by_counterparty.u128(), 15_000);
    assert_eq!(a.bridge_balance(), 150);
    assert_eq!(b.bridge_balance(), -15_000);
    a.assert_balanced(&["alice"]);
    b.assert_balanced(&["bob"]);
}

#[test]
fn an_error_ack_refunds_the_sender_exactly() {
    let (mut a, mut b) = connected(10_000, 5_000);
    a.line("alice", 1_000);
    let carol_b = b.addr("carol");
    let before = a.balance("alice");
    // The rate gives 10,000 rKES but Alice asked for at least 10,001: B refuses, A refunds.
    a.pay("alice", &carol_b, 100, 10_001).unwrap();
    let acks = relay(&mut a, &mut b, false);
    assert!(matches!(&acks[..], [PaymentAck::Error(e)] if e.contains("below the sender's minimum")), "{acks:?}");
    // The fee went to A's collector (it paid for the Send); the 100 came back.
    assert_eq!(a.balance("alice"), before - 1);
    assert_eq!(a.payment(1).status, PaymentStatus::Refunded);
    // Carol is frozen on B: the token refuses the payout, the bridge's reply turns it into an error
    // ack and takes the payment back out of B's position.
    b.token_exec("admin", &token_msgs::ExecuteMsg::Freeze { member: carol_b.to_string() }).unwrap();
    // Frozen accounts can still receive; a receiver past what B's bridge line allows cannot be paid.
    a.line("alice", 1_000_000);
    a.pay("alice", &carol_b, 6_000, 0).unwrap();
    let acks = relay(&mut a, &mut b, false);
    assert!(matches!(&acks[..], [PaymentAck::Error(e)] if e.contains("may draw at most")), "{acks:?}");
    // Raise B's draw limit past the bridge's credit line: now the token itself refuses the payout.
    let msg = ExecuteMsg::ConfigureChannel {
        channel_id: b.channel.clone(),
        counterparty_network: "asheville".into(),
        rate_numerator: 100u128.into(),
        rate_denominator: 1u128.into(),
        draw_limit: 100_000_000u128.into(),
    };
    b.bridge_exec("admin", &msg).unwrap();
    a.pay("alice", &carol_b, 20_000, 0).unwrap();
    let acks = relay(&mut a, &mut b, false);
    assert!(matches!(&acks[..], [PaymentAck::Error(e)] if e.contains("credit token refused the payout")), "{acks:?}");
    assert_eq!(b.channel().received.u128(), 0, "undone");
    assert_eq!(b.balance("carol"), 0);
    assert_eq!(b.bridge_balance(), 0);
    assert_eq!(a.bridge_balance(), 0);
    a.assert_balanced(&["alice"]);
    b.assert_balanced(&["carol"]);
}

#[test]
fn a_timeout_refunds_and_a_late_ack_changes_nothing() {
    let (mut a, mut b) = connected(10_000, 5_000);
    a.line("alice", 1_000);
    let bob_b = b.addr("bob");
    a.pay("alice", &bob_b, 300, 0).unwrap();
    let sent: Vec<Sent> = a.end.sent.lock().unwrap().clone();
    relay(&mut a, &mut b, true);
    assert_eq!(
        (a.payment(1).status, a.payment(1).refund_reason.as_deref()),
        (PaymentStatus::Refunded, Some("timeout"))
    );
    assert_eq!(a.balance("alice"), -3, "only the fee of the Send");
    assert_eq!(a.bridge_balance(), 0);
    // The same packet acknowledged afterwards (a relayer gone wrong): settled once, nothing moves.
    let packet = IbcPacket::new(
        sent[0].data.clone(),
        IbcEndpoint { port_id: "p".into(), channel_id: a.channel.clone() },
        IbcEndpoint { port_id: "q".into(), channel_id: b.channel.clone() },
        1,
        sent[0].timeout.clone(),
    );
    let ok = PaymentAck::Result(resource_msgs::meta_bridge::PaymentReceipt { amount_out: Uint128::new(30_000) });
    let ack = IbcPacketAckMsg::new(IbcAcknowledgement::new(ok.to_binary().unwrap()), packet, a.addr("relayer"));
    let r = a.sudo(IbcCall::Ack(ack)).unwrap();
    assert!(r.events.iter().any(|e| e.ty == "wasm-bridge_settle_ignored"));
    assert_eq!(a.balance("alice"), -3);
    a.assert_balanced(&["alice"]);
}

#[test]
fn pause_and_close_leave_nothing_in_flight() {
    let (mut a, mut b) = connected(10_000, 5_000);
    a.line("alice", 1_000);
    let bob_b = b.addr("bob");
    a.pay("alice", &bob_b, 100, 0).unwrap();
    let pause = ExecuteMsg::PauseChannel { channel_id: a.channel.clone() };
    a.bridge_exec("admin", &pause).unwrap();
    // Paused: no new payment; the token's Send is reverted, Alice keeps her credit.
    let before = a.balance("alice");
    assert!(a.pay("alice", &bob_b, 100, 0).is_err());
    assert_eq!(a.balance("alice"), before);
    let close = ExecuteMsg::CloseChannel { channel_id: a.channel.clone() };
    assert_eq!(
        a.bridge_exec("admin", &close).unwrap_err(),
        ContractError::PaymentsInFlight { channel_id: a.channel.clone(), count: 1 }
    );
    // What was in flight settles (B is not paused, it pays Bob), then the channel closes.
    relay(&mut a, &mut b, false);
    assert_eq!(b.balance("bob"), 10_000);
    a.bridge_exec("admin", &close).unwrap();
    assert_eq!(a.closes.lock().unwrap().as_slice(), [a.channel.clone()]);
    ibc::close((&mut a.app, &a.end), (&mut b.app, &b.end), PROTOCOL_VERSION).unwrap();
    assert_eq!((a.channel().state, b.channel().state), (ChannelState::Closed, ChannelState::Closed));
    assert_eq!(a.channel().in_flight_count, 0);
    a.assert_balanced(&["alice"]);
    b.assert_balanced(&["bob"]);
}
