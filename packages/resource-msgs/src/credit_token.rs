//! The credit token (`contracts/credit-token`, artifact `credit_token.wasm`): a CIP-36 mutual-credit
//! token with cw20's surface. `Transfer`, `Send`, allowances, `Balance`, `TokenInfo` and
//! `AllAccounts` have cw20's JSON, so cw20 wallets and `cw20::Cw20ExecuteMsg` work with it; credit
//! lines, defaults, freezing and the network fee are its own.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Binary, Int128, Uint128};
// The response types are named only by the `QueryResponses` derive, which the wasm build leaves out.
#[cfg_attr(target_arch = "wasm32", allow(unused_imports))]
use cw20::{
    AllAccountsResponse, AllAllowancesResponse, AllowanceResponse, BalanceResponse, DownloadLogoResponse, Expiration,
    MarketingInfoResponse, MinterResponse, TokenInfoResponse,
};
pub use resource_core::ledger::{LineStatus, PeriodState, Standing};
pub use resource_core::underwriting::VouchStatus;

#[cw_serde]
pub struct InstantiateMsg {
    pub name: String,
    pub symbol: String,
    pub decimals: u8,
    /// Defaults to the instantiating address.
    pub admin: Option<String>,
    /// The only address allowed to open, change and close credit lines. Without it, the admin does.
    pub underwriting: Option<String>,
    /// Network fee in basis points (at most 10,000), paid by the payer on top of the amount.
    pub fee_bps: u16,
    pub fee_collector: String,
    /// Contracts that move money for the network (bridge, clearing), at most 16: what they pay out
    /// pays no fee (paying them costs the fee like any payment, so settling through clearing is
    /// taxed once, as a direct payment), and they receive only through `Send`, never a plain
    /// `Transfer`/`TransferFrom` (money sent to them without their hook would be stuck).
    #[serde(default)]
    pub fee_exempt: Vec<String>,
    /// Receives the debt of members declared in default.
    pub loss_account: String,
    /// Seconds after a line's term end before its unpaid debt can be declared in default. At least
    /// `min_grace_period`.
    pub default_grace_period: u64,
    /// The shortest credit term `SetCreditLine` accepts, in seconds from now, so that whoever sets
    /// lines cannot make a member default-declarable within seconds. Default [`DEFAULT_MIN_TERM`].
    #[serde(default)]
    pub min_term: Option<u64>,
    /// The shortest grace period the network may configure. Default [`DEFAULT_MIN_GRACE_PERIOD`].
    #[serde(default)]
    pub min_grace_period: Option<u64>,
    /// The DID registry (`did-registry` contract) that records the members' reputation. When set,
    /// the credit actions below also send the registry's `RecordReputation { did, event }` for the
    /// member's account DID `did:resource:<chain-id>:<address>`:
    /// - `credit_line_granted { amount, term }`: a new line or a new term (the full limit), or a
    ///   raise within a running term (the raise only);
    /// - `repaid_on_time { amount }`: once per credit term, when the term is settled (replaced by a
    ///   new term, closed, or `SettleTerm` after the term end), `amount` being the largest debt
    ///   carried during the term, all of it repaid by the term end;
    /// - `defaulted { amount }` (`DeclareDefault`) and `debt_recovered { amount }` (a defaulted
    ///   member's payment to the loss account).
    ///
    /// A record never decides a credit action: it is sent as a submessage whose failure is caught.
    /// If the registry refuses (the token is not one of its writers, the registry is broken or
    /// migrated), the credit action still happens, a `wasm-reputation_record_failed` event says so,
    /// and the record is kept; `RetryReputationRecords` sends the kept records again. Make the token a
    /// writer of the registry (`UpdateRoles { add_writers: [<this token>] }`) before setting it here.
    #[serde(default)]
    pub did_registry: Option<String>,
}

/// Default `min_term`: one day.
pub const DEFAULT_MIN_TERM: u64 = 86_400;
/// Default `min_grace_period`: one day.
pub const DEFAULT_MIN_GRACE_PERIOD: u64 = 86_400;
/// The most kept reputation records one `RetryReputationRecords` sends.
pub const MAX_RETRY_RECORDS: u32 = 30;

#[cw_serde]
pub enum ExecuteMsg {
    /// Pays `amount` (plus the network fee) to `recipient`; may take the sender into its credit line.
    /// A defaulted member may pay only the loss account, at most its written-off debt, which is a
    /// recovery (`debt_recovered` on its DID). Refused to a fee-exempt contract (use `Send`).
    Transfer {
        recipient: String,
        amount: Uint128,
    },
    /// Like `Transfer`, then calls `contract` with a cw20 `Receive` hook.
    Send {
        contract: String,
        amount: Uint128,
        msg: Binary,
    },
    IncreaseAllowance {
        spender: String,
        amount: Uint128,
        expires: Option<Expiration>,
    },
    DecreaseAllowance {
        spender: String,
        amount: Uint128,
        expires: Option<Expiration>,
    },
    /// Spends from `owner`'s allowance (amount plus fee), possibly into the owner's credit line.
    TransferFrom {
        owner: String,
        recipient: String,
        amount: Uint128,
    },
    SendFrom {
        owner: String,
        contract: String,
        amount: Uint128,
        msg: Binary,
    },
    /// Opens or replaces `member`'s credit line from now to `term_end` (unix seconds, at least
    /// `min_term` ahead; a debtor's running term cannot end earlier), with the configured grace
    /// period. Underwriting contract only (the admin when there is none). See
    /// `InstantiateMsg::did_registry` for the records it makes.
    SetCreditLine {
        member: String,
        limit: Uint128,
        term_end: u64,
    },
    /// Limit to 0, no new credit; an existing debt stays due at the term end (the one way a balance
    /// sits below `-limit`). Settles the term. Same authority as `SetCreditLine`.
    CloseCreditLine {
        member: String,
    },
    /// Anyone, once `member`'s term has ended (or its line is closed) and it owes nothing: records
    /// the term's on-time repayment (`repaid_on_time`, once per term).
    SettleTerm {
        member: String,
    },
    /// Anyone: sends up to `limit` (default and at most [`MAX_RETRY_RECORDS`]) kept reputation
    /// records to the DID registry again, oldest first; those it refuses again are kept again.
    RetryReputationRecords {
        limit: Option<u32>,
    },
    /// Anyone, once the member's debt is unpaid past term end plus grace period: the debt moves to
    /// the loss account, the line is marked defaulted and the account can no longer spend. With a
    /// DID registry, records `defaulted { amount: debt }`.
    DeclareDefault {
        member: String,
    },
    /// Underwriting contract only: `member` vouches for `newcomer` by reserving `amount` of its own
    /// available credit (its available credit drops by `amount` until released). `member` must be
    /// in good standing: an active, unfrozen line whose term is running, with `amount` at most its
    /// unreserved available credit. With a DID registry, records `vouch_given` for `member`.
    ReserveCredit {
        member: String,
        newcomer: String,
        amount: Uint128,
    },
    /// Underwriting contract only: releases `amount` of `member`'s reservation for `newcomer`, with
    /// the vouch's `outcome`: `kept` (with a DID registry, records `vouch_kept`), `broken` (the
    /// limit is also cut by `amount`, at least to 0; records `vouch_broken`) or `cancelled` (no
    /// record). `active` is refused.
    ReleaseCredit {
        member: String,
        newcomer: String,
        amount: Uint128,
        outcome: VouchStatus,
    },
    /// Gives `member`'s active line a credit period (ReSource's credit terms): its term then renews
    /// by itself, for the same length, when the member meets its terms at the term end (its balance
    /// is not negative, one payment during the period covered its whole debt, or its income during
    /// the period is at least `min_itd` parts per million of its debt); in the grace period after
    /// the term end, a member that does not is frozen for spending credit (it can still spend what
    /// it holds and receive); once the grace runs out it is in default (`SyncCreditPeriod`).
    /// `min_itd: null` makes the term fixed again. Same authority as `SetCreditLine`.
    SetCreditPeriod {
        member: String,
        min_itd: Option<u64>,
    },
    /// No period rule applies to `member` until unpaused (its line grants credit past the term end,
    /// no freeze, no default). Same authority as `SetCreditLine`.
    PauseCreditPeriod {
        member: String,
    },
    /// Lifts a pause; the rules apply at once (a period that expired while paused renews, freezes or
    /// defaults at the next payment or sync).
    UnpauseCreditPeriod {
        member: String,
    },
    /// The member's risk fee, in basis points (at most 10,000): on top of the network fee, each of its
    /// payments pays this rate on the part it draws on credit (beyond what it holds). 0 removes it.
    /// Same authority as `SetCreditLine`.
    SetRiskFee {
        member: String,
        risk_fee_bps: u16,
    },
    /// Anyone: applies what `member`'s expired credit period calls for: it renews when the member
    /// meets its terms (with a DID registry, a term repaid on time records `repaid_on_time`), and
    /// once the grace has run out without that, the member is in default as with `DeclareDefault`
    /// (debt written off to the loss account, line defaulted, `defaulted` recorded). Refused, with
    /// the reason, when nothing is due: a running or paused period, or one frozen in grace.
    /// Payments apply renewals by themselves; a default needs this (or `DeclareDefault`).
    SyncCreditPeriod {
        member: String,
    },
    /// Admin: the account, with or without a credit line, can no longer spend (it can still receive).
    Freeze {
        member: String,
    },
    Unfreeze {
        member: String,
    },
    /// Admin: changes the fields given in the update only.
    UpdateConfig(ConfigUpdate),
    /// Admin: proposes a new admin, who must accept with `AcceptAdmin`.
    UpdateAdmin {
        new_admin: String,
    },
    AcceptAdmin {},
    /// cw20's supply messages, refused with an explanation: a mutual-credit token creates money only
    /// when a member spends into its credit line and destroys it only when a debt is paid back.
    Mint {
        recipient: String,
        amount: Uint128,
    },
    Burn {
        amount: Uint128,
    },
    BurnFrom {
        owner: String,
        amount: Uint128,
    },
    UpdateMinter {
        new_minter: Option<String>,
    },
}

/// The fields `UpdateConfig` changes; those left out (or `null`) stay as they are.
#[cw_serde]
#[derive(Default)]
pub struct ConfigUpdate {
    pub fee_bps: Option<u16>,
    pub fee_collector: Option<String>,
    pub fee_exempt: Option<Vec<String>>,
    pub loss_account: Option<String>,
    pub default_grace_period: Option<u64>,
    pub min_term: Option<u64>,
    pub min_grace_period: Option<u64>,
    pub underwriting: Option<String>,
    /// Runs the network without an underwriting contract (the admin sets credit lines).
    #[serde(default)]
    pub remove_underwriting: bool,
    /// Starts recording reputation in this DID registry (see `InstantiateMsg::did_registry`: make
    /// the token a reputation writer of the registry first, `UpdateRoles { add_writers: [token] }`).
    pub did_registry: Option<String>,
    /// Stops recording reputation (credit actions no longer call any registry).
    #[serde(default)]
    pub remove_did_registry: bool,
    /// `true` pauses every fee (the network fee and members' risk fees), `false` resumes them.
    pub fees_paused: Option<bool>,
}

#[cw_serde]
pub struct MigrateMsg {}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The positive part of the balance (what a cw20 wallet shows).
    #[returns(BalanceResponse)]
    Balance { address: String },
    /// `total_supply` is the sum of positive balances.
    #[returns(TokenInfoResponse)]
    TokenInfo {},
    #[returns(AllowanceResponse)]
    Allowance { owner: String, spender: String },
    #[returns(AllAllowancesResponse)]
    AllAllowances { owner: String, start_after: Option<String>, limit: Option<u32> },
    /// Accounts in canonical-address order.
    #[returns(AllAccountsResponse)]
    AllAccounts { start_after: Option<String>, limit: Option<u32> },
    #[returns(CreditAccountResponse)]
    CreditAccount { address: String },
    /// The member's income-to-debt ratio in its current credit period.
    #[returns(ItdResponse)]
    ItdOf { address: String },
    /// The income the member still needs in its current credit period to meet its terms.
    #[returns(NeededIncomeResponse)]
    NeededIncome { address: String },
    #[returns(NetworkStatsResponse)]
    NetworkStats {},
    #[returns(ConfigResponse)]
    Config {},
    /// Kept reputation records the DID registry refused, oldest first.
    #[returns(PendingRecordsResponse)]
    PendingReputationRecords { start_after: Option<u64>, limit: Option<u32> },
    /// cw20: `null`, as cw20-base answers for a token nobody can mint.
    #[returns(Option<MinterResponse>)]
    Minter {},
    /// cw20: all fields empty (no marketing information).
    #[returns(MarketingInfoResponse)]
    MarketingInfo {},
    /// cw20: refused with "this token has no logo", as cw20-base refuses a token without one.
    #[returns(DownloadLogoResponse)]
    DownloadLogo {},
}

/// A reputation record the DID registry refused, kept for `RetryReputationRecords`.
#[cw_serde]
pub struct PendingRecord {
    pub id: u64,
    pub did: String,
    pub event: resource_core::did::ReputationEvent,
    /// When it was first refused (unix seconds).
    pub since: u64,
}

#[cw_serde]
pub struct PendingRecordsResponse {
    pub records: Vec<PendingRecord>,
}

#[cw_serde]
pub struct CreditLineView {
    pub limit: Uint128,
    pub term_start: u64,
    pub term_end: u64,
    pub grace_period: u64,
    pub status: LineStatus,
    /// First second at which an unpaid debt can be declared in default.
    pub default_declarable_at: Option<u64>,
}

/// A member's credit period, as of the query (an expired period it meets is shown renewed, as its
/// next payment would renew it).
#[cw_serde]
pub struct CreditPeriodView {
    pub state: PeriodState,
    /// When the current period began (the line's `term_start`).
    pub issued_at: u64,
    /// Its last second (the line's `term_end`).
    pub expiration: u64,
    /// The last second of its grace.
    pub grace_end: u64,
    pub paused: bool,
    /// The minimum income-to-debt ratio, in parts per million.
    pub min_itd: u64,
    /// Income received during the period.
    pub income: Uint128,
    /// One payment during the period covered the whole debt.
    pub rebalanced: bool,
    /// Income still needed to meet the terms (0 when met).
    pub needed_income: Uint128,
}

#[cw_serde]
pub struct ItdResponse {
    /// Income during the period over the debt, in parts per million (rounded down); `null` without
    /// debt, when the ratio is undefined and the member meets its terms.
    pub itd: Option<Uint128>,
    pub min_itd: u64,
    /// Meets its terms (no debt, rebalanced, or an ITD of at least `min_itd`).
    pub compliant: bool,
}

#[cw_serde]
pub struct NeededIncomeResponse {
    /// The smallest further income that meets the terms (a payment received repays debt too).
    pub needed_income: Uint128,
}

#[cw_serde]
pub struct CreditAccountResponse {
    pub address: String,
    /// Signed balance: negative while the member owes the network.
    pub balance: Int128,
    /// What the account may spend now (amount plus fee).
    pub available: Uint128,
    pub line: Option<CreditLineView>,
    pub standing: Standing,
    /// Held by the admin: the account cannot spend (with or without a line).
    pub frozen: bool,
    /// A defaulted member's written-off debt not yet repaid to the loss account.
    pub written_off: Uint128,
    /// Credit reserved for vouches (not spendable; `available` already excludes it).
    pub reserved: Uint128,
    /// The credit period, when the line has one (`SetCreditPeriod`).
    #[serde(default)]
    pub period: Option<CreditPeriodView>,
    /// The member's risk fee in basis points (`SetRiskFee`), charged on the credit each payment draws.
    #[serde(default)]
    pub risk_fee_bps: u16,
}

#[cw_serde]
pub struct NetworkStatsResponse {
    /// Sum of positive balances (= minus the sum of negative balances).
    pub total_supply: Uint128,
    /// Sum of the limits of all credit lines.
    pub total_credit_extended: Uint128,
    /// Accounts that ever held a balance or a credit line.
    pub members: u64,
    pub members_in_debt: u64,
    pub loss_account: Addr,
    pub loss_account_balance: Int128,
}

#[cw_serde]
pub struct ConfigResponse {
    pub admin: Addr,
    pub pending_admin: Option<Addr>,
    pub underwriting: Option<Addr>,
    pub fee_bps: u16,
    pub fee_collector: Addr,
    pub fee_exempt: Vec<Addr>,
    pub loss_account: Addr,
    pub default_grace_period: u64,
    pub min_term: u64,
    pub min_grace_period: u64,
    /// Where reputation events are recorded, if anywhere.
    pub did_registry: Option<Addr>,
    /// No fee is charged while paused.
    #[serde(default)]
    pub fees_paused: bool,
}

// ---------------------------------------------------------------------------------------------
// Payment previews: what a payment would do, computed by the token's own rule off chain (the SDK's
// checkout shows it before the member signs).

impl CreditAccountResponse {
    /// The ledger account this answer describes. The term's peak debt and lateness are not part of
    /// the answer; no payment's outcome depends on them.
    pub fn to_account(&self) -> resource_core::ledger::Account {
        use resource_core::ledger::{Account, CreditLine, FeeRate, MinItd, PeriodIncome, PeriodTerms, TermRecord};
        Account {
            balance: self.balance.i128(),
            line: self.line.as_ref().map(|l| CreditLine {
                limit: l.limit.u128(),
                term_start: l.term_start,
                term_end: l.term_end,
                grace_period: l.grace_period,
                status: l.status,
            }),
            frozen: self.frozen,
            term: TermRecord { written_off: self.written_off.u128(), ..TermRecord::NONE },
            reserved: self.reserved.u128(),
            period: self.period.as_ref().map(|p| PeriodTerms {
                min_itd: MinItd(p.min_itd),
                paused: p.paused,
                income: PeriodIncome { income: p.income.u128(), rebalanced: p.rebalanced },
            }),
            // The contract never answers a rate above 100 %; one would be refused by every payment.
            risk_fee: FeeRate::new(self.risk_fee_bps).unwrap_or(FeeRate::MAX),
        }
    }
}

/// What a plain `Transfer` of `amount` would do.
#[cw_serde]
pub struct PaymentPreview {
    /// What the receiver gets.
    pub amount: Uint128,
    /// The network fee the sender pays on top.
    pub fee: Uint128,
    /// New money: how much deeper into its line the sender goes.
    pub minted: Uint128,
    /// Destroyed money: how much debt the receiver pays off.
    pub burned: Uint128,
    pub sender_balance_after: Int128,
    /// What the sender may still spend afterwards.
    pub sender_available_after: Uint128,
    pub receiver_balance_after: Int128,
}

/// Why a payment would be refused, in the token's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreviewError {
    #[error("{0}")]
    Ledger(#[from] resource_core::ledger::LedgerError),
    #[error("this address is a contract that moves money for the network (fee-exempt, e.g. clearing or the bridge): pay it with Send and the message it expects, not a plain transfer, so that nothing is stuck there")]
    PlainTransferToNetworkContract,
    #[error("the fee goes to {collector}, a third account: pass its CreditAccount answer too")]
    CollectorAccountNeeded { collector: String },
}

impl PreviewError {
    /// A stable identifier of the refusal: the ledger error's name in snake case, or this enum's.
    pub fn code(&self) -> String {
        match self {
            PreviewError::Ledger(e) => {
                let debug = format!("{e:?}");
                let name = debug.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or_default();
                let mut code = String::new();
                for (i, c) in name.chars().enumerate() {
                    if c.is_ascii_uppercase() && i > 0 {
                        code.push('_');
                    }
                    code.push(c.to_ascii_lowercase());
                }
                code
            }
            PreviewError::PlainTransferToNetworkContract => "plain_transfer_to_network_contract".into(),
            PreviewError::CollectorAccountNeeded { .. } => "collector_account_needed".into(),
        }
    }
}

/// The outcome of `sender` transferring `amount` to `receiver` at `now` (unix seconds) under the
/// token's `config`, exactly as the contract computes it (`resource_core::ledger::pay`, the rule its
/// `Transfer` runs): `collector` is the fee collector's `CreditAccount` answer, needed only when the
/// collector is neither party ([`PreviewError::CollectorAccountNeeded`] otherwise).
pub fn preview_payment(
    config: &ConfigResponse,
    sender: &CreditAccountResponse,
    receiver: &CreditAccountResponse,
    collector: Option<&CreditAccountResponse>,
    amount: u128,
    now: u64,
) -> Result<PaymentPreview, PreviewError> {
    use resource_core::ledger::{self, CollectorRole, FeeRate, Party};
    let exempt = |address: &str| config.fee_exempt.iter().any(|a| a.as_str() == address);
    if exempt(&receiver.address) {
        return Err(PreviewError::PlainTransferToNetworkContract);
    }
    let fee = FeeRate::try_from(config.fee_bps)?;
    let (from, to, collector_id) = (sender.address.as_str(), receiver.address.as_str(), config.fee_collector.as_str());
    let (sa, ra) = (sender.to_account(), receiver.to_account());
    let (base, risk) = if config.fees_paused { (FeeRate::ZERO, FeeRate::ZERO) } else { (fee, sa.risk_fee) };
    let role = ledger::collector_role(base, risk, exempt(from), collector_id, from, to);
    let ca = match (role, collector) {
        (CollectorRole::Third, Some(c)) => c.to_account(),
        (CollectorRole::Third, None) => {
            return Err(PreviewError::CollectorAccountNeeded { collector: collector_id.to_string() })
        }
        _ => ledger::Account::EMPTY,
    };
    let recovery = ledger::is_recovery(&sa, config.loss_account.as_str() == to);
    let outcome =
        ledger::pay(Party::new(from, &sa), Party::new(to, &ra), collector_id, role, &ca, recovery, base, amount, now)?;
    Ok(PaymentPreview {
        amount: Uint128::new(outcome.amount),
        fee: Uint128::new(outcome.fee),
        minted: Uint128::new(outcome.minted),
        burned: Uint128::new(outcome.burned),
        sender_balance_after: Int128::new(outcome.sender.balance),
        sender_available_after: Uint128::new(ledger::available_credit(&outcome.sender, now)),
        receiver_balance_after: Int128::new(outcome.receiver.balance),
    })
}
