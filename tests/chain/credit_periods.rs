//! Credit periods on the real devnet (issue 24): a member who meets its terms renews on its next
//! payment, one who does not is frozen for credit in its grace and, once the grace has run out, is
//! defaulted by anyone's `SyncCreditPeriod`; the chain's own block times drive every step.
use cosmwasm_std::Uint128;
use resource_client::{ClientError, ExecuteCall, Gas};
use resource_msgs::credit_token::{
    CreditAccountResponse, ExecuteMsg, InstantiateMsg, LineStatus, NeededIncomeResponse, PeriodState, QueryMsg,
};
use resource_tests::{artifact, block_time, devnet_client, fresh_wallet, fund, pilot_token, wait_past, wallet};

const GAS: Gas = Gas::Fixed(1_000_000);
/// The members' period: long enough for the payments before it ends.
const PERIOD: u64 = 20;
/// The network's grace period.
const GRACE: u64 = 6;
const HALF_ITD: u64 = 500_000;

#[tokio::test]
async fn a_period_renews_and_another_defaults_on_a_real_chain() -> anyhow::Result<()> {
    let client = devnet_client().await?;
    let p = client.config().prefix.clone();
    let admin = wallet("admin", &p);
    let (shop, saver, spender, anyone) = (fresh_wallet(&p), fresh_wallet(&p), fresh_wallet(&p), fresh_wallet(&p));
    fund(&client, &admin, &[&shop, &saver, &spender, &anyone], 1_000_000_000_000_000_000).await?;
    let (code_id, _) = client.store_code(&admin, &artifact("credit_token")?, Gas::Auto).await?;
    let init = InstantiateMsg {
        default_grace_period: GRACE,
        min_term: Some(5),
        min_grace_period: Some(1),
        ..pilot_token(&p, None)
    };
    let (token, _) = client.instantiate(&admin, code_id, &init, "period-credit", None, &[], Gas::Auto).await?;
    let account = |who: &str| {
        let (client, token, who) = (client.clone(), token.clone(), who.to_string());
        async move {
            let a: CreditAccountResponse =
                client.query_smart(&token, &QueryMsg::CreditAccount { address: who }).await?;
            anyhow::Ok(a)
        }
    };
    let pay = |to: &str, amount: u128| ExecuteMsg::Transfer { recipient: to.to_string(), amount: Uint128::new(amount) };

    // Both members get a line on period terms (50 % minimum ITD) in one transaction.
    let term_end = block_time(&client).await? + PERIOD;
    let mut setup = Vec::new();
    for w in [&saver, &spender] {
        let member = w.address().to_string();
        setup.push(ExecuteCall::from_msg(
            &token,
            &ExecuteMsg::SetCreditLine { member: member.clone(), limit: Uint128::new(1_000), term_end },
        )?);
        setup.push(ExecuteCall::from_msg(&token, &ExecuteMsg::SetCreditPeriod { member, min_itd: Some(HALF_ITD) })?);
    }
    client.execute_many(&admin, setup, GAS).await?;
    // The saver spends 300 and earns 200 back (an ITD of 200 %); the spender spends 400.
    client.execute(&saver, &token, &pay(shop.address(), 300), &[], GAS).await?;
    client.execute(&shop, &token, &pay(saver.address(), 200), &[], GAS).await?;
    client.execute(&spender, &token, &pay(shop.address(), 400), &[], GAS).await?;
    let period = account(saver.address()).await?.period.expect("the saver's period");
    assert_eq!((period.expiration, period.income.u128()), (term_end, 200));

    // The period expires: the saver's next payment renews it, for the same length from that block.
    wait_past(&client, term_end, std::time::Duration::from_secs(60)).await?;
    let out = client.execute(&saver, &token, &pay(shop.address(), 10), &[], GAS).await?;
    let renewed = out.events_of("wasm-credit_period_renewed").next().expect("the renewal's event");
    let expiration: u64 = renewed.attribute("expiration").expect("its expiration").parse()?;
    assert!(expiration > term_end + PERIOD - 1, "{expiration}");
    let saver_now = account(saver.address()).await?;
    assert_eq!(saver_now.line.expect("line").term_end, expiration);
    assert_eq!(saver_now.period.expect("period").income.u128(), 0, "a new period, no income yet");

    // The spender is in its grace without meeting its terms: frozen for credit, told what it needs.
    let needed: NeededIncomeResponse =
        client.query_smart(&token, &QueryMsg::NeededIncome { address: spender.address().to_string() }).await?;
    assert_eq!(needed.needed_income.u128(), 134);
    let err = client.execute(&spender, &token, &pay(shop.address(), 1), &[], GAS).await.unwrap_err();
    assert!(matches!(err, ClientError::ContractFailed { .. }), "{err}");
    assert!(err.to_string().contains("receive 134 more to comply"), "{err}");
    assert_eq!(account(spender.address()).await?.period.expect("period").state, PeriodState::Grace);

    // The grace runs out: anyone's sync writes the debt off to the loss account.
    let loss = wallet("relayer", &p);
    let loss_before = account(loss.address()).await?.balance.i128();
    wait_past(&client, term_end + GRACE, std::time::Duration::from_secs(60)).await?;
    let sync = ExecuteMsg::SyncCreditPeriod { member: spender.address().to_string() };
    let out = client.execute(&anyone, &token, &sync, &[], GAS).await?;
    assert_eq!((out.attribute("wasm", "outcome"), out.attribute("wasm", "debt")), (Some("defaulted"), Some("400")));
    let spender_now = account(spender.address()).await?;
    assert_eq!((spender_now.balance.i128(), spender_now.line.expect("line").status), (0, LineStatus::Defaulted));
    assert_eq!(account(loss.address()).await?.balance.i128(), loss_before - 400);
    // A second sync is refused with the reason, and changes nothing.
    let err = client.execute(&anyone, &token, &sync, &[], GAS).await.unwrap_err();
    assert!(err.to_string().contains("no credit period"), "{err}");
    Ok(())
}
