//! What a transaction did, read back from its block result.

use base64::Engine;
use cosmrs::rpc::endpoint::tx;

/// One ABCI event of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Event type, e.g. `wasm`, `store_code`, `transfer`.
    pub kind: String,
    /// Key/value pairs in emission order.
    pub attributes: Vec<(String, String)>,
}

impl Event {
    /// The first value of `key`.
    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// A transaction included in a block that succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxOutcome {
    /// Upper-case hex hash.
    pub tx_hash: String,
    /// Height of the block that includes it.
    pub height: u64,
    /// The gas limit it carried.
    pub gas_wanted: u64,
    /// Gas it consumed.
    pub gas_used: u64,
    /// All events, in order.
    pub events: Vec<Event>,
    /// The tx result's data: protobuf `TxMsgData` with one response per message.
    pub data: Vec<u8>,
}

/// Attributes wasmd and the SDK add to every `wasm` event; the rest are the contract's own.
const SYSTEM_ATTRIBUTES: &[&str] = &["_contract_address", "msg_index"];

impl TxOutcome {
    /// The first value of `key` in the first event of type `kind` that has it.
    pub fn attribute(&self, kind: &str, key: &str) -> Option<&str> {
        self.events.iter().filter(|e| e.kind == kind).find_map(|e| e.attribute(key))
    }

    /// Every event of type `kind`.
    pub fn events_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
        self.events.iter().filter(move |e| e.kind == kind)
    }

    /// The contracts' own attributes (from `add_attribute`) of all `wasm` events, in order,
    /// without the `_contract_address` and `msg_index` that the chain adds.
    pub fn wasm_attributes(&self) -> Vec<(&str, &str)> {
        self.events_of("wasm")
            .flat_map(|e| e.attributes.iter())
            .filter(|(k, _)| !SYSTEM_ATTRIBUTES.contains(&k.as_str()))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    pub(crate) fn from_response(response: &tx::Response) -> TxOutcome {
        let result = &response.tx_result;
        TxOutcome {
            tx_hash: response.hash.to_string(),
            height: response.height.value(),
            gas_wanted: u64::try_from(result.gas_wanted).unwrap_or_default(),
            gas_used: u64::try_from(result.gas_used).unwrap_or_default(),
            events: result.events.iter().map(convert_event).collect(),
            data: decode_data(&result.data),
        }
    }
}

fn convert_event(event: &cosmrs::tendermint::abci::Event) -> Event {
    Event {
        kind: event.kind.clone(),
        attributes: event
            .attributes
            .iter()
            // CometBFT 0.37+ sends UTF-8 strings; lossy only matters for pre-0.37 byte keys.
            .map(|a| {
                (
                    String::from_utf8_lossy(a.key_bytes()).into_owned(),
                    String::from_utf8_lossy(a.value_bytes()).into_owned(),
                )
            })
            .collect(),
    }
}

/// tendermint-rpc hands `tx_result.data` over as the JSON string's bytes, i.e. still base64.
/// Anything that is not base64 is passed through unchanged.
fn decode_data(data: &[u8]) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(data).unwrap_or_else(|_| data.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: &str, attributes: &[(&str, &str)]) -> Event {
        Event {
            kind: kind.into(),
            attributes: attributes.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    #[test]
    fn helpers_read_events() {
        let outcome = TxOutcome {
            tx_hash: "AB".into(),
            height: 5,
            gas_wanted: 200_000,
            gas_used: 150_000,
            events: vec![
                event("message", &[("action", "/cosmwasm.wasm.v1.MsgExecuteContract"), ("msg_index", "0")]),
                event(
                    "wasm",
                    &[("_contract_address", "inj1c"), ("action", "transfer"), ("amount", "10"), ("msg_index", "0")],
                ),
                event("wasm", &[("_contract_address", "inj1d"), ("action", "burn"), ("msg_index", "1")]),
            ],
            data: vec![],
        };
        assert_eq!(outcome.attribute("wasm", "amount"), Some("10"));
        assert_eq!(outcome.attribute("wasm", "action"), Some("transfer"));
        assert_eq!(outcome.attribute("store_code", "code_id"), None);
        assert_eq!(outcome.wasm_attributes(), vec![("action", "transfer"), ("amount", "10"), ("action", "burn")]);
        assert_eq!(outcome.events_of("wasm").count(), 2);
    }

    #[test]
    fn data_is_base64_decoded() {
        assert_eq!(decode_data(b"EgQKAggB"), vec![0x12, 0x04, 0x0a, 0x02, 0x08, 0x01]);
        assert_eq!(decode_data(b""), Vec::<u8>::new());
    }
}
