//! Storage layout. Gas is paid per byte written (30 gas each) and per byte read, so the records
//! touched per set-off entry use a compact hand-written binary encoding (as in the credit token),
//! keyed by one prefix byte, and addresses are stored canonical.
//!
//! | key                                         | value                                  | written by |
//! |---------------------------------------------|----------------------------------------|------------|
//! | `c`                                         | [`Config`] (JSON)                      | instantiate, UpdateConfig, UpdateAdmin/AcceptAdmin |
//! | `t`                                         | [`Totals`] (varints)                   | every message that changes an obligation |
//! | `o` ++ id (8 bytes BE)                      | [`Obligation`] (see [`encode_obligation`]) | Propose, Accept, Cancel, WithdrawCancel, each entry of an applied round, settlement |
//! | `p` ++ len (1 byte) ++ canonical ++ id (BE) | `[1]`: participant index: the creditor's from Propose, the debtor's from Accept | Propose, Accept |
//! | `n` ++ len (1 byte) ++ canonical ++ id (BE) | `[1]`: proposals awaiting the debtor | Propose (set), Accept and Cancel of a proposal (removed) |
//! | `q` ++ id (BE)                              | `[1]`: open index (accepted, remaining > 0) | Accept (set), full clearing, settlement and cancellation (removed) |
//! | `k`                                         | [`Pending`] round (see [`encode_pending`]) | SubmitSetOff (set), closing (removed) |
//! | `r` ++ round (BE)                           | [`Round`] summary (see [`encode_round`]) | closing |
//! | `e` ++ round (BE)                           | the round's entries: varint id, varint amount, repeated | SubmitSetOff (the candidate's, kept when it closes) |
//!
//! cw2 keeps its `contract_info` key. Numbers are LEB128 varints, addresses one length byte plus the
//! canonical bytes. Execute messages never iterate over stored obligations: a submission reads one
//! obligation per entry and writes `k` and `e`; a close reads `k`, `e` and one obligation per entry,
//! writes them back (plus the open-index key of each fully cleared one) and `t`, `r` once.
//!
//! Contracts stored before the round window keep their records: a config without `round_window`
//! gets the default, a round summary without an outcome byte was applied, and proposals made
//! before `n` existed stay in their debtor's `p` listing.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{from_json, to_json_vec, Addr, CanonicalAddr, Order, StdError, StdResult, Storage};
use resource_cw::codec::{self, put_addr, put_uvarint, Reader};
use resource_cw::scan_get;

use resource_core::clearing::{Candidate, Party, RoundOutcome};
use resource_msgs::clearing::{ObligationStatus, SetOffEntry, DEFAULT_ROUND_WINDOW};

const CONFIG_KEY: &[u8] = b"c";
const TOTALS_KEY: &[u8] = b"t";
pub const OBLIGATION_PREFIX: u8 = b'o';
pub const PARTY_PREFIX: u8 = b'p';
pub const PROPOSAL_PREFIX: u8 = b'n';
pub const OPEN_PREFIX: u8 = b'q';
const PENDING_KEY: &[u8] = b"k";
pub const ROUND_PREFIX: u8 = b'r';
const ROUND_ENTRIES_PREFIX: u8 = b'e';

/// The value of index keys (storage values must not be empty).
const MARK: &[u8] = &[1];

/// Length of an invoice reference hash.
pub const REFERENCE_LEN: usize = 32;

#[cw_serde]
pub struct Config {
    pub admin: Addr,
    pub pending_admin: Option<Addr>,
    pub credit_token: Option<Addr>,
    pub max_entries: u32,
    #[serde(default = "default_round_window")]
    pub round_window: u64,
}

fn default_round_window() -> u64 {
    DEFAULT_ROUND_WINDOW
}

/// Running totals, kept up to date by every change (never by iteration).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Sum of the remaining amounts of accepted obligations.
    pub gross_outstanding: u128,
    pub cleared_to_date: u128,
    pub settled_to_date: u128,
    /// Obligations ever proposed: the last id issued.
    pub obligations: u64,
    /// Accepted obligations with `remaining > 0` (the keys under `q`).
    pub open: u64,
    /// Rounds closed (applied or lapsed): the last closed round's number.
    pub rounds: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Obligation {
    pub status: ObligationStatus,
    pub debtor: CanonicalAddr,
    pub creditor: CanonicalAddr,
    /// The invoiced amount.
    pub amount: u128,
    /// Still owed (0 once cancelled, cleared or settled).
    pub remaining: u128,
    /// Cleared by set-off rounds so far.
    pub cleared: u128,
    /// Unix seconds.
    pub due: u64,
    pub reference: Option<[u8; REFERENCE_LEN]>,
    /// The party that asked to cancel this accepted obligation (only while accepted).
    pub cancel_requested: Option<Party>,
}

impl Obligation {
    /// What `SettleWithCredit` paid: for a settled obligation, everything not cleared.
    pub fn settled(&self) -> u128 {
        if self.status == ObligationStatus::Settled {
            self.amount.saturating_sub(self.cleared)
        } else {
            0
        }
    }
}

/// A closed clearing round's summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Round {
    pub submitter: CanonicalAddr,
    pub entries: u32,
    pub total: u128,
    pub participants: u32,
    /// The closing block.
    pub height: u64,
    /// Unix seconds of the close.
    pub time: u64,
    pub outcome: RoundOutcome,
}

/// The round taking submissions: its candidate (entries under `e` ++ number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub candidate: Candidate,
    pub submitter: CanonicalAddr,
    pub entries: u32,
    pub participants: u32,
    /// Unix seconds of the round's first submission.
    pub opened_at: u64,
}

// ---------------------------------------------------------------------------------------------
// codec

/// Records of this contract are decoded with `resource_cw::codec`; this is the error for malformed ones.
const RECORD: &str = "corrupt clearing storage record";

fn corrupt() -> StdError {
    codec::corrupt(RECORD)
}

/// Bits of the status byte above the status: who asked to cancel (records stored before these
/// existed have neither bit set).
const DEBTOR_ASKED_TO_CANCEL: u8 = 0x10;
const CREDITOR_ASKED_TO_CANCEL: u8 = 0x20;

fn status_byte(s: ObligationStatus, cancel_requested: Option<Party>) -> u8 {
    let status = match s {
        ObligationStatus::Proposed => 0,
        ObligationStatus::Accepted => 1,
        ObligationStatus::Cancelled => 2,
        ObligationStatus::Cleared => 3,
        ObligationStatus::Settled => 4,
    };
    status
        | match cancel_requested {
            None => 0,
            Some(Party::Debtor) => DEBTOR_ASKED_TO_CANCEL,
            Some(Party::Creditor) => CREDITOR_ASKED_TO_CANCEL,
        }
}

fn byte_status(b: u8) -> StdResult<(ObligationStatus, Option<Party>)> {
    let status = match b & 0x0f {
        0 => ObligationStatus::Proposed,
        1 => ObligationStatus::Accepted,
        2 => ObligationStatus::Cancelled,
        3 => ObligationStatus::Cleared,
        4 => ObligationStatus::Settled,
        _ => return Err(corrupt()),
    };
    let requested = match b & 0xf0 {
        0 => None,
        DEBTOR_ASKED_TO_CANCEL => Some(Party::Debtor),
        CREDITOR_ASKED_TO_CANCEL => Some(Party::Creditor),
        _ => return Err(corrupt()),
    };
    Ok((status, requested))
}

/// `status` (1 byte, with the cancellation request in its high bits), `debtor`, `creditor` (length byte + canonical), varints `amount`,
/// `remaining`, `cleared`, `due`, then the 32 reference bytes if there is a reference: 63 bytes for
/// 20-byte addresses, amounts of thousands of tokens at 6 decimals and no reference (JSON with
/// bech32 addresses would take about 300).
pub fn encode_obligation(o: &Obligation) -> StdResult<Vec<u8>> {
    let mut out = Vec::with_capacity(3 + o.debtor.len() + o.creditor.len() + 40 + REFERENCE_LEN);
    out.push(status_byte(o.status, o.cancel_requested));
    put_addr(&mut out, Some(&o.debtor))?;
    put_addr(&mut out, Some(&o.creditor))?;
    put_uvarint(&mut out, o.amount);
    put_uvarint(&mut out, o.remaining);
    put_uvarint(&mut out, o.cleared);
    put_uvarint(&mut out, u128::from(o.due));
    if let Some(r) = &o.reference {
        out.extend_from_slice(r);
    }
    Ok(out)
}

pub fn decode_obligation(bytes: &[u8]) -> StdResult<Obligation> {
    let mut r = Reader::new(bytes, RECORD);
    let (status, cancel_requested) = byte_status(r.byte()?)?;
    let debtor = r.required_addr()?;
    let creditor = r.required_addr()?;
    let amount = r.uvarint()?;
    let remaining = r.uvarint()?;
    let cleared = r.uvarint()?;
    let due = r.u64()?;
    let reference = match r.remaining() {
        0 => None,
        REFERENCE_LEN => Some(r.bytes(REFERENCE_LEN)?.try_into().map_err(|_| corrupt())?),
        _ => return Err(corrupt()),
    };
    r.finish()?;
    Ok(Obligation { status, debtor, creditor, amount, remaining, cleared, due, reference, cancel_requested })
}

pub fn encode_totals(t: &Totals) -> Vec<u8> {
    let mut out = Vec::with_capacity(32);
    put_uvarint(&mut out, t.gross_outstanding);
    put_uvarint(&mut out, t.cleared_to_date);
    put_uvarint(&mut out, t.settled_to_date);
    put_uvarint(&mut out, u128::from(t.obligations));
    put_uvarint(&mut out, u128::from(t.open));
    put_uvarint(&mut out, u128::from(t.rounds));
    out
}

pub fn decode_totals(bytes: &[u8]) -> StdResult<Totals> {
    let mut r = Reader::new(bytes, RECORD);
    let t = Totals {
        gross_outstanding: r.uvarint()?,
        cleared_to_date: r.uvarint()?,
        settled_to_date: r.uvarint()?,
        obligations: r.u64()?,
        open: r.u64()?,
        rounds: r.u64()?,
    };
    r.finish()?;
    Ok(t)
}

/// `submitter` (length byte + canonical), varints `entries`, `total`, `participants`, `height`,
/// `time`, then one byte if the round lapsed (none: applied, as every round stored before lapsing
/// existed).
pub fn encode_round(r: &Round) -> StdResult<Vec<u8>> {
    let mut out = Vec::with_capacity(2 + r.submitter.len() + 40);
    put_addr(&mut out, Some(&r.submitter))?;
    put_uvarint(&mut out, u128::from(r.entries));
    put_uvarint(&mut out, r.total);
    put_uvarint(&mut out, u128::from(r.participants));
    put_uvarint(&mut out, u128::from(r.height));
    put_uvarint(&mut out, u128::from(r.time));
    if r.outcome == RoundOutcome::Lapsed {
        out.push(1);
    }
    Ok(out)
}

pub fn decode_round(bytes: &[u8]) -> StdResult<Round> {
    let mut r = Reader::new(bytes, RECORD);
    let submitter = r.required_addr()?;
    let entries = r.u32()?;
    let total = r.uvarint()?;
    let participants = r.u32()?;
    let height = r.u64()?;
    let time = r.u64()?;
    let outcome = match r.remaining() {
        0 => RoundOutcome::Applied,
        1 if r.byte()? == 1 => RoundOutcome::Lapsed,
        _ => return Err(corrupt()),
    };
    r.finish()?;
    Ok(Round { submitter, entries, total, participants, height, time, outcome })
}

/// Varints `number`, `total`, `closes_at`, `opened_at`, `entries`, `participants`, then `submitter`
/// (length byte + canonical).
pub fn encode_pending(p: &Pending) -> StdResult<Vec<u8>> {
    let mut out = Vec::with_capacity(1 + p.submitter.len() + 40);
    put_uvarint(&mut out, u128::from(p.candidate.number));
    put_uvarint(&mut out, p.candidate.total);
    put_uvarint(&mut out, u128::from(p.candidate.closes_at));
    put_uvarint(&mut out, u128::from(p.opened_at));
    put_uvarint(&mut out, u128::from(p.entries));
    put_uvarint(&mut out, u128::from(p.participants));
    put_addr(&mut out, Some(&p.submitter))?;
    Ok(out)
}

pub fn decode_pending(bytes: &[u8]) -> StdResult<Pending> {
    let mut r = Reader::new(bytes, RECORD);
    let candidate = Candidate { number: r.u64()?, total: r.uvarint()?, closes_at: r.u64()? };
    let p = Pending {
        candidate,
        opened_at: r.u64()?,
        entries: r.u32()?,
        participants: r.u32()?,
        submitter: r.required_addr()?,
    };
    r.finish()?;
    Ok(p)
}

/// Varint `id`, varint `amount`, for each entry: 2 to 6 bytes for typical entries.
pub fn encode_entries(entries: &[SetOffEntry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.len() * 6);
    for e in entries {
        put_uvarint(&mut out, u128::from(e.id));
        put_uvarint(&mut out, e.amount.u128());
    }
    out
}

pub fn decode_entries(bytes: &[u8]) -> StdResult<Vec<SetOffEntry>> {
    let mut r = Reader::new(bytes, RECORD);
    let mut entries = Vec::new();
    while !r.is_empty() {
        entries.push(SetOffEntry { id: r.u64()?, amount: r.uvarint()?.into() });
    }
    Ok(entries)
}

// ---------------------------------------------------------------------------------------------
// keys

fn id_key(prefix: u8, id: u64) -> [u8; 9] {
    let mut k = [prefix; 9];
    k[1..].copy_from_slice(&id.to_be_bytes());
    k
}

/// `p` ++ length ++ canonical: every participant-index key of one participant starts with it.
pub fn party_prefix(canonical: &[u8]) -> StdResult<Vec<u8>> {
    address_prefix(PARTY_PREFIX, canonical)
}

/// `n` ++ length ++ canonical: every key of the proposals awaiting one debtor starts with it.
pub fn proposal_prefix(canonical: &[u8]) -> StdResult<Vec<u8>> {
    address_prefix(PROPOSAL_PREFIX, canonical)
}

fn address_prefix(prefix: u8, canonical: &[u8]) -> StdResult<Vec<u8>> {
    let len = u8::try_from(canonical.len()).map_err(|_| StdError::generic_err("canonical address too long"))?;
    let mut k = Vec::with_capacity(2 + canonical.len() + 8);
    k.push(prefix);
    k.push(len);
    k.extend_from_slice(canonical);
    Ok(k)
}

fn address_id_key(prefix: Vec<u8>, id: u64) -> Vec<u8> {
    let mut k = prefix;
    k.extend_from_slice(&id.to_be_bytes());
    k
}

/// The ids under `prefix ++ id (8 bytes BE)`, ascending, after `start_after`, at most `limit`.
pub fn ids_under(storage: &dyn Storage, prefix: &[u8], start_after: Option<u64>, limit: usize) -> Vec<u64> {
    let first = match start_after {
        None => 0,
        Some(u64::MAX) => return Vec::new(),
        Some(after) => after + 1,
    };
    let mut start = prefix.to_vec();
    start.extend_from_slice(&first.to_be_bytes());
    let mut end = prefix.to_vec();
    end.extend_from_slice(&[0xff; 9]);
    storage
        .range_keys(Some(&start), Some(&end), Order::Ascending)
        .filter_map(|k| k.get(prefix.len()..).and_then(|id| <[u8; 8]>::try_from(id).ok()).map(u64::from_be_bytes))
        .take(limit)
        .collect()
}

pub fn obligation_ids_of(
    storage: &dyn Storage,
    canonical: &[u8],
    start_after: Option<u64>,
    limit: usize,
) -> StdResult<Vec<u64>> {
    Ok(ids_under(storage, &party_prefix(canonical)?, start_after, limit))
}

pub fn proposal_ids_to(
    storage: &dyn Storage,
    canonical: &[u8],
    start_after: Option<u64>,
    limit: usize,
) -> StdResult<Vec<u64>> {
    Ok(ids_under(storage, &proposal_prefix(canonical)?, start_after, limit))
}

pub fn open_ids(storage: &dyn Storage, start_after: Option<u64>, limit: usize) -> Vec<u64> {
    ids_under(storage, &[OPEN_PREFIX], start_after, limit)
}

pub fn round_numbers(storage: &dyn Storage, start_after: Option<u64>, limit: usize) -> Vec<u64> {
    ids_under(storage, &[ROUND_PREFIX], start_after, limit)
}

// ---------------------------------------------------------------------------------------------
// records

pub fn load_config(storage: &dyn Storage) -> StdResult<Config> {
    from_json(scan_get(storage, CONFIG_KEY).ok_or_else(|| StdError::not_found("clearing config"))?)
}

pub fn save_config(storage: &mut dyn Storage, c: &Config) -> StdResult<()> {
    storage.set(CONFIG_KEY, &to_json_vec(c)?);
    Ok(())
}

/// All zero before the first obligation.
pub fn load_totals(storage: &dyn Storage) -> StdResult<Totals> {
    scan_get(storage, TOTALS_KEY).map_or(Ok(Totals::default()), |v| decode_totals(&v))
}

pub fn save_totals(storage: &mut dyn Storage, t: &Totals) {
    storage.set(TOTALS_KEY, &encode_totals(t));
}

pub fn load_obligation(storage: &dyn Storage, id: u64) -> StdResult<Option<Obligation>> {
    scan_get(storage, &id_key(OBLIGATION_PREFIX, id)).map(|v| decode_obligation(&v)).transpose()
}

pub fn save_obligation(storage: &mut dyn Storage, id: u64, o: &Obligation) -> StdResult<()> {
    storage.set(&id_key(OBLIGATION_PREFIX, id), &encode_obligation(o)?);
    Ok(())
}

/// Indexes a new proposal: among the creditor's obligations, and among the proposals awaiting the
/// debtor (not yet among the debtor's obligations: a stranger's proposals cannot fill that list).
pub fn index_proposal(storage: &mut dyn Storage, id: u64, o: &Obligation) -> StdResult<()> {
    storage.set(&address_id_key(party_prefix(&o.creditor)?, id), MARK);
    storage.set(&address_id_key(proposal_prefix(&o.debtor)?, id), MARK);
    Ok(())
}

/// The debtor accepted proposal `id`: it moves to the debtor's obligations.
pub fn index_acceptance(storage: &mut dyn Storage, id: u64, debtor: &CanonicalAddr) -> StdResult<()> {
    storage.remove(&address_id_key(proposal_prefix(debtor)?, id));
    storage.set(&address_id_key(party_prefix(debtor)?, id), MARK);
    Ok(())
}

/// Proposal `id` was withdrawn: it no longer awaits the debtor.
pub fn unindex_proposal(storage: &mut dyn Storage, id: u64, debtor: &CanonicalAddr) -> StdResult<()> {
    storage.remove(&address_id_key(proposal_prefix(debtor)?, id));
    Ok(())
}

pub fn set_open(storage: &mut dyn Storage, id: u64) {
    storage.set(&id_key(OPEN_PREFIX, id), MARK);
}

pub fn remove_open(storage: &mut dyn Storage, id: u64) {
    storage.remove(&id_key(OPEN_PREFIX, id));
}

pub fn load_round(storage: &dyn Storage, number: u64) -> StdResult<Option<Round>> {
    scan_get(storage, &id_key(ROUND_PREFIX, number)).map(|v| decode_round(&v)).transpose()
}

pub fn load_round_entries(storage: &dyn Storage, number: u64) -> StdResult<Vec<SetOffEntry>> {
    scan_get(storage, &id_key(ROUND_ENTRIES_PREFIX, number)).map_or(Ok(Vec::new()), |v| decode_entries(&v))
}

pub fn save_round_entries(storage: &mut dyn Storage, number: u64, entries: &[SetOffEntry]) {
    storage.set(&id_key(ROUND_ENTRIES_PREFIX, number), &encode_entries(entries));
}

pub fn save_round(storage: &mut dyn Storage, number: u64, r: &Round) -> StdResult<()> {
    storage.set(&id_key(ROUND_PREFIX, number), &encode_round(r)?);
    Ok(())
}

pub fn load_pending(storage: &dyn Storage) -> StdResult<Option<Pending>> {
    scan_get(storage, PENDING_KEY).map(|v| decode_pending(&v)).transpose()
}

pub fn save_pending(storage: &mut dyn Storage, p: &Pending) -> StdResult<()> {
    storage.set(PENDING_KEY, &encode_pending(p)?);
    Ok(())
}

pub fn remove_pending(storage: &mut dyn Storage) {
    storage.remove(PENDING_KEY);
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::MemoryStorage;

    fn obligation(status: ObligationStatus, reference: Option<[u8; 32]>) -> Obligation {
        Obligation {
            status,
            debtor: CanonicalAddr::from(vec![1u8; 20]),
            creditor: CanonicalAddr::from(vec![2u8; 32]),
            amount: 5_000_000_000,
            remaining: 1_250_000_000,
            cleared: 3_750_000_000,
            due: 1_731_536_000,
            reference,
            cancel_requested: None,
        }
    }

    #[test]
    fn obligation_round_trips_at_the_edges() {
        let statuses = [
            ObligationStatus::Proposed,
            ObligationStatus::Accepted,
            ObligationStatus::Cancelled,
            ObligationStatus::Cleared,
            ObligationStatus::Settled,
        ];
        for status in statuses {
            for reference in [None, Some([7u8; 32])] {
                let o = obligation(status, reference);
                assert_eq!(decode_obligation(&encode_obligation(&o).unwrap()).unwrap(), o);
                let edge =
                    Obligation { amount: u128::MAX, remaining: 0, cleared: u128::MAX, due: u64::MAX, ..o.clone() };
                assert_eq!(decode_obligation(&encode_obligation(&edge).unwrap()).unwrap(), edge);
                for party in [Party::Debtor, Party::Creditor] {
                    let asked = Obligation { cancel_requested: Some(party), ..o.clone() };
                    assert_eq!(decode_obligation(&encode_obligation(&asked).unwrap()).unwrap(), asked);
                }
            }
        }
    }

    #[test]
    fn obligation_encoding_is_compact() {
        let mut o = obligation(ObligationStatus::Accepted, None);
        o.creditor = CanonicalAddr::from(vec![2u8; 20]);
        let len = encode_obligation(&o).unwrap().len();
        assert_eq!(len, 63, "1 + 21 + 21 + four 5-byte varints (5,000 tokens at 6 decimals, a 2024 date)");
        o.reference = Some([0; 32]);
        assert_eq!(encode_obligation(&o).unwrap().len(), len + 32);
    }

    #[test]
    fn corrupt_records_are_errors_not_panics() {
        let good = encode_obligation(&obligation(ObligationStatus::Accepted, Some([9; 32]))).unwrap();
        let without_reference = good.len() - 32;
        for cut in 0..good.len() {
            if cut == without_reference {
                continue; // a record without reference is valid
            }
            assert!(decode_obligation(&good[..cut]).is_err(), "prefix {cut}");
        }
        let mut trailing = good.clone();
        trailing.push(0);
        assert!(decode_obligation(&trailing).is_err());
        for bad in [5u8, 0x31, 0x41] {
            let mut bad_status = good.clone();
            bad_status[0] = bad;
            assert!(decode_obligation(&bad_status).is_err(), "status byte {bad:#x}");
        }
        let mut empty_addr = good;
        empty_addr[1] = 0;
        assert!(decode_obligation(&empty_addr).is_err());
        assert!(decode_totals(&[0xff; 20]).is_err(), "varint longer than 128 bits");
        assert!(decode_entries(&[1]).is_err(), "id without amount");
        assert!(put_addr(&mut Vec::new(), Some(&CanonicalAddr::from(vec![0u8; 256]))).is_err());
    }

    #[test]
    fn totals_rounds_and_entries_round_trip() {
        let t = Totals {
            gross_outstanding: u128::MAX,
            cleared_to_date: 7,
            settled_to_date: 0,
            obligations: u64::MAX,
            open: 3,
            rounds: 12,
        };
        assert_eq!(decode_totals(&encode_totals(&t)).unwrap(), t);
        assert_eq!(encode_totals(&Totals::default()).len(), 6);
        let r = Round {
            submitter: CanonicalAddr::from(vec![3u8; 20]),
            entries: 2_000,
            total: 123_456_789,
            participants: 40,
            height: 12_345,
            time: 1_731_536_000,
            outcome: RoundOutcome::Applied,
        };
        assert_eq!(decode_round(&encode_round(&r).unwrap()).unwrap(), r);
        let lapsed = Round { outcome: RoundOutcome::Lapsed, ..r.clone() };
        let bytes = encode_round(&lapsed).unwrap();
        assert_eq!(bytes.len(), encode_round(&r).unwrap().len() + 1, "an applied round is stored as before");
        assert_eq!(decode_round(&bytes).unwrap(), lapsed);
        let mut bad = bytes.clone();
        *bad.last_mut().unwrap() = 2;
        assert!(decode_round(&bad).is_err());
        let p = Pending {
            candidate: Candidate { number: 7, total: u128::MAX, closes_at: u64::MAX },
            submitter: CanonicalAddr::from(vec![4u8; 32]),
            entries: 1_000,
            participants: 12,
            opened_at: 1_731_536_000,
        };
        assert_eq!(decode_pending(&encode_pending(&p).unwrap()).unwrap(), p);
        assert!(decode_pending(&encode_pending(&p).unwrap()[..5]).is_err());
        let entries = vec![
            SetOffEntry { id: 1, amount: 5u128.into() },
            SetOffEntry { id: u64::MAX, amount: u128::MAX.into() },
            SetOffEntry { id: 300, amount: 1_000_000u128.into() },
        ];
        assert_eq!(decode_entries(&encode_entries(&entries)).unwrap(), entries);
        assert_eq!(encode_entries(&entries[..1]), vec![1, 5]);
    }

    #[test]
    fn a_config_stored_before_the_round_window_gets_the_default() {
        let mut s = MemoryStorage::new();
        s.set(CONFIG_KEY, br#"{"admin":"inj1admin","pending_admin":null,"credit_token":null,"max_entries":1000}"#);
        assert_eq!(load_config(&s).unwrap().round_window, DEFAULT_ROUND_WINDOW);
    }

    #[test]
    fn id_ranges_stay_inside_their_prefix() {
        let mut s = MemoryStorage::new();
        let alice = [1u8; 20];
        let longer = [1u8; 32]; // starts with alice's bytes: the length byte keeps them apart
        for (who, id) in [(&alice[..], 1u64), (&alice[..], 3), (&longer[..], 2), (&alice[..], u64::MAX)] {
            let mut k = party_prefix(who).unwrap();
            k.extend_from_slice(&id.to_be_bytes());
            s.set(&k, MARK);
        }
        let o =
            Obligation { debtor: CanonicalAddr::from(alice.to_vec()), ..obligation(ObligationStatus::Proposed, None) };
        index_proposal(&mut s, 7, &o).unwrap();
        assert_eq!(proposal_ids_to(&s, &alice, None, 10).unwrap(), vec![7]);
        assert_eq!(obligation_ids_of(&s, &alice, None, 10).unwrap(), vec![1, 3, u64::MAX], "not the debtor's yet");
        index_acceptance(&mut s, 7, &o.debtor).unwrap();
        assert_eq!(proposal_ids_to(&s, &alice, None, 10).unwrap(), Vec::<u64>::new());
        assert_eq!(obligation_ids_of(&s, &alice, None, 10).unwrap(), vec![1, 3, 7, u64::MAX]);
        index_proposal(&mut s, 8, &o).unwrap();
        unindex_proposal(&mut s, 8, &o.debtor).unwrap();
        assert_eq!(proposal_ids_to(&s, &alice, None, 10).unwrap(), Vec::<u64>::new());
        s.remove(&address_id_key(party_prefix(&alice).unwrap(), 7));
        set_open(&mut s, 4);
        set_open(&mut s, 9);
        s.set(&id_key(OBLIGATION_PREFIX, 5), b"x");
        assert_eq!(obligation_ids_of(&s, &alice, None, 10).unwrap(), vec![1, 3, u64::MAX]);
        assert_eq!(obligation_ids_of(&s, &alice, Some(1), 1).unwrap(), vec![3]);
        assert_eq!(obligation_ids_of(&s, &alice, Some(u64::MAX), 10).unwrap(), Vec::<u64>::new());
        assert_eq!(obligation_ids_of(&s, &longer, None, 10).unwrap(), vec![2]);
        assert_eq!(open_ids(&s, None, 10), vec![4, 9]);
        assert_eq!(open_ids(&s, Some(4), 10), vec![9]);
        remove_open(&mut s, 9);
        assert_eq!(open_ids(&s, None, 10), vec![4]);
        assert_eq!(round_numbers(&s, None, 10), Vec::<u64>::new());
    }
}
