use alloc::string::String;
use core::fmt;

use super::keys::KeyType;

/// The part of a DID URL after the DID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlPart {
    /// `/...` (RFC 3986 path-abempty).
    Path,
    /// `?...`.
    Query,
    /// `#...`.
    Fragment,
}

impl fmt::Display for UrlPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UrlPart::Path => "path",
            UrlPart::Query => "query",
            UrlPart::Fragment => "fragment",
        })
    }
}

/// A segment of a `did:resource:<chain-id>:<address>[:<suffix>]` method-specific id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// The chain id.
    ChainId,
    /// The bech32 account address.
    Address,
    /// The optional suffix of an additional DID.
    Suffix,
}

impl Segment {
    fn allowed(self) -> &'static str {
        match self {
            Segment::ChainId => "a chain id has letters, digits, `.`, `-` and `_` only",
            Segment::Address => "write the address in lowercase bech32 (a-z, 0-9)",
            Segment::Suffix => "a suffix has letters, digits, `.`, `-` and `_` only",
        }
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Segment::ChainId => "chain id",
            Segment::Address => "address",
            Segment::Suffix => "suffix",
        })
    }
}

/// Why a string is not a DID, a DID URL or a `did:resource` DID. Indices are 0-based byte offsets
/// into the whole string (everything before the offending character is ASCII, so they are also
/// character counts).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DidError {
    /// Does not start with `did:`.
    #[error("a DID starts with `did:` in lowercase: did:<method>:<method-specific-id>")]
    Scheme,

    /// `did::...`.
    #[error("the DID method name is empty; write did:<method>:<method-specific-id>")]
    EmptyMethod,

    /// A method name character other than `a-z`, `0-9`.
    #[error("'{character}' at index {index} is not allowed in a DID method name (lowercase a-z and 0-9 only)")]
    MethodChar {
        /// Where.
        index: usize,
        /// What.
        character: char,
    },

    /// `did:example` without the `:` that starts the method-specific id.
    #[error("the DID has no method-specific id; write did:<method>:<method-specific-id>")]
    MissingMethodSpecificId,

    /// `did:example:`.
    #[error("the DID's method-specific id is empty; write did:<method>:<method-specific-id>")]
    EmptyMethodSpecificId,

    /// `did:example:abc:`.
    #[error("the method-specific id ends with `:` at index {index}; its last segment must not be empty")]
    TrailingColon {
        /// The last colon.
        index: usize,
    },

    /// A character outside `ALPHA / DIGIT / "." / "-" / "_" / ":" / pct-encoded`.
    #[error(
        "'{character}' at index {index} is not allowed in a method-specific id (letters, digits, `.`, `-`, `_`, `:` \
         and %-escapes only); percent-encode it"
    )]
    IdChar {
        /// Where.
        index: usize,
        /// What.
        character: char,
    },

    /// `%` not followed by two hex digits.
    #[error("bad percent-encoding at index {index}: `%` must be followed by two hex digits (0-9, A-F)")]
    PercentEncoding {
        /// The `%`.
        index: usize,
    },

    /// A character RFC 3986 does not allow in that part of a DID URL.
    #[error("'{character}' at index {index} is not allowed in the {part} of a DID URL; percent-encode it")]
    UrlChar {
        /// Path, query or fragment.
        part: UrlPart,
        /// Where.
        index: usize,
        /// What.
        character: char,
    },

    /// A DID was expected but the string goes on with a path, query or fragment.
    #[error("expected a DID, found a DID URL with a {part} at index {index}; remove everything from there on")]
    NotPlainDid {
        /// What follows the DID.
        part: UrlPart,
        /// Where it starts.
        index: usize,
    },

    /// A fragment that cannot name a verification method or service.
    #[error("the fragment `{fragment}` is not valid: {reason}")]
    Fragment {
        /// The fragment given.
        fragment: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A DID of another method where `did:resource` is expected.
    #[error("`did:{method}:...` is not a did:resource DID; write did:resource:<chain-id>:<address>[:<suffix>]")]
    WrongMethod {
        /// The method found.
        method: String,
    },

    /// Fewer than 2 or more than 3 segments.
    #[error(
        "a did:resource DID has 2 or 3 `:`-separated segments after `did:resource:` \
         (<chain-id>:<address>[:<suffix>]), found {found}"
    )]
    Segments {
        /// How many there are.
        found: usize,
    },

    /// An empty chain id, address or suffix.
    #[error("the {segment} of the did:resource DID is empty")]
    EmptySegment {
        /// Which.
        segment: Segment,
    },

    /// A chain id, address or suffix that is too long.
    #[error("the {segment} of the did:resource DID has {len} characters; at most {max} are allowed")]
    SegmentTooLong {
        /// Which.
        segment: Segment,
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },

    /// A character not allowed in that segment (including every %-escape).
    #[error("'{character}' at index {index} is not allowed in the {segment} of a did:resource DID; {}", .segment.allowed())]
    SegmentChar {
        /// Which.
        segment: Segment,
        /// Where.
        index: usize,
        /// What.
        character: char,
    },

    /// The address segment is not a valid bech32 string.
    #[error("the address `{address}` is not a valid bech32 address: {reason}")]
    Bech32 {
        /// The address.
        address: String,
        /// What is wrong.
        reason: &'static str,
    },
}

/// Why key material in a verification method or attester entry was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Neither `publicKeyMultibase` nor `publicKeyJwk`.
    #[error("a {kind} needs its public key in {expected}")]
    MissingKey {
        /// The method's type.
        kind: KeyType,
        /// The property it needs.
        expected: &'static str,
    },

    /// Both key forms at once.
    #[error("give either publicKeyMultibase or publicKeyJwk, not both")]
    BothKeyForms,

    /// The key is in the other form than the type requires.
    #[error("a {kind} takes its key in {expected} only")]
    WrongKeyForm {
        /// The method's type.
        kind: KeyType,
        /// The property it takes.
        expected: &'static str,
    },

    /// A multibase string that is not base58btc.
    #[error("publicKeyMultibase must be base58btc: start with `z`")]
    NotBase58btc,

    /// A character outside the base58 alphabet, or an empty key.
    #[error("publicKeyMultibase is not valid base58btc: {reason}")]
    Base58 {
        /// What is wrong.
        reason: String,
    },

    /// A multicodec prefix this registry does not know.
    #[error(
        "publicKeyMultibase starts with the unknown multicodec prefix 0x{prefix:04x}; expected ed25519-pub (0xed01), \
         secp256k1-pub (0xe701) or bls12_381-g2-pub (0xeb01)"
    )]
    UnknownCodec {
        /// The first two decoded bytes.
        prefix: u16,
    },

    /// A key of another algorithm than the method's type.
    #[error("a {kind} needs a {expected} key, found a {found} key")]
    WrongCodec {
        /// The method's type.
        kind: KeyType,
        /// The algorithm it needs.
        expected: &'static str,
        /// The algorithm found.
        found: &'static str,
    },

    /// A key of the wrong length.
    #[error("a {algorithm} public key has {expected} bytes, found {found}")]
    Length {
        /// The key algorithm.
        algorithm: &'static str,
        /// Bytes it must have.
        expected: usize,
        /// Bytes found.
        found: usize,
    },

    /// A key whose encoding is not the compressed point the method requires.
    #[error("the {algorithm} key is not a compressed point: {reason}")]
    NotCompressed {
        /// The key algorithm.
        algorithm: &'static str,
        /// What is wrong.
        reason: &'static str,
    },

    /// A JWK with a private key.
    #[error("the JWK contains the private key `d`: publish only the public key, and treat this key as compromised")]
    PrivateKey,

    /// A JWK of a key type or curve this registry does not check.
    #[error(
        "unsupported JWK kty `{kty}` with crv `{crv}`; use EC with P-256, P-384, P-521 or secp256k1, or OKP with \
         Ed25519 or X25519"
    )]
    UnsupportedJwk {
        /// The key type.
        kty: String,
        /// The curve.
        crv: String,
    },

    /// A JWK coordinate that is missing, superfluous, not base64url or of the wrong length.
    #[error("JWK parameter `{parameter}`: {reason}")]
    JwkParameter {
        /// `x` or `y`.
        parameter: &'static str,
        /// What is wrong.
        reason: &'static str,
    },

    /// A key string longer than any valid key.
    #[error("the key string has {len} characters; at most {max} are allowed")]
    TooLong {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
}

/// Why a DID document, an update of one or a registry operation on it was refused. Every variant
/// names the offending id, controller or limit.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// A `did:resource` controller (of the document or of a key) that is not a valid did:resource
    /// DID, e.g. one with an upper-case address: DIDs compare as strings, so it would name nobody.
    #[error("controller {controller} is not a valid did:resource DID: {error}")]
    ControllerDid {
        /// The controller as written.
        controller: String,
        /// Why it is invalid.
        error: DidError,
    },

    /// Key material of a verification method.
    #[error("verification method {id}: {error}")]
    Key {
        /// The method's id.
        id: String,
        /// What is wrong with its key.
        error: KeyError,
    },

    /// A document whose `id` is not the DID it is stored under.
    #[error("the document's id is {found} but it belongs to {expected}; set `id` to {expected}")]
    IdMismatch {
        /// The DID being created or updated.
        expected: String,
        /// The document's id.
        found: String,
    },

    /// A verification method or service id that is not `<this DID>#<fragment>`.
    #[error("{id} is not an id of this document: ids must be {did}#<fragment> (no path or query)")]
    ForeignId {
        /// The id given.
        id: String,
        /// The document's DID.
        did: String,
    },

    /// A fragment id longer than allowed.
    #[error("the fragment of {id} is longer than {max} characters")]
    FragmentTooLong {
        /// The id.
        id: String,
        /// The limit.
        max: usize,
    },

    /// Two verification methods or services with one id.
    #[error("the id {id} is used twice; verification method and service ids must be unique in a document")]
    DuplicateId {
        /// The id.
        id: String,
    },

    /// A controller listed twice.
    #[error("{controller} is listed twice as a controller")]
    DuplicateController {
        /// The controller.
        controller: String,
    },

    /// An authentication reference listed twice.
    #[error("{id} is listed twice in authentication")]
    DuplicateReference {
        /// The reference.
        id: String,
    },

    /// An authentication reference to a verification method the document does not have.
    #[error(
        "authentication references {id}, which is not a verification method of this document; add the method or \
         remove the reference"
    )]
    UnresolvedReference {
        /// The reference.
        id: String,
    },

    /// A document without controller.
    #[error("a DID document must keep at least one controller; add another controller before removing the last")]
    NoController,

    /// More entries than a document may hold.
    #[error("a document may have at most {max} {what}")]
    TooMany {
        /// Controllers, verification methods, ...
        what: &'static str,
        /// The limit.
        max: usize,
    },

    /// A service type that is empty, too long or not printable.
    #[error("service {id}: the type must be 1 to {max} printable ASCII characters without spaces")]
    ServiceType {
        /// The service id.
        id: String,
        /// The length limit.
        max: usize,
    },

    /// A service endpoint that is not an absolute URI.
    #[error("service {id}: the endpoint `{endpoint}` is not an absolute URI ({reason})")]
    ServiceEndpoint {
        /// The service id.
        id: String,
        /// The endpoint.
        endpoint: String,
        /// What is wrong.
        reason: &'static str,
    },

    /// A patch with no operations.
    #[error("the patch has no operations; give at least one")]
    EmptyPatch,

    /// A patch removing something the document does not have.
    #[error("cannot remove {what} {id}: the document has none with that id; resolve the DID to see what it has")]
    NotFound {
        /// Verification method, authentication reference, service or controller.
        what: &'static str,
        /// The id or DID.
        id: String,
    },

    /// A patch adding something the document has already.
    #[error("cannot add {what} {id}: the document has it already; remove it first to replace it")]
    AlreadyPresent {
        /// Verification method, authentication reference, service or controller.
        what: &'static str,
        /// The id or DID.
        id: String,
    },

    /// The update would make a DID control itself through other DIDs.
    #[error("controller loop: {path}; a DID may list itself but must not be controlled through a cycle of DIDs")]
    ControllerLoop {
        /// The cycle, `did:a -> did:b -> did:a`.
        path: String,
    },

    /// The controller graph reachable from a document is larger than one check may read.
    #[error("the controllers reachable from this document span more than {max} DIDs; use a shorter chain of control")]
    ControllerGraphTooLarge {
        /// The limit.
        max: usize,
    },

    /// The updated document could not be controlled by any account of this chain.
    #[error(
        "no account of this chain could control the document afterwards: keep at least one controller that is an \
         active account DID (did:resource:<chain-id>:<address>) or leads to one"
    )]
    NoUsableController,

    /// The DID is deactivated; deactivation is final.
    #[error("{did} is deactivated; a deactivated DID can never be updated again")]
    Deactivated {
        /// The DID.
        did: String,
    },

    /// The sender's DID is deactivated and can no longer act as a controller.
    #[error("{actor} is deactivated and can no longer act as a controller")]
    ActorDeactivated {
        /// The sender's account DID.
        actor: String,
    },

    /// The sender controls neither the DID nor any of its controllers.
    #[error("{actor} is not a controller of {did} (directly or through its controllers); send this from a controller")]
    Unauthorized {
        /// The sender's account DID.
        actor: String,
        /// The DID it tried to change.
        did: String,
    },

    /// Create of a DID that exists (possibly deactivated).
    #[error("{did} is already registered; update it instead (a deactivated DID cannot be registered again)")]
    AlreadyRegistered {
        /// The DID.
        did: String,
    },

    /// A DID on another chain.
    #[error("{did} names chain `{found}` but this registry is on `{expected}`")]
    WrongChain {
        /// The DID.
        did: String,
        /// Its chain id.
        found: String,
        /// The registry's chain id.
        expected: String,
    },

    /// Create of a DID whose address is not the sender's, without control of that address's DID.
    #[error(
        "{did} belongs to another address: create did:resource:<chain-id>:<your address>[:<suffix>], or control \
         {base} to create suffixed DIDs under it"
    )]
    NotYourAddress {
        /// The DID.
        did: String,
        /// The account DID of its address.
        base: String,
    },

    /// The account DID a suffixed DID would be created under is deactivated.
    #[error("{base} is deactivated, so no DID can be created under its address by its controllers")]
    BaseDeactivated {
        /// The account DID.
        base: String,
    },

    /// A version number past `u64::MAX`.
    #[error("the DID has reached the largest version number")]
    VersionOverflow,

    /// The registry could not read a DID's controllers.
    #[error("could not read the controllers of {did}: {reason}")]
    Lookup {
        /// The DID.
        did: String,
        /// Why.
        reason: String,
    },
}

/// Why a reputation event, an attester entry or a verified claim was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// An amount of 0 in an event that needs one.
    #[error("the {event} event needs an amount greater than 0")]
    ZeroAmount {
        /// The event kind.
        event: &'static str,
    },

    /// A credit line granted with a term of 0 seconds.
    #[error("a credit line's term must be greater than 0 seconds")]
    ZeroTerm,

    /// A vouch of a member for itself.
    #[error("a member cannot vouch for itself")]
    SelfVouch,

    /// A sequence number past `u64::MAX`.
    #[error("the record has reached the largest sequence number")]
    Overflow,

    /// A claim type with other characters than `a-z`, `0-9`, `_`, `.`, `-`, or too long.
    #[error("the claim type `{claim_type}` must be 1 to {max} characters of a-z, 0-9, `_`, `.` and `-`")]
    ClaimType {
        /// The claim type.
        claim_type: String,
        /// The length limit.
        max: usize,
    },

    /// An attester with no claim type.
    #[error("an attester needs at least one claim type it may issue")]
    NoClaimTypes,

    /// Too many claim types.
    #[error("an attester may have at most {max} claim types")]
    TooManyClaimTypes {
        /// The limit.
        max: usize,
    },

    /// A claim type listed twice.
    #[error("the claim type `{claim_type}` is listed twice")]
    DuplicateClaimType {
        /// The claim type.
        claim_type: String,
    },

    /// An attester name that is empty, too long or not printable.
    #[error("the attester name must be 1 to {max} printable characters")]
    AttesterName {
        /// The length limit.
        max: usize,
    },

    /// The attester's key.
    #[error("the attester's public key: {0}")]
    AttesterKey(KeyError),

    /// A key type attesters cannot use.
    #[error(
        "an attester key must be a multibase key: Multikey, Ed25519VerificationKey2020, EcdsaSecp256k1VerificationKey2019 or Bls12381G2Key2020"
    )]
    AttesterKeyType,

    /// Registration of an attester that exists (possibly revoked).
    #[error("{did} is already registered as an attester (revoked attesters stay revoked: register a new DID)")]
    AttesterExists {
        /// The attester's DID.
        did: String,
    },

    /// No attester with that DID.
    #[error("{did} is not a registered attester; the admin registers attesters")]
    UnknownAttester {
        /// The DID.
        did: String,
    },

    /// A revoked attester.
    #[error("the attester {did} was revoked at {revoked_at}; its credentials are no longer accepted")]
    AttesterRevoked {
        /// The attester's DID.
        did: String,
        /// When (unix seconds).
        revoked_at: u64,
    },

    /// A claim of a type the attester may not issue.
    #[error("the attester {attester} may not issue `{claim_type}` claims")]
    ClaimTypeNotAllowed {
        /// The claim type.
        claim_type: String,
        /// The attester's DID.
        attester: String,
    },

    /// A predicate that is empty, too long or not printable ASCII.
    #[error("the predicate must be 1 to {max} printable ASCII characters")]
    Predicate {
        /// The length limit.
        max: usize,
    },

    /// A claim that has expired (or expires now).
    #[error("the claim expired at {expires_at} (block time {now}); prove a current credential")]
    Expired {
        /// Its expiry (unix seconds).
        expires_at: u64,
        /// The block time.
        now: u64,
    },

    /// An all-zero nullifier.
    #[error("the nullifier is all zeros; give the credential's 32-byte nullifier")]
    ZeroNullifier,

    /// A nullifier in the wrong format.
    #[error("the nullifier must be 32 bytes (64 hex digits)")]
    NullifierFormat,

    /// A credential that has served a DID already.
    #[error("this credential's nullifier was already used by {by}; one credential can serve only one DID, once")]
    NullifierUsed {
        /// The DID it served.
        by: String,
    },
}
