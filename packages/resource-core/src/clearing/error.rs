use alloc::string::String;

/// Why an obligation set or a set-off was refused. Every variant names the first offending entry or
/// participant, so a submitter can fix its input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClearingError {
    /// A set-off with no entries clears nothing.
    #[error("the set-off has no entries; solve the obligations first and submit a non-empty set-off")]
    EmptySetOff,

    /// An entry that clears nothing.
    #[error("set-off entry for obligation {id} clears 0; leave the obligation out instead")]
    ZeroEntry {
        /// The obligation.
        id: u64,
    },

    /// The same obligation appears twice in a set-off.
    #[error("obligation {id} appears twice in the set-off; merge its entries into one")]
    DuplicateEntry {
        /// The obligation.
        id: u64,
    },

    /// The same obligation id appears twice in the obligation list.
    #[error("obligation id {id} appears twice in the obligations; ids must be unique")]
    DuplicateObligation {
        /// The obligation.
        id: u64,
    },

    /// A set-off entry names an obligation that is not outstanding (unknown, not accepted, or closed).
    #[error("obligation {id} is not an outstanding obligation; only accepted, open obligations can be cleared")]
    UnknownObligation {
        /// The obligation.
        id: u64,
    },

    /// An entry clears more than the obligation's outstanding amount.
    #[error("set-off entry for obligation {id} clears {requested} but only {outstanding} is outstanding")]
    OverCleared {
        /// The obligation.
        id: u64,
        /// What is still owed.
        outstanding: u128,
        /// What the entry tried to clear.
        requested: u128,
    },

    /// An obligation of a participant to itself.
    #[error("obligation {id} has the same debtor and creditor; a participant cannot owe itself")]
    SelfObligation {
        /// The obligation.
        id: u64,
    },

    /// A set-off that changes a participant's net position: it would be paid or made to pay by
    /// clearing, which clearing never does.
    #[error(
        "the set-off is unbalanced for {participant}: it clears {as_debtor} of its debts but {as_creditor} of its claims; \
         every participant must have equal amounts cleared on both sides"
    )]
    Unbalanced {
        /// The first participant (in entry order) whose two sides differ.
        participant: String,
        /// Cleared of what it owes.
        as_debtor: u128,
        /// Cleared of what it is owed.
        as_creditor: u128,
    },

    /// Amounts too large for exact clearing (their sum must fit a signed 64-bit integer).
    #[error("the obligations total more than {max} units; split the clearing into smaller rounds")]
    TooLarge {
        /// The largest total the solver accepts.
        max: u128,
    },

    /// A sum left the 128-bit range (only with absurd inputs).
    #[error("an amount sum overflowed 128 bits")]
    Overflow,
}
