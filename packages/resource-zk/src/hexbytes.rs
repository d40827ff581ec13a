use crate::error::ZkError;

pub fn from_hex(text: &str, what: &'static str) -> Result<Vec<u8>, ZkError> {
    hex::decode(text.trim().trim_start_matches("0x")).map_err(|e| ZkError::Hex { what, reason: e.to_string() })
}

pub fn from_hex_32(text: &str, what: &'static str) -> Result<[u8; 32], ZkError> {
    let bytes = from_hex(text, what)?;
    bytes.as_slice().try_into().map_err(|_| ZkError::Hex { what, reason: format!("{} bytes, not 32", bytes.len()) })
}
