//! Embedded chains that speak IBC to each other, for the meta-bridge: cw-multi-test relays no IBC
//! packets, so each chain's IBC module here ([`RecordingIbc`]) records what a contract sends, and
//! [`relay`] delivers it by calling the other bridge's IBC entry points through a sudo adapter
//! ([`bridge_contract`]), inside the chains' transactions (submessages, replies and reverts as usual).
//! The multitests and the demo's embedded chain use it.

use std::sync::{Arc, Mutex};

use anyhow::Result as AnyResult;
use cosmwasm_std::testing::MockApi;
use cosmwasm_std::{
    from_json, to_json_binary, Addr, Api, Binary, BlockInfo, CustomMsg, CustomQuery, DepsMut, Empty, Env,
    IbcAcknowledgement, IbcChannel, IbcChannelCloseMsg, IbcChannelConnectMsg, IbcChannelOpenMsg, IbcEndpoint, IbcMsg,
    IbcOrder, IbcPacket, IbcPacketAckMsg, IbcPacketReceiveMsg, IbcPacketTimeoutMsg, IbcQuery, IbcTimeout, Querier,
    Response, Storage,
};
use cw_multi_test::{
    App, AppBuilder, AppResponse, BankKeeper, Contract, ContractWrapper, CosmosRouter, DistributionKeeper,
    FailingModule, Ibc, Module, StakeKeeper, WasmKeeper,
};
use resource_meta_bridge::ContractError;
use resource_msgs::meta_bridge::PaymentAck;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A packet a bridge sent, as the chain's IBC module saw it.
#[derive(Clone, Debug)]
pub struct Sent {
    pub channel_id: String,
    pub data: Binary,
    pub timeout: IbcTimeout,
}

/// The chain's IBC module: records `SendPacket`, accepts `CloseChannel` (the relay then runs the close).
#[derive(Default)]
pub struct RecordingIbc {
    pub sent: Arc<Mutex<Vec<Sent>>>,
    pub closes: Arc<Mutex<Vec<String>>>,
}

impl Module for RecordingIbc {
    type ExecT = IbcMsg;
    type QueryT = IbcQuery;
    type SudoT = Empty;

    fn execute<ExecC, QueryC>(
        &self,
        _api: &dyn Api,
        _storage: &mut dyn Storage,
        _router: &dyn CosmosRouter<ExecC = ExecC, QueryC = QueryC>,
        _block: &BlockInfo,
        _sender: Addr,
        msg: IbcMsg,
    ) -> AnyResult<AppResponse>
    where
        ExecC: CustomMsg + DeserializeOwned + 'static,
        QueryC: CustomQuery + DeserializeOwned + 'static,
    {
        match msg {
            IbcMsg::SendPacket { channel_id, data, timeout } => {
                self.sent.lock().unwrap().push(Sent { channel_id, data, timeout })
            }
            IbcMsg::CloseChannel { channel_id } => self.closes.lock().unwrap().push(channel_id),
            other => anyhow::bail!("the test chain does not do {other:?}"),
        }
        Ok(AppResponse::default())
    }

    fn query(&self, _: &dyn Api, _: &dyn Storage, _: &dyn Querier, _: &BlockInfo, _: IbcQuery) -> AnyResult<Binary> {
        anyhow::bail!("no IBC queries on the test chain")
    }

    fn sudo<ExecC, QueryC>(
        &self,
        _: &dyn Api,
        _: &mut dyn Storage,
        _: &dyn CosmosRouter<ExecC = ExecC, QueryC = QueryC>,
        _: &BlockInfo,
        _: Empty,
    ) -> AnyResult<AppResponse>
    where
        ExecC: CustomMsg + DeserializeOwned + 'static,
        QueryC: CustomQuery + DeserializeOwned + 'static,
    {
        anyhow::bail!("no IBC sudo on the test chain")
    }
}

impl Ibc for RecordingIbc {}

/// A cw-multi-test chain whose IBC module is a [`RecordingIbc`].
pub type IbcChain = App<
    BankKeeper,
    MockApi,
    cosmwasm_std::MemoryStorage,
    FailingModule<Empty, Empty, Empty>,
    WasmKeeper<Empty, Empty>,
    StakeKeeper,
    DistributionKeeper,
    RecordingIbc,
>;

/// What core IBC would call on the bridge, delivered through sudo.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IbcCall {
    Open(IbcChannelOpenMsg),
    Connect(IbcChannelConnectMsg),
    Close(IbcChannelCloseMsg),
    Receive(IbcPacketReceiveMsg),
    Ack(IbcPacketAckMsg),
    Timeout(IbcPacketTimeoutMsg),
}

/// Runs the bridge's IBC entry point for `call`, as wasmd does: the receive's acknowledgement is the
/// response's data (which a reply may replace).
pub fn bridge_sudo(deps: DepsMut, env: Env, call: IbcCall) -> Result<Response, ContractError> {
    use resource_meta_bridge::ibc;
    let basic = |r: cosmwasm_std::IbcBasicResponse| {
        Response::new().add_submessages(r.messages).add_attributes(r.attributes).add_events(r.events)
    };
    Ok(match call {
        IbcCall::Open(msg) => {
            let version = ibc::ibc_channel_open(deps, env, msg)?.map(|r| r.version).unwrap_or_default();
            Response::new().set_data(to_json_binary(&version)?)
        }
        IbcCall::Connect(msg) => basic(ibc::ibc_channel_connect(deps, env, msg)?),
        IbcCall::Close(msg) => basic(ibc::ibc_channel_close(deps, env, msg)?),
        IbcCall::Receive(msg) => {
            let r = ibc::ibc_packet_receive(deps, env, msg).unwrap_or_else(|never| match never {});
            let mut out = Response::new().add_submessages(r.messages).add_attributes(r.attributes).add_events(r.events);
            if let Some(ack) = r.acknowledgement {
                out = out.set_data(ack);
            }
            out
        }
        IbcCall::Ack(msg) => basic(ibc::ibc_packet_ack(deps, env, msg).unwrap_or_else(|never| match never {})),
        IbcCall::Timeout(msg) => basic(ibc::ibc_packet_timeout(deps, env, msg).unwrap_or_else(|never| match never {})),
    })
}

/// The meta-bridge with every entry point, its IBC ones reached through sudo ([`IbcCall`]).
pub fn bridge_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            resource_meta_bridge::contract::execute,
            resource_meta_bridge::contract::instantiate,
            resource_meta_bridge::contract::query,
        )
        .with_reply(resource_meta_bridge::contract::reply)
        .with_sudo(bridge_sudo)
        .with_migrate(resource_meta_bridge::contract::migrate),
    )
}

/// The packets a chain's bridge sent, not yet relayed.
pub type SentQueue = Arc<Mutex<Vec<Sent>>>;
/// The channels a chain's contracts asked to close.
pub type CloseLog = Arc<Mutex<Vec<String>>>;

/// The router of an [`IbcChain`], which genesis code receives.
pub type IbcRouter = cw_multi_test::Router<
    BankKeeper,
    FailingModule<Empty, Empty, Empty>,
    WasmKeeper<Empty, Empty>,
    StakeKeeper,
    DistributionKeeper,
    RecordingIbc,
    cw_multi_test::GovFailingModule,
    cw_multi_test::StargateFailing,
>;

/// A chain with a [`RecordingIbc`], its records shared with the caller, and `init` run at genesis.
pub fn ibc_chain(init: impl FnOnce(&mut IbcRouter, &MockApi, &mut dyn Storage)) -> (IbcChain, SentQueue, CloseLog) {
    let ibc = RecordingIbc::default();
    let (sent, closes) = (ibc.sent.clone(), ibc.closes.clone());
    let app: IbcChain = AppBuilder::new().with_ibc(ibc).build(init);
    (app, sent, closes)
}

/// One bridge's end of a channel on its chain, as the relay needs it.
pub struct BridgeEnd {
    pub bridge: Addr,
    pub channel: String,
    pub sent: SentQueue,
    /// Packets relayed from this end (their sequence numbers).
    pub relayed: u64,
}

impl BridgeEnd {
    pub fn endpoint(&self) -> IbcEndpoint {
        IbcEndpoint { port_id: format!("wasm.{}", self.bridge), channel_id: self.channel.clone() }
    }
}

fn channel(mine: &BridgeEnd, theirs: &BridgeEnd, order: &IbcOrder, version: &str) -> IbcChannel {
    IbcChannel::new(mine.endpoint(), theirs.endpoint(), order.clone(), version, "connection-0")
}

/// The four handshake steps between two bridges (`a` initiates), each through the bridge's entry point.
pub fn handshake(
    (app_a, a): (&mut IbcChain, &BridgeEnd),
    (app_b, b): (&mut IbcChain, &BridgeEnd),
    version: &str,
    order: IbcOrder,
) -> AnyResult<()> {
    app_a.wasm_sudo(a.bridge.clone(), &IbcCall::Open(IbcChannelOpenMsg::new_init(channel(a, b, &order, version))))?;
    app_b.wasm_sudo(
        b.bridge.clone(),
        &IbcCall::Open(IbcChannelOpenMsg::new_try(channel(b, a, &order, version), version)),
    )?;
    app_a.wasm_sudo(
        a.bridge.clone(),
        &IbcCall::Connect(IbcChannelConnectMsg::new_ack(channel(a, b, &order, version), version)),
    )?;
    app_b.wasm_sudo(
        b.bridge.clone(),
        &IbcCall::Connect(IbcChannelConnectMsg::new_confirm(channel(b, a, &order, version))),
    )?;
    Ok(())
}

/// Closes the channel: CloseInit on `a`, CloseConfirm on `b`.
pub fn close(
    (app_a, a): (&mut IbcChain, &BridgeEnd),
    (app_b, b): (&mut IbcChain, &BridgeEnd),
    version: &str,
) -> AnyResult<()> {
    let order = IbcOrder::Unordered;
    app_a.wasm_sudo(a.bridge.clone(), &IbcCall::Close(IbcChannelCloseMsg::new_init(channel(a, b, &order, version))))?;
    app_b.wasm_sudo(
        b.bridge.clone(),
        &IbcCall::Close(IbcChannelCloseMsg::new_confirm(channel(b, a, &order, version))),
    )?;
    Ok(())
}

/// What became of one relayed packet.
#[derive(Debug)]
pub enum Relayed {
    /// Received on the other side with this acknowledgement, which went back; `replay` is what the
    /// sending chain answered to the same acknowledgement delivered a second time.
    Acknowledged { ack: PaymentAck, receive: AppResponse, replay: AppResponse },
    /// Timed out on the sending chain.
    TimedOut(AppResponse),
}

/// Delivers every packet `from` sent to `to` and its acknowledgement back, twice (a relayer replaying
/// it), or with `timeout` lets each time out on `from`. The IBC callbacks never fail: an error here
/// is the harness's.
pub fn relay(
    (app_from, from): (&mut IbcChain, &mut BridgeEnd),
    (app_to, to): (&mut IbcChain, &BridgeEnd),
    timeout: bool,
) -> AnyResult<Vec<Relayed>> {
    let packets: Vec<Sent> = std::mem::take(&mut *from.sent.lock().map_err(|_| anyhow::anyhow!("poisoned"))?);
    let relayer = app_from.api().addr_make("relayer");
    let mut out = vec![];
    for sent in packets {
        from.relayed += 1;
        let packet =
            IbcPacket::new(sent.data.clone(), from.endpoint(), to.endpoint(), from.relayed, sent.timeout.clone());
        if timeout {
            let r = app_from
                .wasm_sudo(from.bridge.clone(), &IbcCall::Timeout(IbcPacketTimeoutMsg::new(packet, relayer.clone())))?;
            out.push(Relayed::TimedOut(r));
            continue;
        }
        let receive = app_to.wasm_sudo(
            to.bridge.clone(),
            &IbcCall::Receive(IbcPacketReceiveMsg::new(packet.clone(), relayer.clone())),
        )?;
        let data = receive.data.clone().ok_or_else(|| anyhow::anyhow!("a receive wrote no acknowledgement"))?;
        let ack: PaymentAck = from_json(&data)?;
        let deliver = |app: &mut IbcChain| {
            let msg = IbcPacketAckMsg::new(IbcAcknowledgement::new(data.clone()), packet.clone(), relayer.clone());
            app.wasm_sudo(from.bridge.clone(), &IbcCall::Ack(msg))
        };
        deliver(app_from)?;
        let replay = deliver(app_from)?;
        out.push(Relayed::Acknowledged { ack, receive, replay });
    }
    Ok(out)
}
