//! Storage layout. Gas is paid per byte written (30 gas each) and read, so what other contracts and
//! controller checks read often (a DID's head, reputation summaries and events) uses a compact
//! binary encoding; documents, attesters and claims are stored as resource-core's JSON.
//!
//! | key                                      | value                                             | written by |
//! |------------------------------------------|---------------------------------------------------|------------|
//! | `c`                                      | [`Config`] (JSON)                                 | instantiate, UpdateConfig, UpdateAdmin/AcceptAdmin |
//! | `r` ++ canonical address                 | role bits: 1 reputation writer, 2 claim verifier  | instantiate, UpdateRoles |
//! | `d` ++ DID                               | [`Head`]: created, updated, latest version, deactivated, claims, controllers | Create, Update, Deactivate, RecordVerifiedClaim, SubmitCredentialProof |
//! | `v` ++ len ++ DID ++ version (8 BE)      | block time (8 BE) ++ the document (JSON)          | Create, Update, Deactivate (never changed) |
//! | `a` ++ DID                               | [`Attester`] (JSON)                               | RegisterAttester, RevokeAttester |
//! | `s` ++ DID                               | [`ReputationSummary`] (varints)                   | RecordReputation |
//! | `h` ++ len ++ DID ++ seq (8 BE)          | reputation event (see [`encode_event`])           | RecordReputation (never changed) |
//! | `k` ++ len ++ DID ++ seq (8 BE)          | [`VerifiedClaim`] (JSON)                          | RecordVerifiedClaim, SubmitCredentialProof (never changed) |
//! | `n` ++ nullifier (32 bytes)              | the DID it served                                 | RecordVerifiedClaim, SubmitCredentialProof (never changed) |
//! | `z` ++ claim kind code (1 byte)          | stored_at (8 BE) ++ SHA-256 of the submitted key (32) ++ the prepared key ([`PREPARED_KEY_LEN`]) | SetVerifyingKey, RemoveVerifyingKey |
//!
//! cw2 keeps its `contract_info` key. `len` is one byte: registry DIDs are at most 255 bytes
//! ([`MAX_DID_LEN`]), so one DID's versions, events or claims never share a prefix with another's.
//! Numbers are LEB128 varints, addresses one length byte plus the canonical bytes. Versions,
//! events, claims and nullifiers are only ever added: nothing here rewrites history. A verifying
//! key is stored prepared (`PreparedVerifyingKey::to_bytes`: fixed length, its points validated
//! when it was set), so a proof reads it back without validating or decompressing anything.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{from_json, to_json_vec, Addr, CanonicalAddr, Order, StdError, StdResult, Storage};
use resource_core::did::{
    Attester, Did, DidDocument, DidState, Nullifier, ReputationEvent, ReputationSummary, VerifiedClaim,
};
use resource_cw::codec::{self, put_addr, put_len_prefixed, put_uvarint, Reader};
use resource_cw::scan_get;
use resource_msgs::did_registry::DEFAULT_MAX_CREDENTIAL_VALIDITY;
use resource_zk_verifier::groth16::PREPARED_KEY_LEN;
use resource_zk_verifier::{ClaimKind, PreparedVerifyingKey};

const CONFIG_KEY: &[u8] = b"c";
const ROLE_PREFIX: u8 = b'r';
const HEAD_PREFIX: u8 = b'd';
const VERSION_PREFIX: u8 = b'v';
const ATTESTER_PREFIX: u8 = b'a';
const SUMMARY_PREFIX: u8 = b's';
const EVENT_PREFIX: u8 = b'h';
const CLAIM_PREFIX: u8 = b'k';
const NULLIFIER_PREFIX: u8 = b'n';
const VERIFYING_KEY_PREFIX: u8 = b'z';

/// The longest DID the registry stores (every did:resource DID fits).
pub const MAX_DID_LEN: usize = 255;

/// Role bit: may append reputation events.
pub const ROLE_WRITER: u8 = 1;
/// Role bit: may record verified claims.
pub const ROLE_VERIFIER: u8 = 2;

#[cw_serde]
pub struct Config {
    pub admin: Addr,
    pub pending_admin: Option<Addr>,
    /// Seconds. Configurations stored before credential proofs were verified here read as the default.
    #[serde(default = "default_max_credential_validity")]
    pub max_credential_validity: u64,
}

fn default_max_credential_validity() -> u64 {
    DEFAULT_MAX_CREDENTIAL_VALIDITY
}

/// A stored verifying key.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredKey {
    pub kind: ClaimKind,
    pub stored_at: u64,
    /// SHA-256 of the key bytes as submitted.
    pub checksum: [u8; 32],
    /// `PreparedVerifyingKey::to_bytes`.
    pub prepared: Vec<u8>,
}

impl StoredKey {
    /// The key, ready for `resource_zk_verifier::verify`.
    pub fn key(&self) -> StdResult<PreparedVerifyingKey> {
        PreparedVerifyingKey::from_trusted_bytes(&self.prepared).map_err(|_| corrupt())
    }
}

/// What the registry keeps per DID besides its versions: read by every update, by controller checks
/// of other DIDs (which need only the controllers) and by claim recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub state: DidState,
    /// Verified claims recorded (the last claim sequence number).
    pub claims: u64,
    /// The latest version's controllers.
    pub controllers: Vec<Did>,
}

// ---------------------------------------------------------------------------------------------
// codec

/// Records of this contract are decoded with `resource_cw::codec`; this is the error for malformed ones.
const RECORD: &str = "corrupt did-registry storage record";

fn corrupt() -> StdError {
    codec::corrupt(RECORD)
}

fn put_u64(out: &mut Vec<u8>, v: u64) {
    put_uvarint(out, u128::from(v));
}

/// A DID written as a varint length and its text.
fn read_did(r: &mut Reader) -> StdResult<Did> {
    let text = std::str::from_utf8(r.len_prefixed()?).map_err(|_| corrupt())?;
    Did::parse(text).map_err(|_| corrupt())
}

/// Varints `created`, `updated`, `version`, `claims`, one byte `deactivated`, varint count of
/// controllers, each a varint length and the DID's bytes.
pub fn encode_head(h: &Head) -> Vec<u8> {
    let mut out = Vec::with_capacity(24 + h.controllers.iter().map(|c| c.as_str().len() + 1).sum::<usize>());
    put_u64(&mut out, h.state.created);
    put_u64(&mut out, h.state.updated);
    put_u64(&mut out, h.state.version);
    put_u64(&mut out, h.claims);
    out.push(u8::from(h.state.deactivated));
    put_uvarint(&mut out, h.controllers.len() as u128);
    for c in &h.controllers {
        put_len_prefixed(&mut out, c.as_str().as_bytes());
    }
    out
}

pub fn decode_head(bytes: &[u8]) -> StdResult<Head> {
    let mut r = Reader::new(bytes, RECORD);
    let created = r.u64()?;
    let updated = r.u64()?;
    let version = r.u64()?;
    let claims = r.u64()?;
    let deactivated = match r.byte()? {
        0 => false,
        1 => true,
        _ => return Err(corrupt()),
    };
    let count = r.u64()?;
    let mut controllers = Vec::new();
    for _ in 0..count {
        controllers.push(read_did(&mut r)?);
    }
    r.finish()?;
    Ok(Head { state: DidState { created, updated, version, deactivated }, claims, controllers })
}

/// Varints of every counter and total in field order up to `cleared`; then, when there are events,
/// the first and last event times; then, when it is not 0, `recovered`. `recovered` came later and
/// sits last so that summaries stored before it still decode (as 0) and are rewritten unchanged.
pub fn encode_summary(s: &ReputationSummary) -> Vec<u8> {
    let mut out = Vec::with_capacity(48);
    for v in [s.events, s.credit_lines] {
        put_u64(&mut out, v);
    }
    put_uvarint(&mut out, s.credit_granted);
    put_u64(&mut out, s.repaid_on_time);
    put_uvarint(&mut out, s.repaid);
    put_u64(&mut out, s.defaults);
    put_uvarint(&mut out, s.defaulted);
    put_u64(&mut out, s.vouches_given);
    put_uvarint(&mut out, s.vouched);
    for v in [s.vouches_kept, s.vouches_broken, s.clearing_rounds] {
        put_u64(&mut out, v);
    }
    put_uvarint(&mut out, s.cleared);
    if let (Some(first), Some(last)) = (s.first_event_at, s.last_event_at) {
        put_u64(&mut out, first);
        put_u64(&mut out, last);
        if s.recovered != 0 {
            put_uvarint(&mut out, s.recovered);
        }
    }
    out
}

pub fn decode_summary(bytes: &[u8]) -> StdResult<ReputationSummary> {
    let mut r = Reader::new(bytes, RECORD);
    let mut s = ReputationSummary {
        events: r.u64()?,
        credit_lines: r.u64()?,
        credit_granted: r.uvarint()?,
        repaid_on_time: r.u64()?,
        repaid: r.uvarint()?,
        defaults: r.u64()?,
        defaulted: r.uvarint()?,
        vouches_given: r.u64()?,
        vouched: r.uvarint()?,
        vouches_kept: r.u64()?,
        vouches_broken: r.u64()?,
        clearing_rounds: r.u64()?,
        cleared: r.uvarint()?,
        recovered: 0,
        first_event_at: None,
        last_event_at: None,
    };
    if !r.is_empty() {
        s.first_event_at = Some(r.u64()?);
        s.last_event_at = Some(r.u64()?);
        if !r.is_empty() {
            s.recovered = r.uvarint()?;
        }
    }
    r.finish()?;
    Ok(s)
}

/// A stored reputation event: what [`encode_event`] writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    pub time: u64,
    pub writer: CanonicalAddr,
    pub event: ReputationEvent,
}

/// Varint `time`, `writer` (length byte + canonical), a tag byte, then the event's fields as
/// varints (and a member DID as varint length + bytes): about 35 bytes for a 20-byte writer.
pub fn encode_event(e: &StoredEvent) -> StdResult<Vec<u8>> {
    let mut out = Vec::with_capacity(48);
    put_u64(&mut out, e.time);
    put_addr(&mut out, Some(&e.writer))?;
    match &e.event {
        ReputationEvent::CreditLineGranted { amount, term } => {
            out.push(0);
            put_uvarint(&mut out, *amount);
            put_u64(&mut out, *term);
        }
        ReputationEvent::RepaidOnTime { amount } => {
            out.push(1);
            put_uvarint(&mut out, *amount);
        }
        ReputationEvent::Defaulted { amount } => {
            out.push(2);
            put_uvarint(&mut out, *amount);
        }
        ReputationEvent::VouchGiven { amount, member }
        | ReputationEvent::VouchKept { amount, member }
        | ReputationEvent::VouchBroken { amount, member } => {
            out.push(match &e.event {
                ReputationEvent::VouchGiven { .. } => 3,
                ReputationEvent::VouchKept { .. } => 4,
                _ => 5,
            });
            put_uvarint(&mut out, *amount);
            put_len_prefixed(&mut out, member.as_str().as_bytes());
        }
        ReputationEvent::ClearingParticipation { round, amount } => {
            out.push(6);
            put_u64(&mut out, *round);
            put_uvarint(&mut out, *amount);
        }
        ReputationEvent::DebtRecovered { amount } => {
            out.push(7);
            put_uvarint(&mut out, *amount);
        }
    }
    Ok(out)
}

pub fn decode_event(bytes: &[u8]) -> StdResult<StoredEvent> {
    let mut r = Reader::new(bytes, RECORD);
    let time = r.u64()?;
    let writer = r.required_addr()?;
    let event = match r.byte()? {
        0 => ReputationEvent::CreditLineGranted { amount: r.uvarint()?, term: r.u64()? },
        1 => ReputationEvent::RepaidOnTime { amount: r.uvarint()? },
        2 => ReputationEvent::Defaulted { amount: r.uvarint()? },
        3 => ReputationEvent::VouchGiven { amount: r.uvarint()?, member: read_did(&mut r)? },
        4 => ReputationEvent::VouchKept { amount: r.uvarint()?, member: read_did(&mut r)? },
        5 => ReputationEvent::VouchBroken { amount: r.uvarint()?, member: read_did(&mut r)? },
        6 => ReputationEvent::ClearingParticipation { round: r.u64()?, amount: r.uvarint()? },
        7 => ReputationEvent::DebtRecovered { amount: r.uvarint()? },
        _ => return Err(corrupt()),
    };
    r.finish()?;
    Ok(StoredEvent { time, writer, event })
}

// ---------------------------------------------------------------------------------------------
// keys

fn key(prefix: u8, rest: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(1 + rest.len());
    k.push(prefix);
    k.extend_from_slice(rest);
    k
}

/// `prefix ++ len ++ DID`: every per-DID sequence key starts with it.
fn did_prefix(prefix: u8, did: &Did) -> StdResult<Vec<u8>> {
    let bytes = did.as_str().as_bytes();
    let len = u8::try_from(bytes.len()).map_err(|_| StdError::generic_err("DID longer than 255 bytes"))?;
    let mut k = Vec::with_capacity(2 + bytes.len() + 8);
    k.push(prefix);
    k.push(len);
    k.extend_from_slice(bytes);
    Ok(k)
}

fn seq_key(prefix: u8, did: &Did, seq: u64) -> StdResult<Vec<u8>> {
    let mut k = did_prefix(prefix, did)?;
    k.extend_from_slice(&seq.to_be_bytes());
    Ok(k)
}

/// `(seq, value)` under `prefix ++ len ++ DID`, ascending, after `start_after`, at most `limit`.
fn seq_range(
    storage: &dyn Storage,
    prefix: u8,
    did: &Did,
    start_after: Option<u64>,
    limit: usize,
) -> StdResult<Vec<(u64, Vec<u8>)>> {
    let first = match start_after {
        None => 0,
        Some(u64::MAX) => return Ok(Vec::new()),
        Some(after) => after + 1,
    };
    let base = did_prefix(prefix, did)?;
    let mut start = base.clone();
    start.extend_from_slice(&first.to_be_bytes());
    let mut end = base.clone();
    end.extend_from_slice(&[0xff; 9]);
    Ok(storage
        .range(Some(&start), Some(&end), Order::Ascending)
        .filter_map(|(k, v)| {
            k.get(base.len()..).and_then(|s| <[u8; 8]>::try_from(s).ok()).map(|s| (u64::from_be_bytes(s), v))
        })
        .take(limit)
        .collect())
}

// ---------------------------------------------------------------------------------------------
// records

pub fn load_config(storage: &dyn Storage) -> StdResult<Config> {
    from_json(scan_get(storage, CONFIG_KEY).ok_or_else(|| StdError::not_found("did-registry config"))?)
}

pub fn save_config(storage: &mut dyn Storage, c: &Config) -> StdResult<()> {
    storage.set(CONFIG_KEY, &to_json_vec(c)?);
    Ok(())
}

pub fn roles(storage: &dyn Storage, who: &CanonicalAddr) -> u8 {
    scan_get(storage, &key(ROLE_PREFIX, who)).and_then(|v| v.first().copied()).unwrap_or(0)
}

pub fn set_roles(storage: &mut dyn Storage, who: &CanonicalAddr, bits: u8) {
    let k = key(ROLE_PREFIX, who);
    if bits == 0 {
        storage.remove(&k);
    } else {
        storage.set(&k, &[bits]);
    }
}

/// Every address with a role and its bits.
pub fn all_roles(storage: &dyn Storage) -> Vec<(CanonicalAddr, u8)> {
    storage
        .range(Some(&[ROLE_PREFIX]), Some(&[ROLE_PREFIX + 1]), Order::Ascending)
        .filter_map(|(k, v)| Some((CanonicalAddr::from(k.get(1..)?), *v.first()?)))
        .collect()
}

pub fn load_head(storage: &dyn Storage, did: &Did) -> StdResult<Option<Head>> {
    scan_get(storage, &key(HEAD_PREFIX, did.as_str().as_bytes())).map(|v| decode_head(&v)).transpose()
}

pub fn save_head(storage: &mut dyn Storage, did: &Did, h: &Head) {
    storage.set(&key(HEAD_PREFIX, did.as_str().as_bytes()), &encode_head(h));
}

/// Version `version` of `did`: its block time and document.
pub fn load_version(storage: &dyn Storage, did: &Did, version: u64) -> StdResult<Option<(u64, DidDocument)>> {
    let Some(v) = scan_get(storage, &seq_key(VERSION_PREFIX, did, version)?) else { return Ok(None) };
    let (time, doc) = v.split_first_chunk::<8>().ok_or_else(corrupt)?;
    Ok(Some((u64::from_be_bytes(*time), from_json(doc)?)))
}

/// The block time of version `version` (reads the record but decodes only its time).
pub fn version_time(storage: &dyn Storage, did: &Did, version: u64) -> StdResult<Option<u64>> {
    let Some(v) = scan_get(storage, &seq_key(VERSION_PREFIX, did, version)?) else { return Ok(None) };
    Ok(Some(u64::from_be_bytes(*v.first_chunk::<8>().ok_or_else(corrupt)?)))
}

/// Versions after `start_after` with their times.
pub fn version_times(
    storage: &dyn Storage,
    did: &Did,
    start_after: Option<u64>,
    limit: usize,
) -> StdResult<Vec<(u64, u64)>> {
    seq_range(storage, VERSION_PREFIX, did, start_after, limit)?
        .into_iter()
        .map(|(n, v)| Ok((n, u64::from_be_bytes(*v.first_chunk::<8>().ok_or_else(corrupt)?))))
        .collect()
}

pub fn save_version(storage: &mut dyn Storage, did: &Did, version: u64, time: u64, doc: &DidDocument) -> StdResult<()> {
    let mut value = time.to_be_bytes().to_vec();
    value.extend_from_slice(&to_json_vec(doc)?);
    storage.set(&seq_key(VERSION_PREFIX, did, version)?, &value);
    Ok(())
}

pub fn load_attester(storage: &dyn Storage, did: &Did) -> StdResult<Option<Attester>> {
    scan_get(storage, &key(ATTESTER_PREFIX, did.as_str().as_bytes())).map(from_json).transpose()
}

pub fn save_attester(storage: &mut dyn Storage, a: &Attester) -> StdResult<()> {
    storage.set(&key(ATTESTER_PREFIX, a.did.as_str().as_bytes()), &to_json_vec(a)?);
    Ok(())
}

/// Attesters by DID after `start_after`.
pub fn attesters(storage: &dyn Storage, start_after: Option<&str>, limit: usize) -> StdResult<Vec<Attester>> {
    let start = match start_after {
        // The smallest key after `a ++ start_after`.
        Some(after) => {
            let mut k = key(ATTESTER_PREFIX, after.as_bytes());
            k.push(0);
            k
        }
        None => vec![ATTESTER_PREFIX],
    };
    storage
        .range(Some(&start), Some(&[ATTESTER_PREFIX + 1]), Order::Ascending)
        .take(limit)
        .map(|(_, v)| from_json(v))
        .collect()
}

pub fn load_summary(storage: &dyn Storage, did: &Did) -> StdResult<ReputationSummary> {
    scan_get(storage, &key(SUMMARY_PREFIX, did.as_str().as_bytes()))
        .map_or(Ok(ReputationSummary::default()), |v| decode_summary(&v))
}

pub fn save_event(
    storage: &mut dyn Storage,
    did: &Did,
    seq: u64,
    event: &StoredEvent,
    summary: &ReputationSummary,
) -> StdResult<()> {
    storage.set(&seq_key(EVENT_PREFIX, did, seq)?, &encode_event(event)?);
    storage.set(&key(SUMMARY_PREFIX, did.as_str().as_bytes()), &encode_summary(summary));
    Ok(())
}

pub fn events(
    storage: &dyn Storage,
    did: &Did,
    start_after: Option<u64>,
    limit: usize,
) -> StdResult<Vec<(u64, StoredEvent)>> {
    seq_range(storage, EVENT_PREFIX, did, start_after, limit)?
        .into_iter()
        .map(|(seq, v)| Ok((seq, decode_event(&v)?)))
        .collect()
}

pub fn save_claim(storage: &mut dyn Storage, did: &Did, seq: u64, claim: &VerifiedClaim) -> StdResult<()> {
    storage.set(&seq_key(CLAIM_PREFIX, did, seq)?, &to_json_vec(claim)?);
    storage.set(&key(NULLIFIER_PREFIX, &claim.nullifier.0), did.as_str().as_bytes());
    Ok(())
}

pub fn claims(
    storage: &dyn Storage,
    did: &Did,
    start_after: Option<u64>,
    limit: usize,
) -> StdResult<Vec<(u64, VerifiedClaim)>> {
    seq_range(storage, CLAIM_PREFIX, did, start_after, limit)?
        .into_iter()
        .map(|(seq, v)| Ok((seq, from_json(v)?)))
        .collect()
}

/// The DID a nullifier served.
pub fn nullifier_user(storage: &dyn Storage, n: &Nullifier) -> StdResult<Option<Did>> {
    scan_get(storage, &key(NULLIFIER_PREFIX, &n.0))
        .map(|v| {
            let text = String::from_utf8(v).map_err(|_| corrupt())?;
            Did::parse(&text).map_err(|_| corrupt())
        })
        .transpose()
}

// ---------------------------------------------------------------------------------------------
// verifying keys

const KEY_HEADER_LEN: usize = 8 + 32;

fn verifying_key_key(kind: ClaimKind) -> [u8; 2] {
    // Codes are 1 to 3: one byte each.
    [VERIFYING_KEY_PREFIX, kind.code() as u8]
}

fn decode_verifying_key(kind: ClaimKind, bytes: &[u8]) -> StdResult<StoredKey> {
    if bytes.len() != KEY_HEADER_LEN + PREPARED_KEY_LEN {
        return Err(corrupt());
    }
    let (time, rest) = bytes.split_at(8);
    let (checksum, prepared) = rest.split_at(32);
    Ok(StoredKey {
        kind,
        stored_at: u64::from_be_bytes(time.try_into().map_err(|_| corrupt())?),
        checksum: checksum.try_into().map_err(|_| corrupt())?,
        prepared: prepared.to_vec(),
    })
}

pub fn load_verifying_key(storage: &dyn Storage, kind: ClaimKind) -> StdResult<Option<StoredKey>> {
    scan_get(storage, &verifying_key_key(kind)).map(|v| decode_verifying_key(kind, &v)).transpose()
}

pub fn save_verifying_key(storage: &mut dyn Storage, key: &StoredKey) {
    let mut value = Vec::with_capacity(KEY_HEADER_LEN + key.prepared.len());
    value.extend_from_slice(&key.stored_at.to_be_bytes());
    value.extend_from_slice(&key.checksum);
    value.extend_from_slice(&key.prepared);
    storage.set(&verifying_key_key(key.kind), &value);
}

pub fn remove_verifying_key(storage: &mut dyn Storage, kind: ClaimKind) {
    storage.remove(&verifying_key_key(kind));
}

/// Every stored verifying key, by kind code.
pub fn verifying_keys(storage: &dyn Storage) -> StdResult<Vec<StoredKey>> {
    storage
        .range(Some(&[VERIFYING_KEY_PREFIX]), Some(&[VERIFYING_KEY_PREFIX + 1]), Order::Ascending)
        .map(|(k, v)| {
            let kind = k.get(1).and_then(|c| ClaimKind::from_code(u64::from(*c))).ok_or_else(corrupt)?;
            decode_verifying_key(kind, &v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::MemoryStorage;

    fn did(s: &str) -> Did {
        Did::parse(s).unwrap()
    }

    #[test]
    fn heads_round_trip_and_reject_corruption() {
        let h = Head {
            state: DidState { created: 1_731_536_000, updated: u64::MAX, version: 7, deactivated: true },
            claims: 3,
            controllers: vec![did("did:example:a"), did("did:resource:x:abc:def")],
        };
        let bytes = encode_head(&h);
        assert_eq!(decode_head(&bytes).unwrap(), h);
        for cut in 0..bytes.len() {
            assert!(decode_head(&bytes[..cut]).is_err(), "prefix {cut}");
        }
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert!(decode_head(&trailing).is_err());
        let mut bad_flag = encode_head(&Head { controllers: vec![], ..h.clone() });
        let flag = bad_flag.len() - 2;
        bad_flag[flag] = 2;
        assert!(decode_head(&bad_flag).is_err());
    }

    #[test]
    fn summaries_and_events_round_trip() {
        let empty = ReputationSummary::default();
        assert_eq!(decode_summary(&encode_summary(&empty)).unwrap(), empty);
        assert_eq!(encode_summary(&empty).len(), 13);
        let s = ReputationSummary {
            events: 9,
            credit_granted: u128::MAX,
            vouches_broken: 2,
            cleared: 5,
            first_event_at: Some(10),
            last_event_at: Some(u64::MAX),
            ..empty
        };
        assert_eq!(decode_summary(&encode_summary(&s)).unwrap(), s);
        let member = did("did:resource:resource-1:inj1member");
        let writer = CanonicalAddr::from(vec![4u8; 20]);
        for event in [
            ReputationEvent::CreditLineGranted { amount: 1, term: u64::MAX },
            ReputationEvent::RepaidOnTime { amount: u128::MAX },
            ReputationEvent::Defaulted { amount: 7 },
            ReputationEvent::VouchGiven { amount: 8, member: member.clone() },
            ReputationEvent::VouchKept { amount: 9, member: member.clone() },
            ReputationEvent::VouchBroken { amount: 10, member: member.clone() },
            ReputationEvent::ClearingParticipation { round: 3, amount: 11 },
            ReputationEvent::DebtRecovered { amount: 12 },
        ] {
            let e = StoredEvent { time: 1_731_536_000, writer: writer.clone(), event };
            let bytes = encode_event(&e).unwrap();
            assert_eq!(decode_event(&bytes).unwrap(), e);
            assert!(decode_event(&bytes[..bytes.len() - 1]).is_err());
        }
        let e = StoredEvent { time: 1_731_536_000, writer, event: ReputationEvent::RepaidOnTime { amount: 5_000_000 } };
        assert_eq!(encode_event(&e).unwrap().len(), 5 + 21 + 1 + 4);
        assert!(decode_event(&[0, 0, 9]).is_err(), "unknown tag");
    }

    /// Records stored before `debt_recovered` existed: their bytes must decode to what they meant,
    /// with nothing recovered, and re-encode to the same bytes.
    #[test]
    fn records_stored_before_debt_recovery_still_decode() {
        // events 2, credit_lines 1, credit_granted 1000, repaid_on_time 1, repaid 1000 (0xe8 0x07),
        // the other eight counters and totals 0, first event 100, last 200 (0xc8 0x01).
        let old_summary = [2, 1, 0xe8, 0x07, 1, 0xe8, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0xc8, 0x01];
        let s = decode_summary(&old_summary).unwrap();
        let expected = ReputationSummary {
            events: 2,
            credit_lines: 1,
            credit_granted: 1000,
            repaid_on_time: 1,
            repaid: 1000,
            first_event_at: Some(100),
            last_event_at: Some(200),
            ..ReputationSummary::default()
        };
        assert_eq!(s, expected);
        assert_eq!(encode_summary(&s), old_summary);
        // time 100, a 2-byte writer, tag 1 (repaid_on_time), amount 5
        let old_event = [100, 2, 9, 9, 1, 5];
        let e = decode_event(&old_event).unwrap();
        assert_eq!(e.event, ReputationEvent::RepaidOnTime { amount: 5 });
        assert_eq!(encode_event(&e).unwrap(), old_event);

        let recovered = expected.with(&ReputationEvent::DebtRecovered { amount: 300 }, 250);
        assert_eq!(recovered.recovered, 300);
        let bytes = encode_summary(&recovered);
        assert_eq!(decode_summary(&bytes).unwrap(), recovered);
        for cut in 0..bytes.len() {
            assert_ne!(decode_summary(&bytes[..cut]).ok(), Some(recovered), "prefix {cut}");
        }
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert!(decode_summary(&trailing).is_err());
        let e = StoredEvent {
            time: 250,
            writer: CanonicalAddr::from(vec![9u8; 2]),
            event: ReputationEvent::DebtRecovered { amount: 300 },
        };
        assert_eq!(encode_event(&e).unwrap(), [0xfa, 0x01, 2, 9, 9, 7, 0xac, 0x02]);
    }

    #[test]
    fn sequences_stay_inside_their_did() {
        let mut s = MemoryStorage::new();
        let a = did("did:example:a");
        let ab = did("did:example:ab"); // a's text is a prefix of it: the length byte keeps them apart
        for (d, seq) in [(&a, 1u64), (&a, 2), (&ab, 1), (&a, u64::MAX)] {
            s.set(&seq_key(EVENT_PREFIX, d, seq).unwrap(), &[seq as u8]);
        }
        let seqs = |d: &Did, after, limit| -> Vec<u64> {
            seq_range(&s, EVENT_PREFIX, d, after, limit).unwrap().into_iter().map(|(n, _)| n).collect()
        };
        assert_eq!(seqs(&a, None, 10), vec![1, 2, u64::MAX]);
        assert_eq!(seqs(&a, Some(1), 1), vec![2]);
        assert_eq!(seqs(&a, Some(u64::MAX), 10), Vec::<u64>::new());
        assert_eq!(seqs(&ab, None, 10), vec![1]);
        assert_eq!(seqs(&did("did:example:b"), None, 10), Vec::<u64>::new());
    }
}
