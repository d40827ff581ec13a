//! The story the demo tells, as data: who is in it ([`CAST`] and the other roles), what happens on the
//! credit token ([`SCENARIO`]), the invoices the businesses owe each other ([`INVOICES`]) and the
//! clearing part ([`CLEARING`]).
use resource_msgs::credit_token::InstantiateMsg;

/// The token has 6 decimals: one rUSD is a million base units.
pub(super) const DECIMALS: u32 = 6;
pub(super) const UNIT: u128 = 10u128.pow(DECIMALS);
pub(super) const SYMBOL: &str = "rUSD";
/// The pilot charges no network fee, so every table adds up to round figures.
pub(super) const FEE_BPS: u16 = 0;
/// Credit lines run for a year; the demo never gets near the end of a term.
pub(super) const TERM_SECONDS: u64 = 365 * 86_400;
pub(super) const GRACE_SECONDS: u64 = 30 * 86_400;
/// Invoices fall due a month after they are registered (the contract only needs a future date).
pub(super) const INVOICE_TERM_SECONDS: u64 = 30 * 86_400;

/// Someone in the story and the devnet test account (or demo key, see `backend::key_phrase`) that
/// plays them.
pub(super) struct Role {
    pub(super) name: &'static str,
    pub(super) part: &'static str,
    pub(super) account: &'static str,
}

/// The members whose accounts the tables show; the scenario refers to them by index.
pub(super) const CAST: [Role; 5] = [
    Role { name: "Blue Ridge Bakery", part: "employer, credit line", account: "alice" },
    Role { name: "Mara", part: "bakery employee", account: "bob" },
    Role { name: "Jon", part: "bakery employee", account: "carol" },
    Role { name: "Riverside Grocery", part: "business, credit line", account: "dave" },
    Role { name: "Mountain Clinic", part: "business, credit line", account: "erin" },
];
pub(super) const BAKERY: usize = 0;
pub(super) const MARA: usize = 1;
pub(super) const JON: usize = 2;
pub(super) const GROCERY: usize = 3;
pub(super) const CLINIC: usize = 4;

/// A business that trades with the others on invoices only, never in rUSD. All eight devnet test
/// accounts play other parts, so it has a demo key derived the same way (`backend::key_phrase`); on
/// the devnet the operator sends it a little of the chain's coin for transaction fees.
pub(super) const MILL: Role =
    Role { name: "French Broad Mill", part: "business, invoices only (no credit line)", account: "mill" };

/// The network itself: the operator sets credit lines; the other two only need distinct addresses
/// (the contract refuses a loss account that is also the fee collector).
pub(super) const OPERATOR: Role =
    Role { name: "Asheville network operator", part: "admin, opens credit lines", account: "admin" };
pub(super) const FEE_COLLECTOR: Role =
    Role { name: "Fee pool", part: "fee collector (fee is 0 bps here)", account: "frank" };
pub(super) const LOSS_ACCOUNT: Role =
    Role { name: "Loss account", part: "takes defaulted debt (none here)", account: "relayer" };

/// One thing that happens on the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    /// The operator opens a credit line of `limit` base units for a member.
    OpenLine { member: usize, limit: u128 },
    /// A member pays another `amount` base units.
    Pay { from: usize, to: usize, amount: u128 },
}

/// One step of the story: what it means, and what happens on the ledger.
pub(super) struct Step {
    pub(super) story: &'static str,
    pub(super) actions: &'static [Action],
}

pub(super) const fn usd(whole: u128) -> u128 {
    whole * UNIT
}

/// The pilot in miniature. The expected figures are in the CLI test (tests/cli.rs).
pub(super) const SCENARIO: [Step; 7] = [
    Step {
        story: "The network operator opens credit lines for three local businesses.",
        actions: &[
            Action::OpenLine { member: BAKERY, limit: usd(2_000) },
            Action::OpenLine { member: GROCERY, limit: usd(1_000) },
            Action::OpenLine { member: CLINIC, limit: usd(1_000) },
        ],
    },
    Step {
        story: "Payday: the bakery pays its employees' monthly benefits in rUSD, spending into its credit line.",
        actions: &[
            Action::Pay { from: BAKERY, to: MARA, amount: usd(400) },
            Action::Pay { from: BAKERY, to: JON, amount: usd(400) },
        ],
    },
    Step {
        story: "Mara buys groceries at Riverside Grocery.",
        actions: &[Action::Pay { from: MARA, to: GROCERY, amount: usd(250) }],
    },
    Step {
        story: "Jon sees a doctor at Mountain Clinic.",
        actions: &[Action::Pay { from: JON, to: CLINIC, amount: usd(300) }],
    },
    Step {
        story: "The grocery buys bread from the bakery: it spends its takings and draws the rest on its own line, \
                and the bakery earns back part of its debt.",
        actions: &[Action::Pay { from: GROCERY, to: BAKERY, amount: usd(600) }],
    },
    Step {
        story: "The clinic orders lunch for its staff from the bakery: the bakery's debt is paid off and it ends \
                in credit.",
        actions: &[Action::Pay { from: CLINIC, to: BAKERY, amount: usd(300) }],
    },
    Step {
        story: "Jon spends the rest of his benefit at the grocery, paying down part of its debt.",
        actions: &[Action::Pay { from: JON, to: GROCERY, amount: usd(100) }],
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
    Invoice { creditor: &MILL, debtor: &CAST[BAKERY], amount: usd(1_200), what: "flour" },
    Invoice { creditor: &CAST[BAKERY], debtor: &CAST[GROCERY], amount: usd(800), what: "bread for its shelves" },
    Invoice {
        creditor: &CAST[GROCERY],
        debtor: &CAST[CLINIC],
        amount: usd(650),
        what: "medical and cleaning supplies",
    },
    Invoice { creditor: &CAST[CLINIC], debtor: &MILL, amount: usd(300), what: "health checks for the millers" },
    Invoice { creditor: &CAST[GROCERY], debtor: &CAST[BAKERY], amount: usd(350), what: "eggs and butter" },
    Invoice { creditor: &CAST[CLINIC], debtor: &CAST[BAKERY], amount: usd(150), what: "flu shots for the bakers" },
    Invoice { creditor: &CAST[GROCERY], debtor: &MILL, amount: usd(250), what: "the mill's canteen" },
    Invoice { creditor: &MILL, debtor: &CAST[GROCERY], amount: usd(200), what: "stone-ground flour" },
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

/// Everyone in the story: the cast, the mill and the network's own accounts.
pub(super) fn roles() -> impl Iterator<Item = &'static Role> {
    CAST.iter().chain([&MILL, &OPERATOR, &FEE_COLLECTOR, &LOSS_ACCOUNT])
}

/// The businesses that trade on [`INVOICES`], in the order of the cast.
pub(super) fn businesses() -> Vec<&'static Role> {
    roles()
        .filter(|role| INVOICES.iter().any(|i| i.debtor.account == role.account || i.creditor.account == role.account))
        .collect()
}

/// The credit token of the pilot.
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
        min_term: None,
        min_grace_period: None,
    }
}

#[cfg(test)]
mod tests {
    use resource_client::test_accounts::test_account;
    use resource_client::Wallet;
    use resource_core::clearing::Obligation;

    use super::*;
    use crate::demo::backend::key_phrase;

    #[test]
    fn the_scenario_only_names_cast_members_and_pays_between_different_ones() {
        for step in &SCENARIO {
            assert!(!step.actions.is_empty(), "{}", step.story);
            for action in step.actions {
                match *action {
                    Action::OpenLine { member, limit } => assert!(member < CAST.len() && limit > 0),
                    Action::Pay { from, to, amount } => {
                        assert!(from < CAST.len() && to < CAST.len() && from != to && amount > 0)
                    }
                }
            }
        }
        let accounts: Vec<_> = roles().map(|role| role.account).collect();
        let mut unique = accounts.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), accounts.len(), "one account per role");
        // Everyone but the mill is a devnet test account; the mill has a demo key of its own.
        assert!(accounts.iter().filter(|a| **a != MILL.account).all(|account| test_account(account).is_some()));
        assert!(test_account(MILL.account).is_none());
        let phrase = key_phrase(MILL.account).unwrap();
        assert_eq!(phrase.split_whitespace().count(), 24);
        assert_eq!(phrase, key_phrase(MILL.account).unwrap(), "deterministic");
        assert_eq!(key_phrase("alice").unwrap(), test_account("alice").unwrap().mnemonic);
        assert!(Wallet::from_mnemonic(&phrase, "inj").is_ok());
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
        let opens_line = |member: usize| {
            SCENARIO
                .iter()
                .flat_map(|s| s.actions)
                .any(|a| matches!(a, Action::OpenLine { member: m, .. } if *m == member))
        };
        assert!(CAST.iter().position(|role| role.account == debtor.account).is_some_and(opens_line));
        assert!(CAST.iter().any(|role| role.account == INVOICES[CLINIC_SUPPLIES].creditor.account));
        assert_eq!(businesses().len(), 4);
    }
}
