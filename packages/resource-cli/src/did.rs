//! `resource did resolve`: a `did:resource` DID (or DID URL with `?versionId=N`) to its W3C DID
//! resolution result, and a DID URL with `?service=<id>[&relativeRef=<ref>]` or a `#fragment` to
//! its W3C dereferencing result, read from the DID registry on the devnet.
//!
//! The input is checked with `resource_core::did::ResolveRequest::parse` first, the same parser the
//! registry and the SDK use, so a malformed DID is answered `invalidDid` without touching the chain.
use std::path::Path;

use resource_client::ChainClient;
use resource_core::did::{DereferencingResult, ResolutionResult, ResolveRequest};
use resource_msgs::did_registry::QueryMsg;

use crate::devnet::first_running_chain;

/// What resolving gave: the W3C result, and the error name when there is one.
pub struct Resolved {
    pub result: serde_json::Value,
    pub error: Option<String>,
}

/// Resolves `input` through the registry `registry` (a client is only needed for valid DIDs).
pub async fn resolve(
    input: &str,
    registry: &str,
    client: impl std::future::Future<Output = anyhow::Result<ChainClient>>,
) -> anyhow::Result<Resolved> {
    let result: serde_json::Value = match ResolveRequest::parse(input) {
        Err(local) => serde_json::to_value(ResolutionResult::failure(local))?,
        Ok(request) if request.is_dereference() => {
            let client = client.await?;
            let query = QueryMsg::Dereference { did_url: input.to_owned() };
            let answer: DereferencingResult = client.query_smart(registry, &query).await?;
            serde_json::to_value(&answer)?
        }
        Ok(_) => {
            let client = client.await?;
            // The registry parses the DID URL itself (`?versionId=N` included), as resolvers expect.
            let query = QueryMsg::Resolve { did: input.to_owned(), version_id: None };
            let answer: ResolutionResult = client.query_smart(registry, &query).await?;
            serde_json::to_value(&answer)?
        }
    };
    let metadata = if result.get("dereferencingMetadata").is_some() {
        &result["dereferencingMetadata"]
    } else {
        &result["didResolutionMetadata"]
    };
    let error = metadata["error"].as_str().map(str::to_owned);
    Ok(Resolved { result, error })
}

/// `resource did resolve`: prints the resolution result (JSON, on stdout, also when it reports an
/// error, as resolvers do); an error result also gets one line on stderr and exit status 1.
pub async fn resolve_command(did: &str, registry: &str, home: &Path) -> anyhow::Result<()> {
    let resolved =
        resolve(did, registry, async { Ok(ChainClient::connect(first_running_chain(home)?).await?) }).await?;
    println!("{}", serde_json::to_string_pretty(&resolved.result)?);
    match resolved.error {
        None => Ok(()),
        Some(error) => anyhow::bail!("{did} did not resolve: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn offline() -> anyhow::Result<ChainClient> {
        anyhow::bail!("no chain needed for this input")
    }

    #[tokio::test]
    async fn malformed_and_foreign_dids_are_answered_without_a_chain() {
        for (input, error) in [
            ("did:resource:", "invalidDid"),
            ("did:Resource:x:y", "invalidDid"),
            ("not a did", "invalidDid"),
            ("did:web:example.com", "methodNotSupported"),
            ("did:resource:resource-1:inj1x/path", "invalidDid"),
        ] {
            let r = resolve(input, "unused", offline()).await.unwrap();
            assert_eq!(r.error.as_deref(), Some(error), "{input}");
            assert!(r.result["didDocument"].is_null(), "{input}");
        }
    }
}
