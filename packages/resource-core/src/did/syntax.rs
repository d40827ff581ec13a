//! DID and DID URL syntax (W3C DID Core 1.0, §3.1 and §3.2) and the `did:resource` method's
//! identifiers.
//!
//! ```text
//! did                = "did:" method-name ":" method-specific-id
//! method-name        = 1*method-char
//! method-char        = %x61-7A / DIGIT
//! method-specific-id = *( *idchar ":" ) 1*idchar
//! idchar             = ALPHA / DIGIT / "." / "-" / "_" / pct-encoded
//! pct-encoded        = "%" HEXDIG HEXDIG
//! did-url            = did path-abempty [ "?" query ] [ "#" fragment ]
//! ```
//!
//! `path-abempty`, `query` and `fragment` are RFC 3986's: `pchar` (unreserved, pct-encoded,
//! sub-delims, `:`, `@`) with `/` between path segments and `/`, `?` in query and fragment.
//! Parsing keeps the string exactly as given, so `parse(s)?.to_string() == s`.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use bech32::primitives::decode::CheckedHrpstring;

use super::error::{DidError, Segment, UrlPart};

/// The method name of this registry's DIDs.
pub const RESOURCE_METHOD: &str = "resource";

const SCHEME: &str = "did:";

fn is_idchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn is_sub_delim(b: u8) -> bool {
    matches!(b, b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=')
}

fn is_pchar(b: u8) -> bool {
    is_unreserved(b) || is_sub_delim(b) || b == b':' || b == b'@'
}

/// `bytes[i] == '%'` is followed by two hex digits.
fn pct_ok(bytes: &[u8], i: usize) -> bool {
    let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
    hex(i.saturating_add(1)) && hex(i.saturating_add(2))
}

/// The character starting at byte `i` (a char boundary: everything before it is ASCII).
fn char_at(s: &str, i: usize) -> char {
    s.get(i..).and_then(|rest| rest.chars().next()).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// Scans the DID at the start of `s`: returns (end of the method name, end of the DID).
fn scan_did(s: &str) -> Result<(usize, usize), DidError> {
    let b = s.as_bytes();
    if !s.starts_with(SCHEME) {
        return Err(DidError::Scheme);
    }
    let mut i = SCHEME.len();
    loop {
        match b.get(i) {
            None if i == SCHEME.len() => return Err(DidError::EmptyMethod),
            None => return Err(DidError::MissingMethodSpecificId),
            Some(b':') => break,
            Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() => i = i.saturating_add(1),
            Some(_) => return Err(DidError::MethodChar { index: i, character: char_at(s, i) }),
        }
    }
    if i == SCHEME.len() {
        return Err(DidError::EmptyMethod);
    }
    let method_end = i;
    let start = i.saturating_add(1);
    i = start;
    let mut last_colon = None;
    loop {
        match b.get(i) {
            None | Some(b'/' | b'?' | b'#') => break,
            Some(b':') => {
                last_colon = Some(i);
                i = i.saturating_add(1);
            }
            Some(b'%') => {
                if !pct_ok(b, i) {
                    return Err(DidError::PercentEncoding { index: i });
                }
                i = i.saturating_add(3);
            }
            Some(&c) if is_idchar(c) => i = i.saturating_add(1),
            Some(_) => return Err(DidError::IdChar { index: i, character: char_at(s, i) }),
        }
    }
    if i == start {
        return Err(DidError::EmptyMethodSpecificId);
    }
    if let Some(colon) = last_colon.filter(|&c| c.saturating_add(1) == i) {
        return Err(DidError::TrailingColon { index: colon });
    }
    Ok((method_end, i))
}

/// Checks the characters of one DID URL part, `text`, which starts at byte `offset` of the whole
/// string; returns where the part ends (at the first delimiter that ends it, or the end).
fn scan_part(s: &str, offset: usize, part: UrlPart) -> Result<usize, DidError> {
    let b = s.as_bytes();
    let mut i = offset;
    while let Some(&c) = b.get(i) {
        let ends = match part {
            UrlPart::Path => c == b'?' || c == b'#',
            UrlPart::Query => c == b'#',
            UrlPart::Fragment => false,
        };
        if ends {
            break;
        }
        if c == b'%' {
            if !pct_ok(b, i) {
                return Err(DidError::PercentEncoding { index: i });
            }
            i = i.saturating_add(3);
            continue;
        }
        let allowed = match part {
            UrlPart::Path => is_pchar(c) || c == b'/',
            UrlPart::Query | UrlPart::Fragment => is_pchar(c) || c == b'/' || c == b'?',
        };
        if !allowed {
            return Err(DidError::UrlChar { part, index: i, character: char_at(s, i) });
        }
        i = i.saturating_add(1);
    }
    Ok(i)
}

fn part_at(s: &str, i: usize) -> UrlPart {
    match s.as_bytes().get(i) {
        Some(b'?') => UrlPart::Query,
        Some(b'#') => UrlPart::Fragment,
        _ => UrlPart::Path,
    }
}

// ---------------------------------------------------------------------------------------------
// Did

/// A DID: `did:<method>:<method-specific-id>`, exactly as written (DIDs compare as strings).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Did {
    text: String,
    method_end: usize,
}

impl Did {
    /// Parses a DID; a DID URL (with path, query or fragment) is refused with [`DidError::NotPlainDid`].
    pub fn parse(s: &str) -> Result<Did, DidError> {
        let (method_end, end) = scan_did(s)?;
        if end < s.len() {
            return Err(DidError::NotPlainDid { part: part_at(s, end), index: end });
        }
        Ok(Did { text: s.to_string(), method_end })
    }

    /// The whole DID.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The method name (`resource` in `did:resource:...`).
    pub fn method(&self) -> &str {
        self.text.get(SCHEME.len()..self.method_end).unwrap_or_default()
    }

    /// Everything after `did:<method>:`.
    pub fn method_specific_id(&self) -> &str {
        self.text.get(self.method_end.saturating_add(1)..).unwrap_or_default()
    }

    /// The DID URL `<this DID>#<fragment>`, the id form of verification methods and services (a
    /// non-empty fragment of RFC 3986 characters).
    pub fn with_fragment(&self, fragment: &str) -> Result<DidUrl, DidError> {
        if fragment.is_empty() {
            return Err(DidError::Fragment { fragment: String::new(), reason: "it is empty" });
        }
        DidUrl::parse(&format!("{self}#{fragment}"))
    }
}

impl fmt::Display for Did {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Did {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Did({})", self.text)
    }
}

impl FromStr for Did {
    type Err = DidError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Did::parse(s)
    }
}

impl AsRef<str> for Did {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

// ---------------------------------------------------------------------------------------------
// DidUrl

/// A DID URL: a DID followed by an optional path, query and fragment (absolute form only).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DidUrl {
    did: Did,
    path: String,
    query: Option<String>,
    fragment: Option<String>,
}

impl DidUrl {
    /// Parses a DID URL (a plain DID is a DID URL too).
    pub fn parse(s: &str) -> Result<DidUrl, DidError> {
        let (method_end, did_end) = scan_did(s)?;
        let path_end = scan_part(s, did_end, UrlPart::Path)?;
        let mut i = path_end;
        let mut query = None;
        if s.as_bytes().get(i) == Some(&b'?') {
            let start = i.saturating_add(1);
            i = scan_part(s, start, UrlPart::Query)?;
            query = Some(s.get(start..i).unwrap_or_default().to_string());
        }
        let mut fragment = None;
        if s.as_bytes().get(i) == Some(&b'#') {
            let start = i.saturating_add(1);
            i = scan_part(s, start, UrlPart::Fragment)?;
            fragment = Some(s.get(start..i).unwrap_or_default().to_string());
        }
        Ok(DidUrl {
            did: Did { text: s.get(..did_end).unwrap_or_default().to_string(), method_end },
            path: s.get(did_end..path_end).unwrap_or_default().to_string(),
            query,
            fragment,
        })
    }

    /// The DID.
    pub fn did(&self) -> &Did {
        &self.did
    }

    /// The path (`""` or starting with `/`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query without `?` (`Some("")` for a bare `?`).
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// The fragment without `#` (`Some("")` for a bare `#`).
    pub fn fragment(&self) -> Option<&str> {
        self.fragment.as_deref()
    }

    /// The value of `name` in a `name=value&...` query (the DID parameters of DID Core §3.2.1, such
    /// as `versionId`), as written (not percent-decoded).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query()?.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key == name).then_some(value)
        })
    }

    /// The fragment when this URL is `<did>#<fragment>` with no path or query, else `None`.
    pub fn fragment_of(&self, did: &Did) -> Option<&str> {
        if self.did == *did && self.path.is_empty() && self.query.is_none() {
            self.fragment()
        } else {
            None
        }
    }
}

impl fmt::Display for DidUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.did.as_str())?;
        f.write_str(&self.path)?;
        if let Some(q) = &self.query {
            write!(f, "?{q}")?;
        }
        if let Some(frag) = &self.fragment {
            write!(f, "#{frag}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for DidUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DidUrl({self})")
    }
}

impl FromStr for DidUrl {
    type Err = DidError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DidUrl::parse(s)
    }
}

impl From<Did> for DidUrl {
    fn from(did: Did) -> Self {
        DidUrl { did, path: String::new(), query: None, fragment: None }
    }
}

// ---------------------------------------------------------------------------------------------
// ResourceDid

/// A `did:resource:<chain-id>:<bech32-address>[:<suffix>]` DID.
///
/// - chain id: 1 to [`ResourceDid::MAX_CHAIN_ID_LEN`] characters of `A-Z a-z 0-9 . - _` (a Cosmos
///   chain id as CometBFT allows it, minus characters a DID cannot carry unescaped);
/// - address: a lowercase bech32 string with a valid checksum encoding 1 to 64 bytes (the account
///   that owns the DID);
/// - suffix: 1 to [`ResourceDid::MAX_SUFFIX_LEN`] characters of `A-Z a-z 0-9 . - _`, for further DIDs
///   of that address (an organisation, a store, a device).
///
/// No segment may contain `%`-escapes, so every DID has exactly one spelling.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceDid {
    did: Did,
    chain_id: String,
    address: String,
    suffix: Option<String>,
}

impl ResourceDid {
    /// Longest chain id (CometBFT's limit).
    pub const MAX_CHAIN_ID_LEN: usize = 50;
    /// Longest address.
    pub const MAX_ADDRESS_LEN: usize = 120;
    /// Longest suffix.
    pub const MAX_SUFFIX_LEN: usize = 64;
    /// Most bytes an address may encode.
    pub const MAX_ADDRESS_BYTES: usize = 64;

    /// Parses and checks a `did:resource` DID.
    pub fn parse(s: &str) -> Result<ResourceDid, DidError> {
        ResourceDid::from_did(&Did::parse(s)?)
    }

    /// Checks that a parsed DID is a valid `did:resource` DID.
    pub fn from_did(did: &Did) -> Result<ResourceDid, DidError> {
        if did.method() != RESOURCE_METHOD {
            return Err(DidError::WrongMethod { method: did.method().to_string() });
        }
        let mut offset = did.method_end.saturating_add(1);
        let mut segments = Vec::with_capacity(3);
        for segment in did.method_specific_id().split(':') {
            segments.push((segment, offset));
            offset = offset.saturating_add(segment.len()).saturating_add(1);
        }
        let (chain, address, suffix) = match segments.as_slice() {
            [chain, address] => (*chain, *address, None),
            [chain, address, suffix] => (*chain, *address, Some(*suffix)),
            other => return Err(DidError::Segments { found: other.len() }),
        };
        check_segment(Segment::ChainId, chain.0, chain.1, ResourceDid::MAX_CHAIN_ID_LEN, is_idchar)?;
        check_address(address.0, address.1)?;
        if let Some((text, at)) = suffix {
            check_segment(Segment::Suffix, text, at, ResourceDid::MAX_SUFFIX_LEN, is_idchar)?;
        }
        Ok(ResourceDid {
            did: did.clone(),
            chain_id: chain.0.to_string(),
            address: address.0.to_string(),
            suffix: suffix.map(|(s, _)| s.to_string()),
        })
    }

    /// Builds and checks `did:resource:<chain_id>:<address>[:<suffix>]`.
    pub fn new(chain_id: &str, address: &str, suffix: Option<&str>) -> Result<ResourceDid, DidError> {
        let prefix = format!("did:{RESOURCE_METHOD}:");
        let mut at = prefix.len();
        check_segment(Segment::ChainId, chain_id, at, ResourceDid::MAX_CHAIN_ID_LEN, is_idchar)?;
        at = at.saturating_add(chain_id.len()).saturating_add(1);
        check_address(address, at)?;
        at = at.saturating_add(address.len()).saturating_add(1);
        if let Some(s) = suffix {
            check_segment(Segment::Suffix, s, at, ResourceDid::MAX_SUFFIX_LEN, is_idchar)?;
        }
        let text = match suffix {
            Some(s) => format!("{prefix}{chain_id}:{address}:{s}"),
            None => format!("{prefix}{chain_id}:{address}"),
        };
        ResourceDid::parse(&text)
    }

    /// The account DID of `address` on `chain_id`: `did:resource:<chain_id>:<address>`.
    pub fn account(chain_id: &str, address: &str) -> Result<ResourceDid, DidError> {
        ResourceDid::new(chain_id, address, None)
    }

    /// The text of the account DID of an address **the chain has already validated** (a contract's
    /// `Addr`, a signer): `did:resource:<chain_id>:<address>`.
    ///
    /// Checks the chain id and the address's characters exactly as [`ResourceDid::account`] does, but
    /// not the address's bech32 checksum, and builds no parsed DID: contracts that only write DIDs
    /// (the credit token's reputation records) stay about 10 KB smaller in wasm than with the full
    /// parser. Anything that reads a DID from outside must use [`ResourceDid::parse`].
    pub fn account_text_of_valid_address(chain_id: &str, address: &str) -> Result<String, DidError> {
        let prefix_len = "did:".len().saturating_add(RESOURCE_METHOD.len()).saturating_add(1);
        check_segment(Segment::ChainId, chain_id, prefix_len, ResourceDid::MAX_CHAIN_ID_LEN, is_idchar)?;
        let at = prefix_len.saturating_add(chain_id.len()).saturating_add(1);
        let lower = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        check_segment(Segment::Address, address, at, ResourceDid::MAX_ADDRESS_LEN, lower)?;
        Ok(format!("did:{RESOURCE_METHOD}:{chain_id}:{address}"))
    }

    /// [`ResourceDid::account_text_of_valid_address`] as a [`Did`], for contracts that put another
    /// member's DID into what they write (the credit token's vouch records), with the same checks and
    /// without the DID parser: the text is built here, so its method's end is known.
    pub fn account_did_of_valid_address(chain_id: &str, address: &str) -> Result<Did, DidError> {
        let text = ResourceDid::account_text_of_valid_address(chain_id, address)?;
        let method_end = SCHEME.len().saturating_add(RESOURCE_METHOD.len());
        Ok(Did { text, method_end })
    }

    /// The chain id.
    pub fn chain_id(&self) -> &str {
        &self.chain_id
    }

    /// The bech32 address.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The suffix, for a DID that is not its address's account DID.
    pub fn suffix(&self) -> Option<&str> {
        self.suffix.as_deref()
    }

    /// Whether this is the account DID of its address (no suffix).
    pub fn is_account(&self) -> bool {
        self.suffix.is_none()
    }

    /// The account DID of this DID's address (itself when it has no suffix).
    pub fn account_did(&self) -> ResourceDid {
        match &self.suffix {
            None => self.clone(),
            Some(suffix) => {
                // The account DID is this DID minus `:` and the suffix: a valid prefix of it.
                let end = self.did.text.len().saturating_sub(suffix.len()).saturating_sub(1);
                let text = self.did.text.get(..end).unwrap_or_default().to_string();
                ResourceDid {
                    did: Did { text, method_end: self.did.method_end },
                    chain_id: self.chain_id.clone(),
                    address: self.address.clone(),
                    suffix: None,
                }
            }
        }
    }

    /// The DID.
    pub fn did(&self) -> &Did {
        &self.did
    }

    /// The DID, owned.
    pub fn into_did(self) -> Did {
        self.did
    }
}

impl fmt::Display for ResourceDid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.did.fmt(f)
    }
}

impl fmt::Debug for ResourceDid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResourceDid({})", self.did)
    }
}

impl FromStr for ResourceDid {
    type Err = DidError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ResourceDid::parse(s)
    }
}

impl From<ResourceDid> for Did {
    fn from(d: ResourceDid) -> Did {
        d.did
    }
}

/// Whether `did` is the account DID (`did:resource:<chain_id>:<address>`, no suffix) of some address
/// on `chain_id`.
pub fn is_account_did(did: &Did, chain_id: &str) -> bool {
    ResourceDid::from_did(did).is_ok_and(|r| r.is_account() && r.chain_id == chain_id)
}

fn check_segment(
    segment: Segment,
    text: &str,
    offset: usize,
    max: usize,
    allowed: fn(u8) -> bool,
) -> Result<(), DidError> {
    if text.is_empty() {
        return Err(DidError::EmptySegment { segment });
    }
    if text.len() > max {
        return Err(DidError::SegmentTooLong { segment, len: text.len(), max });
    }
    match text.bytes().position(|b| !allowed(b)) {
        Some(i) => Err(DidError::SegmentChar { segment, index: offset.saturating_add(i), character: char_at(text, i) }),
        None => Ok(()),
    }
}

fn check_address(address: &str, offset: usize) -> Result<(), DidError> {
    let lower = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    check_segment(Segment::Address, address, offset, ResourceDid::MAX_ADDRESS_LEN, lower)?;
    let bad = |reason| DidError::Bech32 { address: address.to_string(), reason };
    let Some(separator) = address.rfind('1') else { return Err(bad("it has no `1` separator")) };
    if separator == 0 {
        return Err(bad("the prefix before `1` is empty"));
    }
    let checked = CheckedHrpstring::new::<bech32::Bech32>(address).map_err(|e| {
        bad(match e {
            bech32::primitives::decode::CheckedHrpstringError::Checksum(_) => {
                "the checksum does not match (a typo?) or it is too short"
            }
            _ => "it has characters outside the bech32 alphabet (no `1`, `b`, `i`, `o` after the separator)",
        })
    })?;
    if checked.validate_segwit_padding().is_err() {
        return Err(bad("its data does not end on a whole byte"));
    }
    let bytes = checked.byte_iter().count();
    if bytes == 0 || bytes > ResourceDid::MAX_ADDRESS_BYTES {
        return Err(bad("it must encode 1 to 64 bytes"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// serde and schema: DIDs and DID URLs are JSON strings.

#[cfg(feature = "serde")]
mod serde_impls {
    use super::*;
    use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

    macro_rules! string_serde {
        ($t:ty, $what:literal) => {
            impl Serialize for $t {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.collect_str(self)
                }
            }

            impl<'de> Deserialize<'de> for $t {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    struct V;
                    impl de::Visitor<'_> for V {
                        type Value = $t;
                        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                            f.write_str($what)
                        }
                        fn visit_str<E: de::Error>(self, v: &str) -> Result<$t, E> {
                            v.parse::<$t>().map_err(|e| E::custom(format!("invalid {} `{v}`: {e}", $what)))
                        }
                    }
                    d.deserialize_str(V)
                }
            }
        };
    }

    string_serde!(Did, "DID");
    string_serde!(DidUrl, "DID URL");
    string_serde!(ResourceDid, "did:resource DID");
}

#[cfg(feature = "schemars")]
mod schema_impls {
    use super::*;
    use schemars::gen::SchemaGenerator;
    use schemars::schema::{InstanceType, Schema, SchemaObject};
    use schemars::JsonSchema;

    fn string_schema(description: &str) -> Schema {
        let mut schema = SchemaObject { instance_type: Some(InstanceType::String.into()), ..Default::default() };
        schema.metadata().description = Some(description.to_string());
        schema.into()
    }

    impl JsonSchema for Did {
        fn schema_name() -> String {
            "Did".to_string()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            string_schema("A DID (W3C DID Core): did:<method>:<method-specific-id>")
        }
    }

    impl JsonSchema for DidUrl {
        fn schema_name() -> String {
            "DidUrl".to_string()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            string_schema("A DID URL (W3C DID Core): a DID with optional /path, ?query and #fragment")
        }
    }

    impl JsonSchema for ResourceDid {
        fn schema_name() -> String {
            "ResourceDid".to_string()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            string_schema("did:resource:<chain-id>:<bech32-address>[:<suffix>]")
        }
    }
}
