#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    from_json, to_json_binary, Binary, Deps, DepsMut, Env, Event, IbcMsg, IbcTimeout, MessageInfo, Order, Reply,
    Response, StdResult, Storage, SubMsg, SubMsgResult, Uint128,
};
use cw20::Cw20ReceiveMsg;
use cw_storage_plus::Bound;
use resource_core::bridge::{ExchangeRate, PaymentStatus};
use resource_cw::admin::{self, ROLE_ADMIN};
use resource_cw::Paging;
use resource_msgs::meta_bridge::{
    ChannelState, ChannelsResponse, ConfigResponse, ExecuteMsg, InstantiateMsg, MigrateMsg, PaymentAck, PaymentPacket,
    PaymentsResponse, QueryMsg, ReceiveMsg, DEFAULT_TIMEOUT_SECONDS, MAX_MEMO_LEN, MAX_RECEIVER_LEN,
    MAX_TIMEOUT_SECONDS, MIN_TIMEOUT_SECONDS, PAYOUT_GAS_LIMIT,
};
use resource_msgs::CreditTokenContract;

use crate::error::ContractError;
use crate::state::{
    load_channel, load_payment, save_channel, Channel, Config, Payment, Terms, CHANNELS, CONFIG, INBOUND, IN_FLIGHT,
    PAYMENTS, PENDING_PAYOUT, PENDING_REFUND,
};

pub const CONTRACT_NAME: &str = "resource-on-cosmos:meta-bridge";
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Reply ids of the bridge's two submessages.
pub const REPLY_PAYOUT: u64 = 1;
pub const REPLY_REFUND: u64 = 2;

const ROLE_CREDIT_TOKEN: &str = "the configured credit token (through its Send)";

fn valid(api: &dyn cosmwasm_std::Api, address: &str) -> Result<cosmwasm_std::Addr, ContractError> {
    resource_cw::valid(api, address)
}

fn no_funds(info: &MessageInfo) -> Result<(), ContractError> {
    if info.funds.is_empty() {
        Ok(())
    } else {
        Err(ContractError::UnexpectedFunds)
    }
}

/// A channel id that follows ICS-24 (checked with ibc-rs's `ChannelId`).
pub fn check_channel_id(id: &str) -> Result<(), ContractError> {
    id.parse::<ibc_core_host_types::identifiers::ChannelId>()
        .map(|_| ())
        .map_err(|e| ContractError::InvalidChannelId { id: id.to_string(), reason: e.to_string() })
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    no_funds(&info)?;
    let admin = match msg.admin {
        Some(a) => valid(deps.api, &a)?,
        None => info.sender.clone(),
    };
    let credit_token = valid(deps.api, &msg.credit_token)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    CONFIG.save(
        deps.storage,
        &Config {
            admin: admin.clone(),
            pending_admin: None,
            credit_token: credit_token.clone(),
            network: msg.network,
            next_payment_id: 1,
        },
    )?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("admin", admin)
        .add_attribute("credit_token", credit_token))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(deps: DepsMut, env: Env, info: MessageInfo, msg: ExecuteMsg) -> Result<Response, ContractError> {
    no_funds(&info)?;
    match msg {
        ExecuteMsg::Receive(wrapper) => execute_pay(deps, env, info, wrapper),
        ExecuteMsg::ConfigureChannel {
            channel_id,
            counterparty_network,
            rate_numerator,
            rate_denominator,
            draw_limit,
        } => {
            require_admin(deps.storage, &info)?;
            let mut channel = open_channel(deps.storage, &channel_id)?;
            ExchangeRate::new(rate_numerator.u128(), rate_denominator.u128())?;
            channel.terms = Some(Terms {
                counterparty_network: counterparty_network.clone(),
                rate_numerator,
                rate_denominator,
                draw_limit,
            });
            if channel.state == ChannelState::Unconfigured {
                channel.state = ChannelState::Open;
            }
            save_channel(deps.storage, &channel)?;
            Ok(Response::new().add_event(
                Event::new("bridge_channel_configured")
                    .add_attribute("channel_id", channel_id)
                    .add_attribute("counterparty_network", counterparty_network)
                    .add_attribute("rate", format!("{rate_numerator}/{rate_denominator}"))
                    .add_attribute("draw_limit", draw_limit),
            ))
        }
        ExecuteMsg::PauseChannel { channel_id } => set_paused(deps, &info, &channel_id, true),
        ExecuteMsg::ResumeChannel { channel_id } => set_paused(deps, &info, &channel_id, false),
        ExecuteMsg::CloseChannel { channel_id } => {
            require_admin(deps.storage, &info)?;
            let channel = open_channel(deps.storage, &channel_id)?;
            check_closable(&channel)?;
            Ok(Response::new()
                .add_message(IbcMsg::CloseChannel { channel_id: channel_id.clone() })
                .add_event(Event::new("bridge_channel_close_requested").add_attribute("channel_id", channel_id)))
        }
        ExecuteMsg::RetryRefund { payment_id } => {
            let mut payment = load_payment(deps.storage, payment_id)?;
            if payment.status != PaymentStatus::RefundPending {
                return Err(ContractError::WrongPaymentStatus {
                    payment_id,
                    status: payment.status.as_str(),
                    expected: PaymentStatus::RefundPending.as_str(),
                });
            }
            let mut channel = load_channel(deps.storage, &payment.channel_id)?;
            channel.refunds_pending =
                channel.refunds_pending.checked_sub(payment.amount).map_err(cosmwasm_std::StdError::from)?;
            payment.status = PaymentStatus::Refunded;
            PAYMENTS.save(deps.storage, payment_id, &payment)?;
            save_channel(deps.storage, &channel)?;
            let token = CreditTokenContract::new(CONFIG.load(deps.storage)?.credit_token);
            // A plain message: if the token refuses again, the whole retry is reverted.
            Ok(Response::new()
                .add_message(token.transfer(payment.sender.as_str(), payment.amount)?)
                .add_event(refunded_event(payment_id, &payment).add_attribute("retried", "true")))
        }
        ExecuteMsg::ResolvePayment { payment_id, delivered } => {
            require_admin(deps.storage, &info)?;
            let payment = load_payment(deps.storage, payment_id)?;
            let channel = load_channel(deps.storage, &payment.channel_id)?;
            if channel.state != ChannelState::Closed {
                return Err(ContractError::ChannelOpen { channel_id: channel.channel_id });
            }
            let outcome =
                if delivered { Outcome::Delivered(None) } else { Outcome::Refund("resolved by the admin".into()) };
            let (msgs, event) = settle(deps.storage, payment_id, &payment.channel_id, outcome)?;
            Ok(Response::new().add_submessages(msgs).add_event(event))
        }
        ExecuteMsg::UpdateAdmin { new_admin } => {
            let mut cfg = CONFIG.load(deps.storage)?;
            admin::require::<_, ContractError>(&info.sender, &cfg.admin, ROLE_ADMIN)?;
            let new_admin = valid(deps.api, &new_admin)?;
            cfg.pending_admin = Some(new_admin.clone());
            CONFIG.save(deps.storage, &cfg)?;
            Ok(admin::proposed_response(new_admin))
        }
        ExecuteMsg::AcceptAdmin {} => {
            let mut cfg = CONFIG.load(deps.storage)?;
            admin::accept::<_, ContractError>(&mut cfg.admin, &mut cfg.pending_admin, &info.sender)?;
            CONFIG.save(deps.storage, &cfg)?;
            Ok(admin::accepted_response(cfg.admin))
        }
    }
}

fn require_admin(storage: &dyn Storage, info: &MessageInfo) -> Result<(), ContractError> {
    admin::require(&info.sender, &CONFIG.load(storage)?.admin, ROLE_ADMIN)
}

/// A channel that exists and is not closed.
fn open_channel(storage: &dyn Storage, channel_id: &str) -> Result<Channel, ContractError> {
    check_channel_id(channel_id)?;
    let channel = load_channel(storage, channel_id)?;
    if channel.state == ChannelState::Closed {
        return Err(ContractError::ChannelClosed { channel_id: channel_id.to_string() });
    }
    Ok(channel)
}

/// Only a paused channel with nothing in flight closes, so no payment is left without its
/// acknowledgement (which a closed channel can no longer deliver).
pub(crate) fn check_closable(channel: &Channel) -> Result<(), ContractError> {
    if channel.state != ChannelState::Paused {
        return Err(ContractError::ChannelNotPaused { channel_id: channel.channel_id.clone() });
    }
    if channel.in_flight_count > 0 {
        return Err(ContractError::PaymentsInFlight {
            channel_id: channel.channel_id.clone(),
            count: channel.in_flight_count,
        });
    }
    Ok(())
}

fn set_paused(deps: DepsMut, info: &MessageInfo, channel_id: &str, paused: bool) -> Result<Response, ContractError> {
    require_admin(deps.storage, info)?;
    let mut channel = open_channel(deps.storage, channel_id)?;
    if channel.terms.is_none() {
        return Err(ContractError::ChannelNotConfigured { channel_id: channel_id.to_string() });
    }
    channel.state = if paused { ChannelState::Paused } else { ChannelState::Open };
    save_channel(deps.storage, &channel)?;
    let name = if paused { "bridge_channel_paused" } else { "bridge_channel_resumed" };
    Ok(Response::new().add_event(Event::new(name).add_attribute("channel_id", channel_id)))
}

/// The outbound payment: a member's `Send` into the bridge with a `Pay` message.
fn execute_pay(deps: DepsMut, env: Env, info: MessageInfo, wrapper: Cw20ReceiveMsg) -> Result<Response, ContractError> {
    let mut cfg = CONFIG.load(deps.storage)?;
    if info.sender != cfg.credit_token {
        return Err(ContractError::Unauthorized { role: ROLE_CREDIT_TOKEN });
    }
    let ReceiveMsg::Pay { channel_id, receiver, min_amount_out, timeout_seconds, memo } =
        from_json(&wrapper.msg).map_err(|e| ContractError::UnknownReceiveMsg { reason: e.to_string() })?;
    let sender = deps.api.addr_validate(&wrapper.sender)?;
    let mut channel = open_channel(deps.storage, &channel_id)?;
    let terms =
        channel.core_terms().ok_or_else(|| ContractError::ChannelNotConfigured { channel_id: channel_id.clone() })?;
    if receiver.trim().is_empty() || receiver.len() > MAX_RECEIVER_LEN {
        return Err(ContractError::InvalidReceiver { len: receiver.len(), max: MAX_RECEIVER_LEN });
    }
    if let Some(m) = &memo {
        if m.len() > MAX_MEMO_LEN {
            return Err(ContractError::MemoTooLong { len: m.len(), max: MAX_MEMO_LEN });
        }
    }
    let seconds = timeout_seconds.unwrap_or(DEFAULT_TIMEOUT_SECONDS);
    if !(MIN_TIMEOUT_SECONDS..=MAX_TIMEOUT_SECONDS).contains(&seconds) {
        return Err(ContractError::InvalidTimeout { got: seconds, min: MIN_TIMEOUT_SECONDS, max: MAX_TIMEOUT_SECONDS });
    }
    let mut position = channel.position();
    position.start_outbound(&terms, wrapper.amount.u128())?;
    channel.set_position(position);
    channel.in_flight_count += 1;
    let payment_id = cfg.next_payment_id;
    cfg.next_payment_id += 1;
    let timeout = env.block.time.plus_seconds(seconds);
    let payment = Payment {
        payment_id,
        channel_id: channel_id.clone(),
        sender: sender.clone(),
        receiver: receiver.clone(),
        amount: wrapper.amount,
        min_amount_out,
        timeout: timeout.seconds(),
        status: PaymentStatus::InFlight,
        amount_out: None,
        refund_reason: None,
    };
    let packet = PaymentPacket {
        payment_id,
        sender: sender.to_string(),
        receiver: receiver.clone(),
        amount: wrapper.amount,
        min_amount_out,
        memo,
    };
    CONFIG.save(deps.storage, &cfg)?;
    save_channel(deps.storage, &channel)?;
    PAYMENTS.save(deps.storage, payment_id, &payment)?;
    IN_FLIGHT.save(deps.storage, payment_id, &channel_id)?;
    Ok(Response::new()
        .add_message(IbcMsg::SendPacket {
            channel_id: channel_id.clone(),
            data: to_json_binary(&packet)?,
            timeout: IbcTimeout::with_timestamp(timeout),
        })
        .add_event(
            Event::new("bridge_send")
                .add_attribute("payment_id", payment_id.to_string())
                .add_attribute("channel_id", channel_id)
                .add_attribute("sender", sender)
                .add_attribute("receiver", receiver)
                .add_attribute("amount", wrapper.amount)
                .add_attribute("min_amount_out", min_amount_out)
                .add_attribute("timeout", timeout.seconds().to_string()),
        ))
}

/// How an in-flight payment ends.
pub(crate) enum Outcome {
    /// Acknowledged (with what the receiver got, when the acknowledgement says).
    Delivered(Option<Uint128>),
    /// Error acknowledgement, timeout or resolution: the sender gets its amount back.
    Refund(String),
}

/// Settles an in-flight payment once: `AlreadySettled` (through the core rule) when it is not in
/// flight. A refund is a submessage with a gas limit whose failure is caught (`REPLY_REFUND`): the
/// payment then waits as `refund_pending` for `RetryRefund`, and the acknowledgement or timeout that
/// caused it still succeeds, so the relayer does not retry it forever.
pub(crate) fn settle(
    storage: &mut dyn Storage,
    payment_id: u64,
    packet_channel: &str,
    outcome: Outcome,
) -> Result<(Vec<SubMsg>, Event), ContractError> {
    let mut payment = load_payment(storage, payment_id)?;
    if payment.channel_id != packet_channel {
        return Err(ContractError::ChannelMismatch {
            payment_id,
            expected: payment.channel_id,
            got: packet_channel.to_string(),
        });
    }
    let delivered = matches!(outcome, Outcome::Delivered(_));
    payment.status = payment.status.settle(delivered)?;
    let mut channel = load_channel(storage, &payment.channel_id)?;
    let mut position = channel.position();
    position.settle_outbound(payment.amount.u128(), delivered)?;
    channel.set_position(position);
    channel.in_flight_count = channel.in_flight_count.saturating_sub(1);
    // Everything that can fail comes before the first write: the ack and timeout handlers turn an
    // error into an ignored event and succeed, so a write before it would stay.
    let (msgs, event) = match outcome {
        Outcome::Delivered(amount_out) => {
            payment.amount_out = amount_out;
            let mut event = Event::new("bridge_delivered")
                .add_attribute("payment_id", payment_id.to_string())
                .add_attribute("channel_id", &payment.channel_id)
                .add_attribute("amount", payment.amount);
            if let Some(out) = amount_out {
                event = event.add_attribute("amount_out", out);
            }
            (vec![], event)
        }
        Outcome::Refund(reason) => {
            payment.refund_reason = Some(reason);
            let token = CreditTokenContract::new(CONFIG.load(storage)?.credit_token);
            let refund = SubMsg::reply_on_error(token.transfer(payment.sender.as_str(), payment.amount)?, REPLY_REFUND)
                .with_gas_limit(PAYOUT_GAS_LIMIT);
            (vec![refund], refunded_event(payment_id, &payment))
        }
    };
    IN_FLIGHT.remove(storage, payment_id);
    if !msgs.is_empty() {
        PENDING_REFUND.save(storage, &payment_id)?;
    }
    PAYMENTS.save(storage, payment_id, &payment)?;
    save_channel(storage, &channel)?;
    Ok((msgs, event))
}

fn refunded_event(payment_id: u64, payment: &Payment) -> Event {
    Event::new("bridge_refunded")
        .add_attribute("payment_id", payment_id.to_string())
        .add_attribute("channel_id", &payment.channel_id)
        .add_attribute("sender", &payment.sender)
        .add_attribute("amount", payment.amount)
        .add_attribute("reason", payment.refund_reason.clone().unwrap_or_default())
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn reply(deps: DepsMut, _env: Env, reply: Reply) -> Result<Response, ContractError> {
    let SubMsgResult::Err(error) = reply.result else {
        return Ok(Response::new()); // only failures are replied to
    };
    match reply.id {
        REPLY_PAYOUT => {
            // The token refused to pay the receiver: take the payment back out of the position and
            // answer the packet with an error acknowledgement (the reply's data replaces the ack).
            let pending = PENDING_PAYOUT.load(deps.storage)?;
            PENDING_PAYOUT.remove(deps.storage);
            let mut channel = load_channel(deps.storage, &pending.channel_id)?;
            let mut position = channel.position();
            position.undo_inbound(pending.amount_out.u128());
            channel.set_position(position);
            save_channel(deps.storage, &channel)?;
            INBOUND.remove(deps.storage, (pending.channel_id.as_str(), pending.sequence));
            let message = format!("the credit token refused the payout: {error}");
            Ok(Response::new().set_data(PaymentAck::Error(message.clone()).to_binary()?).add_event(
                Event::new("bridge_receive_failed")
                    .add_attribute("channel_id", pending.channel_id)
                    .add_attribute("sequence", pending.sequence.to_string())
                    .add_attribute("error", message),
            ))
        }
        REPLY_REFUND => {
            let payment_id = PENDING_REFUND.load(deps.storage)?;
            PENDING_REFUND.remove(deps.storage);
            let mut payment = load_payment(deps.storage, payment_id)?;
            payment.status = PaymentStatus::RefundPending;
            PAYMENTS.save(deps.storage, payment_id, &payment)?;
            let mut channel = load_channel(deps.storage, &payment.channel_id)?;
            channel.refunds_pending += payment.amount;
            save_channel(deps.storage, &channel)?;
            Ok(Response::new().add_event(
                Event::new("bridge_refund_failed")
                    .add_attribute("payment_id", payment_id.to_string())
                    .add_attribute("sender", payment.sender)
                    .add_attribute("amount", payment.amount)
                    .add_attribute("error", error)
                    .add_attribute("next", "the bridge keeps the amount; anyone may send RetryRefund"),
            ))
        }
        other => Err(cosmwasm_std::StdError::generic_err(format!("unknown reply id {other}")).into()),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => {
            let c = CONFIG.load(deps.storage)?;
            to_json_binary(&ConfigResponse {
                admin: c.admin,
                pending_admin: c.pending_admin,
                credit_token: c.credit_token,
                network: c.network,
                next_payment_id: c.next_payment_id,
            })
        }
        QueryMsg::Channel { channel_id } => {
            let channel = load_channel(deps.storage, &channel_id)
                .map_err(|e| cosmwasm_std::StdError::generic_err(e.to_string()))?;
            to_json_binary(&channel.view())
        }
        QueryMsg::Channels { start_after, limit } => {
            let start = start_after.as_deref().map(Bound::exclusive);
            let channels = CHANNELS
                .range(deps.storage, start, None, Order::Ascending)
                .take(Paging::STANDARD.size(limit))
                .map(|r| r.map(|(_, c)| c.view()))
                .collect::<StdResult<_>>()?;
            to_json_binary(&ChannelsResponse { channels })
        }
        QueryMsg::Payment { payment_id } => {
            let p = load_payment(deps.storage, payment_id)
                .map_err(|e| cosmwasm_std::StdError::generic_err(e.to_string()))?;
            to_json_binary(&p)
        }
        QueryMsg::InFlight { channel_id, start_after, limit } => {
            let start = start_after.map(Bound::exclusive);
            let payments = IN_FLIGHT
                .range(deps.storage, start, None, Order::Ascending)
                .filter(|r| r.as_ref().map_or(true, |(_, c)| channel_id.as_ref().is_none_or(|want| want == c)))
                .take(Paging::STANDARD.size(limit))
                .map(|r| r.and_then(|(id, _)| PAYMENTS.load(deps.storage, id)))
                .collect::<StdResult<_>>()?;
            to_json_binary(&PaymentsResponse { payments })
        }
        QueryMsg::Inbound { channel_id, sequence } => {
            let inbound = INBOUND
                .may_load(deps.storage, (channel_id.as_str(), sequence))?
                .ok_or_else(|| cosmwasm_std::StdError::not_found(format!("inbound payment {channel_id}/{sequence}")))?;
            to_json_binary(&inbound)
        }
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    resource_cw::migrate_version(deps.storage, CONTRACT_NAME, &[], CONTRACT_VERSION)
}
