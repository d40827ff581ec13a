//! What a transaction did, as the demo reads it from the contracts' `wasm` events.
use anyhow::{anyhow, ensure};

use super::render::rusd_u;

/// The `minted`, `burned` and `fee` attributes every transfer of the credit token emits (a default
/// declaration moves debt with `minted` and `burned` only: it charges no fee).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct TransferEffect {
    pub(super) minted: u128,
    pub(super) burned: u128,
    pub(super) fee: u128,
}

impl TransferEffect {
    pub(super) fn from_attributes(attributes: &[(String, String)]) -> anyhow::Result<Self> {
        let read = |key: &str| -> anyhow::Result<u128> {
            let value = attributes
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .ok_or_else(|| anyhow!("the transfer event has no `{key}` attribute"))?;
            value.parse().map_err(|_| anyhow!("the transfer event's `{key}` is not an amount: `{value}`"))
        };
        let fee = if attributes.iter().any(|(k, _)| k == "fee") { read("fee")? } else { 0 };
        Ok(TransferEffect { minted: read("minted")?, burned: read("burned")?, fee })
    }

    /// The sum over every credit-token transfer of a transaction (the wasm events with a `minted`
    /// attribute): a `Send` to the clearing contract is two, the payment in and the forward out.
    pub(super) fn of_transaction(events: &[Vec<(String, String)>]) -> anyhow::Result<Self> {
        ensure!(
            events.iter().any(|event| event.iter().any(|(k, _)| k == "minted")),
            "the transaction has no credit-token transfer event"
        );
        Self::sum_of(events)
    }

    /// Like [`Self::of_transaction`], for a transaction that may move no credit at all (zero then).
    pub(super) fn sum_of(events: &[Vec<(String, String)>]) -> anyhow::Result<Self> {
        let mut sum = TransferEffect::default();
        for attributes in events.iter().filter(|event| event.iter().any(|(k, _)| k == "minted")) {
            sum.add(TransferEffect::from_attributes(attributes)?);
        }
        Ok(sum)
    }

    /// Adds `other` to these totals.
    pub(super) fn add(&mut self, other: TransferEffect) {
        self.minted += other.minted;
        self.burned += other.burned;
        self.fee += other.fee;
    }

    /// `minted 1.00, burned 0.00` (and the fee, if any).
    pub(super) fn describe(&self) -> String {
        let fee = if self.fee > 0 { format!(", fee {}", rusd_u(self.fee)) } else { String::new() };
        format!("minted {}, burned {}{fee}", rusd_u(self.minted), rusd_u(self.burned))
    }
}

/// What one transaction did: the `wasm` events of every contract it ran, in order (each a list of
/// attributes), and on a real chain the gas it used.
pub(super) struct Executed {
    pub(super) events: Vec<Vec<(String, String)>>,
    pub(super) gas: Option<u64>,
}

impl Executed {
    /// The first value of `key` in any of the events.
    pub(super) fn attribute(&self, key: &str) -> Option<&str> {
        self.events.iter().flatten().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn transfer_effects_come_from_the_event_attributes() {
        let all = attrs(&[("action", "transfer"), ("fee", "3"), ("minted", "350000000"), ("burned", "600000000")]);
        assert_eq!(
            TransferEffect::from_attributes(&all).unwrap(),
            TransferEffect { minted: 350_000_000, burned: 600_000_000, fee: 3 }
        );
        let missing = TransferEffect::from_attributes(&attrs(&[("minted", "1"), ("fee", "0")])).unwrap_err();
        assert!(missing.to_string().contains("no `burned` attribute"), "{missing}");
        let bad = TransferEffect::from_attributes(&attrs(&[("minted", "-1"), ("burned", "0"), ("fee", "0")]));
        assert!(bad.unwrap_err().to_string().contains("`minted` is not an amount"));
        // A default declaration moves debt without a fee.
        let default = attrs(&[("action", "declare_default"), ("debt", "5"), ("minted", "0"), ("burned", "0")]);
        assert_eq!(TransferEffect::from_attributes(&default).unwrap(), TransferEffect::default());
        assert_eq!(TransferEffect::sum_of(&[attrs(&[("action", "stake")])]).unwrap(), TransferEffect::default());
    }

    #[test]
    fn a_settlement_adds_up_both_transfers_of_the_send() {
        // The token's send into the clearing contract, the contract's hook, the forward to the creditor.
        let events = vec![
            attrs(&[("action", "send"), ("fee", "0"), ("minted", "200"), ("burned", "0")]),
            attrs(&[("action", "settle_with_credit"), ("obligation_id", "3")]),
            attrs(&[("action", "transfer"), ("fee", "1"), ("minted", "0"), ("burned", "200")]),
        ];
        assert_eq!(
            TransferEffect::of_transaction(&events).unwrap(),
            TransferEffect { minted: 200, burned: 200, fee: 1 }
        );
        let none = TransferEffect::of_transaction(&[attrs(&[("action", "accept")])]).unwrap_err();
        assert!(none.to_string().contains("no credit-token transfer event"), "{none}");
        let executed = Executed { events, gas: None };
        assert_eq!(executed.attribute("obligation_id"), Some("3"));
        assert_eq!(executed.attribute("round"), None);
    }
}
