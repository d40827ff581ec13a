//! The DID resolution result (W3C DID Resolution, DID Core §7.1): the document, its metadata
//! (`created`, `updated`, `versionId`, `deactivated`, and `nextUpdate` / `nextVersionId` for an
//! earlier version) and the resolution metadata (`contentType`, or `error`).

use alloc::string::{String, ToString};
use core::fmt::Write;

use super::document::{DidDocument, DidState};
use super::syntax::{Did, DidUrl, ResourceDid, RESOURCE_METHOD};

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// The context of a resolution result.
pub const RESOLUTION_CONTEXT: &str = "https://w3id.org/did-resolution/v1";
/// The media type of a resolved document (JSON-LD).
pub const DID_LD_JSON: &str = "application/did+ld+json";

/// Why a DID did not resolve to a document, named as the DID Resolution specification names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ResolutionError {
    /// `invalidDid`: not a valid DID (or not one of this registry's chain).
    InvalidDid,
    /// `notFound`: a valid DID (or version) that is not registered.
    NotFound,
    /// `methodNotSupported`: a valid DID of another method than `did:resource`.
    MethodNotSupported,
    /// `deactivated`: the DID's latest version is its deactivation.
    Deactivated,
}

/// `didResolutionMetadata`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ResolutionMetadata {
    /// [`DID_LD_JSON`] when a document is returned.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub content_type: Option<String>,
    /// Set when resolution failed.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub error: Option<ResolutionError>,
}

/// `didDocumentMetadata`. Times are XML Schema dateTimes in UTC without fractions
/// (`2024-11-13T19:33:20Z`), version ids decimal strings (`"1"`, `"2"`, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DocumentMetadata {
    /// When the DID was created.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub created: Option<String>,
    /// When the resolved version was written.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub updated: Option<String>,
    /// The resolved version.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub version_id: Option<String>,
    /// Whether the DID is deactivated now (also when an earlier version is resolved).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub deactivated: Option<bool>,
    /// For an earlier version: when the next version was written.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub next_update: Option<String>,
    /// For an earlier version: the next version.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub next_version_id: Option<String>,
}

/// What resolving a DID returns.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ResolutionResult {
    /// [`RESOLUTION_CONTEXT`].
    #[cfg_attr(feature = "serde", serde(rename = "@context"))]
    pub context: String,
    /// The document (`null` when resolution failed).
    pub did_document: Option<DidDocument>,
    /// About the document.
    pub did_document_metadata: DocumentMetadata,
    /// About the resolution.
    pub did_resolution_metadata: ResolutionMetadata,
}

impl ResolutionResult {
    fn error(error: ResolutionError, did_document_metadata: DocumentMetadata) -> ResolutionResult {
        ResolutionResult {
            context: RESOLUTION_CONTEXT.to_string(),
            did_document: None,
            did_document_metadata,
            did_resolution_metadata: ResolutionMetadata { content_type: None, error: Some(error) },
        }
    }

    /// `invalidDid`, empty metadata.
    pub fn invalid_did() -> ResolutionResult {
        ResolutionResult::error(ResolutionError::InvalidDid, DocumentMetadata::default())
    }

    /// `notFound`, empty metadata.
    pub fn not_found() -> ResolutionResult {
        ResolutionResult::error(ResolutionError::NotFound, DocumentMetadata::default())
    }

    /// `methodNotSupported`, empty metadata.
    pub fn method_not_supported() -> ResolutionResult {
        ResolutionResult::error(ResolutionError::MethodNotSupported, DocumentMetadata::default())
    }

    /// The resolution of version `version` of a registered DID whose head is `state`: the version's
    /// document and `updated` time (`time`), and `next_time`, when the next version was written (for
    /// an earlier version). Resolving the deactivation itself (the latest version of a deactivated
    /// DID) gives the `deactivated` error with the metadata and no document; earlier versions of a
    /// deactivated DID still resolve, with `deactivated: true`. A version past the latest is
    /// `notFound`.
    pub fn resolved(
        state: &DidState,
        version: u64,
        time: u64,
        document: DidDocument,
        next_time: Option<u64>,
    ) -> ResolutionResult {
        if version == 0 || version > state.version {
            return ResolutionResult::not_found();
        }
        let latest = version == state.version;
        let metadata = DocumentMetadata {
            created: Some(xml_datetime(state.created)),
            updated: Some(xml_datetime(time)),
            version_id: Some(version.to_string()),
            deactivated: Some(state.deactivated),
            next_update: if latest { None } else { next_time.map(xml_datetime) },
            next_version_id: if latest { None } else { version.checked_add(1).map(|v| v.to_string()) },
        };
        if latest && state.deactivated {
            return ResolutionResult::error(ResolutionError::Deactivated, metadata);
        }
        ResolutionResult {
            context: RESOLUTION_CONTEXT.to_string(),
            did_document: Some(document),
            did_document_metadata: metadata,
            did_resolution_metadata: ResolutionMetadata { content_type: Some(DID_LD_JSON.to_string()), error: None },
        }
    }

    /// The resolution error, if any.
    pub fn error_kind(&self) -> Option<ResolutionError> {
        self.did_resolution_metadata.error
    }
}

/// What a resolver asks the registry for: the first step of resolving a `did:resource` DID or DID
/// URL, shared by the contract, the CLI and the SDK so that they accept and refuse the same input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolveRequest {
    /// The DID to look up.
    pub did: ResourceDid,
    /// The `versionId` DID parameter (`?versionId=3`), if given.
    pub version_id: Option<u64>,
    /// The fragment (`#key-1`): after resolution, the id of the verification method or service wanted.
    pub fragment: Option<String>,
}

impl ResolveRequest {
    /// Parses a DID or DID URL. Refusals come as the resolution result to return: `invalidDid` for
    /// anything that is not a valid `did:resource` DID, a path, a query other than one
    /// `versionId=<decimal>` parameter; `methodNotSupported` for a valid DID of another method.
    #[allow(clippy::result_large_err)]
    pub fn parse(input: &str) -> Result<ResolveRequest, ResolutionResult> {
        let url = DidUrl::parse(input).map_err(|_| ResolutionResult::invalid_did())?;
        if url.did().method() != RESOURCE_METHOD {
            return Err(ResolutionResult::method_not_supported());
        }
        let did = ResourceDid::from_did(url.did()).map_err(|_| ResolutionResult::invalid_did())?;
        if !url.path().is_empty() {
            return Err(ResolutionResult::invalid_did());
        }
        let version_id = match url.query() {
            None => None,
            Some(q) => {
                let digits = q.strip_prefix("versionId=").ok_or_else(ResolutionResult::invalid_did)?;
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(ResolutionResult::invalid_did());
                }
                Some(digits.parse::<u64>().map_err(|_| ResolutionResult::invalid_did())?)
            }
        };
        Ok(ResolveRequest { did, version_id, fragment: url.fragment().map(String::from) })
    }

    /// The DID.
    pub fn did(&self) -> &Did {
        self.did.did()
    }
}

/// Unix seconds as an XML Schema dateTime in UTC, `YYYY-MM-DDThh:mm:ssZ` (years past 9999 get more
/// digits).
pub fn xml_datetime(unix: u64) -> String {
    let days = unix / 86_400;
    let secs = unix % 86_400;
    // Howard Hinnant's civil_from_days, for days since 1970-01-01 >= 0. Every intermediate value is
    // at most about 4e14 (u64::MAX / 86_400 + 719_468), so saturating operations never saturate.
    let z = days.saturating_add(719_468);
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe.saturating_sub(doe / 1_460).saturating_add(doe / 36_524).saturating_sub(doe / 146_096)) / 365;
    let doy = doe.saturating_sub(yoe.saturating_mul(365).saturating_add(yoe / 4).saturating_sub(yoe / 100));
    let mp = doy.saturating_mul(5).saturating_add(2) / 153;
    let day = doy.saturating_sub(mp.saturating_mul(153).saturating_add(2) / 5).saturating_add(1);
    let month = if mp < 10 { mp.saturating_add(3) } else { mp.saturating_sub(9) };
    let year = yoe.saturating_add(era.saturating_mul(400)).saturating_add(u64::from(month <= 2));
    let mut out = String::with_capacity(20);
    // Writing to a String cannot fail.
    let _ =
        write!(out, "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", secs / 3_600, (secs % 3_600) / 60, secs % 60);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_match_known_dates() {
        assert_eq!(xml_datetime(0), "1970-01-01T00:00:00Z");
        assert_eq!(xml_datetime(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(xml_datetime(1_731_536_000), "2024-11-13T22:13:20Z");
        assert_eq!(xml_datetime(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(xml_datetime(4_102_444_800), "2100-01-01T00:00:00Z");
        assert_eq!(xml_datetime(253_402_300_799), "9999-12-31T23:59:59Z");
        assert!(xml_datetime(u64::MAX).ends_with('Z'));
    }
}
