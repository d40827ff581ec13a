//! The IBC entry points: the channel handshake and close, and the three packet callbacks.
//!
//! Two rules from the reference IBC contracts (cw20-ics20, Polytone) shape them:
//! - `ibc_packet_receive` never fails. Every refusal becomes an error acknowledgement, and the
//!   payout runs as a submessage with a gas limit whose failure is caught, so the bridge keeps gas
//!   to write the error acknowledgement: a failed or out-of-gas receive writes no acknowledgement
//!   and the packet could only time out.
//! - `ibc_packet_ack` and `ibc_packet_timeout` never return an error: a failing callback makes the
//!   relayer retry it forever. What they cannot do (an unknown or already settled payment) becomes
//!   an event; a refund the token refuses waits as `refund_pending`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    from_json, DepsMut, Env, Event, Ibc3ChannelOpenResponse, IbcBasicResponse, IbcChannel, IbcChannelCloseMsg,
    IbcChannelConnectMsg, IbcChannelOpenMsg, IbcChannelOpenResponse, IbcOrder, IbcPacket, IbcPacketAckMsg,
    IbcPacketReceiveMsg, IbcPacketTimeoutMsg, IbcReceiveResponse, SubMsg, Uint128,
};
use resource_msgs::meta_bridge::{
    ChannelState, PaymentAck, PaymentPacket, PaymentReceipt, PAYOUT_GAS_LIMIT, PROTOCOL_VERSION,
};
use resource_msgs::CreditTokenContract;

use crate::contract::{check_closable, settle, Outcome, REPLY_PAYOUT};
use crate::error::ContractError;
use crate::state::{load_channel, save_channel, Channel, Inbound, PendingPayout, CONFIG, INBOUND, PENDING_PAYOUT};

fn check_version(version: &str) -> Result<(), ContractError> {
    if version == PROTOCOL_VERSION {
        Ok(())
    } else {
        Err(ContractError::WrongVersion { expected: PROTOCOL_VERSION, got: version.to_string() })
    }
}

fn check_order(channel: &IbcChannel) -> Result<(), ContractError> {
    match channel.order {
        IbcOrder::Unordered => Ok(()),
        IbcOrder::Ordered => Err(ContractError::OrderedChannel),
    }
}

/// OpenInit and OpenTry: unordered channels of [`PROTOCOL_VERSION`] only (an empty version on
/// OpenInit is answered with ours).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn ibc_channel_open(
    _deps: DepsMut,
    _env: Env,
    msg: IbcChannelOpenMsg,
) -> Result<IbcChannelOpenResponse, ContractError> {
    let channel = msg.channel();
    check_order(channel)?;
    if !(channel.version.is_empty() && msg.counterparty_version().is_none()) {
        check_version(&channel.version)?;
    }
    if let Some(counterparty) = msg.counterparty_version() {
        check_version(counterparty)?;
    }
    Ok(Some(Ibc3ChannelOpenResponse { version: PROTOCOL_VERSION.to_string() }))
}

/// OpenAck and OpenConfirm: the channel is recorded, unconfigured until the admin sets its terms.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn ibc_channel_connect(
    deps: DepsMut,
    _env: Env,
    msg: IbcChannelConnectMsg,
) -> Result<IbcBasicResponse, ContractError> {
    let channel = msg.channel();
    check_order(channel)?;
    check_version(&channel.version)?;
    if let Some(counterparty) = msg.counterparty_version() {
        check_version(counterparty)?;
    }
    let record = Channel::new(
        channel.endpoint.channel_id.clone(),
        channel.counterparty_endpoint.port_id.clone(),
        channel.counterparty_endpoint.channel_id.clone(),
        channel.connection_id.clone(),
    );
    save_channel(deps.storage, &record)?;
    Ok(IbcBasicResponse::new().add_event(
        Event::new("bridge_channel_connected")
            .add_attribute("channel_id", &record.channel_id)
            .add_attribute("counterparty_port", &record.counterparty_port)
            .add_attribute("counterparty_channel", &record.counterparty_channel)
            .add_attribute("connection_id", &record.connection_id),
    ))
}

/// CloseInit only for a paused channel with nothing in flight (the admin's `CloseChannel`; anyone can
/// submit a close to the chain, so the rule is here). CloseConfirm (the other side closed) is always
/// accepted: payments still in flight are refunded by their timeouts, which IBC still delivers on a
/// closed channel, or settled by the admin (`ResolvePayment`) when the other side had received them.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn ibc_channel_close(deps: DepsMut, _env: Env, msg: IbcChannelCloseMsg) -> Result<IbcBasicResponse, ContractError> {
    let channel_id = &msg.channel().endpoint.channel_id;
    let mut channel = load_channel(deps.storage, channel_id)?;
    if let IbcChannelCloseMsg::CloseInit { .. } = msg {
        check_closable(&channel).map_err(|_| ContractError::CloseRefused)?;
    }
    channel.state = ChannelState::Closed;
    save_channel(deps.storage, &channel)?;
    Ok(IbcBasicResponse::new().add_event(
        Event::new("bridge_channel_closed")
            .add_attribute("channel_id", channel_id)
            .add_attribute("in_flight_count", channel.in_flight_count.to_string()),
    ))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn ibc_packet_receive(
    deps: DepsMut,
    env: Env,
    msg: IbcPacketReceiveMsg,
) -> Result<IbcReceiveResponse, cosmwasm_std::Never> {
    let packet = &msg.packet;
    Ok(receive(deps, env, packet).unwrap_or_else(|error| {
        let message = error.to_string();
        IbcReceiveResponse::new(PaymentAck::Error(message.clone()).to_binary().unwrap_or_default()).add_event(
            Event::new("bridge_receive_failed")
                .add_attribute("channel_id", &packet.dest.channel_id)
                .add_attribute("sequence", packet.sequence.to_string())
                .add_attribute("error", message),
        )
    }))
}

/// Every check comes before the first write, so a refusal leaves nothing behind.
fn receive(deps: DepsMut, _env: Env, packet: &IbcPacket) -> Result<IbcReceiveResponse, ContractError> {
    let data: PaymentPacket =
        from_json(&packet.data).map_err(|e| ContractError::InvalidPacket { reason: e.to_string() })?;
    let channel_id = packet.dest.channel_id.as_str();
    let mut channel = load_channel(deps.storage, channel_id)?;
    if channel.state == ChannelState::Closed {
        return Err(ContractError::ChannelClosed { channel_id: channel_id.to_string() });
    }
    let terms = channel
        .core_terms()
        .ok_or_else(|| ContractError::ChannelNotConfigured { channel_id: channel_id.to_string() })?;
    let receiver = deps
        .api
        .addr_validate(&data.receiver)
        .map_err(|_| ContractError::InvalidPacketReceiver { receiver: data.receiver.clone() })?;
    let mut position = channel.position();
    let amount_out = Uint128::new(position.accept_inbound(&terms, data.amount.u128(), data.min_amount_out.u128())?);
    channel.set_position(position);
    let cfg = CONFIG.load(deps.storage)?;
    let payout = CreditTokenContract::new(cfg.credit_token).transfer(receiver.as_str(), amount_out)?;
    let ack = PaymentAck::Result(PaymentReceipt { amount_out }).to_binary()?;
    save_channel(deps.storage, &channel)?;
    INBOUND.save(
        deps.storage,
        (channel_id, packet.sequence),
        &Inbound {
            channel_id: channel_id.to_string(),
            sequence: packet.sequence,
            payment_id: data.payment_id,
            sender: data.sender.clone(),
            receiver: receiver.clone(),
            amount_in: data.amount,
            amount_out,
        },
    )?;
    PENDING_PAYOUT.save(
        deps.storage,
        &PendingPayout { channel_id: channel_id.to_string(), sequence: packet.sequence, amount_out },
    )?;
    Ok(IbcReceiveResponse::new(ack)
        .add_submessage(SubMsg::reply_on_error(payout, REPLY_PAYOUT).with_gas_limit(PAYOUT_GAS_LIMIT))
        .add_event(
            Event::new("bridge_receive")
                .add_attribute("channel_id", channel_id)
                .add_attribute("sequence", packet.sequence.to_string())
                .add_attribute("payment_id", data.payment_id.to_string())
                .add_attribute("sender", data.sender)
                .add_attribute("receiver", receiver)
                .add_attribute("amount_in", data.amount)
                .add_attribute("amount_out", amount_out),
        ))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn ibc_packet_ack(deps: DepsMut, _env: Env, msg: IbcPacketAckMsg) -> Result<IbcBasicResponse, cosmwasm_std::Never> {
    let packet = &msg.original_packet;
    // An acknowledgement that is not a success (an error, or unreadable) refunds.
    let outcome = match from_json::<PaymentAck>(&msg.acknowledgement.data) {
        Ok(PaymentAck::Result(receipt)) => Outcome::Delivered(Some(receipt.amount_out)),
        Ok(PaymentAck::Error(error)) => Outcome::Refund(error),
        Err(e) => Outcome::Refund(format!("unreadable acknowledgement: {e}")),
    };
    Ok(settle_packet(deps, packet, outcome, "ack"))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn ibc_packet_timeout(
    deps: DepsMut,
    _env: Env,
    msg: IbcPacketTimeoutMsg,
) -> Result<IbcBasicResponse, cosmwasm_std::Never> {
    Ok(settle_packet(deps, &msg.packet, Outcome::Refund("timeout".into()), "timeout"))
}

fn settle_packet(deps: DepsMut, packet: &IbcPacket, outcome: Outcome, what: &str) -> IbcBasicResponse {
    let settled = from_json::<PaymentPacket>(&packet.data)
        .map_err(|e| ContractError::InvalidPacket { reason: e.to_string() })
        .and_then(|data| settle(deps.storage, data.payment_id, &packet.src.channel_id, outcome));
    match settled {
        Ok((msgs, event)) => IbcBasicResponse::new().add_submessages(msgs).add_event(event),
        Err(error) => IbcBasicResponse::new().add_event(
            Event::new("bridge_settle_ignored")
                .add_attribute("on", what)
                .add_attribute("channel_id", &packet.src.channel_id)
                .add_attribute("sequence", packet.sequence.to_string())
                .add_attribute("error", error.to_string()),
        ),
    }
}
