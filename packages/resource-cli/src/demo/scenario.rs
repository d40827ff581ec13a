//! The story the demo tells, as data: who is in it ([`CAST`], the [`UNDERWRITERS`] and the other
//! roles), what happens on the credit token ([`SCENARIO`]), the invoices the businesses owe each
//! other ([`INVOICES`]), the clearing part ([`CLEARING`]), the underwriting part that ends in a
//! default ([`UNDERWRITING`]) and a newcomer proving its marketplace rating in zero knowledge to be
//! granted a line ([`CREDENTIALS`]).
use resource_msgs::credit_token::InstantiateMsg;
use resource_msgs::underwriting::{ApplicationPolicy, BackingRules, Price, StakeAsset};

use crate::underwriting::deploy::UnderwritingSetup;

/// The token has 6 decimals: one rUSD is a million base units.
pub(super) const DECIMALS: u32 = 6;
pub(super) const UNIT: u128 = 10u128.pow(DECIMALS);
pub(super) const SYMBOL: &str = "rUSD";
/// The network fee, paid by the payer on top of each payment: 1 %, which becomes the underwriters'
/// rewards.
pub(super) const FEE_BPS: u16 = 100;
/// The pilot's credit lines run for a year.
pub(super) const TERM_SECONDS: u64 = 365 * 86_400;
/// The newcomer's trial line is deliberately short, and so is the network's grace period: its
/// default can then be declared within the demo, on a real chain too.
pub(super) const TRIAL_TERM_SECONDS: u64 = 20;
pub(super) const GRACE_SECONDS: u64 = 10;
/// The lines' credit periods renew while the member's income over the period is at least half of
/// its debt (parts per million).
pub(super) const MIN_ITD_PPM: u64 = 500_000;
/// Invoices fall due a month after they are registered (the contract only needs a future date).
pub(super) const INVOICE_TERM_SECONDS: u64 = 30 * 86_400;

/// Underwriters stake the devnet's own coin, which has 18 decimals.
pub(super) const STAKE_DENOM: &str = crate::devnet::DENOM;
pub(super) const STAKE_DECIMALS: u32 = 18;
pub(super) const STAKE_SYMBOL: &str = "INJ";
/// Backing covers each line in full (100 %) at 0.1 INJ per rUSD: 10^17 stake base units per 10^6
/// credit base units.
pub(super) const PRICE: Price = Price { numerator: 100_000_000_000, denominator: 1 };
pub(super) const RULES: BackingRules =
    BackingRules { collateral_ratio_bps: 10_000, price: PRICE, min_underwriters: 2, max_share_bps: 5_000 };
pub(super) const POLICY: ApplicationPolicy =
    ApplicationPolicy { min_term: TRIAL_TERM_SECONDS, max_term: TERM_SECONDS, open_period: 86_400 };
/// Unbonding is not part of the story; a fortnight, as a real network would have.
pub(super) const UNBONDING_SECONDS: u64 = 14 * 86_400;

/// Someone in the story and the devnet test account (or demo key, see `backend::key_phrase`) that
/// plays them.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Role {
    pub(super) name: &'static str,
    pub(super) part: &'static str,
    pub(super) account: &'static str,
}

/// The members whose accounts the tables show.
pub(super) const CAST: [Role; 5] = [
    Role { name: "Blue Ridge Bakery", part: "employer, credit line", account: "alice" },
    Role { name: "Mara", part: "bakery employee", account: "bob" },
    Role { name: "Jon", part: "bakery employee", account: "carol" },
    Role { name: "Riverside Grocery", part: "business, credit line", account: "dave" },
    Role { name: "Mountain Clinic", part: "business, credit line", account: "erin" },
];
pub(super) const BAKERY: &Role = &CAST[0];
pub(super) const MARA: &Role = &CAST[1];
pub(super) const JON: &Role = &CAST[2];
pub(super) const GROCERY: &Role = &CAST[3];
pub(super) const CLINIC: &Role = &CAST[4];

/// Who underwrites the network's credit: local investors staking INJ. All eight devnet test
/// accounts play other parts, so they have demo keys (`backend::key_phrase`); on the devnet the
/// operator sends each its stake and a little for transaction fees.
pub(super) const UNDERWRITERS: [Role; 3] = [
    Role { name: "Mountain Credit Union", part: "underwriter", account: "credit-union" },
    Role { name: "Blue Ridge Angels", part: "underwriter", account: "angels" },
    Role { name: "Asheville Community Fund", part: "underwriter", account: "community-fund" },
];
pub(super) const CREDIT_UNION: &Role = &UNDERWRITERS[0];
pub(super) const ANGELS: &Role = &UNDERWRITERS[1];
pub(super) const FUND: &Role = &UNDERWRITERS[2];
/// What each underwriter stakes, in whole INJ.
pub(super) const STAKE_EACH: u128 = 300;

/// A business that trades with the others on invoices only, never in rUSD (a demo key).
pub(super) const MILL: Role =
    Role { name: "French Broad Mill", part: "business, invoices only (no credit line)", account: "mill" };
/// A newcomer on a short trial line, who defaults (a demo key).
pub(super) const TRUCK: Role =
    Role { name: "Hilltop Food Truck", part: "newcomer, trial credit line", account: "food-truck" };

/// A newcomer that sells through an online marketplace and proves its rating there (a demo key).
pub(super) const CAFE: Role =
    Role { name: "Laurel Cafe", part: "newcomer, proves its marketplace rating", account: "cafe" };

/// The network itself: the operator deploys the contracts; the reserve receives slashed stake; the
/// loss account takes defaulted debt. The underwriting contract collects the fees.
pub(super) const OPERATOR: Role =
    Role { name: "Asheville network operator", part: "admin, deploys the contracts", account: "admin" };
pub(super) const RESERVE: Role = Role { name: "Network reserve", part: "receives slashed stake", account: "frank" };
pub(super) const LOSS_ACCOUNT: Role = Role { name: "Loss account", part: "takes defaulted debt", account: "relayer" };

/// One thing that happens on the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    /// An underwriter bonds `amount` INJ base units.
    Stake { underwriter: &'static Role, amount: u128 },
    /// A member applies for a line of `amount` rUSD base units for `term` seconds.
    Apply { member: &'static Role, amount: u128, term: u64 },
    /// An underwriter backs the member's application with `amount` INJ base units.
    Back { underwriter: &'static Role, member: &'static Role, amount: u128 },
    /// A member pays another `amount` rUSD base units (plus the network fee).
    Pay { from: &'static Role, to: &'static Role, amount: u128 },
    /// The operator turns the fees that arrived into rewards (anyone may).
    DistributeFees,
    /// An underwriter takes its rewards.
    ClaimRewards { underwriter: &'static Role },
    /// Once `from`'s credit period has expired without it meeting its terms, it tries to pay `to`
    /// `amount` rUSD base units on credit: the token refuses (its credit is frozen in the grace).
    PayWhileFrozen { from: &'static Role, to: &'static Role, amount: u128 },
    /// The member's application is settled once its term (and, for a debt, the grace period) is
    /// over; the operator sends it (anyone may).
    Settle { member: &'static Role },
}

/// What a step's page shows after its story and what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Show {
    /// The [`CAST`]'s credit accounts and the supply.
    Members,
    /// The newcomer's and the loss account's credit accounts, and the supply.
    Newcomer,
    /// The underwriters' stake, exposure and rewards.
    Underwriters,
    /// Every application.
    Applications,
    /// The reward pool.
    Pool,
    /// Who lost what in the last default.
    Losses,
}

/// One step of the story: what it means, what happens on the chain, and what is shown after.
pub(super) struct Step {
    pub(super) story: &'static str,
    pub(super) actions: &'static [Action],
    pub(super) shows: &'static [Show],
}

pub(super) const fn usd(whole: u128) -> u128 {
    whole * UNIT
}

/// Whole INJ in base units.
pub(super) const fn inj(whole: u128) -> u128 {
    whole * 10u128.pow(STAKE_DECIMALS)
}

const fn line(member: &'static Role, amount: u128) -> Action {
    Action::Apply { member, amount: usd(amount), term: TERM_SECONDS }
}

const fn back(underwriter: &'static Role, member: &'static Role, amount: u128) -> Action {
    Action::Back { underwriter, member, amount: inj(amount) }
}

const fn pay(from: &'static Role, to: &'static Role, amount: u128) -> Action {
    Action::Pay { from, to, amount: usd(amount) }
}

/// The pilot in miniature. The expected figures are in the CLI test (tests/cli.rs).
pub(super) const SCENARIO: [Step; 8] = [
    Step {
        story: "Three local investors become the network's underwriters: each stakes 300 INJ with the underwriting \
                contract, to back members' credit lines with it.",
        actions: &[
            Action::Stake { underwriter: CREDIT_UNION, amount: inj(STAKE_EACH) },
            Action::Stake { underwriter: ANGELS, amount: inj(STAKE_EACH) },
            Action::Stake { underwriter: FUND, amount: inj(STAKE_EACH) },
        ],
        shows: &[Show::Underwriters],
    },
    Step {
        story: "The bakery, the grocery and the clinic apply for credit lines for a year, and the underwriters back \
                them with part of their stake. Once the backing covers a line in full at 0.1 INJ per rUSD, from at \
                least two underwriters with none above half, the contract approves it and opens the line on the \
                credit token.",
        actions: &[
            line(BAKERY, 2_000),
            back(CREDIT_UNION, BAKERY, 80),
            back(ANGELS, BAKERY, 60),
            back(FUND, BAKERY, 60),
            line(GROCERY, 1_000),
            back(CREDIT_UNION, GROCERY, 40),
            back(ANGELS, GROCERY, 30),
            back(FUND, GROCERY, 30),
            line(CLINIC, 1_000),
            back(CREDIT_UNION, CLINIC, 40),
            back(ANGELS, CLINIC, 30),
            back(FUND, CLINIC, 30),
        ],
        shows: &[Show::Applications, Show::Underwriters, Show::Members],
    },
    Step {
        story: "Payday: the bakery pays its employees' monthly benefits in rUSD, spending into its credit line; the \
                1 % network fee goes to the underwriting contract.",
        actions: &[pay(BAKERY, MARA, 400), pay(BAKERY, JON, 400)],
        shows: &[Show::Members],
    },
    Step {
        story: "Mara buys groceries at Riverside Grocery.",
        actions: &[pay(MARA, GROCERY, 250)],
        shows: &[Show::Members],
    },
    Step { story: "Jon sees a doctor at Mountain Clinic.", actions: &[pay(JON, CLINIC, 300)], shows: &[Show::Members] },
    Step {
        story: "The grocery buys bread from the bakery: it spends its takings and draws the rest on its own line, \
                and the bakery earns back part of its debt.",
        actions: &[pay(GROCERY, BAKERY, 600)],
        shows: &[Show::Members],
    },
    Step {
        story: "The clinic orders lunch for its staff from the bakery: the bakery's debt is paid off and it ends \
                in credit.",
        actions: &[pay(CLINIC, BAKERY, 300)],
        shows: &[Show::Members],
    },
    Step {
        story: "Jon spends nearly all he has left at the grocery, paying down part of its debt.",
        actions: &[pay(JON, GROCERY, 96)],
        shows: &[Show::Members],
    },
];

/// A trade invoice, outside the token: `debtor` owes `creditor` `amount` base units (in rUSD) for `what`.
pub(super) struct Invoice {
    pub(super) creditor: &'static Role,
    pub(super) debtor: &'static Role,
    pub(super) amount: u128,
    pub(super) what: &'static str,
}

/// What the businesses owe each other, registered in this order. Several invoices run in cycles
/// (bakery -> mill -> clinic -> grocery -> bakery, bakery <-> grocery, mill <-> grocery, bakery ->
/// clinic -> grocery -> bakery, ...). The expected figures are in the CLI test (tests/cli.rs).
pub(super) const INVOICES: [Invoice; 8] = [
    Invoice { creditor: &MILL, debtor: BAKERY, amount: usd(1_200), what: "flour" },
    Invoice { creditor: BAKERY, debtor: GROCERY, amount: usd(800), what: "bread for its shelves" },
    Invoice { creditor: GROCERY, debtor: CLINIC, amount: usd(650), what: "medical and cleaning supplies" },
    Invoice { creditor: CLINIC, debtor: &MILL, amount: usd(300), what: "health checks for the millers" },
    Invoice { creditor: GROCERY, debtor: BAKERY, amount: usd(350), what: "eggs and butter" },
    Invoice { creditor: CLINIC, debtor: BAKERY, amount: usd(150), what: "flu shots for the bakers" },
    Invoice { creditor: GROCERY, debtor: &MILL, amount: usd(250), what: "the mill's canteen" },
    Invoice { creditor: &MILL, debtor: GROCERY, amount: usd(200), what: "stone-ground flour" },
];

/// The clinic's invoice from the grocery (an index into [`INVOICES`]). The clinic owes more than it is
/// owed and this is its only debt, so whatever the round clears, part of it is left to settle.
pub(super) const CLINIC_SUPPLIES: usize = 2;

/// One thing that happens in the clearing part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ClearingAction {
    /// The operator deploys the clearing contract on the credit token and makes it fee-exempt there.
    Deploy,
    /// Creditors propose [`INVOICES`]; their debtors accept them.
    Invoices,
    /// One clearing round: the contract's outstanding invoices solved off chain, the set-off submitted.
    Clear,
    /// The debtor of `INVOICES[invoice]` pays what is left of it with credit, through the clearing contract.
    Settle { invoice: usize },
}

pub(super) struct ClearingStep {
    pub(super) story: &'static str,
    pub(super) action: ClearingAction,
}

/// The clearing part, after [`SCENARIO`].
pub(super) const CLEARING: [ClearingStep; 4] = [
    ClearingStep {
        story: "Besides paying in rUSD, the businesses trade on ordinary invoices: trade credit, outside the token. \
                The network operator deploys the clearing contract, which settles through the credit token, and \
                exempts it from the token's network fee (it forwards exactly what it receives).",
        action: ClearingAction::Deploy,
    },
    ClearingStep {
        story: "Each creditor registers its invoices with the clearing contract (Propose) and each debtor confirms \
                them (Accept). French Broad Mill, which sells flour, trades with the others on invoices only.",
        action: ClearingAction::Invoices,
    },
    ClearingStep {
        story: "Clearing round: the outstanding invoices are read from the contract, the largest possible set-off \
                is solved off chain (resource_core::clearing::solve) and submitted; the contract checks it with \
                the same rules and cancels the debt that runs in cycles, without any payment.",
        action: ClearingAction::Clear,
    },
    ClearingStep {
        story: "The clinic pays what is left of its invoice from the grocery with credit: it sends the amount to the \
                clearing contract through the token (Send), spending into its credit line; the contract forwards \
                it to the grocery, which pays down its own debt, and closes the invoice.",
        action: ClearingAction::Settle { invoice: CLINIC_SUPPLIES },
    },
];

/// The underwriting part, after [`CLEARING`]: fees become rewards, then a newcomer defaults.
pub(super) const UNDERWRITING: [Step; 6] = [
    Step {
        story: "The fees paid so far sit in the underwriting contract, the token's fee collector. Anyone may turn \
                them into rewards (DistributeFees): each underwriter's share is its exposure, the backing of \
                approved lines. The underwriters then claim their rewards, paid in rUSD.",
        actions: &[
            Action::DistributeFees,
            Action::ClaimRewards { underwriter: CREDIT_UNION },
            Action::ClaimRewards { underwriter: ANGELS },
            Action::ClaimRewards { underwriter: FUND },
        ],
        shows: &[Show::Pool, Show::Underwriters],
    },
    Step {
        story: "A newcomer, the Hilltop Food Truck, applies for a 300 rUSD trial line for 20 seconds (the demo's \
                short term), and two underwriters back it.",
        actions: &[
            Action::Apply { member: &TRUCK, amount: usd(300), term: TRIAL_TERM_SECONDS },
            back(ANGELS, &TRUCK, 15),
            back(FUND, &TRUCK, 15),
        ],
        shows: &[Show::Applications, Show::Newcomer],
    },
    Step {
        story: "The truck buys its supplies at the grocery on its new line.",
        actions: &[pay(&TRUCK, GROCERY, 250)],
        shows: &[Show::Newcomer],
    },
    Step {
        story: "Every line the underwriters approve runs in credit periods: it renews by itself for a member \
                whose income over the period is at least half of what it owes. The truck's first 20-second period \
                ends without it earning anything back, so in its grace period its credit is frozen: it may still \
                spend what it holds and receive, and the token refuses its payment on credit, saying what it must \
                earn to comply.",
        actions: &[Action::PayWhileFrozen { from: &TRUCK, to: GROCERY, amount: usd(60) }],
        shows: &[Show::Newcomer],
    },
    Step {
        story: "The trial term ends and the grace period passes without repayment. Anyone may now settle the \
                application: the contract declares the default on the credit token, whose loss account takes the \
                debt, and slashes the backers' locked stake in proportion to their backing, up to the loss at 0.1 \
                INJ per rUSD, to the network reserve; the rest of their backing is released.",
        actions: &[Action::Settle { member: &TRUCK }],
        shows: &[Show::Losses, Show::Underwriters, Show::Newcomer],
    },
    Step {
        story: "Fees keep becoming rewards: the truck's fee too, now shared by the exposure left.",
        actions: &[Action::DistributeFees],
        shows: &[Show::Pool, Show::Underwriters],
    },
];

/// The marketplace's ratings oracle: an attester registered in the DID registry, signing off chain
/// with an ed25519 key (the demo's own, derived from its name: public, for local chains only).
pub(super) const ORACLE_DID: &str = "did:web:ratings.marketplace.example";
pub(super) const ORACLE_NAME: &str = "Marketplace ratings oracle";
/// What the marketplace knows of the cafe (a rating credential's values: tenths of a star, reviews).
pub(super) const CAFE_RATING: [u64; 2] = [47, 132];
/// What the cafe proves: at least 4.5 stars over at least 100 reviews.
pub(super) const RATING_THRESHOLDS: [u64; 2] = [45, 100];
/// The credential holds for a year; the proven claim for 90 days.
pub(super) const CREDENTIAL_SECONDS: u64 = 365 * 86_400;
pub(super) const CLAIM_SECONDS: u64 = 90 * 86_400;
/// The line the cafe applies for: what the scoring function suggests with its claim (100 base and
/// 25 per tenth of a star above 3.0 at full weight: 475 rUSD), backed in full by two underwriters.
pub(super) const CAFE_LINE: u128 = usd(475);
pub(super) const CAFE_BACKING: [Action; 2] = [
    Action::Back { underwriter: ANGELS, member: &CAFE, amount: inj(2_375) / 100 },
    Action::Back { underwriter: FUND, member: &CAFE, amount: inj(2_375) / 100 },
];

/// One thing that happens in the credential part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CredentialAction {
    /// The operator deploys the DID registry with the rating circuit's verifying key and has the
    /// underwriting contract read claims from it; the oracle is registered; the cafe registers its DID.
    Deploy,
    /// The oracle issues the credential; the cafe proves the thresholds and submits the proof.
    Prove,
    /// The cafe applies citing its claim; [`CAFE_BACKING`] approves the line.
    Apply,
}

pub(super) struct CredentialStep {
    pub(super) story: &'static str,
    pub(super) action: CredentialAction,
}

/// The credential part, after [`UNDERWRITING`].
pub(super) const CREDENTIALS: [CredentialStep; 3] = [
    CredentialStep {
        story: "A newcomer, the Laurel Cafe, sells through an online marketplace, where it has a good rating. To \
                have it count without handing over its data, the operator deploys the DID registry, which holds \
                the rating circuit's verifying key and verifies credential proofs itself, and registers the \
                marketplace's ratings oracle as an attester. The cafe registers its DID.",
        action: CredentialAction::Deploy,
    },
    CredentialStep {
        story: "The oracle issues the cafe a credential: a salted commitment to its rating and review count, signed \
                off chain. The cafe proves in zero knowledge that it has at least 4.5 stars over at least 100 \
                reviews and submits the proof to the registry, which checks the oracle's signature and the proof \
                on chain and records the claim on the cafe's DID. The chain never learns the rating itself.",
        action: CredentialAction::Prove,
    },
    CredentialStep {
        story: "The cafe applies for a credit line citing its claim, and the scoring function's suggested limit \
                reflects it. Two underwriters back the line in full, and it opens.",
        action: CredentialAction::Apply,
    },
];

/// Everyone in the story: the cast, the underwriters, the mill, the newcomer and the network's own
/// accounts.
pub(super) fn roles() -> impl Iterator<Item = &'static Role> {
    CAST.iter().chain(UNDERWRITERS.iter()).chain([&MILL, &TRUCK, &CAFE, &OPERATOR, &RESERVE, &LOSS_ACCOUNT])
}

/// The businesses that trade on [`INVOICES`], in the order of the cast.
pub(super) fn businesses() -> Vec<&'static Role> {
    roles()
        .filter(|role| INVOICES.iter().any(|i| i.debtor.account == role.account || i.creditor.account == role.account))
        .collect()
}

/// The credit token of the pilot. `fee_collector` collects until the underwriting contract exists
/// and takes over.
pub(super) fn instantiate_msg(fee_collector: &str, loss_account: &str) -> InstantiateMsg {
    InstantiateMsg {
        name: "Asheville Dollar".into(),
        symbol: SYMBOL.into(),
        decimals: DECIMALS as u8,
        admin: None,
        underwriting: None,
        fee_bps: FEE_BPS,
        fee_collector: fee_collector.into(),
        fee_exempt: Vec::new(),
        loss_account: loss_account.into(),
        default_grace_period: GRACE_SECONDS,
        did_registry: None,
        min_term: Some(TRIAL_TERM_SECONDS),
        min_grace_period: Some(GRACE_SECONDS),
    }
}

/// The underwriting contract of the pilot, paying slashed stake to `reserve`.
pub(super) fn underwriting_setup(reserve: &str) -> UnderwritingSetup {
    UnderwritingSetup {
        admin: None,
        stake_asset: StakeAsset::Native { denom: STAKE_DENOM.into() },
        rules: RULES,
        policy: POLICY,
        unbonding_period: UNBONDING_SECONDS,
        reserve: reserve.into(),
        credit_period_min_itd: Some(MIN_ITD_PPM),
        risk_fee_bps: None,
    }
}

#[cfg(test)]
mod tests {
    use resource_client::test_accounts::test_account;
    use resource_client::Wallet;
    use resource_core::clearing::Obligation;

    use super::*;
    use crate::demo::backend::key_phrase;

    fn actions() -> impl Iterator<Item = &'static Action> {
        SCENARIO.iter().chain(UNDERWRITING.iter()).flat_map(|step| step.actions).chain(CAFE_BACKING.iter())
    }

    /// Every application of the story, as (member, amount, term).
    fn applications() -> Vec<(&'static Role, u128, u64)> {
        let mut out: Vec<_> = actions()
            .filter_map(|a| match *a {
                Action::Apply { member, amount, term } => Some((member, amount, term)),
                _ => None,
            })
            .collect();
        out.push((&CAFE, CAFE_LINE, TERM_SECONDS));
        out
    }

    #[test]
    fn the_story_names_its_roles_and_pays_between_different_ones() {
        let known = |role: &Role| roles().any(|r| r == role);
        for step in SCENARIO.iter().chain(UNDERWRITING.iter()) {
            assert!(!step.actions.is_empty() && !step.shows.is_empty(), "{}", step.story);
        }
        for action in actions() {
            match *action {
                Action::Pay { from, to, amount } | Action::PayWhileFrozen { from, to, amount } => {
                    assert!(known(from) && known(to) && from != to && amount > 0)
                }
                Action::Stake { underwriter, amount } => {
                    assert!(UNDERWRITERS.contains(underwriter) && amount > 0)
                }
                Action::Apply { member, amount, term } => {
                    assert!(known(member) && amount > 0 && (POLICY.min_term..=POLICY.max_term).contains(&term))
                }
                Action::Back { underwriter, member, amount } => {
                    assert!(UNDERWRITERS.contains(underwriter) && known(member) && amount > 0)
                }
                Action::ClaimRewards { underwriter } => assert!(UNDERWRITERS.contains(underwriter)),
                Action::Settle { member } => assert!(known(member)),
                Action::DistributeFees => {}
            }
        }
        let accounts: Vec<_> = roles().map(|role| role.account).collect();
        let mut unique = accounts.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), accounts.len(), "one account per role");
        // The devnet's eight test accounts play the cast and the network; the others have demo keys.
        let demo_keys: Vec<_> = accounts.iter().filter(|a| test_account(a).is_none()).collect();
        assert_eq!(demo_keys, [&"credit-union", &"angels", &"community-fund", &"mill", &"food-truck", &"cafe"]);
        let phrase = key_phrase(MILL.account).unwrap();
        assert_eq!(phrase.split_whitespace().count(), 24);
        assert_eq!(phrase, key_phrase(MILL.account).unwrap(), "deterministic");
        assert_eq!(key_phrase("alice").unwrap(), test_account("alice").unwrap().mnemonic);
        assert!(Wallet::from_mnemonic(&phrase, "inj").is_ok());
    }

    #[test]
    fn every_application_is_backed_exactly_as_the_rules_require_and_within_the_stakes() {
        let mut backed_by = [0u128; UNDERWRITERS.len()];
        for (member, amount, _) in applications() {
            let backs: Vec<(usize, u128)> = actions()
                .filter_map(|a| match *a {
                    Action::Back { underwriter, member: m, amount } if m == member => {
                        Some((UNDERWRITERS.iter().position(|u| u == underwriter).unwrap(), amount))
                    }
                    _ => None,
                })
                .collect();
            let total: u128 = backs.iter().map(|(_, a)| a).sum();
            // Exactly the requirement: the last backing approves, and none is left over.
            assert_eq!(Ok(total), RULES.required_backing(amount), "{}", member.name);
            assert!(backs.len() as u32 >= RULES.min_underwriters, "{}", member.name);
            assert!(backs.iter().all(|(_, a)| a * 10_000 <= total * u128::from(RULES.max_share_bps)));
            for (underwriter, amount) in backs {
                backed_by[underwriter] += amount;
            }
        }
        assert!(backed_by.iter().all(|b| *b <= inj(STAKE_EACH)), "{backed_by:?}");
        // The trial line is as short as the token and the contract allow.
        assert_eq!(
            (POLICY.min_term, instantiate_msg("a", "b").min_term),
            (TRIAL_TERM_SECONDS, Some(TRIAL_TERM_SECONDS))
        );
        assert!(RULES.check().is_ok() && POLICY.check().is_ok());
        // The cafe's line is what the scoring function suggests for its claim, and it clears the thresholds.
        use resource_core::underwriting::{suggested_limit, ScoringInputs, ScoringParams};
        let claim = ("platform_rating", "rating>=45;reviews>=100");
        let inputs = ScoringInputs::from_predicates([claim], resource_core::did::ReputationSummary::default());
        assert_eq!(suggested_limit(&inputs, &ScoringParams::with_unit(UNIT)).limit, CAFE_LINE);
        assert!(CAFE_RATING.iter().zip(RATING_THRESHOLDS).all(|(v, t)| *v >= t));
        const { assert!(CLAIM_SECONDS < CREDENTIAL_SECONDS) };
        // Only the newcomer's application is settled, and it is the one on a trial term.
        let settled: Vec<_> =
            actions().filter_map(|a| if let Action::Settle { member } = a { Some(*member) } else { None }).collect();
        assert_eq!(settled, [&TRUCK]);
    }

    /// The invoices as obligations between the businesses' names.
    fn invoices() -> Vec<Obligation<&'static str>> {
        INVOICES
            .iter()
            .enumerate()
            .map(|(i, invoice)| Obligation {
                id: i as u64 + 1,
                debtor: invoice.debtor.name,
                creditor: invoice.creditor.name,
                amount: invoice.amount,
            })
            .collect()
    }

    #[test]
    fn the_invoices_run_in_cycles_and_leave_the_clinic_something_to_settle() {
        for invoice in &INVOICES {
            assert!(invoice.debtor.account != invoice.creditor.account && invoice.amount > 0, "{}", invoice.what);
            assert!(roles().any(|role| role.account == invoice.debtor.account));
            assert!(roles().any(|role| role.account == invoice.creditor.account));
        }
        assert!((6..=10).contains(&INVOICES.len()));
        let obligations = invoices();
        let set_off = resource_core::clearing::solve(&obligations).unwrap();
        let left = resource_core::clearing::remaining(&obligations, &set_off).unwrap();
        assert_eq!((set_off.total(), left.iter().map(|o| o.amount).sum::<u128>()), (usd(2_800), usd(1_100)));
        // Whatever the solver's choice among optimal set-offs, the clinic's only debt keeps the clinic's
        // net debt: settling it is a credit payment from a member with a line to a member of the cast.
        let clinic = left.iter().find(|o| o.id == CLINIC_SUPPLIES as u64 + 1).expect("part of it is left");
        assert_eq!(clinic.amount, usd(200));
        let settled = CLEARING.iter().find_map(|step| match step.action {
            ClearingAction::Settle { invoice } => Some(invoice),
            _ => None,
        });
        assert_eq!(settled, Some(CLINIC_SUPPLIES));
        let debtor = INVOICES[CLINIC_SUPPLIES].debtor;
        let applies = SCENARIO
            .iter()
            .flat_map(|s| s.actions)
            .any(|a| matches!(a, Action::Apply { member, .. } if *member == debtor));
        assert!(applies && CAST.contains(debtor));
        assert!(CAST.iter().any(|role| role.account == INVOICES[CLINIC_SUPPLIES].creditor.account));
        assert_eq!(businesses().len(), 4);
    }
}
