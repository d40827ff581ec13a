//! The DID registry on the real devnet: a member creates its `did:resource` DID, adds its Cosmos
//! account key and a service, an outsider's update is refused, the DID is deactivated; every version
//! resolves through the Rust client and through `resource did resolve`, in the W3C resolution shape.
use std::process::Command;

use resource_client::{ChainClient, ClientError, Gas};
use resource_core::did::{
    encode_multibase_key, Did, DidUrl, DocumentUpdate, KeyCodec, KeyType, PatchOp, Service, ServiceEndpoint,
    VerificationMethod,
};
use resource_msgs::did_registry::{ExecuteMsg, InstantiateMsg, QueryMsg};
use resource_tests::{artifact, devnet_client, resource_cli, wallet};
use serde_json::Value;

/// `resource did resolve <did>`: (exit success, stdout as JSON, stderr).
fn cli_resolve(did: &str, registry: &str) -> anyhow::Result<(bool, Value, String)> {
    let home = std::env::var("RESOURCE_DEVNET_HOME")?;
    let out =
        Command::new(resource_cli()).args(["did", "resolve", did, "--registry", registry, "--home", &home]).output()?;
    let json = serde_json::from_slice(&out.stdout)?;
    Ok((out.status.success(), json, String::from_utf8_lossy(&out.stderr).into_owned()))
}

async fn resolve(client: &ChainClient, registry: &str, did: &str) -> anyhow::Result<Value> {
    Ok(client.query_smart(registry, &QueryMsg::Resolve { did: did.to_string(), version_id: None }).await?)
}

#[tokio::test]
async fn a_did_created_updated_resolved_and_deactivated_on_a_real_chain() -> anyhow::Result<()> {
    let client = devnet_client().await?;
    let p = client.config().prefix.clone();
    let chain_id = client.config().chain_id.clone();
    let (admin, member, outsider) = (wallet("admin", &p), wallet("dave", &p), wallet("erin", &p));
    let (code, _) = client.store_code(&admin, &artifact("did_registry")?, Gas::Auto).await?;
    let (registry, _) = client
        .instantiate(
            &admin,
            code,
            &InstantiateMsg::default(),
            "did-registry-e2e",
            Some(admin.address()),
            &[],
            Gas::Auto,
        )
        .await?;

    // Version 1: the member's account DID, controlled by its own account.
    let created =
        client.execute(&member, &registry, &ExecuteMsg::Create { did: None, document: None }, &[], Gas::Auto).await?;
    let did = format!("did:resource:{chain_id}:{}", member.address());
    assert_eq!(created.attribute("wasm", "did"), Some(did.as_str()));
    let v1 = resolve(&client, &registry, &did).await?;
    assert_eq!(v1["didDocument"]["id"], did);
    assert_eq!(v1["didDocument"]["@context"][0], "https://www.w3.org/ns/did/v1");
    assert_eq!(v1["didDocumentMetadata"]["versionId"], "1");
    assert_eq!(v1["didResolutionMetadata"]["contentType"], "application/did+ld+json");

    // Version 2: its Cosmos account key (secp256k1, multibase) for authentication, and a shop service.
    let key = encode_multibase_key(KeyCodec::Secp256k1, &member.public_key().to_bytes());
    let key_id = DidUrl::parse(&format!("{did}#account-key"))?;
    let method = VerificationMethod::multibase(
        key_id.clone(),
        KeyType::EcdsaSecp256k1VerificationKey2019,
        Did::parse(&did)?,
        key,
    );
    let service = Service {
        id: DidUrl::parse(&format!("{did}#shop"))?,
        kind: "LinkedDomains".into(),
        service_endpoint: ServiceEndpoint::Uri("https://bakery.example".into()),
    };
    let ops = vec![
        PatchOp::AddVerificationMethod { method: method.clone() },
        PatchOp::AddAuthentication { id: key_id },
        PatchOp::AddService { service: service.clone() },
    ];
    let patch = ExecuteMsg::Update { did: did.clone(), change: DocumentUpdate::Patch { ops } };
    // The registry answers in the W3C JSON shape, checked field by field against what was sent; the
    // secp256k1 key comes back as the same key in a Multikey, which DID libraries read.
    let as_multikey = VerificationMethod { kind: KeyType::Multikey, ..method.clone() };
    let (method, service) = (serde_json::to_value(&as_multikey)?, serde_json::to_value(&service)?);
    client.execute(&member, &registry, &patch, &[], Gas::Auto).await?;
    let v2 = resolve(&client, &registry, &did).await?;
    assert_eq!(v2["didDocument"]["verificationMethod"][0], method);
    assert_eq!(v2["didDocument"]["authentication"][0], format!("{did}#account-key"));
    assert_eq!(v2["didDocument"]["service"][0], service);
    assert_eq!(v2["didDocumentMetadata"]["versionId"], "2");
    assert_eq!(v2["didDocumentMetadata"]["created"], v1["didDocumentMetadata"]["created"]);

    // The CLI resolves the same, and old versions by versionId.
    let (ok, shown, _) = cli_resolve(&did, &registry)?;
    assert!(ok);
    assert_eq!(shown, v2);
    let (ok, old, _) = cli_resolve(&format!("{did}?versionId=1"), &registry)?;
    assert!(ok);
    assert_eq!(old["didDocument"], v1["didDocument"]);
    assert_eq!(v2["didDocument"]["verificationMethod"][0]["type"], "Multikey");
    assert_eq!(v2["didDocument"]["@context"][1], "https://w3id.org/security/multikey/v1");
    // `?service=` dereferences to the endpoint, through the registry and the CLI alike.
    let (ok, endpoint, _) = cli_resolve(&format!("{did}?service=shop&relativeRef=%2Fmenu"), &registry)?;
    assert!(ok, "{endpoint}");
    assert_eq!(endpoint["contentStream"], "https://bakery.example/menu");
    assert_eq!(endpoint["dereferencingMetadata"]["contentType"], "text/uri-list");

    // An outsider cannot change it: the contract's reason comes back, nothing changes.
    let outsider_did = Did::parse(&format!("did:resource:{chain_id}:{}", outsider.address()))?;
    let ops = vec![PatchOp::AddController { controller: outsider_did }];
    let hijack = ExecuteMsg::Update { did: did.clone(), change: DocumentUpdate::Patch { ops } };
    let err = client.execute(&outsider, &registry, &hijack, &[], Gas::Auto).await.unwrap_err();
    assert!(matches!(err, ClientError::ContractFailed { .. }), "{err}");
    assert_eq!(resolve(&client, &registry, &did).await?, v2);

    // Deactivation is final; earlier versions stay resolvable.
    client.execute(&member, &registry, &ExecuteMsg::Deactivate { did: did.clone() }, &[], Gas::Auto).await?;
    // Resolved, not an error (DID Core §7.1.3): the final document, `deactivated: true`.
    let gone = resolve(&client, &registry, &did).await?;
    assert!(gone["didResolutionMetadata"].get("error").is_none(), "{gone}");
    assert_eq!(gone["didResolutionMetadata"]["contentType"], "application/did+ld+json");
    assert_eq!(gone["didDocumentMetadata"]["deactivated"], true);
    assert_eq!(gone["didDocument"]["id"], did);
    assert!(gone["didDocument"].get("verificationMethod").is_none(), "{gone}");
    let (ok, shown, _) = cli_resolve(&did, &registry)?;
    assert!(ok, "a deactivated DID resolves");
    assert_eq!(shown, gone);
    let (ok, old, _) = cli_resolve(&format!("{did}?versionId=2"), &registry)?;
    assert!(ok);
    assert_eq!(old["didDocument"], v2["didDocument"]);
    let err = client.execute(&member, &registry, &patch, &[], Gas::Auto).await.unwrap_err();
    assert!(matches!(err, ClientError::ContractFailed { .. }), "{err}");

    // Unknown and malformed DIDs: W3C errors, not failures of the query.
    let unknown = resolve(&client, &registry, &format!("did:resource:{chain_id}:{}", outsider.address())).await?;
    assert_eq!(unknown["didResolutionMetadata"]["error"], "notFound");
    let (ok, bad, stderr) = cli_resolve("did:resource:", &registry)?;
    assert!(!ok && bad["didResolutionMetadata"]["error"] == "invalidDid", "{bad} {stderr}");
    Ok(())
}
