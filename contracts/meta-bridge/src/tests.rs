//! Each entry point driven with cosmwasm-std's `mock_ibc_*` messages. The credit token is not here
//! (its messages are only checked as sent); the multitest relays between two real networks.

use cosmwasm_std::testing::{
    message_info, mock_dependencies, mock_env, mock_ibc_channel_close_confirm, mock_ibc_channel_close_init,
    mock_ibc_channel_connect_ack, mock_ibc_channel_open_init, mock_ibc_channel_open_try, mock_ibc_packet_ack,
    mock_ibc_packet_recv, mock_ibc_packet_timeout, MockApi, MockQuerier, MockStorage,
};
use cosmwasm_std::{
    from_json, to_json_binary, Addr, CosmosMsg, IbcAcknowledgement, IbcMsg, IbcOrder, OwnedDeps, Reply, SubMsgResult,
    Uint128, WasmMsg,
};
use cw20::Cw20ReceiveMsg;
use resource_msgs::credit_token::ExecuteMsg as TokenMsg;
use resource_msgs::meta_bridge::{
    ChannelResponse, ChannelState, ExecuteMsg, InstantiateMsg, PaymentAck, PaymentPacket, PaymentReceipt,
    PaymentResponse, PaymentStatus, QueryMsg, ReceiveMsg, PAYOUT_GAS_LIMIT, PROTOCOL_VERSION,
};

use crate::contract::{execute, instantiate, query, reply, REPLY_PAYOUT, REPLY_REFUND};
use crate::ibc::{
    ibc_channel_close, ibc_channel_connect, ibc_channel_open, ibc_packet_ack, ibc_packet_receive, ibc_packet_timeout,
};
use crate::ContractError;

type Deps = OwnedDeps<MockStorage, MockApi, MockQuerier>;
const CH: &str = "channel-0";

struct Env {
    deps: Deps,
    admin: Addr,
    token: Addr,
    alice: Addr,
    bob: Addr,
}

fn setup() -> Env {
    let mut deps = mock_dependencies();
    let api = deps.api;
    let (admin, token, alice, bob) =
        (api.addr_make("admin"), api.addr_make("token"), api.addr_make("alice"), api.addr_make("bob"));
    instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&admin, &[]),
        InstantiateMsg { admin: None, credit_token: token.to_string(), network: "asheville".into() },
    )
    .unwrap();
    ibc_channel_connect(
        deps.as_mut(),
        mock_env(),
        mock_ibc_channel_connect_ack(CH, IbcOrder::Unordered, PROTOCOL_VERSION),
    )
    .unwrap();
    Env { deps, admin, token, alice, bob }
}

fn configure(env: &mut Env, draw_limit: u128) {
    let admin = env.admin.clone();
    execute(
        env.deps.as_mut(),
        mock_env(),
        message_info(&admin, &[]),
        ExecuteMsg::ConfigureChannel {
            channel_id: CH.into(),
            counterparty_network: "nairobi".into(),
            rate_numerator: Uint128::new(2),
            rate_denominator: Uint128::new(1),
            draw_limit: Uint128::new(draw_limit),
        },
    )
    .unwrap();
}

fn channel(env: &Env) -> ChannelResponse {
    from_json(query(env.deps.as_ref(), mock_env(), QueryMsg::Channel { channel_id: CH.into() }).unwrap()).unwrap()
}

fn payment(env: &Env, id: u64) -> PaymentResponse {
    from_json(query(env.deps.as_ref(), mock_env(), QueryMsg::Payment { payment_id: id }).unwrap()).unwrap()
}

fn pay(env: &mut Env, amount: u128, timeout: Option<u64>) -> Result<cosmwasm_std::Response, ContractError> {
    let (token, alice) = (env.token.clone(), env.alice.clone());
    let hook = ReceiveMsg::Pay {
        channel_id: CH.into(),
        receiver: "inj1bob".into(),
        min_amount_out: Uint128::new(1),
        timeout_seconds: timeout,
        memo: None,
    };
    execute(
        env.deps.as_mut(),
        mock_env(),
        message_info(&token, &[]),
        ExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: alice.to_string(),
            amount: Uint128::new(amount),
            msg: to_json_binary(&hook).unwrap(),
        }),
    )
}

fn packet(bob: &Addr, id: u64, amount: u128, min_out: u128) -> PaymentPacket {
    PaymentPacket {
        payment_id: id,
        sender: "inj1alice".into(),
        receiver: bob.to_string(),
        amount: Uint128::new(amount),
        min_amount_out: Uint128::new(min_out),
        memo: None,
    }
}

fn ack_of(r: &cosmwasm_std::IbcReceiveResponse) -> PaymentAck {
    from_json(r.acknowledgement.as_ref().unwrap()).unwrap()
}

#[test]
fn handshake_takes_unordered_channels_of_our_version_only() {
    let mut deps = mock_dependencies();
    let open = |deps: &mut Deps, msg| ibc_channel_open(deps.as_mut(), mock_env(), msg);
    let r = open(&mut deps, mock_ibc_channel_open_init(CH, IbcOrder::Unordered, PROTOCOL_VERSION)).unwrap();
    assert_eq!(r.unwrap().version, PROTOCOL_VERSION);
    // An empty version on OpenInit is answered with ours.
    let r = open(&mut deps, mock_ibc_channel_open_init(CH, IbcOrder::Unordered, "")).unwrap();
    assert_eq!(r.unwrap().version, PROTOCOL_VERSION);
    assert_eq!(
        open(&mut deps, mock_ibc_channel_open_init(CH, IbcOrder::Ordered, PROTOCOL_VERSION)),
        Err(ContractError::OrderedChannel)
    );
    assert_eq!(
        open(&mut deps, mock_ibc_channel_open_try(CH, IbcOrder::Unordered, "ics20-1")),
        Err(ContractError::WrongVersion { expected: PROTOCOL_VERSION, got: "ics20-1".into() })
    );
    assert!(open(&mut deps, mock_ibc_channel_open_try(CH, IbcOrder::Unordered, PROTOCOL_VERSION)).is_ok());
    let err = ibc_channel_connect(
        deps.as_mut(),
        mock_env(),
        mock_ibc_channel_connect_ack(CH, IbcOrder::Unordered, "resource-meta-2"),
    )
    .unwrap_err();
    assert!(err.to_string().contains("--channel-version resource-meta-1"), "{err}");
}

#[test]
fn a_new_channel_carries_nothing_until_configured() {
    let mut env = setup();
    assert_eq!(channel(&env).state, ChannelState::Unconfigured);
    let err = pay(&mut env, 10, None).unwrap_err();
    assert_eq!(err, ContractError::ChannelNotConfigured { channel_id: CH.into() });
    let p = packet(&env.bob, 1, 10, 0);
    let r = ibc_packet_receive(env.deps.as_mut(), mock_env(), mock_ibc_packet_recv(CH, &p).unwrap()).unwrap();
    assert!(matches!(ack_of(&r), PaymentAck::Error(e) if e.contains("ConfigureChannel")));
    assert!(r.messages.is_empty());
    // Only the admin configures, with a valid rate.
    let alice = env.alice.clone();
    let msg = |n: u128| ExecuteMsg::ConfigureChannel {
        channel_id: CH.into(),
        counterparty_network: "nairobi".into(),
        rate_numerator: Uint128::new(n),
        rate_denominator: Uint128::new(1),
        draw_limit: Uint128::new(1),
    };
    assert!(matches!(
        execute(env.deps.as_mut(), mock_env(), message_info(&alice, &[]), msg(1)),
        Err(ContractError::Unauthorized { .. })
    ));
    let admin = env.admin.clone();
    let err = execute(env.deps.as_mut(), mock_env(), message_info(&admin, &[]), msg(0)).unwrap_err();
    assert!(err.to_string().contains("numerator and a denominator above 0"), "{err}");
    let bad = ExecuteMsg::PauseChannel { channel_id: "chan 0".into() };
    assert!(matches!(
        execute(env.deps.as_mut(), mock_env(), message_info(&admin, &[]), bad),
        Err(ContractError::InvalidChannelId { .. })
    ));
}

#[test]
fn outbound_holds_the_credit_and_sends_a_packet() {
    let mut env = setup();
    configure(&mut env, 1_000);
    // Only the token may call the hook.
    let alice = env.alice.clone();
    let fake = ExecuteMsg::Receive(Cw20ReceiveMsg {
        sender: alice.to_string(),
        amount: Uint128::new(5),
        msg: Default::default(),
    });
    assert!(matches!(
        execute(env.deps.as_mut(), mock_env(), message_info(&alice, &[]), fake),
        Err(ContractError::Unauthorized { .. })
    ));
    assert!(matches!(pay(&mut env, 5, Some(5)), Err(ContractError::InvalidTimeout { .. })));
    assert!(matches!(pay(&mut env, 0, None), Err(ContractError::Bridge(_))));
    let r = pay(&mut env, 40, Some(60)).unwrap();
    let CosmosMsg::Ibc(IbcMsg::SendPacket { channel_id, data, timeout }) = &r.messages[0].msg else { panic!("{r:?}") };
    assert_eq!(channel_id, CH);
    assert_eq!(timeout.timestamp(), Some(mock_env().block.time.plus_seconds(60)));
    let sent: PaymentPacket = from_json(data).unwrap();
    assert_eq!((sent.payment_id, sent.amount.u128(), sent.sender.as_str()), (1, 40, env.alice.as_str()));
    let c = channel(&env);
    assert_eq!((c.in_flight.u128(), c.in_flight_count), (40, 1));
    assert_eq!(payment(&env, 1).status, PaymentStatus::InFlight);
}

#[test]
fn inbound_pays_at_the_rate_with_gas_kept_for_the_ack() {
    let mut env = setup();
    configure(&mut env, 100);
    let p = packet(&env.bob, 9, 30, 60);
    let r = ibc_packet_receive(env.deps.as_mut(), mock_env(), mock_ibc_packet_recv(CH, &p).unwrap()).unwrap();
    assert_eq!(ack_of(&r), PaymentAck::Result(PaymentReceipt { amount_out: Uint128::new(60) }));
    let sub = &r.messages[0];
    assert_eq!((sub.id, sub.gas_limit), (REPLY_PAYOUT, Some(PAYOUT_GAS_LIMIT)));
    let CosmosMsg::Wasm(WasmMsg::Execute { contract_addr, msg, .. }) = &sub.msg else { panic!() };
    assert_eq!(contract_addr, env.token.as_str());
    assert_eq!(
        from_json::<TokenMsg>(msg).unwrap(),
        TokenMsg::Transfer { recipient: env.bob.to_string(), amount: Uint128::new(60) }
    );
    assert_eq!(channel(&env).received.u128(), 60);
    // The rate moved past the sender's minimum, the draw limit, a bad receiver, garbage: error acks.
    for (p, needle) in [
        (packet(&env.bob, 10, 10, 21), "below the sender's minimum"),
        (packet(&env.bob, 11, 25, 0), "may draw at most 100"),
        (PaymentPacket { receiver: "nobody".into(), ..packet(&env.bob, 12, 1, 0) }, "not an address"),
    ] {
        let r = ibc_packet_receive(env.deps.as_mut(), mock_env(), mock_ibc_packet_recv(CH, &p).unwrap()).unwrap();
        assert!(matches!(ack_of(&r), PaymentAck::Error(e) if e.contains(needle)), "{needle}: {:?}", ack_of(&r));
        assert!(r.messages.is_empty());
    }
    let r = ibc_packet_receive(env.deps.as_mut(), mock_env(), mock_ibc_packet_recv(CH, &"garbage").unwrap()).unwrap();
    assert!(matches!(ack_of(&r), PaymentAck::Error(e) if e.contains("not a bridge payment")));
    assert_eq!(channel(&env).received.u128(), 60, "refusals change nothing");
}

#[test]
fn a_refused_payout_becomes_an_error_ack_and_is_undone() {
    let mut env = setup();
    configure(&mut env, 100);
    let p = packet(&env.bob, 3, 10, 0);
    let msg = mock_ibc_packet_recv(CH, &p).unwrap();
    let sequence = msg.packet.sequence;
    ibc_packet_receive(env.deps.as_mut(), mock_env(), msg).unwrap();
    let inbound = QueryMsg::Inbound { channel_id: CH.into(), sequence };
    assert!(query(env.deps.as_ref(), mock_env(), inbound.clone()).is_ok());
    let failed = Reply {
        id: REPLY_PAYOUT,
        payload: Default::default(),
        gas_used: 0,
        result: SubMsgResult::Err("account frozen".into()),
    };
    let r = reply(env.deps.as_mut(), mock_env(), failed).unwrap();
    let ack: PaymentAck = from_json(r.data.unwrap()).unwrap();
    assert!(matches!(ack, PaymentAck::Error(e) if e.contains("account frozen")));
    assert_eq!(channel(&env).received.u128(), 0);
    assert!(query(env.deps.as_ref(), mock_env(), inbound).is_err());
}

#[test]
fn acks_and_timeouts_settle_once_and_never_fail() {
    let mut env = setup();
    configure(&mut env, 100);
    for _ in 0..3 {
        pay(&mut env, 10, None).unwrap();
    }
    let sent = |bob: &Addr, id| packet(bob, id, 10, 1);
    let ok = IbcAcknowledgement::new(
        PaymentAck::Result(PaymentReceipt { amount_out: Uint128::new(20) }).to_binary().unwrap(),
    );
    let err = IbcAcknowledgement::new(PaymentAck::Error("frozen".into()).to_binary().unwrap());
    // 1 delivered; replaying its ack (or an error ack, or a timeout) changes nothing.
    let r =
        ibc_packet_ack(env.deps.as_mut(), mock_env(), mock_ibc_packet_ack(CH, &sent(&env.bob, 1), ok.clone()).unwrap())
            .unwrap();
    assert!(r.messages.is_empty());
    assert_eq!(
        (payment(&env, 1).status, payment(&env, 1).amount_out),
        (PaymentStatus::Delivered, Some(Uint128::new(20)))
    );
    for replay in [
        ibc_packet_ack(env.deps.as_mut(), mock_env(), mock_ibc_packet_ack(CH, &sent(&env.bob, 1), ok.clone()).unwrap())
            .unwrap(),
        ibc_packet_ack(
            env.deps.as_mut(),
            mock_env(),
            mock_ibc_packet_ack(CH, &sent(&env.bob, 1), err.clone()).unwrap(),
        )
        .unwrap(),
        ibc_packet_timeout(env.deps.as_mut(), mock_env(), mock_ibc_packet_timeout(CH, &sent(&env.bob, 1)).unwrap())
            .unwrap(),
    ] {
        assert!(replay.messages.is_empty());
        assert_eq!(replay.events[0].ty, "bridge_settle_ignored");
    }
    // 2 error-acked: refunded exactly, with a gas-limited, caught submessage.
    let r = ibc_packet_ack(env.deps.as_mut(), mock_env(), mock_ibc_packet_ack(CH, &sent(&env.bob, 2), err).unwrap())
        .unwrap();
    let sub = &r.messages[0];
    assert_eq!((sub.id, sub.gas_limit), (REPLY_REFUND, Some(PAYOUT_GAS_LIMIT)));
    let CosmosMsg::Wasm(WasmMsg::Execute { msg, .. }) = &sub.msg else { panic!() };
    assert_eq!(
        from_json::<TokenMsg>(msg).unwrap(),
        TokenMsg::Transfer { recipient: env.alice.to_string(), amount: Uint128::new(10) }
    );
    assert_eq!(payment(&env, 2).refund_reason.as_deref(), Some("frozen"));
    // 3 timed out, and the token refuses the refund: it waits, and RetryRefund sends it.
    ibc_packet_timeout(env.deps.as_mut(), mock_env(), mock_ibc_packet_timeout(CH, &sent(&env.bob, 3)).unwrap())
        .unwrap();
    let failed = Reply {
        id: REPLY_REFUND,
        payload: Default::default(),
        gas_used: 0,
        result: SubMsgResult::Err("paused".into()),
    };
    reply(env.deps.as_mut(), mock_env(), failed).unwrap();
    assert_eq!(payment(&env, 3).status, PaymentStatus::RefundPending);
    let bob = env.bob.clone();
    let r = execute(env.deps.as_mut(), mock_env(), message_info(&bob, &[]), ExecuteMsg::RetryRefund { payment_id: 3 })
        .unwrap();
    assert_eq!(r.messages[0].gas_limit, None, "a retry fails as a whole");
    assert_eq!(payment(&env, 3).status, PaymentStatus::Refunded);
    let c = channel(&env);
    assert_eq!((c.sent.u128(), c.in_flight.u128(), c.in_flight_count, c.owed_to_counterparty.u128()), (10, 0, 0, 10));
    // An ack for a payment that never existed, or on another channel, is ignored.
    let r =
        ibc_packet_timeout(env.deps.as_mut(), mock_env(), mock_ibc_packet_timeout(CH, &sent(&env.bob, 99)).unwrap())
            .unwrap();
    assert_eq!(r.events[0].ty, "bridge_settle_ignored");
}

#[test]
fn channels_close_only_paused_and_empty_and_pause_stops_payments() {
    let mut env = setup();
    configure(&mut env, 100);
    let admin = env.admin.clone();
    let run = |env: &mut Env, msg| execute(env.deps.as_mut(), mock_env(), message_info(&admin, &[]), msg);
    assert_eq!(
        run(&mut env, ExecuteMsg::CloseChannel { channel_id: CH.into() }),
        Err(ContractError::ChannelNotPaused { channel_id: CH.into() })
    );
    pay(&mut env, 10, None).unwrap();
    run(&mut env, ExecuteMsg::PauseChannel { channel_id: CH.into() }).unwrap();
    assert!(matches!(pay(&mut env, 10, None), Err(ContractError::Bridge(_))));
    let p = packet(&env.bob, 1, 1, 0);
    let r = ibc_packet_receive(env.deps.as_mut(), mock_env(), mock_ibc_packet_recv(CH, &p).unwrap()).unwrap();
    assert!(matches!(ack_of(&r), PaymentAck::Error(e) if e.contains("paused")));
    assert_eq!(
        run(&mut env, ExecuteMsg::CloseChannel { channel_id: CH.into() }),
        Err(ContractError::PaymentsInFlight { channel_id: CH.into(), count: 1 })
    );
    // A close the bridge did not ask for (anyone can submit CloseInit) is refused.
    let init = || mock_ibc_channel_close_init(CH, IbcOrder::Unordered, PROTOCOL_VERSION);
    assert_eq!(ibc_channel_close(env.deps.as_mut(), mock_env(), init()), Err(ContractError::CloseRefused));
    ibc_packet_timeout(
        env.deps.as_mut(),
        mock_env(),
        mock_ibc_packet_timeout(CH, &packet(&env.bob, 1, 10, 1)).unwrap(),
    )
    .unwrap();
    let r = run(&mut env, ExecuteMsg::CloseChannel { channel_id: CH.into() }).unwrap();
    assert_eq!(r.messages[0].msg, CosmosMsg::Ibc(IbcMsg::CloseChannel { channel_id: CH.into() }));
    ibc_channel_close(env.deps.as_mut(), mock_env(), init()).unwrap();
    assert_eq!(channel(&env).state, ChannelState::Closed);
    assert_eq!(pay(&mut env, 1, None), Err(ContractError::ChannelClosed { channel_id: CH.into() }));
}

#[test]
fn a_channel_closed_by_the_other_side_is_settled_not_stranded() {
    let mut env = setup();
    configure(&mut env, 100);
    pay(&mut env, 10, None).unwrap();
    pay(&mut env, 7, None).unwrap();
    // CloseConfirm is always accepted, with payments in flight.
    ibc_channel_close(
        env.deps.as_mut(),
        mock_env(),
        mock_ibc_channel_close_confirm(CH, IbcOrder::Unordered, PROTOCOL_VERSION),
    )
    .unwrap();
    // A timeout on close still refunds #1; #2 was received on the other side, the admin resolves it.
    let r = ibc_packet_timeout(
        env.deps.as_mut(),
        mock_env(),
        mock_ibc_packet_timeout(CH, &packet(&env.bob, 1, 10, 1)).unwrap(),
    )
    .unwrap();
    assert_eq!(r.events[0].ty, "bridge_refunded");
    let (admin, alice) = (env.admin.clone(), env.alice.clone());
    let resolve = ExecuteMsg::ResolvePayment { payment_id: 2, delivered: true };
    assert!(matches!(
        execute(env.deps.as_mut(), mock_env(), message_info(&alice, &[]), resolve.clone()),
        Err(ContractError::Unauthorized { .. })
    ));
    execute(env.deps.as_mut(), mock_env(), message_info(&admin, &[]), resolve.clone()).unwrap();
    assert_eq!(payment(&env, 2).status, PaymentStatus::Delivered);
    assert!(matches!(
        execute(env.deps.as_mut(), mock_env(), message_info(&admin, &[]), resolve),
        Err(ContractError::Bridge(_))
    ));
    let c = channel(&env);
    assert_eq!((c.in_flight_count, c.sent.u128(), c.state), (0, 7, ChannelState::Closed));
}

#[test]
fn coins_are_refused() {
    let mut env = setup();
    let admin = env.admin.clone();
    let coins = cosmwasm_std::coins(1, "inj");
    let r = execute(env.deps.as_mut(), mock_env(), message_info(&admin, &coins), ExecuteMsg::AcceptAdmin {});
    assert_eq!(r, Err(ContractError::UnexpectedFunds));
}
