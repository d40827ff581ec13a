//! The credit token on the real devnet: the pilot scenario through the Rust client, checked against
//! what the chain itself reports (balances, supply, network stats, transfer events).
use cosmwasm_std::{Binary, Empty, Uint128};
use cw20::{BalanceResponse, TokenInfoResponse};
use resource_client::{ChainClient, ClientError, Gas, TxOutcome, Wallet};
use resource_msgs::credit_token::{CreditAccountResponse, ExecuteMsg, LineStatus, NetworkStatsResponse, QueryMsg};
use resource_tests::{artifact, devnet_client, pilot_token, wallet};
use serde::de::DeserializeOwned;

const GAS: Gas = Gas::Fixed(1_000_000);
/// One rUSD in base units (6 decimals).
const USD: u128 = 1_000_000;

struct Pilot {
    client: ChainClient,
    token: String,
    /// (role, wallet) of every member the story touches.
    members: Vec<(&'static str, Wallet)>,
    minted: u128,
    burned: u128,
}

impl Pilot {
    fn wallet(&self, role: &str) -> &Wallet {
        &self.members.iter().find(|(r, _)| *r == role).unwrap_or_else(|| panic!("no member {role}")).1
    }

    async fn query<T: DeserializeOwned>(&self, msg: QueryMsg) -> anyhow::Result<T> {
        Ok(self.client.query_smart(&self.token, &msg).await?)
    }

    async fn credit_account(&self, address: &str) -> anyhow::Result<CreditAccountResponse> {
        self.query(QueryMsg::CreditAccount { address: address.to_string() }).await
    }

    async fn balance(&self, role: &str) -> anyhow::Result<i128> {
        Ok(self.credit_account(self.wallet(role).address()).await?.balance.i128())
    }

    async fn supply(&self) -> anyhow::Result<u128> {
        let info: TokenInfoResponse = self.query(QueryMsg::TokenInfo {}).await?;
        Ok(info.total_supply.u128())
    }

    /// One payment of the story; checks the chain's event and the invariants after it.
    async fn pay(&mut self, from: &str, to: &str, amount: u128) -> anyhow::Result<TxOutcome> {
        let msg =
            ExecuteMsg::Transfer { recipient: self.wallet(to).address().to_string(), amount: Uint128::new(amount) };
        let out = self.client.execute(self.wallet(from), &self.token, &msg, &[], GAS).await?;
        let attr = |k: &str| -> u128 { out.attribute("wasm", k).unwrap_or_default().parse().unwrap_or(u128::MAX) };
        assert_eq!(attr("amount"), amount);
        assert_eq!(attr("fee"), 0, "the pilot network charges no fee");
        self.minted += attr("minted");
        self.burned += attr("burned");
        self.check_invariants().await?;
        Ok(out)
    }

    /// Sum of balances is 0 and supply (reported by the contract) equals the sum of positive balances
    /// and what the events say was minted minus burned.
    async fn check_invariants(&self) -> anyhow::Result<()> {
        let mut sum = 0i128;
        let mut positive = 0u128;
        for (role, _) in &self.members {
            let b = self.balance(role).await?;
            sum += b;
            positive += b.max(0) as u128;
        }
        assert_eq!(sum, 0, "balances sum to zero");
        let supply = self.supply().await?;
        assert_eq!(supply, positive, "supply is the sum of positive balances");
        assert_eq!(supply, self.minted - self.burned, "supply follows the minted/burned events");
        Ok(())
    }
}

#[tokio::test]
async fn the_pilot_on_a_real_chain() -> anyhow::Result<()> {
    let client = devnet_client().await?;
    let p = client.config().prefix.clone();
    let admin = wallet("admin", &p);
    let (code_id, _) = client.store_code(&admin, &artifact("credit_token")?, Gas::Auto).await?;
    let members = vec![
        ("bakery", wallet("alice", &p)),
        ("mara", wallet("bob", &p)),
        ("jon", wallet("carol", &p)),
        ("grocery", wallet("dave", &p)),
        ("clinic", wallet("erin", &p)),
    ];
    let init = pilot_token(&p, None);
    let (token, _) =
        client.instantiate(&admin, code_id, &init, "pilot-credit", Some(admin.address()), &[], Gas::Auto).await?;
    let mut pilot = Pilot { client, token, members, minted: 0, burned: 0 };

    // The operator opens lines for the three businesses, in one transaction.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
    let term_end = now + 90 * 86_400;
    let lines: Vec<_> = [("bakery", 5_000), ("grocery", 3_000), ("clinic", 3_000)]
        .iter()
        .map(|(role, limit)| {
            let member = pilot.wallet(role).address().to_string();
            let msg = ExecuteMsg::SetCreditLine { member, limit: Uint128::new(limit * USD), term_end };
            resource_client::ExecuteCall::from_msg(pilot.token.clone(), &msg)
        })
        .collect::<Result<_, _>>()?;
    pilot.client.execute_many(&admin, lines, GAS).await?;
    let bakery = pilot.credit_account(pilot.wallet("bakery").address()).await?;
    let line = bakery.line.expect("the bakery has a line");
    assert_eq!(line.limit.u128(), 5_000 * USD);
    assert_eq!(bakery.available.u128(), 5_000 * USD);
    assert_eq!(line.status, LineStatus::Active);

    // Payday: the bakery pays its employees' benefits on credit (money is created).
    let out = pilot.pay("bakery", "mara", 400 * USD).await?;
    assert_eq!(out.attribute("wasm", "minted"), Some((400 * USD).to_string().as_str()));
    pilot.pay("bakery", "jon", 400 * USD).await?;
    assert_eq!(pilot.balance("bakery").await?, -800 * USD as i128);
    // Employees spend at other businesses (money moves, nothing created).
    let out = pilot.pay("mara", "grocery", 150 * USD).await?;
    assert_eq!((out.attribute("wasm", "minted"), out.attribute("wasm", "burned")), (Some("0"), Some("0")));
    pilot.pay("jon", "clinic", 200 * USD).await?;
    // The businesses buy from the bakery: it earns its money back and its debt shrinks (money destroyed).
    let out = pilot.pay("grocery", "bakery", 150 * USD).await?;
    assert_eq!(out.attribute("wasm", "burned"), Some((150 * USD).to_string().as_str()));
    pilot.pay("clinic", "bakery", 200 * USD).await?;
    assert_eq!(pilot.balance("bakery").await?, -450 * USD as i128);
    assert_eq!(pilot.supply().await?, 450 * USD);
    assert_eq!((pilot.minted, pilot.burned), (800 * USD, 350 * USD));

    let stats: NetworkStatsResponse = pilot.query(QueryMsg::NetworkStats {}).await?;
    assert_eq!(stats.total_supply.u128(), 450 * USD);
    assert_eq!(stats.total_credit_extended.u128(), 11_000 * USD);
    assert_eq!(stats.members_in_debt, 1);
    assert_eq!(stats.members, 5);
    // cw20 view for wallets and explorers: the positive part only.
    let balance = |role: &str| QueryMsg::Balance { address: pilot.wallet(role).address().to_string() };
    let cw20: BalanceResponse = pilot.query(balance("bakery")).await?;
    assert_eq!(cw20.balance.u128(), 0);
    let cw20: BalanceResponse = pilot.query(balance("mara")).await?;
    assert_eq!(cw20.balance.u128(), 250 * USD);

    // Spending beyond the line: the chain rejects it with the contract's own reason; nothing moves.
    let over = ExecuteMsg::Transfer {
        recipient: pilot.wallet("mara").address().to_string(),
        amount: Uint128::new(4_551 * USD),
    };
    let err = pilot.client.execute(pilot.wallet("bakery"), &pilot.token, &over, &[], GAS).await.unwrap_err();
    assert!(matches!(err, ClientError::ContractFailed { .. }), "{err}");
    assert!(err.to_string().contains("insufficient credit"), "{err}");
    assert_eq!(pilot.balance("bakery").await?, -450 * USD as i128);
    pilot.check_invariants().await?;

    // Send with a hook into a real contract (the no-op gas baseline accepts the Receive message).
    let (hook_code, _) = pilot.client.store_code(&admin, &artifact("gas_baseline")?, Gas::Auto).await?;
    let (shop, _) = pilot.client.instantiate(&admin, hook_code, &Empty {}, "shop", None, &[], Gas::Auto).await?;
    let send = ExecuteMsg::Send { contract: shop.clone(), amount: Uint128::new(50 * USD), msg: Binary::from(b"{}") };
    let out = pilot.client.execute(pilot.wallet("mara"), &pilot.token, &send, &[], GAS).await?;
    assert_eq!(out.attribute("wasm", "action"), Some("send"));
    // wasmd records every contract execution, the hook's included, as an `execute` event.
    assert!(out.events_of("execute").any(|e| e.attribute("_contract_address") == Some(shop.as_str())), "hook ran");
    let shop_account = pilot.credit_account(&shop).await?;
    assert_eq!(shop_account.balance.i128(), (50 * USD) as i128);
    Ok(())
}
