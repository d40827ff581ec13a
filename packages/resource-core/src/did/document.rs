//! The DID document (W3C DID Core §5, JSON-LD representation) and the rules for creating, updating
//! and deactivating one.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::error::{DocumentError, KeyError};
use super::keys::{check_key, Jwk, KeyType};
use super::syntax::{is_account_did, Did, DidUrl, ResourceDid, RESOURCE_METHOD};

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// The context every DID document starts with.
pub const DID_CONTEXT: &str = "https://www.w3.org/ns/did/v1";

/// At most this many controllers.
pub const MAX_CONTROLLERS: usize = 8;
/// At most this many verification methods.
pub const MAX_VERIFICATION_METHODS: usize = 16;
/// At most this many authentication references.
pub const MAX_AUTHENTICATION: usize = 16;
/// At most this many services.
pub const MAX_SERVICES: usize = 16;
/// At most this many endpoints in one service.
pub const MAX_ENDPOINTS: usize = 8;
/// The longest fragment of a verification method or service id.
pub const MAX_FRAGMENT_LEN: usize = 64;
/// The longest service type.
pub const MAX_SERVICE_TYPE_LEN: usize = 64;
/// The longest service endpoint URI.
pub const MAX_ENDPOINT_LEN: usize = 512;
/// The most operations in one patch.
pub const MAX_PATCH_OPS: usize = 32;
/// The most DIDs one controller check reads (loops, authorization, controllability).
pub const MAX_CONTROLLER_GRAPH: usize = 32;

/// A DID document.
///
/// JSON: `{"@context": [...], "id": ..., "controller": [...], "verificationMethod": [...],
/// "authentication": [...], "service": [...]}`; `controller` is always written as an array but read
/// as a string or an array, empty lists are left out.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DidDocument {
    /// `https://www.w3.org/ns/did/v1` and the contexts of the key types used; the rules set it
    /// ([`DidDocument::normalize_context`]), so anything given in an input is replaced.
    #[cfg_attr(
        feature = "serde",
        serde(rename = "@context", default, deserialize_with = "crate::did::serde_util::one_or_many")
    )]
    #[cfg_attr(feature = "schemars", schemars(with = "Vec<String>"))]
    pub context: Vec<String>,
    /// The DID.
    pub id: Did,
    /// Who may update the document.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "crate::did::serde_util::one_or_many"))]
    #[cfg_attr(feature = "schemars", schemars(with = "Vec<Did>"))]
    pub controller: Vec<Did>,
    /// Public keys.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    pub verification_method: Vec<VerificationMethod>,
    /// References to the verification methods that authenticate as the DID.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    pub authentication: Vec<DidUrl>,
    /// Service endpoints.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    pub service: Vec<Service>,
}

/// A public key of the DID.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct VerificationMethod {
    /// `<DID>#<fragment>`.
    pub id: DidUrl,
    /// The key type.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub kind: KeyType,
    /// Who controls the key (usually the DID itself).
    pub controller: Did,
    /// The key in multibase (`z` + base58btc of multicodec prefix and key).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub public_key_multibase: Option<String>,
    /// The key as a JWK.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub public_key_jwk: Option<Jwk>,
}

impl VerificationMethod {
    /// A method with a multibase key.
    pub fn multibase(id: DidUrl, kind: KeyType, controller: Did, key: String) -> VerificationMethod {
        VerificationMethod { id, kind, controller, public_key_multibase: Some(key), public_key_jwk: None }
    }

    /// A method with a JWK key.
    pub fn jwk(id: DidUrl, kind: KeyType, controller: Did, key: Jwk) -> VerificationMethod {
        VerificationMethod { id, kind, controller, public_key_multibase: None, public_key_jwk: Some(key) }
    }

    /// Checks the key material against the type.
    pub fn check_key(&self) -> Result<(), KeyError> {
        check_key(self.kind, self.public_key_multibase.as_deref(), self.public_key_jwk.as_ref())
    }
}

/// A service endpoint of the DID (DID Core §5.4).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Service {
    /// `<DID>#<fragment>`.
    pub id: DidUrl,
    /// E.g. `LinkedDomains`, `DIDCommMessaging`.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub kind: String,
    /// One URI or a set of URIs.
    pub service_endpoint: ServiceEndpoint,
}

/// `serviceEndpoint`: a URI string or an array of URI strings.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ServiceEndpoint {
    /// One URI.
    Uri(String),
    /// Several URIs.
    Set(Vec<String>),
}

impl ServiceEndpoint {
    /// The URIs.
    pub fn uris(&self) -> &[String] {
        match self {
            ServiceEndpoint::Uri(u) => core::slice::from_ref(u),
            ServiceEndpoint::Set(s) => s,
        }
    }
}

impl DidDocument {
    /// A document with only an id and controllers.
    pub fn new(id: Did, controller: Vec<Did>) -> DidDocument {
        DidDocument {
            context: alloc::vec![DID_CONTEXT.to_string()],
            id,
            controller,
            verification_method: Vec::new(),
            authentication: Vec::new(),
            service: Vec::new(),
        }
    }

    /// The contexts this document needs: the DID context, then one per key type used.
    pub fn contexts(&self) -> Vec<String> {
        let mut out = alloc::vec![DID_CONTEXT.to_string()];
        for kind in KeyType::ALL {
            if self.verification_method.iter().any(|m| m.kind == kind) {
                out.push(kind.context().to_string());
            }
        }
        out
    }

    /// Sets `@context` to [`DidDocument::contexts`].
    pub fn normalize_context(&mut self) {
        self.context = self.contexts();
    }

    /// The form the registry writes and resolves: every multibase key whose key matches the type
    /// it was given with becomes a [`KeyType::Multikey`] (same id, controller and key; a key that
    /// does not match keeps its type, so [`check_document`] still reports it), then `@context` is
    /// recomputed. Idempotent.
    pub fn normalize(&mut self) {
        for m in &mut self.verification_method {
            if m.kind != KeyType::Multikey
                && m.kind.multibase_as_multikey()
                && m.public_key_multibase.is_some()
                && m.check_key().is_ok()
            {
                m.kind = KeyType::Multikey;
            }
        }
        self.normalize_context();
    }

    /// The verification method with this id.
    pub fn verification_method(&self, id: &DidUrl) -> Option<&VerificationMethod> {
        self.verification_method.iter().find(|m| m.id == *id)
    }

    /// The service with this id.
    pub fn service(&self, id: &DidUrl) -> Option<&Service> {
        self.service.iter().find(|s| s.id == *id)
    }
}

// ---------------------------------------------------------------------------------------------
// checks

fn check_own_id(doc: &DidDocument, id: &DidUrl) -> Result<(), DocumentError> {
    match id.fragment_of(&doc.id) {
        Some(f) if !f.is_empty() && f.len() <= MAX_FRAGMENT_LEN => Ok(()),
        Some(f) if !f.is_empty() => Err(DocumentError::FragmentTooLong { id: id.to_string(), max: MAX_FRAGMENT_LEN }),
        _ => Err(DocumentError::ForeignId { id: id.to_string(), did: doc.id.to_string() }),
    }
}

fn check_limit<T>(items: &[T], what: &'static str, max: usize) -> Result<(), DocumentError> {
    if items.len() > max {
        Err(DocumentError::TooMany { what, max })
    } else {
        Ok(())
    }
}

/// An absolute URI: `scheme ":" rest` with RFC 3986 characters (including `%` escapes).
fn check_uri(uri: &str) -> Result<(), &'static str> {
    if uri.is_empty() {
        return Err("it is empty");
    }
    if uri.len() > MAX_ENDPOINT_LEN {
        return Err("it is longer than 512 characters");
    }
    let (scheme, rest) = uri.split_once(':').ok_or("it has no scheme")?;
    let mut chars = scheme.bytes();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
    {
        return Err("the scheme must start with a letter and have letters, digits, `+`, `-`, `.` only");
    }
    if rest.is_empty() {
        return Err("nothing follows the scheme");
    }
    let allowed = |c: u8| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b':'
                    | b'/'
                    | b'?'
                    | b'#'
                    | b'['
                    | b']'
                    | b'@'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'%'
            )
    };
    if rest.bytes().all(allowed) {
        Ok(())
    } else {
        Err("it has characters a URI cannot contain (spaces, quotes, non-ASCII); percent-encode them")
    }
}

fn check_service(doc: &DidDocument, s: &Service) -> Result<(), DocumentError> {
    check_own_id(doc, &s.id)?;
    let printable = |c: u8| c.is_ascii_graphic();
    if s.kind.is_empty() || s.kind.len() > MAX_SERVICE_TYPE_LEN || !s.kind.bytes().all(printable) {
        return Err(DocumentError::ServiceType { id: s.id.to_string(), max: MAX_SERVICE_TYPE_LEN });
    }
    let uris = s.service_endpoint.uris();
    let bad = |endpoint: &str, reason| DocumentError::ServiceEndpoint {
        id: s.id.to_string(),
        endpoint: endpoint.to_string(),
        reason,
    };
    if uris.is_empty() {
        return Err(bad("[]", "the set is empty"));
    }
    if uris.len() > MAX_ENDPOINTS {
        return Err(bad("[...]", "a service may list at most 8 endpoints"));
    }
    for uri in uris {
        check_uri(uri).map_err(|reason| bad(uri, reason))?;
    }
    Ok(())
}

/// Checks a document on its own: at least one and at most [`MAX_CONTROLLERS`] distinct controllers;
/// verification method and service ids of the form `<id>#<fragment>`, unique together; keys valid
/// for their types; authentication references distinct and resolving to a verification method of
/// the document; service types and endpoints well-formed; every list within its limit.
///
/// It does not check `@context` (the rules set it) nor anything about other DIDs (see
/// [`check_controller_graph`]).
pub fn check_document(doc: &DidDocument) -> Result<(), DocumentError> {
    if doc.controller.is_empty() {
        return Err(DocumentError::NoController);
    }
    check_limit(&doc.controller, "controllers", MAX_CONTROLLERS)?;
    check_limit(&doc.verification_method, "verification methods", MAX_VERIFICATION_METHODS)?;
    check_limit(&doc.authentication, "authentication references", MAX_AUTHENTICATION)?;
    check_limit(&doc.service, "services", MAX_SERVICES)?;
    for (i, c) in doc.controller.iter().enumerate() {
        if doc.controller.iter().take(i).any(|d| d == c) {
            return Err(DocumentError::DuplicateController { controller: c.to_string() });
        }
    }
    // One spelling per account: a did:resource controller must be one (lower-case address).
    let controllers = doc.controller.iter().chain(doc.verification_method.iter().map(|m| &m.controller));
    for c in controllers.filter(|c| c.method() == RESOURCE_METHOD) {
        ResourceDid::from_did(c).map_err(|error| DocumentError::ControllerDid { controller: c.to_string(), error })?;
    }
    let mut ids: Vec<&DidUrl> = Vec::with_capacity(doc.verification_method.len().saturating_add(doc.service.len()));
    for m in &doc.verification_method {
        check_own_id(doc, &m.id)?;
        m.check_key().map_err(|error| DocumentError::Key { id: m.id.to_string(), error })?;
        if ids.contains(&&m.id) {
            return Err(DocumentError::DuplicateId { id: m.id.to_string() });
        }
        ids.push(&m.id);
    }
    for s in &doc.service {
        check_service(doc, s)?;
        if ids.contains(&&s.id) {
            return Err(DocumentError::DuplicateId { id: s.id.to_string() });
        }
        ids.push(&s.id);
    }
    for (i, r) in doc.authentication.iter().enumerate() {
        if doc.authentication.iter().take(i).any(|x| x == r) {
            return Err(DocumentError::DuplicateReference { id: r.to_string() });
        }
        if doc.verification_method(r).is_none() {
            return Err(DocumentError::UnresolvedReference { id: r.to_string() });
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// updates

/// One change of a patch.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum PatchOp {
    /// Adds a verification method (its id must be new).
    AddVerificationMethod {
        /// The method.
        method: VerificationMethod,
    },
    /// Removes a verification method (remove its authentication reference too).
    RemoveVerificationMethod {
        /// Its id.
        id: DidUrl,
    },
    /// Adds an authentication reference to a verification method of the document.
    AddAuthentication {
        /// The method's id.
        id: DidUrl,
    },
    /// Removes an authentication reference.
    RemoveAuthentication {
        /// The method's id.
        id: DidUrl,
    },
    /// Adds a service (its id must be new).
    AddService {
        /// The service.
        service: Service,
    },
    /// Removes a service.
    RemoveService {
        /// Its id.
        id: DidUrl,
    },
    /// Adds a controller.
    AddController {
        /// The controller's DID.
        controller: Did,
    },
    /// Removes a controller (not the last one).
    RemoveController {
        /// The controller's DID.
        controller: Did,
    },
}

/// An update of a document: a whole new document, or a list of changes applied in order.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum DocumentUpdate {
    /// Replaces the document (same `id`; `@context` is recomputed).
    Replace {
        /// The new document.
        document: DidDocument,
    },
    /// Applies the operations in order, all or none.
    Patch {
        /// 1 to [`MAX_PATCH_OPS`] operations.
        ops: Vec<PatchOp>,
    },
}

const VM: &str = "verification method";
const AUTH: &str = "authentication reference";
const SERVICE: &str = "service";
const CONTROLLER: &str = "controller";

fn remove<T>(
    items: &mut Vec<T>,
    what: &'static str,
    id: &dyn core::fmt::Display,
    matches: impl Fn(&T) -> bool,
) -> Result<(), DocumentError> {
    let before = items.len();
    items.retain(|x| !matches(x));
    if items.len() == before {
        Err(DocumentError::NotFound { what, id: id.to_string() })
    } else {
        Ok(())
    }
}

fn add<T>(
    items: &mut Vec<T>,
    what: &'static str,
    id: &dyn core::fmt::Display,
    item: T,
    present: bool,
) -> Result<(), DocumentError> {
    if present {
        Err(DocumentError::AlreadyPresent { what, id: id.to_string() })
    } else {
        items.push(item);
        Ok(())
    }
}

fn apply_op(doc: &mut DidDocument, op: PatchOp) -> Result<(), DocumentError> {
    match op {
        PatchOp::AddVerificationMethod { method } => {
            let id = method.id.clone();
            let present = doc.verification_method(&id).is_some() || doc.service(&id).is_some();
            add(&mut doc.verification_method, VM, &id, method, present)
        }
        PatchOp::RemoveVerificationMethod { id } => remove(&mut doc.verification_method, VM, &id, |m| m.id == id),
        PatchOp::AddAuthentication { id } => {
            let present = doc.authentication.contains(&id);
            add(&mut doc.authentication, AUTH, &id.clone(), id, present)
        }
        PatchOp::RemoveAuthentication { id } => remove(&mut doc.authentication, AUTH, &id, |r| *r == id),
        PatchOp::AddService { service } => {
            let id = service.id.clone();
            let present = doc.verification_method(&id).is_some() || doc.service(&id).is_some();
            add(&mut doc.service, SERVICE, &id, service, present)
        }
        PatchOp::RemoveService { id } => remove(&mut doc.service, SERVICE, &id, |s| s.id == id),
        PatchOp::AddController { controller } => {
            let present = doc.controller.contains(&controller);
            add(&mut doc.controller, CONTROLLER, &controller.clone(), controller, present)
        }
        PatchOp::RemoveController { controller } => {
            remove(&mut doc.controller, CONTROLLER, &controller, |c| *c == controller)
        }
    }
}

/// Applies a patch: each operation in order (removing what is absent or adding what is present
/// fails), then [`check_document`] on the result, whose `@context` is recomputed. The result is
/// all operations or an error; `doc` is never changed.
pub fn apply_patch(doc: &DidDocument, ops: Vec<PatchOp>) -> Result<DidDocument, DocumentError> {
    if ops.is_empty() {
        return Err(DocumentError::EmptyPatch);
    }
    if ops.len() > MAX_PATCH_OPS {
        return Err(DocumentError::TooMany { what: "operations in a patch", max: MAX_PATCH_OPS });
    }
    let mut next = doc.clone();
    for op in ops {
        apply_op(&mut next, op)?;
    }
    next.normalize();
    check_document(&next)?;
    Ok(next)
}

/// Replaces a document: the new one must have the same id and pass [`check_document`]; its
/// `@context` is recomputed.
pub fn replace(doc: &DidDocument, mut new: DidDocument) -> Result<DidDocument, DocumentError> {
    if new.id != doc.id {
        return Err(DocumentError::IdMismatch { expected: doc.id.to_string(), found: new.id.to_string() });
    }
    new.normalize();
    check_document(&new)?;
    Ok(new)
}

/// [`replace`] or [`apply_patch`].
pub fn apply_update(doc: &DidDocument, update: DocumentUpdate) -> Result<DidDocument, DocumentError> {
    match update {
        DocumentUpdate::Replace { document } => replace(doc, document),
        DocumentUpdate::Patch { ops } => apply_patch(doc, ops),
    }
}

// ---------------------------------------------------------------------------------------------
// controllers across DIDs

/// What the registry knows of a DID when following controllers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ControllerState {
    /// Registered and active, with these controllers.
    Active(Vec<Did>),
    /// Registered and deactivated: it controls nothing any more.
    Deactivated,
    /// Not registered here (another chain's or method's DID, or an account without a document).
    Unregistered,
}

/// The registry's view of other DIDs' controllers (a storage read per call in the contract).
pub trait ControllerLookup {
    /// The state of `did`.
    fn state(&self, did: &Did) -> Result<ControllerState, DocumentError>;
}

impl<F: Fn(&Did) -> Result<ControllerState, DocumentError>> ControllerLookup for F {
    fn state(&self, did: &Did) -> Result<ControllerState, DocumentError> {
        self(did)
    }
}

/// Breadth-first walk over controller edges from `start`, never entering `root`; at most
/// [`MAX_CONTROLLER_GRAPH`] DIDs. Calls `visit(node, state)` once per DID reached (with its parent
/// index for paths); `visit` returns `Some` to stop early.
struct Walk<'a> {
    root: &'a Did,
    nodes: Vec<(Did, Option<usize>)>,
}

impl<'a> Walk<'a> {
    fn new(root: &'a Did, start: &[Did]) -> Walk<'a> {
        let mut nodes: Vec<(Did, Option<usize>)> = Vec::new();
        for c in start {
            if c != root && !nodes.iter().any(|(d, _)| d == c) {
                nodes.push((c.clone(), None));
            }
        }
        Walk { root, nodes }
    }

    /// `did:a -> did:b -> ... -> root`, from the root through node `i`.
    fn path_to_root(&self, i: usize) -> String {
        let mut chain: Vec<&Did> = Vec::new();
        let mut at = Some(i);
        while let Some((node, parent)) = at.and_then(|k| self.nodes.get(k)) {
            chain.push(node);
            at = *parent;
        }
        let mut path = self.root.to_string();
        for d in chain.iter().rev() {
            path.push_str(" -> ");
            path.push_str(d.as_str());
        }
        path.push_str(" -> ");
        path.push_str(self.root.as_str());
        path
    }
}

/// Checks the controllers a document of `did` would have against the rest of the registry:
/// - no controller loop: no controller other than `did` itself leads back to `did` through other
///   registered DIDs' controllers ([`DocumentError::ControllerLoop`] names the cycle);
/// - control stays possible: some controller is, or leads through active registered DIDs to, an
///   account DID of `chain_id` that is not deactivated ([`DocumentError::NoUsableController`]), so
///   no update can lock a DID away from every account.
///
/// Reads at most [`MAX_CONTROLLER_GRAPH`] DIDs.
pub fn check_controller_graph(
    did: &Did,
    controllers: &[Did],
    chain_id: &str,
    lookup: &dyn ControllerLookup,
) -> Result<(), DocumentError> {
    let mut walk = Walk::new(did, controllers);
    let mut usable = controllers.contains(did) && is_account_did(did, chain_id);
    let mut i = 0usize;
    while let Some((node, _)) = walk.nodes.get(i) {
        let node = node.clone();
        match lookup.state(&node)? {
            ControllerState::Deactivated => {}
            ControllerState::Unregistered => usable = usable || is_account_did(&node, chain_id),
            ControllerState::Active(next) => {
                usable = usable || is_account_did(&node, chain_id);
                for c in next {
                    if c == *did {
                        return Err(DocumentError::ControllerLoop { path: walk.path_to_root(i) });
                    }
                    if !walk.nodes.iter().any(|(d, _)| *d == c) {
                        if walk.nodes.len() >= MAX_CONTROLLER_GRAPH {
                            return Err(DocumentError::ControllerGraphTooLarge { max: MAX_CONTROLLER_GRAPH });
                        }
                        walk.nodes.push((c, Some(i)));
                    }
                }
            }
        }
        i = i.saturating_add(1);
    }
    if usable {
        Ok(())
    } else {
        Err(DocumentError::NoUsableController)
    }
}

/// Whether `actor` (the sender's account DID) may change the document of `did` whose controllers
/// are `controllers`: `actor` is one of them, or a controller of an active registered DID reached
/// from them. A deactivated `actor` may do nothing. Reads at most [`MAX_CONTROLLER_GRAPH`] DIDs.
pub fn authorize(
    actor: &Did,
    did: &Did,
    controllers: &[Did],
    lookup: &dyn ControllerLookup,
) -> Result<(), DocumentError> {
    let unauthorized = || DocumentError::Unauthorized { actor: actor.to_string(), did: did.to_string() };
    if lookup.state(actor)? == ControllerState::Deactivated {
        return Err(DocumentError::ActorDeactivated { actor: actor.to_string() });
    }
    if controllers.contains(actor) {
        return Ok(());
    }
    let mut walk = Walk::new(did, controllers);
    let mut i = 0usize;
    while let Some((node, _)) = walk.nodes.get(i) {
        if let ControllerState::Active(next) = lookup.state(node)? {
            for c in next {
                if c == *actor {
                    return Ok(());
                }
                if c != *did && !walk.nodes.iter().any(|(d, _)| *d == c) {
                    if walk.nodes.len() >= MAX_CONTROLLER_GRAPH {
                        return Err(unauthorized());
                    }
                    walk.nodes.push((c, Some(i)));
                }
            }
        }
        i = i.saturating_add(1);
    }
    Err(unauthorized())
}

// ---------------------------------------------------------------------------------------------
// the registry operations

/// The head of a DID's history: what a registry stores besides the versions themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DidState {
    /// When version 1 was written (unix seconds).
    pub created: u64,
    /// When the latest version was written.
    pub updated: u64,
    /// The latest version: 1 at creation, +1 per update or deactivation.
    pub version: u64,
    /// Deactivated (final).
    pub deactivated: bool,
}

impl DidState {
    /// The state of a DID created at `now`: version 1.
    pub fn created(now: u64) -> DidState {
        DidState { created: now, updated: now, version: 1, deactivated: false }
    }

    /// The version bump rule: every change of an active DID takes the next version number and
    /// `updated = now` (never earlier than the previous `updated`); a deactivated DID has no next
    /// version.
    pub fn next(&self, did: &Did, now: u64, deactivate: bool) -> Result<DidState, DocumentError> {
        if self.deactivated {
            return Err(DocumentError::Deactivated { did: did.to_string() });
        }
        Ok(DidState {
            created: self.created,
            updated: now.max(self.updated),
            version: self.version.checked_add(1).ok_or(DocumentError::VersionOverflow)?,
            deactivated: deactivate,
        })
    }
}

/// The rules of Create. `did` is the new DID, `actor` the sender's account DID, `input` the
/// initial document (default: no keys, controlled by `actor`; an empty `controller` list also means
/// `actor`).
///
/// - `did` is on `actor`'s chain and not registered yet (registered includes deactivated), and
///   `actor` is not deactivated;
/// - `did`'s address is `actor`'s, or `did` has a suffix and `actor` controls the account DID of
///   its address (which must be registered and active);
/// - the document has `did` as id and passes [`check_document`] and [`check_controller_graph`];
/// - `actor` can update it afterwards ([`authorize`]).
pub fn create_document(
    did: &ResourceDid,
    actor: &ResourceDid,
    input: Option<DidDocument>,
    lookup: &dyn ControllerLookup,
) -> Result<DidDocument, DocumentError> {
    let text = || did.to_string();
    if did.chain_id() != actor.chain_id() {
        return Err(DocumentError::WrongChain {
            did: text(),
            found: did.chain_id().to_string(),
            expected: actor.chain_id().to_string(),
        });
    }
    if lookup.state(did.did())? != ControllerState::Unregistered {
        return Err(DocumentError::AlreadyRegistered { did: text() });
    }
    if lookup.state(actor.did())? == ControllerState::Deactivated {
        return Err(DocumentError::ActorDeactivated { actor: actor.to_string() });
    }
    if did.address() != actor.address() {
        let base = did.account_did();
        let not_yours = || DocumentError::NotYourAddress { did: text(), base: base.to_string() };
        if did.is_account() {
            return Err(not_yours());
        }
        match lookup.state(base.did())? {
            ControllerState::Active(controllers) => authorize(actor.did(), base.did(), &controllers, lookup)
                .map_err(|e| if matches!(e, DocumentError::Unauthorized { .. }) { not_yours() } else { e })?,
            ControllerState::Deactivated => return Err(DocumentError::BaseDeactivated { base: base.to_string() }),
            ControllerState::Unregistered => return Err(not_yours()),
        }
    }
    let mut doc = match input {
        None => DidDocument::new(did.did().clone(), Vec::new()),
        Some(doc) if doc.id != *did.did() => {
            return Err(DocumentError::IdMismatch { expected: text(), found: doc.id.to_string() })
        }
        Some(doc) => doc,
    };
    if doc.controller.is_empty() {
        doc.controller.push(actor.did().clone());
    }
    doc.normalize();
    check_document(&doc)?;
    check_controller_graph(did.did(), &doc.controller, did.chain_id(), lookup)?;
    authorize(actor.did(), did.did(), &doc.controller, lookup)?;
    Ok(doc)
}

/// The rules of Update: the DID is active, `actor` controls its current document ([`authorize`]),
/// the update applies ([`apply_update`]) and the new controllers pass [`check_controller_graph`].
/// Returns the new document and state (the next version at `now`).
pub fn update_document(
    current: &DidDocument,
    state: &DidState,
    actor: &Did,
    update: DocumentUpdate,
    chain_id: &str,
    now: u64,
    lookup: &dyn ControllerLookup,
) -> Result<(DidDocument, DidState), DocumentError> {
    let next_state = state.next(&current.id, now, false)?;
    authorize(actor, &current.id, &current.controller, lookup)?;
    let next = apply_update(current, update)?;
    check_controller_graph(&next.id, &next.controller, chain_id, lookup)?;
    Ok((next, next_state))
}

/// The rules of Deactivate: the DID is active and `actor` controls it. The final version keeps the
/// id and controllers but no keys, authentication or services, so nothing can act as the DID any
/// more. Deactivation cannot be undone.
pub fn deactivate_document(
    current: &DidDocument,
    state: &DidState,
    actor: &Did,
    now: u64,
    lookup: &dyn ControllerLookup,
) -> Result<(DidDocument, DidState), DocumentError> {
    let next_state = state.next(&current.id, now, true)?;
    authorize(actor, &current.id, &current.controller, lookup)?;
    let mut last = DidDocument::new(current.id.clone(), current.controller.clone());
    last.normalize();
    Ok((last, next_state))
}
