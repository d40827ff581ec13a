//! Storage layout. Gas is paid per byte written (30 gas each) and per byte read, so every hot record
//! uses a compact hand-written binary encoding instead of JSON, and keys are one prefix byte plus
//! the canonical address bytes (not the bech32 string).
//!
//! | key                               | value                                   | written by |
//! |-----------------------------------|-----------------------------------------|------------|
//! | `a` ++ canonical address          | [`Account`] (see [`encode_account`])    | every transfer, line change, default, reservation |
//! | `h`                               | [`HotConfig`]: fee rate, collector, fee-exempt list | instantiate, UpdateConfig |
//! | `c`                               | [`Config`]: admin, pending admin, underwriting, loss account, grace, DID registry | instantiate, UpdateConfig, UpdateAdmin/AcceptAdmin |
//! | `s`                               | [`NetworkStats`]: supply, credit extended, members, members in debt | only when one of them changes |
//! | `t`                               | [`TokenInfo`] (JSON, read by the `TokenInfo` query only) | instantiate |
//! | `p` ++ id (8 bytes, big-endian)   | a reputation record the registry refused (`reputation::Kept`) | a failed record's reply, `RetryReputationRecords` |
//! | `q`                               | the next kept record's id (8 bytes)     | a failed record's reply |
//! | `w` (cw-storage-plus map)         | allowances `(owner, spender)` canonical -> cw20 `AllowanceResponse` (JSON) | allowance messages |
//!
//! Numbers are LEB128 varints (signed ones zigzag-encoded), addresses are one length byte plus the
//! canonical bytes (length 0 = none), written and read with `resource_cw::codec`.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{CanonicalAddr, StdError, StdResult, Storage};
use cw20::AllowanceResponse;
use cw_storage_plus::{Item, Map};
use resource_core::ledger::{
    Account, CreditLine, FeeRate, LinePolicy, LineStatus, MinItd, NetworkStats, PeriodIncome, PeriodTerms, TermRecord,
};
use resource_cw::codec::{self, put_addr, put_uvarint, unzigzag, zigzag, Reader};
use resource_cw::scan_get;

pub const ACCOUNT_PREFIX: u8 = b'a';
const HOT_CONFIG_KEY: &[u8] = b"h";
const CONFIG_KEY: &[u8] = b"c";
const STATS_KEY: &[u8] = b"s";

pub const TOKEN_INFO: Item<TokenInfo> = Item::new("t");
/// `(owner canonical, spender canonical) -> allowance`.
pub const ALLOWANCES: Map<(&[u8], &[u8]), AllowanceResponse> = Map::new("w");

/// At most this many fee-exempt addresses (they are read on every transfer).
pub const MAX_FEE_EXEMPT: usize = 16;

#[cw_serde]
pub struct TokenInfo {
    pub name: String,
    pub symbol: String,
    pub decimals: u8,
}

/// What every transfer reads (and nothing else).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HotConfig {
    pub fee: FeeRate,
    pub fee_collector: CanonicalAddr,
    pub fee_exempt: Vec<CanonicalAddr>,
    /// No fee (base or risk) is charged while paused.
    pub fees_paused: bool,
}

impl HotConfig {
    /// Whether `key` is one of the fee-exempt contracts (bridge, clearing).
    pub fn is_exempt(&self, key: &[u8]) -> bool {
        self.fee_exempt.iter().any(|a| a.as_slice() == key)
    }
}

/// Governance and credit configuration (read by the admin and credit-line messages, and by a
/// transfer only when a defaulted member pays).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub admin: CanonicalAddr,
    pub pending_admin: Option<CanonicalAddr>,
    pub underwriting: Option<CanonicalAddr>,
    pub loss_account: CanonicalAddr,
    pub default_grace_period: u64,
    /// The DID registry that receives the members' reputation events, if any.
    pub did_registry: Option<CanonicalAddr>,
    /// The floor under every credit line's term and the grace period.
    pub policy: LinePolicy,
}

impl Config {
    /// Who may open, change and close credit lines: the underwriting contract, or the admin when
    /// the network runs without one.
    pub fn credit_authority(&self) -> &CanonicalAddr {
        self.underwriting.as_ref().unwrap_or(&self.admin)
    }
}

/// The network's config as written by `UpdateConfig`, checked once per change.
impl Config {
    pub fn check(&self) -> Result<(), resource_core::ledger::LedgerError> {
        self.policy.check_grace_period(self.default_grace_period)
    }
}

// ---------------------------------------------------------------------------------------------
// codec

/// Records of this contract are decoded with `resource_cw::codec`; this is the error for malformed ones.
const RECORD: &str = "corrupt credit-token storage record";

fn corrupt() -> StdError {
    codec::corrupt(RECORD)
}

/// The flags byte of an account with a line, a hold, a term record or a reservation: the line's
/// status in bits 0-1 (1 is a frozen active line as records before the hold existed wrote it), then
/// bit flags.
const STATUS_MASK: u8 = 0b0000_0011;
const NO_LINE: u8 = 0b0000_0100;
const FROZEN: u8 = 0b0000_1000;
const OVERDUE: u8 = 0b0001_0000;
const RECORD_FOLLOWS: u8 = 0b0010_0000;
const RESERVED_FOLLOWS: u8 = 0b0100_0000;
/// An extension byte follows: credit-period terms, a risk fee.
const EXTENSION_FOLLOWS: u8 = 0b1000_0000;
/// The extension byte's flags.
const PERIOD_FOLLOWS: u8 = 0b0000_0001;
const PERIOD_PAUSED: u8 = 0b0000_0010;
const PERIOD_REBALANCED: u8 = 0b0000_0100;
const RISK_FEE_FOLLOWS: u8 = 0b0000_1000;

fn status_bits(s: LineStatus) -> u8 {
    match s {
        LineStatus::Active => 0,
        LineStatus::Defaulted => 2,
        LineStatus::Closed => 3,
    }
}

/// `zigzag(balance)` as a varint; then, for an account with a line, a hold, a term record or a
/// reservation, a flags byte (status, no line, frozen, overdue, record follows, reservation
/// follows, extension follows); with a line its `limit`, `term_start`, `term_end`, `grace_period`;
/// with a record its `peak_debt` and `written_off`; with a reservation (only when not 0)
/// `reserved`; with credit-period terms or a risk fee an extension byte (period follows, paused,
/// rebalanced, risk fee follows), then with period terms `min_itd` and the period's income, with a
/// risk fee (only when not 0) its basis points; all varints but the flag bytes. 1 to
/// 6 bytes for a typical holder, about 25 for a member with a line (a fixed-width encoding would take
/// 16 and 57), a few more while it vouches. Records written before the hold, the term record and
/// reservations existed are the same bytes (with status 1 for a frozen line), and decode unchanged
/// with nothing reserved.
pub fn encode_account(a: &Account) -> Vec<u8> {
    let mut out = Vec::with_capacity(if a.line.is_some() { 48 } else { 8 });
    put_uvarint(&mut out, zigzag(a.balance));
    let record = a.term.peak_debt != 0 || a.term.written_off != 0;
    let extension = a.period.is_some() || a.risk_fee != FeeRate::ZERO;
    if a.line.is_none() && !a.frozen && !record && !a.term.overdue && a.reserved == 0 && !extension {
        return out;
    }
    let mut flags = a.line.map_or(NO_LINE, |l| status_bits(l.status));
    if a.frozen {
        flags |= FROZEN;
    }
    if a.term.overdue {
        flags |= OVERDUE;
    }
    if record {
        flags |= RECORD_FOLLOWS;
    }
    if a.reserved != 0 {
        flags |= RESERVED_FOLLOWS;
    }
    if extension {
        flags |= EXTENSION_FOLLOWS;
    }
    out.push(flags);
    if let Some(l) = &a.line {
        put_uvarint(&mut out, l.limit);
        put_uvarint(&mut out, u128::from(l.term_start));
        put_uvarint(&mut out, u128::from(l.term_end));
        put_uvarint(&mut out, u128::from(l.grace_period));
    }
    if record {
        put_uvarint(&mut out, a.term.peak_debt);
        put_uvarint(&mut out, a.term.written_off);
    }
    if a.reserved != 0 {
        put_uvarint(&mut out, a.reserved);
    }
    if extension {
        let mut ext = 0;
        if let Some(p) = &a.period {
            ext |= PERIOD_FOLLOWS;
            if p.paused {
                ext |= PERIOD_PAUSED;
            }
            if p.income.rebalanced {
                ext |= PERIOD_REBALANCED;
            }
        }
        if a.risk_fee != FeeRate::ZERO {
            ext |= RISK_FEE_FOLLOWS;
        }
        out.push(ext);
        if let Some(p) = &a.period {
            put_uvarint(&mut out, u128::from(p.min_itd.0));
            put_uvarint(&mut out, p.income.income);
        }
        if a.risk_fee != FeeRate::ZERO {
            put_uvarint(&mut out, u128::from(a.risk_fee.bps()));
        }
    }
    out
}

pub fn decode_account(bytes: &[u8]) -> StdResult<Account> {
    let mut r = Reader::new(bytes, RECORD);
    let balance = unzigzag(r.uvarint()?);
    if r.is_empty() {
        return Ok(Account::new(balance, None));
    }
    let flags = r.byte()?;
    // Every bit of the flags byte has a meaning: no flag is unknown.
    let (status, legacy_frozen) = match flags & STATUS_MASK {
        0 => (LineStatus::Active, false),
        1 => (LineStatus::Active, true),
        2 => (LineStatus::Defaulted, false),
        _ => (LineStatus::Closed, false),
    };
    let line = if flags & NO_LINE == 0 {
        Some(CreditLine {
            limit: r.uvarint()?,
            term_start: r.u64()?,
            term_end: r.u64()?,
            grace_period: r.u64()?,
            status,
        })
    } else if flags & STATUS_MASK != 0 {
        return Err(corrupt());
    } else {
        None
    };
    let mut term = TermRecord { overdue: flags & OVERDUE != 0, ..TermRecord::NONE };
    if flags & RECORD_FOLLOWS != 0 {
        term.peak_debt = r.uvarint()?;
        term.written_off = r.uvarint()?;
    }
    // Written only when not 0: a 0 would be a second spelling of the same account.
    let reserved = if flags & RESERVED_FOLLOWS != 0 { r.uvarint()? } else { 0 };
    if flags & RESERVED_FOLLOWS != 0 && reserved == 0 {
        return Err(corrupt());
    }
    let (mut period, mut risk_fee) = (None, FeeRate::ZERO);
    if flags & EXTENSION_FOLLOWS != 0 {
        let ext = r.byte()?;
        // Unknown flags, period flags without a period, or an empty extension: not written by us.
        let period_only = PERIOD_PAUSED | PERIOD_REBALANCED;
        if ext & !(PERIOD_FOLLOWS | period_only | RISK_FEE_FOLLOWS) != 0
            || (ext & PERIOD_FOLLOWS == 0 && ext & period_only != 0)
            || ext & (PERIOD_FOLLOWS | RISK_FEE_FOLLOWS) == 0
        {
            return Err(corrupt());
        }
        if ext & PERIOD_FOLLOWS != 0 {
            period = Some(PeriodTerms {
                min_itd: MinItd(r.u64()?),
                paused: ext & PERIOD_PAUSED != 0,
                income: PeriodIncome { income: r.uvarint()?, rebalanced: ext & PERIOD_REBALANCED != 0 },
            });
        }
        if ext & RISK_FEE_FOLLOWS != 0 {
            let bps = u16::try_from(r.uvarint()?).map_err(|_| corrupt())?;
            risk_fee = FeeRate::new(bps).ok().filter(|f| *f != FeeRate::ZERO).ok_or_else(corrupt)?;
        }
    }
    r.finish()?;
    Ok(Account { balance, line, frozen: legacy_frozen || flags & FROZEN != 0, term, reserved, period, risk_fee })
}

pub fn account_key(canonical: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(1 + canonical.len());
    k.push(ACCOUNT_PREFIX);
    k.extend_from_slice(canonical);
    k
}

/// `None` when the address never held a balance or a line.
pub fn load_account(storage: &dyn Storage, canonical: &[u8]) -> StdResult<Option<Account>> {
    scan_get(storage, &account_key(canonical)).map(|v| decode_account(&v)).transpose()
}

pub fn save_account(storage: &mut dyn Storage, canonical: &[u8], account: &Account) {
    storage.set(&account_key(canonical), &encode_account(account));
}

pub fn encode_hot_config(c: &HotConfig) -> StdResult<Vec<u8>> {
    let mut out = Vec::with_capacity(4 + 33 * (1 + c.fee_exempt.len()));
    out.extend_from_slice(&c.fee.bps().to_be_bytes());
    put_addr(&mut out, Some(&c.fee_collector))?;
    let n = u8::try_from(c.fee_exempt.len()).map_err(|_| StdError::generic_err("too many fee-exempt addresses"))?;
    out.push(n);
    for a in &c.fee_exempt {
        put_addr(&mut out, Some(a))?;
    }
    // Written only when set, so a record of a running network is what versions before pausing wrote.
    if c.fees_paused {
        out.push(1);
    }
    Ok(out)
}

pub fn decode_hot_config(bytes: &[u8]) -> StdResult<HotConfig> {
    let mut r = Reader::new(bytes, RECORD);
    let bps = u16::from_be_bytes([r.byte()?, r.byte()?]);
    let fee = FeeRate::new(bps).map_err(|_| corrupt())?;
    let fee_collector = r.addr()?.ok_or_else(corrupt)?;
    let n = r.byte()?;
    let mut fee_exempt = Vec::with_capacity(usize::from(n));
    for _ in 0..n {
        fee_exempt.push(r.addr()?.ok_or_else(corrupt)?);
    }
    let fees_paused = if r.is_empty() {
        false
    } else if r.byte()? == 1 {
        true
    } else {
        return Err(corrupt());
    };
    r.finish()?;
    Ok(HotConfig { fee, fee_collector, fee_exempt, fees_paused })
}

/// `admin`, `pending_admin`, `underwriting`, `loss_account` as addresses, `default_grace_period` as a
/// varint, then `did_registry` (an address, possibly empty) and the line policy's `min_term` and
/// `min_grace_period` (varints) only when they are not `None`, 0, 0: such a record is byte for byte
/// what versions before the registry wrote, and one with a registry and no policy what versions
/// before the policy wrote, so old records decode unchanged.
pub fn encode_config(c: &Config) -> StdResult<Vec<u8>> {
    let mut out = Vec::with_capacity(5 * 33 + 20);
    put_addr(&mut out, Some(&c.admin))?;
    put_addr(&mut out, c.pending_admin.as_ref())?;
    put_addr(&mut out, c.underwriting.as_ref())?;
    put_addr(&mut out, Some(&c.loss_account))?;
    put_uvarint(&mut out, u128::from(c.default_grace_period));
    let policy = c.policy != LinePolicy::default();
    if c.did_registry.is_some() || policy {
        put_addr(&mut out, c.did_registry.as_ref())?;
    }
    if policy {
        put_uvarint(&mut out, u128::from(c.policy.min_term));
        put_uvarint(&mut out, u128::from(c.policy.min_grace_period));
    }
    Ok(out)
}

pub fn decode_config(bytes: &[u8]) -> StdResult<Config> {
    let mut r = Reader::new(bytes, RECORD);
    let admin = r.addr()?.ok_or_else(corrupt)?;
    let pending_admin = r.addr()?;
    let underwriting = r.addr()?;
    let loss_account = r.addr()?.ok_or_else(corrupt)?;
    let default_grace_period = r.u64()?;
    // Trailing and optional: absent in records written before the registry existed, the policy
    // absent in those written before it. An empty registry comes only with a policy (else it would
    // be a second spelling of the old record).
    let (did_registry, policy) = if r.is_empty() {
        (None, LinePolicy::default())
    } else {
        let registry = r.addr()?;
        if r.is_empty() {
            (Some(registry.ok_or_else(corrupt)?), LinePolicy::default())
        } else {
            (registry, LinePolicy { min_term: r.u64()?, min_grace_period: r.u64()? })
        }
    };
    r.finish()?;
    Ok(Config { admin, pending_admin, underwriting, loss_account, default_grace_period, did_registry, policy })
}

pub fn encode_stats(s: &NetworkStats) -> Vec<u8> {
    let mut out = Vec::with_capacity(24);
    put_uvarint(&mut out, s.supply);
    put_uvarint(&mut out, s.credit_extended);
    put_uvarint(&mut out, u128::from(s.members));
    put_uvarint(&mut out, u128::from(s.members_in_debt));
    out
}

pub fn decode_stats(bytes: &[u8]) -> StdResult<NetworkStats> {
    let mut r = Reader::new(bytes, RECORD);
    let s = NetworkStats {
        supply: r.uvarint()?,
        credit_extended: r.uvarint()?,
        members: r.u64()?,
        members_in_debt: r.u64()?,
    };
    r.finish()?;
    Ok(s)
}

fn load_required(storage: &dyn Storage, key: &[u8]) -> StdResult<Vec<u8>> {
    scan_get(storage, key).ok_or_else(|| StdError::not_found("credit-token config"))
}

pub fn load_hot_config(storage: &dyn Storage) -> StdResult<HotConfig> {
    decode_hot_config(&load_required(storage, HOT_CONFIG_KEY)?)
}

pub fn save_hot_config(storage: &mut dyn Storage, c: &HotConfig) -> StdResult<()> {
    storage.set(HOT_CONFIG_KEY, &encode_hot_config(c)?);
    Ok(())
}

pub fn load_config(storage: &dyn Storage) -> StdResult<Config> {
    decode_config(&load_required(storage, CONFIG_KEY)?)
}

pub fn save_config(storage: &mut dyn Storage, c: &Config) -> StdResult<()> {
    storage.set(CONFIG_KEY, &encode_config(c)?);
    Ok(())
}

/// All zero before the first change.
pub fn load_stats(storage: &dyn Storage) -> StdResult<NetworkStats> {
    scan_get(storage, STATS_KEY).map_or(Ok(NetworkStats::default()), |v| decode_stats(&v))
}

pub fn save_stats(storage: &mut dyn Storage, s: &NetworkStats) {
    storage.set(STATS_KEY, &encode_stats(s));
}

#[cfg(test)]
mod tests {
    use super::*;
    use resource_core::ledger::{MAX_BALANCE, MIN_BALANCE};

    fn line(limit: u128, status: LineStatus) -> CreditLine {
        CreditLine { limit, term_start: 1_700_000_000, term_end: 1_731_536_000, grace_period: 2_592_000, status }
    }

    #[test]
    fn account_round_trips_at_the_edges() {
        let statuses = [LineStatus::Active, LineStatus::Active, LineStatus::Defaulted, LineStatus::Closed];
        let balances = [0, 1, -1, 63, -64, 64, -65, 1_000_000_000, -1_000_000_000, MAX_BALANCE, MIN_BALANCE, i128::MIN];
        for balance in balances {
            let a = Account::new(balance, None);
            assert_eq!(decode_account(&encode_account(&a)).unwrap(), a);
            for (i, status) in statuses.into_iter().enumerate() {
                let limit = [0, 1, u128::MAX, 5_000_000_000][i];
                let mut l = line(limit, status);
                l.term_end = [0, u64::MAX, 1, 1_731_536_000][i];
                let a = Account::new(balance, Some(l));
                assert_eq!(decode_account(&encode_account(&a)).unwrap(), a, "{a:?}");
                let term = TermRecord {
                    peak_debt: [0, 7, u128::MAX, 1][i],
                    overdue: i % 2 == 1,
                    written_off: [9, 0, 1, u128::MAX][i],
                };
                let period = PeriodTerms {
                    min_itd: MinItd([0, 1, u64::MAX, 500_000][i]),
                    paused: i % 2 == 0,
                    income: PeriodIncome { income: [0, 127, u128::MAX, 1][i], rebalanced: i > 1 },
                };
                for line in [Some(l), None] {
                    for reserved in [0, 1, [0, 127, 128, u128::MAX][i]] {
                        for period in [None, Some(period)] {
                            for risk_fee in [FeeRate::ZERO, FeeRate::new(1).unwrap(), FeeRate::MAX] {
                                let a = Account { balance, line, frozen: i < 2, term, reserved, period, risk_fee };
                                assert_eq!(decode_account(&encode_account(&a)).unwrap(), a, "{a:?}");
                            }
                        }
                    }
                }
                let reserving = Account { reserved: 5, ..Account::new(balance, Some(l)) };
                assert_eq!(decode_account(&encode_account(&reserving)).unwrap(), reserving);
            }
            let frozen = Account { frozen: true, ..Account::new(balance, None) };
            assert_eq!(decode_account(&encode_account(&frozen)).unwrap(), frozen);
        }
    }

    /// An account record as versions before the hold and the term record wrote it, with status 1
    /// (a frozen line): it decodes as an active line held frozen.
    #[test]
    fn a_frozen_line_of_an_old_record_decodes_as_a_hold() {
        let mut old = encode_account(&Account::new(-5, Some(line(9, LineStatus::Active))));
        old[1] = 1;
        let a = decode_account(&old).unwrap();
        assert_eq!((a.frozen, a.status(), a.balance), (true, Some(LineStatus::Active), -5));
    }

    /// Account records as versions before reservations wrote them, built byte by byte (not with
    /// today's encoder): they decode with nothing reserved, and re-encode to the same bytes.
    #[test]
    fn records_from_before_reservations_decode_with_nothing_reserved() {
        // A holder: zigzag(1,000) = 2,000 as a varint.
        let holder = vec![0xd0, 0x0f];
        // A member owing 5 (zigzag 9) with an active line (flags 0): limit 900, start 100, end 200,
        // grace 10.
        let member = vec![0x09, 0x00, 0x84, 0x07, 0x64, 0xc8, 0x01, 0x0a];
        // The same member frozen, overdue, with a record: peak debt 7, written off 0.
        let held = vec![0x09, FROZEN | OVERDUE | RECORD_FOLLOWS, 0x84, 0x07, 0x64, 0xc8, 0x01, 0x0a, 0x07, 0x00];
        let line =
            CreditLine { limit: 900, term_start: 100, term_end: 200, grace_period: 10, status: LineStatus::Active };
        let expected = [
            Account::new(1_000, None),
            Account::new(-5, Some(line)),
            Account {
                frozen: true,
                term: TermRecord { peak_debt: 7, overdue: true, written_off: 0 },
                ..Account::new(-5, Some(line))
            },
        ];
        for (bytes, want) in [holder, member, held].iter().zip(expected) {
            let a = decode_account(bytes).unwrap();
            assert_eq!((a, a.reserved), (want, 0));
            assert_eq!(&encode_account(&a), bytes, "nothing reserved: the old record, byte for byte");
        }
        // Reserving adds the flag and one trailing varint, nothing else.
        let reserving = Account { reserved: 300, ..expected[1] };
        let mut bytes = vec![0x09, RESERVED_FOLLOWS, 0x84, 0x07, 0x64, 0xc8, 0x01, 0x0a, 0xac, 0x02];
        assert_eq!(encode_account(&reserving), bytes);
        assert_eq!(decode_account(&bytes).unwrap(), reserving);
        // A reservation on an account without a line (a line is needed to reserve, but the codec
        // does not depend on it).
        bytes = vec![0x00, NO_LINE | RESERVED_FOLLOWS, 0x01];
        assert_eq!(decode_account(&bytes).unwrap(), Account { reserved: 1, ..Account::EMPTY });
    }

    #[test]
    fn account_encoding_is_compact() {
        assert_eq!(encode_account(&Account::EMPTY), vec![0]);
        assert_eq!(encode_account(&Account::new(-1, None)), vec![1]);
        assert_eq!(encode_account(&Account::new(1, None)), vec![2]);
        // 1,000 tokens at 6 decimals.
        assert_eq!(encode_account(&Account::new(1_000_000_000, None)).len(), 5);
        let member = Account::new(-2_500_000_000, Some(line(5_000_000_000, LineStatus::Active)));
        let len = encode_account(&member).len();
        assert!(len <= 25, "{len}");
    }

    #[test]
    fn corrupt_records_are_errors_not_panics() {
        let good = encode_account(&Account::new(-5, Some(line(9, LineStatus::Active))));
        for cut in 0..good.len() {
            if cut == 1 {
                continue; // a lone balance is a valid line-less account
            }
            assert!(decode_account(&good[..cut]).is_err(), "prefix {cut}");
        }
        let mut trailing = good.clone();
        trailing.push(0);
        assert!(decode_account(&trailing).is_err());
        let mut extension = good.clone();
        extension[1] |= EXTENSION_FOLLOWS;
        assert!(decode_account(&extension).is_err(), "extension flag without its byte");
        for bad in [[0x10, 0x00, 0x00], [PERIOD_PAUSED, 0x00, 0x00], [0x00, 0x00, 0x00]] {
            let mut record = extension.clone();
            record.extend(bad);
            assert!(decode_account(&record).is_err(), "{bad:?}");
        }
        let mut zero_risk = extension.clone();
        zero_risk.extend([RISK_FEE_FOLLOWS, 0x00]);
        assert!(decode_account(&zero_risk).is_err(), "a risk fee of 0 is never written");
        let mut too_high = extension.clone();
        too_high.extend([RISK_FEE_FOLLOWS, 0x91, 0x4e]);
        assert!(decode_account(&too_high).is_err(), "10,001 bps");
        extension.extend([PERIOD_FOLLOWS | PERIOD_PAUSED, 0x00, 0x00]);
        assert!(decode_account(&extension).unwrap().period.is_some_and(|p| p.paused));
        let mut reservation_missing = good.clone();
        reservation_missing[1] |= RESERVED_FOLLOWS;
        assert!(decode_account(&reservation_missing).is_err(), "flag without its varint");
        let mut zero_reserved = reservation_missing;
        zero_reserved.push(0);
        assert!(decode_account(&zero_reserved).is_err(), "a reservation of 0 is never written");
        let mut status_without_line = good;
        status_without_line[1] = NO_LINE | 2;
        assert!(decode_account(&status_without_line[..2]).is_err());
        assert!(decode_account(&[0xff; 20]).is_err(), "varint longer than 128 bits");
        let mut too_big = vec![0xff; 18];
        too_big.push(0x04);
        assert!(decode_account(&too_big).is_err(), "bit 128 set");
        let mut max = vec![0xff; 18];
        max.push(0x03);
        assert_eq!(decode_account(&max).unwrap().balance, unzigzag(u128::MAX));
    }

    #[test]
    fn configs_and_stats_round_trip() {
        let a = CanonicalAddr::from(vec![1u8; 20]);
        let b = CanonicalAddr::from(vec![2u8; 32]);
        let hot = HotConfig {
            fee: FeeRate::new(30).unwrap(),
            fee_collector: a.clone(),
            fee_exempt: vec![b.clone(), a.clone()],
            fees_paused: false,
        };
        assert_eq!(decode_hot_config(&encode_hot_config(&hot).unwrap()).unwrap(), hot);
        let hot0 = HotConfig { fee: FeeRate::ZERO, fee_collector: a.clone(), fee_exempt: vec![], fees_paused: false };
        let bytes = encode_hot_config(&hot0).unwrap();
        assert_eq!(bytes.len(), 2 + 21 + 1, "as before pausing existed");
        assert_eq!(decode_hot_config(&bytes).unwrap(), hot0);
        let paused = HotConfig { fees_paused: true, ..hot0 };
        let mut bytes = encode_hot_config(&paused).unwrap();
        assert_eq!(decode_hot_config(&bytes).unwrap(), paused);
        *bytes.last_mut().unwrap() = 2;
        assert!(decode_hot_config(&bytes).is_err(), "only 1 means paused");
        let cfg = Config {
            admin: a.clone(),
            pending_admin: None,
            underwriting: Some(b.clone()),
            loss_account: b.clone(),
            default_grace_period: 2_592_000,
            did_registry: None,
            policy: LinePolicy::default(),
        };
        assert_eq!(decode_config(&encode_config(&cfg).unwrap()).unwrap(), cfg);
        let with_policy = Config { policy: LinePolicy { min_term: 86_400, min_grace_period: 3_600 }, ..cfg.clone() };
        assert_eq!(decode_config(&encode_config(&with_policy).unwrap()).unwrap(), with_policy);
        let both = Config { did_registry: Some(a.clone()), ..with_policy };
        assert_eq!(decode_config(&encode_config(&both).unwrap()).unwrap(), both);
        let cfg2 = Config { pending_admin: Some(a.clone()), underwriting: None, ..cfg.clone() };
        assert_eq!(decode_config(&encode_config(&cfg2).unwrap()).unwrap(), cfg2);
        let cfg3 = Config { did_registry: Some(CanonicalAddr::from(vec![3u8; 32])), ..cfg2.clone() };
        let bytes = encode_config(&cfg3).unwrap();
        assert_eq!(bytes.len(), encode_config(&cfg2).unwrap().len() + 33, "the registry is one trailing address");
        assert_eq!(decode_config(&bytes).unwrap(), cfg3);
        let s = NetworkStats { supply: 7, credit_extended: u128::MAX, members: u64::MAX, members_in_debt: 3 };
        assert_eq!(decode_stats(&encode_stats(&s)).unwrap(), s);
        assert!(decode_stats(&[0, 0, 0]).is_err());
        assert!(decode_hot_config(&[0xff, 0xff, 1, 1, 0]).is_err(), "fee above 100 %");
        assert!(put_addr(&mut Vec::new(), Some(&CanonicalAddr::from(vec![0u8; 256]))).is_err());
    }

    /// A `c` record as versions before the DID registry wrote it (built byte by byte, not with
    /// today's encoder): it decodes with no registry, and re-encodes to the same bytes.
    #[test]
    fn config_record_without_registry_decodes() {
        let admin = [7u8; 20];
        let loss = [9u8; 32];
        let mut old = vec![20];
        old.extend_from_slice(&admin);
        old.push(0); // no pending admin
        old.push(0); // no underwriting
        old.push(32);
        old.extend_from_slice(&loss);
        old.extend_from_slice(&[0x80, 0x9a, 0x9e, 0x01]); // 2,592,000 seconds
        let cfg = decode_config(&old).unwrap();
        let expected = Config {
            admin: CanonicalAddr::from(admin.to_vec()),
            pending_admin: None,
            underwriting: None,
            loss_account: CanonicalAddr::from(loss.to_vec()),
            default_grace_period: 2_592_000,
            did_registry: None,
            policy: LinePolicy::default(),
        };
        assert_eq!(cfg, expected);
        assert_eq!(encode_config(&cfg).unwrap(), old, "no registry: the old record, byte for byte");
        // A registry appended to it; anything else trailing is corrupt.
        let mut with = old.clone();
        with.push(20);
        with.extend_from_slice(&[5u8; 20]);
        assert_eq!(decode_config(&with).unwrap().did_registry, Some(CanonicalAddr::from(vec![5u8; 20])));
        for bad in [&[0u8][..], &[3, 1, 2][..], &[20, 5, 5][..]] {
            let mut r = old.clone();
            r.extend_from_slice(bad);
            assert!(decode_config(&r).is_err(), "{bad:?}");
        }
        let mut trailing = with;
        trailing.push(0);
        assert!(decode_config(&trailing).is_err());
    }
}
