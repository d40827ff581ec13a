//! DID resolution and DID URL dereferencing results (W3C DID Core 1.0 §7.1 and §7.2, DID
//! Resolution), in the form the W3C did-test-suite checks:
//! - a resolution that fails has `didResolutionMetadata.error` (a keyword of the DID Specification
//!   Registries: `invalidDid`, `invalidDidUrl`, `notFound`, `methodNotSupported`,
//!   `representationNotSupported`, `internalError`), `didDocument: null` and an empty
//!   `didDocumentMetadata`;
//! - a resolution that succeeds has `didResolutionMetadata.contentType` (the media type of the
//!   `didDocument` it carries, `application/did+ld+json`), the document and its metadata
//!   (`created`, `updated`, `versionId`, `deactivated`, and `nextUpdate` / `nextVersionId` for an
//!   earlier version);
//! - a deactivated DID resolves without error: `deactivated: true` and its final document (id and
//!   controllers, no keys or services, so nothing can act as it).
//!
//! DID URLs with `?service=<id>[&relativeRef=<ref>]` or a `#fragment` are dereferenced by
//! [`dereference`] into a [`DereferencingResult`].

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write;

use super::document::{DidDocument, DidState, Service, VerificationMethod};
use super::syntax::{Did, DidUrl, ResourceDid, RESOURCE_METHOD};

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// The context of a resolution or dereferencing result.
pub const RESOLUTION_CONTEXT: &str = "https://w3id.org/did-resolution/v1";
/// The media type of a resolved document (JSON-LD, with `@context`).
pub const DID_LD_JSON: &str = "application/did+ld+json";
/// The media type of a dereferenced service endpoint: URIs, one a line (RFC 2483).
pub const URI_LIST: &str = "text/uri-list";
/// The media type of a dereferenced verification method or service (a JSON-LD node).
pub const LD_JSON: &str = "application/ld+json";

/// Why a DID did not resolve or a DID URL did not dereference, named as DID Core 1.0 §7.1.2 /
/// §7.2.2 and the DID Specification Registries name them (single keywords).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ResolutionError {
    /// `invalidDid`: the input is not a DID (nor a DID URL) by the DID Core ABNF, or not a valid
    /// `did:resource` DID.
    InvalidDid,
    /// `invalidDidUrl`: a DID URL whose query the registry cannot use (a parameter other than
    /// `versionId`, `service`, `relativeRef`; one given twice; a malformed value).
    InvalidDidUrl,
    /// `notFound`: a valid DID, version, service or fragment that is not there (also another
    /// chain's DID, and a DID URL path, which `did:resource` does not define).
    NotFound,
    /// `methodNotSupported`: a valid DID of another method than `did:resource`.
    MethodNotSupported,
    /// `representationNotSupported`: a representation other than `application/did+ld+json` was
    /// asked for.
    RepresentationNotSupported,
    /// `internalError`: the registry could not read its own records.
    InternalError,
}

/// `didResolutionMetadata` (and `dereferencingMetadata`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ResolutionMetadata {
    /// The media type of what was returned, only when something was ([`DID_LD_JSON`] for a
    /// document).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub content_type: Option<String>,
    /// Set when resolution failed.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub error: Option<ResolutionError>,
}

impl ResolutionMetadata {
    fn success(content_type: &str) -> ResolutionMetadata {
        ResolutionMetadata { content_type: Some(content_type.to_string()), error: None }
    }

    fn failure(error: ResolutionError) -> ResolutionMetadata {
        ResolutionMetadata { content_type: None, error: Some(error) }
    }
}

/// `didDocumentMetadata`. Times are XML Schema dateTimes in UTC without fractions
/// (`2024-11-13T19:33:20Z`), version ids decimal strings (`"1"`, `"2"`, ...). Empty (`{}`) when
/// resolution failed.
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

impl DocumentMetadata {
    /// Whether nothing is set (the metadata of a failed resolution).
    pub fn is_empty(&self) -> bool {
        *self == DocumentMetadata::default()
    }
}

/// What resolving a DID returns (the DID Resolution Result).
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
    /// About the document (empty when resolution failed).
    pub did_document_metadata: DocumentMetadata,
    /// About the resolution: `contentType` on success, `error` on failure.
    pub did_resolution_metadata: ResolutionMetadata,
}

impl ResolutionResult {
    /// A failed resolution: `error`, no document, empty document metadata.
    pub fn failure(error: ResolutionError) -> ResolutionResult {
        ResolutionResult {
            context: RESOLUTION_CONTEXT.to_string(),
            did_document: None,
            did_document_metadata: DocumentMetadata::default(),
            did_resolution_metadata: ResolutionMetadata::failure(error),
        }
    }

    /// `invalidDid`.
    pub fn invalid_did() -> ResolutionResult {
        ResolutionResult::failure(ResolutionError::InvalidDid)
    }

    /// `notFound`.
    pub fn not_found() -> ResolutionResult {
        ResolutionResult::failure(ResolutionError::NotFound)
    }

    /// `methodNotSupported`.
    pub fn method_not_supported() -> ResolutionResult {
        ResolutionResult::failure(ResolutionError::MethodNotSupported)
    }

    /// The resolution of version `version` of a registered DID whose head is `state`: the version's
    /// document (with its keys in the form [`DidDocument::normalize`] writes, also for versions
    /// stored before it), its `updated` time (`time`), and `next_time`, when the next version was
    /// written (for an earlier version). A deactivated DID resolves like any other, with
    /// `deactivated: true`: its latest version is the deactivation document. A version past the
    /// latest is `notFound`.
    pub fn resolved(
        state: &DidState,
        version: u64,
        time: u64,
        mut document: DidDocument,
        next_time: Option<u64>,
    ) -> ResolutionResult {
        if version == 0 || version > state.version {
            return ResolutionResult::not_found();
        }
        let latest = version == state.version;
        document.normalize();
        ResolutionResult {
            context: RESOLUTION_CONTEXT.to_string(),
            did_document: Some(document),
            did_document_metadata: DocumentMetadata {
                created: Some(xml_datetime(state.created)),
                updated: Some(xml_datetime(time)),
                version_id: Some(version.to_string()),
                deactivated: Some(state.deactivated),
                next_update: if latest { None } else { next_time.map(xml_datetime) },
                next_version_id: if latest { None } else { version.checked_add(1).map(|v| v.to_string()) },
            },
            did_resolution_metadata: ResolutionMetadata::success(DID_LD_JSON),
        }
    }

    /// The resolution error, if any.
    pub fn error_kind(&self) -> Option<ResolutionError> {
        self.did_resolution_metadata.error
    }
}

/// What resolving a DID or DID URL asks the registry for: the first step, shared by the contract,
/// the CLI and the SDK so that they accept and refuse the same input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolveRequest {
    /// The DID to look up.
    pub did: ResourceDid,
    /// The `versionId` DID parameter (`?versionId=3`), if given.
    pub version_id: Option<u64>,
    /// The `service` DID parameter (`?service=files`, percent-decoded): the fragment of the service
    /// whose endpoint a dereferencer returns.
    pub service: Option<String>,
    /// The `relativeRef` DID parameter (percent-decoded): a relative reference (RFC 3986 §4.2)
    /// resolved against the selected service's endpoint.
    pub relative_ref: Option<String>,
    /// The fragment (`#key-1`): the id of the verification method or service wanted.
    pub fragment: Option<String>,
}

impl ResolveRequest {
    /// Parses a DID or DID URL. Refusals come as the failure to return: `invalidDid` for anything
    /// that is not a DID URL or not a valid `did:resource` DID, `methodNotSupported` for a valid
    /// DID of another method, `notFound` for a path, `invalidDidUrl` for a query the registry
    /// cannot use (see [`ResolutionError::InvalidDidUrl`]).
    pub fn parse(input: &str) -> Result<ResolveRequest, ResolutionError> {
        let url = DidUrl::parse(input).map_err(|_| ResolutionError::InvalidDid)?;
        if url.did().method() != RESOURCE_METHOD {
            return Err(ResolutionError::MethodNotSupported);
        }
        let did = ResourceDid::from_did(url.did()).map_err(|_| ResolutionError::InvalidDid)?;
        if !url.path().is_empty() {
            return Err(ResolutionError::NotFound);
        }
        let mut request = ResolveRequest { did, version_id: None, service: None, relative_ref: None, fragment: None };
        if let Some(query) = url.query() {
            for pair in query.split('&') {
                let (name, raw) = pair.split_once('=').ok_or(ResolutionError::InvalidDidUrl)?;
                let value = percent_decode(raw).ok_or(ResolutionError::InvalidDidUrl)?;
                let slot = match name {
                    "versionId" => {
                        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                            return Err(ResolutionError::InvalidDidUrl);
                        }
                        let v = value.parse::<u64>().map_err(|_| ResolutionError::InvalidDidUrl)?;
                        if request.version_id.replace(v).is_some() {
                            return Err(ResolutionError::InvalidDidUrl);
                        }
                        continue;
                    }
                    "service" => &mut request.service,
                    "relativeRef" => &mut request.relative_ref,
                    _ => return Err(ResolutionError::InvalidDidUrl),
                };
                if value.is_empty() || slot.replace(value).is_some() {
                    return Err(ResolutionError::InvalidDidUrl);
                }
            }
        }
        // relativeRef only means something against a selected service.
        if request.relative_ref.is_some() && request.service.is_none() {
            return Err(ResolutionError::InvalidDidUrl);
        }
        request.fragment = url.fragment().map(String::from);
        Ok(request)
    }

    /// The DID.
    pub fn did(&self) -> &Did {
        self.did.did()
    }

    /// Whether the URL asks for more than the document (a service or a fragment).
    pub fn is_dereference(&self) -> bool {
        self.service.is_some() || self.fragment.is_some()
    }
}

/// Percent-decodes a DID URL query value into UTF-8 (`None` for a bad escape or invalid UTF-8).
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = text.get(i.saturating_add(1)..i.saturating_add(3))?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i = i.saturating_add(3);
        } else {
            out.push(b);
            i = i.saturating_add(1);
        }
    }
    String::from_utf8(out).ok()
}

// ---------------------------------------------------------------------------------------------
// dereferencing

/// What a DID URL dereferences to.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(clippy::large_enum_variant)]
pub enum Content {
    /// `?service=`: the selected service's endpoint URL(s), one a line ([`URI_LIST`]).
    Url(String),
    /// A DID without service or fragment: its document ([`DID_LD_JSON`]).
    Document(DidDocument),
    /// `#fragment` naming a verification method ([`LD_JSON`]).
    VerificationMethod(VerificationMethod),
    /// `#fragment` naming a service ([`LD_JSON`]).
    Service(Service),
}

/// The DID URL Dereferencing Result (DID Core 1.0 §7.2).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DereferencingResult {
    /// [`RESOLUTION_CONTEXT`].
    #[cfg_attr(feature = "serde", serde(rename = "@context"))]
    pub context: String,
    /// `contentType` on success, `error` on failure.
    pub dereferencing_metadata: ResolutionMetadata,
    /// The resource (`null` on failure).
    pub content_stream: Option<Content>,
    /// The document's metadata when the resource is or is part of the DID document; empty on
    /// failure.
    pub content_metadata: DocumentMetadata,
}

impl DereferencingResult {
    /// A failed dereference: `error`, no content, empty metadata.
    pub fn failure(error: ResolutionError) -> DereferencingResult {
        DereferencingResult {
            context: RESOLUTION_CONTEXT.to_string(),
            dereferencing_metadata: ResolutionMetadata::failure(error),
            content_stream: None,
            content_metadata: DocumentMetadata::default(),
        }
    }

    /// The dereferencing error, if any.
    pub fn error_kind(&self) -> Option<ResolutionError> {
        self.dereferencing_metadata.error
    }
}

/// Dereferences `request` given the resolution of its DID (DID Core 1.0 §7.2, DID Resolution
/// §5.4): a failed resolution fails the same way; `service=<id>` selects the service
/// `<did>#<id>` and returns its endpoint URLs (each with `relativeRef` resolved against it per
/// RFC 3986 §5.2, and the URL's fragment appended when the result has none); otherwise a fragment
/// selects the verification method or service with that id; otherwise the document itself.
/// Nothing there is `notFound`.
pub fn dereference(request: &ResolveRequest, resolution: ResolutionResult) -> DereferencingResult {
    let (Some(document), None) = (resolution.did_document, resolution.did_resolution_metadata.error) else {
        return DereferencingResult::failure(
            resolution.did_resolution_metadata.error.unwrap_or(ResolutionError::NotFound),
        );
    };
    let found = |content_type: &str, content: Content| DereferencingResult {
        context: RESOLUTION_CONTEXT.to_string(),
        dereferencing_metadata: ResolutionMetadata::success(content_type),
        content_stream: Some(content),
        content_metadata: resolution.did_document_metadata.clone(),
    };
    let by_fragment = |fragment: &str| document.id.with_fragment(fragment).ok();
    if let Some(service) = &request.service {
        let Some(selected) = by_fragment(service).and_then(|id| document.service(&id)) else {
            return DereferencingResult::failure(ResolutionError::NotFound);
        };
        let mut lines = Vec::new();
        for endpoint in selected.service_endpoint.uris() {
            let mut url = match &request.relative_ref {
                Some(r) => match resolve_reference(endpoint, r) {
                    Some(u) => u,
                    None => return DereferencingResult::failure(ResolutionError::InvalidDidUrl),
                },
                None => endpoint.clone(),
            };
            if let Some(fragment) = request.fragment.as_deref().filter(|_| !url.contains('#')) {
                url.push('#');
                url.push_str(fragment);
            }
            lines.push(url);
        }
        return found(URI_LIST, Content::Url(lines.join("\r\n")));
    }
    if let Some(fragment) = &request.fragment {
        let Some(id) = by_fragment(fragment) else { return DereferencingResult::failure(ResolutionError::NotFound) };
        if let Some(m) = document.verification_method(&id) {
            return found(LD_JSON, Content::VerificationMethod(m.clone()));
        }
        if let Some(s) = document.service(&id) {
            return found(LD_JSON, Content::Service(s.clone()));
        }
        return DereferencingResult::failure(ResolutionError::NotFound);
    }
    found(DID_LD_JSON, Content::Document(document))
}

/// RFC 3986 §5.2 reference resolution of a relative reference (no scheme, no authority: a
/// `relativeRef` may not leave the service's host) against an absolute `base` URL; `None` when
/// `base` has no `scheme://authority` or the reference is not relative.
pub fn resolve_reference(base: &str, reference: &str) -> Option<String> {
    if reference.starts_with("//")
        || reference.split(['/', '?', '#']).next().is_some_and(|first| first.contains(':'))
        || reference.bytes().any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return None;
    }
    let scheme_end = base.find("://")?;
    let after_scheme = scheme_end.checked_add(3)?;
    let rest = base.get(after_scheme..)?;
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = base.get(..after_scheme.checked_add(authority_len)?)?;
    let base_rest = rest.get(authority_len..)?;
    let base_no_fragment = base_rest.split('#').next().unwrap_or_default();
    let (base_path, base_query) = match base_no_fragment.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (base_no_fragment, None),
    };
    let (ref_no_fragment, ref_fragment) = match reference.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (reference, None),
    };
    let (ref_path, ref_query) = match ref_no_fragment.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (ref_no_fragment, None),
    };
    let (path, query) = if ref_path.is_empty() {
        (String::from(base_path), ref_query.or(base_query))
    } else if ref_path.starts_with('/') {
        (remove_dot_segments(ref_path), ref_query)
    } else {
        // merge (§5.2.3): the base path up to its last `/`, or `/` for an empty base path
        let dir = base_path.rfind('/').and_then(|i| base_path.get(..=i)).unwrap_or("/");
        let mut merged = String::from(dir);
        merged.push_str(ref_path);
        (remove_dot_segments(&merged), ref_query)
    };
    let mut out = String::from(origin);
    out.push_str(&path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = ref_fragment {
        out.push('#');
        out.push_str(f);
    }
    Some(out)
}

/// RFC 3986 §5.2.4 for an absolute path: `.` and `..` segments removed, never above the root.
fn remove_dot_segments(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    let last = parts.len().saturating_sub(1);
    let mut trailing_slash = false;
    for (i, segment) in parts.iter().enumerate() {
        match *segment {
            "." => trailing_slash = i == last,
            ".." => {
                segments.pop();
                trailing_slash = i == last;
            }
            s => {
                segments.push(s);
                trailing_slash = false;
            }
        }
    }
    let mut out = String::new();
    for s in &segments {
        out.push('/');
        out.push_str(s);
    }
    if trailing_slash || out.is_empty() {
        out.push('/');
    }
    out
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

    #[test]
    fn relative_references_resolve_as_rfc3986_says() {
        let base = "https://a.example/b/c/d;p?q";
        // RFC 3986 §5.4.1 normal examples that a relativeRef can express (no scheme, no authority)
        for (r, expected) in [
            ("g", "https://a.example/b/c/g"),
            ("./g", "https://a.example/b/c/g"),
            ("g/", "https://a.example/b/c/g/"),
            ("/g", "https://a.example/g"),
            ("?y", "https://a.example/b/c/d;p?y"),
            ("g?y", "https://a.example/b/c/g?y"),
            ("#s", "https://a.example/b/c/d;p?q#s"),
            ("g#s", "https://a.example/b/c/g#s"),
            (";x", "https://a.example/b/c/;x"),
            (".", "https://a.example/b/c/"),
            ("..", "https://a.example/b/"),
            ("../g", "https://a.example/b/g"),
            ("../..", "https://a.example/"),
            ("../../../g", "https://a.example/g"),
            ("/./g", "https://a.example/g"),
        ] {
            assert_eq!(resolve_reference(base, r).as_deref(), Some(expected), "{r}");
        }
        assert_eq!(
            resolve_reference("https://a.example", "/resume.pdf").as_deref(),
            Some("https://a.example/resume.pdf")
        );
        for escaping in ["//evil.example/x", "https:x", "javascript:alert(1)", "a b"] {
            assert_eq!(resolve_reference(base, escaping), None, "{escaping}");
        }
        assert_eq!(resolve_reference("mailto:x@example.com", "/a"), None);
    }
}
