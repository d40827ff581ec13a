//! `resource did resolve`: a `did:resource` DID (or DID URL with `?versionId=N`) to its W3C DID
//! resolution result, read from the DID registry on the devnet.
//!
//! The input is checked with `resource_core::did::ResolveRequest::parse` first, the same parser the
//! registry and the SDK use, so a malformed DID is answered `invalidDid` without touching the chain.
use resource_core::did::{ResolutionResult, ResolveRequest};

/// What resolving gave: the W3C result, and the error name when there is one.
pub struct Resolved {
    pub result: serde_json::Value,
    pub error: Option<String>,
}

/// Resolves `input` through the registry `registry` (a client is only needed for valid DIDs).
pub async fn resolve(
    input: &str,
    registry: &str,
    client: impl std::future::Future<Output = anyhow::Result<resource_client::ChainClient>>,
) -> anyhow::Result<Resolved> {
    let result: serde_json::Value = match ResolveRequest::parse(input) {
        Err(local) => serde_json::to_value(&local)?,
        Ok(_) => {
            let client = client.await?;
            let answer: ResolutionResult =
                client.query_smart(registry, &serde_json::json!({"resolve": {"did": input}})).await?;
            serde_json::to_value(&answer)?
        }
    };
    let error = result["didResolutionMetadata"]["error"].as_str().map(str::to_owned);
    Ok(Resolved { result, error })
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn offline() -> anyhow::Result<resource_client::ChainClient> {
        anyhow::bail!("no chain needed for this input")
    }

    #[tokio::test]
    async fn malformed_and_foreign_dids_are_answered_without_a_chain() {
        for (input, error) in [
            ("did:resource:", "invalidDid"),
            ("did:Resource:x:y", "invalidDid"),
            ("not a did", "invalidDid"),
            ("did:web:example.com", "methodNotSupported"),
        ] {
            let r = resolve(input, "unused", offline()).await.unwrap();
            assert_eq!(r.error.as_deref(), Some(error), "{input}");
            assert!(r.result["didDocument"].is_null(), "{input}");
        }
    }
}
