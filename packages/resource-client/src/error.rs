//! The one error type of this crate, and the parsing that turns the node's answers into it.

use std::time::Duration;

/// Everything that can go wrong talking to the chain. Each message says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The phrase is not a valid BIP-39 mnemonic.
    #[error("invalid mnemonic: {reason}")]
    InvalidMnemonic {
        /// What the BIP-39 decoder objected to.
        reason: String,
    },

    /// Deriving the secp256k1 key from a valid mnemonic failed.
    #[error("cannot derive a key from the mnemonic: {reason}")]
    KeyDerivation {
        /// The underlying bip32 error.
        reason: String,
    },

    /// A bech32 address could not be parsed.
    #[error("invalid address `{address}`: {reason}")]
    InvalidAddress {
        /// The address as given.
        address: String,
        /// Why it was rejected.
        reason: String,
    },

    /// A value in [`crate::ChainConfig`] (or a coin denomination) is malformed.
    #[error("invalid {field} `{value}`: {reason}")]
    InvalidConfig {
        /// The setting, e.g. `rpc` or `chain_id`.
        field: &'static str,
        /// The value given.
        value: String,
        /// Why it was rejected.
        reason: String,
    },

    /// The node could not be reached over RPC (connection refused, timeout, HTTP error).
    #[error("cannot reach the node at {url}: {message}; is the devnet running? (`resource devnet status`)")]
    Rpc {
        /// The RPC endpoint used.
        url: String,
        /// The transport error.
        message: String,
    },

    /// The node answered a JSON-RPC call with an error that has no more specific variant.
    #[error("the node at {url} rejected the request: {message}")]
    NodeError {
        /// The RPC endpoint used.
        url: String,
        /// The node's error message.
        message: String,
    },

    /// The node serves a different chain than the configuration names.
    #[error("the node at {url} serves chain `{actual}`, not `{expected}`; fix chain_id or rpc in the configuration")]
    ChainIdMismatch {
        /// The RPC endpoint used.
        url: String,
        /// `chain_id` from the configuration.
        expected: String,
        /// The chain id the node reports.
        actual: String,
    },

    /// The account does not exist on chain: it never received funds.
    #[error("account {address} has no funds on chain {chain_id}; fund it first")]
    AccountNotFound {
        /// The account's address.
        address: String,
        /// The chain asked.
        chain_id: String,
    },

    /// The transaction's sequence is not the account's current one (another tx from the same
    /// account got in first, or one is still pending). Retrying re-reads the sequence.
    #[error("account sequence mismatch (expected {expected:?}, got {got:?}): send one transaction at a time per account, then retry: {log}")]
    SequenceMismatch {
        /// The sequence the chain expected, when the log says.
        expected: Option<u64>,
        /// The sequence the tx carried, when the log says.
        got: Option<u64>,
        /// The node's log.
        log: String,
    },

    /// The fee is below the node's minimum gas price.
    #[error("insufficient fee: raise gas_price in the chain configuration: {log}")]
    InsufficientFee {
        /// The node's log (it names the fee required).
        log: String,
    },

    /// The gas limit was too low for the transaction.
    #[error(
        "out of gas: gas limit {wanted} but the transaction needed more than {used}; use Gas::Auto or a higher limit"
    )]
    OutOfGas {
        /// The gas limit of the transaction.
        wanted: u64,
        /// Gas consumed when it ran out.
        used: u64,
    },

    /// The signature did not verify: the chain id or account number signed over is wrong.
    #[error(
        "signature verification failed: wrong chain id or account number (check chain_id in the configuration): {log}"
    )]
    SignatureVerification {
        /// The node's log.
        log: String,
    },

    /// The sender cannot pay the fee or the amount sent.
    #[error("insufficient funds: the sender cannot pay the amount plus fees; fund it first: {log}")]
    InsufficientFunds {
        /// The node's log.
        log: String,
    },

    /// A contract returned an error (execute, instantiate, migrate or a smart query).
    #[error("contract failed: {message}")]
    ContractFailed {
        /// The contract's own error text, with wasmd's wrapping removed.
        message: String,
        /// The node's full log.
        log: String,
    },

    /// A transaction failed for a reason without a more specific variant.
    #[error("transaction failed (codespace `{codespace}`, code {code}): {log}")]
    TxFailed {
        /// The ABCI code.
        code: u32,
        /// The module that produced the code, e.g. `sdk`.
        codespace: String,
        /// The node's log.
        log: String,
    },

    /// A query was answered with an error that has no more specific variant.
    #[error("query {path} failed (codespace `{codespace}`, code {code}): {log}")]
    QueryFailed {
        /// The ABCI query path.
        path: String,
        /// The ABCI code.
        code: u32,
        /// The module that produced the code.
        codespace: String,
        /// The node's log.
        log: String,
    },

    /// A broadcast transaction did not show up in a block in time.
    #[error("transaction {hash} was not included in a block within {waited:?}; check the node's logs, or look it up later with its hash")]
    NotIncluded {
        /// The transaction hash (upper-case hex).
        hash: String,
        /// How long the client waited.
        waited: Duration,
    },

    /// The chain did not reach a height in time.
    #[error(
        "the chain did not reach height {height} within {waited:?} (it is at {current}); is the node producing blocks?"
    )]
    HeightTimeout {
        /// The height waited for.
        height: u64,
        /// The last height seen.
        current: u64,
        /// How long the client waited.
        waited: Duration,
    },

    /// Contract code could not be gzipped for upload.
    #[error("cannot gzip the contract code for upload: {reason}")]
    Compress {
        /// Why it failed.
        reason: String,
    },

    /// A node's answer could not be decoded.
    #[error("cannot decode {what} from the node: {reason}")]
    Decode {
        /// What was being decoded.
        what: String,
        /// Why it failed.
        reason: String,
    },

    /// A message could not be turned into JSON, or a query answer did not match the expected type.
    #[error("JSON {context}: {source}")]
    Json {
        /// What was being (de)serialized.
        context: &'static str,
        /// The serde_json error.
        source: serde_json::Error,
    },

    /// Building or signing a transaction failed.
    #[error("cannot build or sign the transaction: {reason}")]
    Signing {
        /// The underlying cosmrs error.
        reason: String,
    },
}

/// Shorthand used throughout the crate.
pub type Result<T, E = ClientError> = std::result::Result<T, E>;

/// An ABCI failure as the node reports it, before it becomes a [`ClientError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AbciFailure {
    pub code: u32,
    pub codespace: String,
    pub log: String,
}

impl AbciFailure {
    /// The typed error for a failed transaction (at check time or in a block).
    /// `gas` is (wanted, used) when the block result carries them.
    pub(crate) fn into_tx_error(self, gas: Option<(u64, u64)>) -> ClientError {
        let AbciFailure { code, codespace, log } = self;
        if codespace == "wasm" {
            return ClientError::ContractFailed { message: contract_message(&log), log };
        }
        // SDK codes are only meaningful in the `sdk` codespace; CometBFT leaves it empty for some.
        if codespace != "sdk" && !codespace.is_empty() {
            return ClientError::TxFailed { code, codespace, log };
        }
        match code {
            32 => {
                let (expected, got) = parse_sequence_mismatch(&log);
                ClientError::SequenceMismatch { expected, got, log }
            }
            13 => ClientError::InsufficientFee { log },
            11 => {
                // The log has the figures at check time; block results also carry them.
                let (wanted, used) = parse_out_of_gas(&log).or(gas).unwrap_or_default();
                ClientError::OutOfGas { wanted, used }
            }
            4 => ClientError::SignatureVerification { log },
            5 => ClientError::InsufficientFunds { log },
            _ => ClientError::TxFailed { code, codespace, log },
        }
    }
}

/// Parses the JSON-RPC error data `broadcast_tx_sync` returns for a tx rejected by CheckTx:
/// `broadcast error on transaction validation: tx <HASH> is invalid: code=32, data=, log='...', codespace='sdk'`.
pub(crate) fn parse_check_tx_error(message: &str) -> Option<AbciFailure> {
    let code_at = message.find("code=")? + "code=".len();
    let digits: String = message[code_at..].chars().take_while(char::is_ascii_digit).collect();
    let code = digits.parse().ok()?;
    // The log itself may contain quotes and commas: take everything up to the last `', codespace='`.
    let log_at = message.find("log='")? + "log='".len();
    let (log, codespace) = match message.rfind("', codespace='") {
        Some(end) if end >= log_at => {
            let rest = &message[end + "', codespace='".len()..];
            (&message[log_at..end], rest.split('\'').next().unwrap_or_default())
        }
        _ => (message[log_at..].trim_end_matches('\''), ""),
    };
    Some(AbciFailure { code, codespace: codespace.to_owned(), log: log.to_owned() })
}

/// Recovers a transaction's own failure from the gRPC status text a failed simulation answers with:
/// `[reason:"..."  metadata:{key:"ABCICode"  value:"5"}  metadata:{key:"Codespace"  value:"wasm"}]:
/// rpc error: code = Unknown desc = <log> With gas wanted: '..' and gas used: '..' : unknown request`.
pub(crate) fn parse_grpc_failure(text: &str) -> Option<AbciFailure> {
    let code = metadata_value(text, "ABCICode")?.parse().ok()?;
    let codespace = metadata_value(text, "Codespace")?.to_owned();
    let log = text.split_once("desc = ").map_or(text, |(_, rest)| rest);
    let log = log.rsplit_once(" With gas wanted:").map_or(log, |(log, _)| log);
    Some(AbciFailure { code, codespace, log: log.trim().to_owned() })
}

/// `value` of `metadata:{key:"<key>"  value:"<value>"}`.
fn metadata_value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let after_key = &text[text.find(&format!("key:\"{key}\""))?..];
    let value = &after_key[after_key.find("value:\"")? + "value:\"".len()..];
    value.split('"').next()
}

/// `account sequence mismatch, expected 5, got 4: incorrect account sequence`
fn parse_sequence_mismatch(log: &str) -> (Option<u64>, Option<u64>) {
    (number_after(log, "expected "), number_after(log, "got "))
}

/// `out of gas in location: ...; gasWanted: 50000, gasUsed: 51234: out of gas`
fn parse_out_of_gas(log: &str) -> Option<(u64, u64)> {
    Some((number_after(log, "gasWanted: ")?, number_after(log, "gasUsed: ")?))
}

fn number_after(text: &str, label: &str) -> Option<u64> {
    let at = text.find(label)? + label.len();
    let digits: String = text[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The contract's own error text inside wasmd's wrapping, e.g.
/// `failed to execute message; message index: 0: Cannot Sub with 10 and 11: execute wasm contract failed`.
pub(crate) fn contract_message(log: &str) -> String {
    let mut text = log;
    if let Some(at) = text.find("message index: ") {
        text = &text[at + "message index: ".len()..];
        text = text.trim_start_matches(|c: char| c.is_ascii_digit());
        text = text.strip_prefix(": ").unwrap_or(text);
    }
    for suffix in [
        ": execute wasm contract failed",
        ": instantiate wasm contract failed",
        ": migrate wasm contract failed",
        ": query wasm contract failed",
    ] {
        if let Some(at) = text.rfind(suffix) {
            text = &text[..at];
            break;
        }
    }
    text.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "5FECE03A6D0CF50AF31FB93C8643ADEDDCC1F57AAE2F500793717C5DD489445E";

    fn check_error(code: u32, log: &str, codespace: &str) -> ClientError {
        let message = format!(
            "broadcast error on transaction validation: tx {HASH} is invalid: code={code}, data=, log='{log}', codespace='{codespace}'"
        );
        parse_check_tx_error(&message).expect("parses").into_tx_error(None)
    }

    #[test]
    fn parses_the_node_broadcast_error_format() {
        // Exactly what the devnet node answered for an undecodable tx.
        let message = format!("broadcast error on transaction validation: tx {HASH} is invalid: code=1, data=, log='failed to decode tx: invalid length: tx parse error [!injective!labs/cosmos-sdk@v0.50.14-inj.11/x/auth/tx/decoder.go:44]', codespace='undefined'");
        let failure = parse_check_tx_error(&message).unwrap();
        assert_eq!(failure.code, 1);
        assert_eq!(failure.codespace, "undefined");
        assert!(failure.log.starts_with("failed to decode tx: invalid length"));
        assert!(failure.log.ends_with("decoder.go:44]"));
        assert!(parse_check_tx_error(&format!("tx ({HASH}) not found")).is_none());
    }

    #[test]
    fn log_with_quotes_and_commas_is_kept_whole() {
        let failure = parse_check_tx_error(&format!(
            "tx {HASH} is invalid: code=18, data=, log='bad 'x', codespace='y' inside', codespace='sdk'"
        ))
        .unwrap();
        assert_eq!(failure.log, "bad 'x', codespace='y' inside");
        assert_eq!(failure.codespace, "sdk");
    }

    #[test]
    fn maps_sequence_mismatch() {
        let err = check_error(32, "account sequence mismatch, expected 7, got 6: incorrect account sequence", "sdk");
        assert!(matches!(err, ClientError::SequenceMismatch { expected: Some(7), got: Some(6), .. }), "{err:?}");
    }

    #[test]
    fn maps_insufficient_fee() {
        let err =
            check_error(13, "insufficient fees; got: 1000inj required: 16000000000000inj: insufficient fee", "sdk");
        assert!(
            matches!(err, ClientError::InsufficientFee { ref log } if log.contains("required: 16000000000000inj")),
            "{err:?}"
        );
    }

    #[test]
    fn maps_out_of_gas_from_log_or_block_figures() {
        let err =
            check_error(11, "out of gas in location: txSize; gasWanted: 50000, gasUsed: 61210: out of gas", "sdk");
        assert!(matches!(err, ClientError::OutOfGas { wanted: 50000, used: 61210 }), "{err:?}");

        let in_block = AbciFailure { code: 11, codespace: "sdk".into(), log: "out of gas: out of gas".into() };
        let err = in_block.into_tx_error(Some((120000, 120113)));
        assert!(matches!(err, ClientError::OutOfGas { wanted: 120000, used: 120113 }), "{err:?}");
    }

    #[test]
    fn maps_signature_and_funds_errors() {
        let err = check_error(4, "signature verification failed; please verify account number (12) and chain-id (resource-1): (unable to verify single signer signature): unauthorized", "sdk");
        assert!(matches!(err, ClientError::SignatureVerification { .. }), "{err:?}");
        assert!(err.to_string().contains("wrong chain id or account number"));

        let err =
            check_error(5, "spendable balance 10inj is smaller than 80000000000000inj: insufficient funds", "sdk");
        assert!(matches!(err, ClientError::InsufficientFunds { .. }), "{err:?}");
    }

    #[test]
    fn wasm_failures_carry_the_contract_message() {
        // Code 5 in the wasm codespace is a contract error, not the SDK's insufficient funds.
        let log =
            "failed to execute message; message index: 0: Cannot Sub with given operands: execute wasm contract failed";
        let err = AbciFailure { code: 5, codespace: "wasm".into(), log: log.into() }.into_tx_error(None);
        match err {
            ClientError::ContractFailed { message, log: full } => {
                assert_eq!(message, "Cannot Sub with given operands");
                assert_eq!(full, log);
            }
            other => panic!("expected ContractFailed, got {other:?}"),
        }
    }

    #[test]
    fn simulation_failures_keep_the_inner_code() {
        // What the node answered when simulating a cw20 transfer of more than the balance.
        let log = r#"[reason:"execute wasm contract failed"  metadata:{key:"ABCICode"  value:"5"}  metadata:{key:"Codespace"  value:"wasm"}]: rpc error: code = Unknown desc = failed to execute message; message index: 0: Overflow: Cannot Sub with given operands: execute wasm contract failed [!injective!labs/wasmd@v0.53.3-inj.3/x/wasm/keeper/keeper.go:457] With gas wanted: '10000000' and gas used: '98301' : unknown request"#;
        let failure = parse_grpc_failure(log).unwrap();
        assert_eq!((failure.code, failure.codespace.as_str()), (5, "wasm"));
        match failure.into_tx_error(None) {
            ClientError::ContractFailed { message, .. } => {
                assert_eq!(message, "Overflow: Cannot Sub with given operands")
            }
            other => panic!("expected ContractFailed, got {other:?}"),
        }

        let log = r#"[reason:"invalid request"  metadata:{key:"ABCICode"  value:"18"}  metadata:{key:"Codespace"  value:"sdk"}]: rpc error: code = Unknown desc = must contain at least one message: invalid request [!injective!labs/cosmos-sdk@v0.50.14-inj.11/baseapp/baseapp.go:658] With gas wanted: '0' and gas used: '1210' : unknown request"#;
        let failure = parse_grpc_failure(log).unwrap();
        assert_eq!((failure.code, failure.codespace.as_str()), (18, "sdk"));
        assert!(failure.log.starts_with("must contain at least one message: invalid request"));
        assert!(parse_grpc_failure("rpc error: code = NotFound desc = nothing here").is_none());
    }

    #[test]
    fn smart_query_errors_read_as_contract_messages() {
        let log = "Error parsing into type cw20_base::msg::QueryMsg: unknown variant `nope`, expected one of `balance`: query wasm contract failed: unknown request";
        assert_eq!(
            contract_message(log),
            "Error parsing into type cw20_base::msg::QueryMsg: unknown variant `nope`, expected one of `balance`"
        );
    }

    #[test]
    fn other_codes_become_tx_failed() {
        let err = check_error(19, "tx already in mempool", "sdk");
        assert!(matches!(err, ClientError::TxFailed { code: 19, ref codespace, .. } if codespace == "sdk"), "{err:?}");
        // Code 5 from another module is not "insufficient funds".
        let err = check_error(5, "whatever", "exchange");
        assert!(matches!(err, ClientError::TxFailed { code: 5, .. }), "{err:?}");
    }
}
