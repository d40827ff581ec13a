//! The credit token recording into the DID registry on the real devnet, when the registry refuses:
//! the credit action still lands, the chain reports the refusal as an event, the token keeps the
//! record (carried through the submessage's payload, which only a real wasmd/wasmvm passes back),
//! and a retry delivers it once the token is a writer.
use cosmwasm_std::Uint128;
use resource_client::Gas;
use resource_core::did::ReputationEvent;
use resource_msgs::credit_token::{CreditAccountResponse, ExecuteMsg, PendingRecordsResponse, QueryMsg};
use resource_msgs::did_registry::{
    ExecuteMsg as RegistryMsg, InstantiateMsg as RegistryInit, QueryMsg as RegistryQuery, ReputationHistoryResponse,
};
use resource_tests::{artifact, devnet_client, pilot_token, wallet};

const GAS: Gas = Gas::Fixed(1_500_000);

#[tokio::test]
async fn a_registry_that_refuses_never_blocks_a_credit_line_on_a_real_chain() -> anyhow::Result<()> {
    let client = devnet_client().await?;
    let p = client.config().prefix.clone();
    let chain_id = client.config().chain_id.clone();
    let (admin, member) = (wallet("admin", &p), wallet("carol", &p));
    let (registry_code, _) = client.store_code(&admin, &artifact("did_registry")?, Gas::Auto).await?;
    let (registry, _) = client
        .instantiate(&admin, registry_code, &RegistryInit::default(), "registry-refuses", None, &[], Gas::Auto)
        .await?;
    let (token_code, _) = client.store_code(&admin, &artifact("credit_token")?, Gas::Auto).await?;
    // The token is not one of the registry's writers: every record is refused.
    let init = pilot_token(&p, Some(registry.clone()));
    let (token, _) = client.instantiate(&admin, token_code, &init, "token-records", None, &[], Gas::Auto).await?;

    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
    let line = ExecuteMsg::SetCreditLine {
        member: member.address().to_string(),
        limit: Uint128::new(1_000_000_000),
        term_end: now + 90 * 86_400,
    };
    let out = client.execute(&admin, &token, &line, &[], GAS).await?;
    assert_eq!(out.attribute("wasm-reputation_record_failed", "event"), Some("credit_line_granted"));
    let account: CreditAccountResponse =
        client.query_smart(&token, &QueryMsg::CreditAccount { address: member.address().to_string() }).await?;
    assert_eq!(account.line.map(|l| l.limit.u128()), Some(1_000_000_000), "the line stands");
    let pending = QueryMsg::PendingReputationRecords { start_after: None, limit: None };
    let kept: PendingRecordsResponse = client.query_smart(&token, &pending).await?;
    let did = format!("did:resource:{chain_id}:{}", member.address());
    assert_eq!(kept.records.len(), 1);
    assert_eq!(kept.records[0].did, did);

    // The registry's admin makes the token a writer; anyone retries; the record arrives.
    let roles = RegistryMsg::UpdateRoles {
        add_writers: vec![token.clone()],
        remove_writers: vec![],
        add_verifiers: vec![],
        remove_verifiers: vec![],
    };
    client.execute(&admin, &registry, &roles, &[], GAS).await?;
    let retry = ExecuteMsg::RetryReputationRecords { limit: None };
    let out = client.execute(&member, &token, &retry, &[], GAS).await?;
    assert_eq!(out.attribute("wasm-reputation_record_failed", "event"), None);
    let kept: PendingRecordsResponse = client.query_smart(&token, &pending).await?;
    assert!(kept.records.is_empty());
    let history: ReputationHistoryResponse = client
        .query_smart(&registry, &RegistryQuery::ReputationHistory { did, start_after: None, limit: None })
        .await?;
    let events: Vec<ReputationEvent> = history.records.into_iter().map(|r| r.event).collect();
    // The term is counted from the block time, which is near (not exactly) this machine's clock.
    match events.as_slice() {
        [ReputationEvent::CreditLineGranted { amount: 1_000_000_000, term }] => {
            assert!(term.abs_diff(90 * 86_400) < 120, "term {term}")
        }
        other => panic!("the registry holds {other:?}"),
    }
    Ok(())
}
