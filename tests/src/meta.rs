//! A community network with its meta-bridge on one devnet chain, for the `ibc` suite and the bridge
//! benchmark: credit token, bridge (a fee-exempt member with a credit line), and what the tests ask
//! of it.

use std::time::{Duration, Instant};

use anyhow::Context;
use cosmwasm_std::Uint128;
use resource_client::{ChainClient, Gas, TxOutcome, Wallet};
use resource_msgs::credit_token::{self as token, CreditAccountResponse, NetworkStatsResponse};
use resource_msgs::meta_bridge::{self, pay_msg, ChannelResponse, ChannelsResponse, PaymentResponse, ReceiveMsg};
use serde::de::DeserializeOwned;

use crate::{artifact, wallet};

pub const GAS: Gas = Gas::Fixed(2_000_000);
/// A credit line's term on the devnet: 90 days.
pub const TERM: u64 = 90 * 86_400;

pub struct Network {
    pub client: ChainClient,
    pub admin: Wallet,
    pub token: String,
    pub bridge: String,
    pub channel: String,
}

impl Network {
    /// Stores and instantiates the credit token and the bridge on `client`'s chain, makes the bridge
    /// fee-exempt and gives it a credit line of `bridge_line`.
    pub async fn deploy(client: ChainClient, name: &str, symbol: &str, bridge_line: u128) -> anyhow::Result<Network> {
        let prefix = client.config().prefix.clone();
        let admin = wallet("admin", &prefix);
        let (token_code, _) = client.store_code(&admin, &artifact("credit_token")?, Gas::Auto).await?;
        let (bridge_code, _) = client.store_code(&admin, &artifact("meta_bridge")?, Gas::Auto).await?;
        let mut init = crate::pilot_token(&prefix, None);
        init.name = name.into();
        init.symbol = symbol.into();
        let (token, _) =
            client.instantiate(&admin, token_code, &init, symbol, Some(admin.address()), &[], Gas::Auto).await?;
        let bridge_init =
            meta_bridge::InstantiateMsg { admin: None, credit_token: token.clone(), network: name.to_string() };
        let (bridge, _) = client
            .instantiate(&admin, bridge_code, &bridge_init, "meta-bridge", Some(admin.address()), &[], Gas::Auto)
            .await?;
        let mut net = Network { client, admin, token, bridge, channel: String::new() };
        let exempt = token::ExecuteMsg::UpdateConfig(token::ConfigUpdate {
            fee_exempt: Some(vec![net.bridge.clone()]),
            ..Default::default()
        });
        net.token_admin(&exempt).await?;
        let bridge_addr = net.bridge.clone();
        net.set_line(&bridge_addr, bridge_line).await?;
        Ok(net)
    }

    pub fn prefix(&self) -> &str {
        &self.client.config().prefix
    }

    pub async fn token_admin(&mut self, msg: &token::ExecuteMsg) -> anyhow::Result<TxOutcome> {
        Ok(self.client.execute(&self.admin, &self.token, msg, &[], Gas::Auto).await?)
    }

    pub async fn bridge_admin(&self, msg: &meta_bridge::ExecuteMsg) -> anyhow::Result<TxOutcome> {
        Ok(self.client.execute(&self.admin, &self.bridge, msg, &[], Gas::Auto).await?)
    }

    pub async fn set_line(&mut self, member: &str, limit: u128) -> anyhow::Result<()> {
        let term_end = crate::block_time(&self.client).await? + TERM;
        let msg = token::ExecuteMsg::SetCreditLine { member: member.into(), limit: limit.into(), term_end };
        self.token_admin(&msg).await?;
        Ok(())
    }

    pub async fn query_bridge<T: DeserializeOwned>(&self, msg: &meta_bridge::QueryMsg) -> anyhow::Result<T> {
        Ok(self.client.query_smart(&self.bridge, msg).await?)
    }

    pub async fn account(&self, address: &str) -> anyhow::Result<CreditAccountResponse> {
        Ok(self.client.query_smart(&self.token, &token::QueryMsg::CreditAccount { address: address.into() }).await?)
    }

    pub async fn balance(&self, address: &str) -> anyhow::Result<i128> {
        Ok(self.account(address).await?.balance.i128())
    }

    /// The bridge's only channel (after the handshake), recorded in `self.channel`.
    pub async fn find_channel(&mut self) -> anyhow::Result<ChannelResponse> {
        let list: ChannelsResponse =
            self.query_bridge(&meta_bridge::QueryMsg::Channels { start_after: None, limit: None }).await?;
        let channel = list.channels.into_iter().last().context("the bridge has no channel after the handshake")?;
        self.channel = channel.channel_id.clone();
        Ok(channel)
    }

    /// The admin's `ConfigureChannel` of the bridge's channel: `numerator / denominator` local units
    /// per unit of `counterparty`, who may draw at most `draw_limit` here.
    pub async fn configure_channel(
        &self,
        counterparty: &str,
        numerator: u128,
        denominator: u128,
        draw_limit: u128,
    ) -> anyhow::Result<TxOutcome> {
        let msg = meta_bridge::ExecuteMsg::ConfigureChannel {
            channel_id: self.channel.clone(),
            counterparty_network: counterparty.into(),
            rate_numerator: numerator.into(),
            rate_denominator: denominator.into(),
            draw_limit: draw_limit.into(),
        };
        self.bridge_admin(&msg).await
    }

    pub async fn channel(&self) -> anyhow::Result<ChannelResponse> {
        self.query_bridge(&meta_bridge::QueryMsg::Channel { channel_id: self.channel.clone() }).await
    }

    pub async fn payment(&self, id: u64) -> anyhow::Result<PaymentResponse> {
        self.query_bridge(&meta_bridge::QueryMsg::Payment { payment_id: id }).await
    }

    /// `from` pays `receiver` on the other chain; returns the payment id and the transaction.
    pub async fn pay(
        &self,
        from: &Wallet,
        receiver: &str,
        amount: u128,
        min_amount_out: u128,
        timeout_seconds: Option<u64>,
    ) -> anyhow::Result<(u64, TxOutcome)> {
        let hook = ReceiveMsg::Pay {
            channel_id: self.channel.clone(),
            receiver: receiver.into(),
            min_amount_out: Uint128::new(min_amount_out),
            timeout_seconds,
            memo: None,
        };
        let out =
            self.client.execute(from, &self.token, &pay_msg(&self.bridge, amount.into(), &hook)?, &[], GAS).await?;
        let id = out
            .attribute("wasm-bridge_send", "payment_id")
            .context("no bridge_send event")?
            .parse()
            .context("payment id")?;
        Ok((id, out))
    }

    /// Waits until payment `id` is no longer in flight; returns it and the height it was seen at.
    pub async fn wait_settled(&self, id: u64, timeout: Duration) -> anyhow::Result<(PaymentResponse, u64)> {
        let start = Instant::now();
        loop {
            let p = self.payment(id).await?;
            if p.status != meta_bridge::PaymentStatus::InFlight {
                return Ok((p, self.client.height().await?));
            }
            anyhow::ensure!(start.elapsed() < timeout, "payment {id} still in flight after {timeout:?}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Waits until `address`'s balance is `want`; returns the height it was seen at.
    pub async fn wait_balance(&self, address: &str, want: i128, timeout: Duration) -> anyhow::Result<u64> {
        let start = Instant::now();
        loop {
            let b = self.balance(address).await?;
            if b == want {
                return self.client.height().await.map_err(Into::into);
            }
            anyhow::ensure!(start.elapsed() < timeout, "balance of {address} is {b}, not {want}, after {timeout:?}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// The balances of `addresses` plus the bridge, the fee collector and the loss account sum to 0,
    /// and the token's supply is the sum of the positive ones.
    pub async fn assert_balanced(&self, addresses: &[&str]) -> anyhow::Result<()> {
        let prefix = self.prefix().to_string();
        let mut all: Vec<String> = addresses.iter().map(|a| a.to_string()).collect();
        all.push(self.bridge.clone());
        all.push(wallet("frank", &prefix).address().to_string());
        all.push(wallet("relayer", &prefix).address().to_string());
        let mut sum = 0i128;
        let mut positive = 0i128;
        for a in &all {
            let b = self.balance(a).await?;
            sum += b;
            positive += b.max(0);
        }
        anyhow::ensure!(sum == 0, "balances sum to {sum}, not 0");
        let stats: NetworkStatsResponse =
            self.client.query_smart(&self.token, &token::QueryMsg::NetworkStats {}).await?;
        anyhow::ensure!(stats.total_supply.u128() as i128 == positive, "supply {} != {positive}", stats.total_supply);
        Ok(())
    }
}
