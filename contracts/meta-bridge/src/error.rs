use resource_core::bridge::BridgeError;

resource_cw::contract_error! {
    /// Every error leaves the state unchanged and says what to do. The shared refusals come first,
    /// declared by `resource_cw::contract_error!`. Inbound packets never fail with one of these: the
    /// error becomes the packet's error acknowledgement (see `ibc.rs`).
    pub enum ContractError {
        /// A rule of the bridge (resource-core) refused the payment.
        #[error("{0}")]
        Bridge(#[from] BridgeError),

        #[error("the bridge speaks `{expected}` only, the channel asked for `{got}`; open the channel with --channel-version {expected}")]
        WrongVersion { expected: &'static str, got: String },

        #[error("the bridge takes unordered channels only: one stuck packet on an ordered channel would stop every payment behind it")]
        OrderedChannel,

        #[error("`{id}` is not a channel identifier ({reason}); channel ids look like channel-0")]
        InvalidChannelId { id: String, reason: String },

        #[error("the bridge has no channel `{channel_id}`; list them with the Channels query")]
        UnknownChannel { channel_id: String },

        #[error("channel `{channel_id}` is not configured yet; the admin must send ConfigureChannel first")]
        ChannelNotConfigured { channel_id: String },

        #[error("channel `{channel_id}` is closed")]
        ChannelClosed { channel_id: String },

        #[error("channel `{channel_id}` is still open: its payments settle by acknowledgement or timeout, not by the admin")]
        ChannelOpen { channel_id: String },

        #[error("channel `{channel_id}` is not paused; pause it first")]
        ChannelNotPaused { channel_id: String },

        #[error("channel `{channel_id}` has {count} payments in flight; wait until they are acknowledged or time out")]
        PaymentsInFlight { channel_id: String, count: u64 },

        #[error("channels are closed by the bridge's admin (CloseChannel on a paused channel with nothing in flight)")]
        CloseRefused,

        #[error("the Send's msg is not a bridge payment ({reason}); the transfer is refused and the credit stays with the sender")]
        UnknownReceiveMsg { reason: String },

        #[error("the receiver must be 1 to {max} bytes, got {len}")]
        InvalidReceiver { len: usize, max: usize },

        #[error("the memo may have at most {max} bytes, got {len}")]
        MemoTooLong { len: usize, max: usize },

        #[error("the timeout must be between {min} and {max} seconds, got {got}")]
        InvalidTimeout { got: u64, min: u64, max: u64 },

        #[error("the packet is not a bridge payment ({reason})")]
        InvalidPacket { reason: String },

        #[error("the receiver `{receiver}` is not an address on this chain")]
        InvalidPacketReceiver { receiver: String },

        #[error("payment {payment_id} does not exist")]
        UnknownPayment { payment_id: u64 },

        #[error("payment {payment_id} is {status}, not {expected}")]
        WrongPaymentStatus { payment_id: u64, status: &'static str, expected: &'static str },

        #[error("the packet names payment {payment_id} of channel `{expected}` but came on `{got}`")]
        ChannelMismatch { payment_id: u64, expected: String, got: String },

        #[error("the bridge takes no coins; it moves credit only and could not send coins back")]
        UnexpectedFunds,
    }
}
