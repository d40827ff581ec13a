//! What a network may call its token: the cw20 token-info rules (name, symbol, decimals) that wallets
//! and explorers rely on to display it.

use core::ops::RangeInclusive;

/// Bytes a token name may have.
pub const NAME_LEN: RangeInclusive<usize> = 3..=50;
/// Characters a token symbol may have (each an ASCII letter or `-`).
pub const SYMBOL_LEN: RangeInclusive<usize> = 3..=12;
/// Most decimals a token may declare.
pub const MAX_DECIMALS: u8 = 18;

/// Why a token's name, symbol or decimals were refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum TokenInfoError {
    /// The name's length is outside [`NAME_LEN`].
    #[error("the token name must be 3 to 50 bytes long")]
    InvalidName,
    /// The symbol's length is outside [`SYMBOL_LEN`] or it has a character other than a letter or `-`.
    #[error("the token symbol must be 3 to 12 letters or `-`")]
    InvalidSymbol,
    /// More than [`MAX_DECIMALS`] decimals.
    #[error("decimals must not exceed 18")]
    InvalidDecimals,
}

/// Checks a token's name, symbol and decimals, in that order.
pub fn validate_token_info(name: &str, symbol: &str, decimals: u8) -> Result<(), TokenInfoError> {
    if !NAME_LEN.contains(&name.len()) {
        return Err(TokenInfoError::InvalidName);
    }
    let s = symbol.as_bytes();
    if !SYMBOL_LEN.contains(&s.len()) || !s.iter().all(|c| c.is_ascii_alphabetic() || *c == b'-') {
        return Err(TokenInfoError::InvalidSymbol);
    }
    if decimals > MAX_DECIMALS {
        return Err(TokenInfoError::InvalidDecimals);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn names_symbols_and_decimals_at_their_bounds() {
        assert_eq!(validate_token_info("Asheville Credit", "AVL", 6), Ok(()));
        assert_eq!(validate_token_info("abc", "r-USD", 18), Ok(()));
        assert_eq!(validate_token_info(&"n".repeat(50), &"S".repeat(12), 0), Ok(()));
        assert_eq!(validate_token_info("ab", "AVL", 6), Err(TokenInfoError::InvalidName));
        assert_eq!(validate_token_info(&"n".repeat(51), "AVL", 6), Err(TokenInfoError::InvalidName));
        assert_eq!(validate_token_info("Asheville", "AV", 6), Err(TokenInfoError::InvalidSymbol));
        assert_eq!(validate_token_info("Asheville", &"S".repeat(13), 6), Err(TokenInfoError::InvalidSymbol));
        assert_eq!(validate_token_info("Asheville", "A1B", 6), Err(TokenInfoError::InvalidSymbol));
        assert_eq!(validate_token_info("Asheville", "AVL", 19), Err(TokenInfoError::InvalidDecimals));
        // The name is checked first, then the symbol.
        assert_eq!(validate_token_info("ab", "1", 99), Err(TokenInfoError::InvalidName));
        assert_eq!(validate_token_info("abc", "1", 99), Err(TokenInfoError::InvalidSymbol));
    }

    #[test]
    fn messages_say_what_is_allowed() {
        assert_eq!(TokenInfoError::InvalidName.to_string(), "the token name must be 3 to 50 bytes long");
        assert_eq!(TokenInfoError::InvalidSymbol.to_string(), "the token symbol must be 3 to 12 letters or `-`");
        assert_eq!(TokenInfoError::InvalidDecimals.to_string(), "decimals must not exceed 18");
    }
}
