//! The compact binary record format of the contracts' hot records: gas is paid per byte written (30
//! each) and read (3 each), so numbers are LEB128 varints (signed ones zigzag-encoded), addresses one
//! length byte plus the canonical bytes (0 = none), byte strings a varint length plus the bytes.
//! Decoding never panics: anything malformed is an error with the caller's message (each contract
//! names its records, e.g. "corrupt credit-token storage record"; a constant, not a formatted
//! string, keeps the contracts' wasm small).

use cosmwasm_std::{CanonicalAddr, StdError, StdResult};

/// The error of a malformed record, with the contract's `message`.
pub fn corrupt(message: &'static str) -> StdError {
    StdError::generic_err(message)
}

pub fn put_uvarint(out: &mut Vec<u8>, mut v: u128) {
    while v >= 0x80 {
        out.push((v & 0x7f) as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub fn zigzag(v: i128) -> u128 {
    ((v << 1) ^ (v >> 127)) as u128
}

pub fn unzigzag(v: u128) -> i128 {
    ((v >> 1) as i128) ^ -((v & 1) as i128)
}

/// A varint length, then the bytes.
pub fn put_len_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    put_uvarint(out, bytes.len() as u128);
    out.extend_from_slice(bytes);
}

/// One length byte and the canonical bytes; `None` is a single 0.
pub fn put_addr(out: &mut Vec<u8>, addr: Option<&CanonicalAddr>) -> StdResult<()> {
    match addr {
        None => out.push(0),
        Some(a) => {
            let len = u8::try_from(a.len())
                .ok()
                .filter(|l| *l > 0)
                .ok_or_else(|| StdError::generic_err("canonical address must be 1 to 255 bytes long"))?;
            out.push(len);
            out.extend_from_slice(a.as_slice());
        }
    }
    Ok(())
}

/// Reads a record written with the functions above, front to back.
pub struct Reader<'a> {
    rest: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    /// A reader over a record; `what` is the error message for malformed input.
    pub fn new(bytes: &'a [u8], what: &'static str) -> Self {
        Reader { rest: bytes, what }
    }

    /// The error for this record.
    pub fn corrupt(&self) -> StdError {
        corrupt(self.what)
    }

    pub fn byte(&mut self) -> StdResult<u8> {
        let (first, rest) = self.rest.split_first().ok_or_else(|| self.corrupt())?;
        self.rest = rest;
        Ok(*first)
    }

    pub fn bytes(&mut self, len: usize) -> StdResult<&'a [u8]> {
        if self.rest.len() < len {
            return Err(self.corrupt());
        }
        let (a, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(a)
    }

    pub fn uvarint(&mut self) -> StdResult<u128> {
        let mut v: u128 = 0;
        let mut shift = 0u32;
        loop {
            let b = self.byte()?;
            let bits = u128::from(b & 0x7f);
            // 19 bytes hold 133 bits: the last one may only carry the top 2 bits of a u128.
            if shift == 126 && bits > 3 {
                return Err(self.corrupt());
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
            if shift > 126 {
                return Err(self.corrupt());
            }
        }
    }

    pub fn u64(&mut self) -> StdResult<u64> {
        u64::try_from(self.uvarint()?).map_err(|_| self.corrupt())
    }

    pub fn u32(&mut self) -> StdResult<u32> {
        u32::try_from(self.uvarint()?).map_err(|_| self.corrupt())
    }

    pub fn len_prefixed(&mut self) -> StdResult<&'a [u8]> {
        let len = usize::try_from(self.uvarint()?).map_err(|_| self.corrupt())?;
        self.bytes(len)
    }

    /// An address written with [`put_addr`]; `None` for the 0 byte.
    pub fn addr(&mut self) -> StdResult<Option<CanonicalAddr>> {
        let len = usize::from(self.byte()?);
        if len == 0 {
            return Ok(None);
        }
        Ok(Some(CanonicalAddr::from(self.bytes(len)?)))
    }

    /// An address that must be there.
    pub fn required_addr(&mut self) -> StdResult<CanonicalAddr> {
        self.addr()?.ok_or_else(|| self.corrupt())
    }

    /// How many bytes are left to read.
    pub fn remaining(&self) -> usize {
        self.rest.len()
    }

    /// Whether the whole record has been read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Fails unless the whole record has been read.
    pub fn finish(self) -> StdResult<()> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(self.corrupt())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_at_the_edges_and_malformed_input_is_an_error() {
        for v in [0u128, 1, 127, 128, 300, u64::MAX as u128, u128::MAX] {
            let mut out = Vec::new();
            put_uvarint(&mut out, v);
            let mut r = Reader::new(&out, "test");
            assert_eq!(r.uvarint().unwrap(), v);
            r.finish().unwrap();
        }
        for v in [0i128, -1, 1, i128::MIN, i128::MAX] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
        // 19 bytes whose last carries more than the top 2 bits of a u128; a varint that never ends.
        let mut too_big = vec![0xff; 18];
        too_big.push(0x04);
        assert_eq!(Reader::new(&too_big, "test").uvarint().unwrap_err(), corrupt("test"));
        assert!(Reader::new(&[0x80; 30], "test").uvarint().is_err());
        assert!(Reader::new(&[], "test").byte().is_err());
    }

    #[test]
    fn addresses_and_byte_strings() {
        let a = CanonicalAddr::from(vec![7u8; 20]);
        let mut out = Vec::new();
        put_addr(&mut out, Some(&a)).unwrap();
        put_addr(&mut out, None).unwrap();
        put_len_prefixed(&mut out, b"did:example:1");
        let mut r = Reader::new(&out, "test");
        assert_eq!(r.required_addr().unwrap(), a);
        assert_eq!(r.addr().unwrap(), None);
        assert_eq!(r.len_prefixed().unwrap(), b"did:example:1");
        assert!(r.is_empty());
        r.finish().unwrap();
        assert!(put_addr(&mut Vec::new(), Some(&CanonicalAddr::from(Vec::new()))).is_err());
        assert!(Reader::new(&[0], "test").required_addr().is_err());
        assert!(Reader::new(&[5, 1, 2], "test").addr().is_err(), "shorter than its length byte");
        assert!(Reader::new(&[1, 2], "test").finish().is_err(), "bytes left over");
    }
}
