//! What every ReSource contract does the same way with storage, kept in one place: reading a record
//! through a one-key range scan ([`scan_get`]), the compact binary record codec ([`codec`]), and the
//! cw2 migration check ([`migrate_version`]). Economic rules live in `resource-core`; this crate only
//! holds adapter plumbing.

pub mod codec;

use cosmwasm_std::{Order, Response, StdError, Storage};

/// Reads one record through a range scan over exactly `[key, key ++ 0x00)`, which holds `key` alone.
///
/// Why not `storage.get`: the Cosmos SDK charges a point read 1,000 gas flat, but opening an iterator
/// and stepping it 30 gas per step, the per-byte charge (3 a byte) being the same. On the devnet this
/// cuts about 790 gas off every record read (measured with `cargo xtask bench gas`, see
/// BENCHMARKS.md). The answer is the same as `get`'s; if a chain ever prices iterators like point
/// reads, this costs what `get` costs.
pub fn scan_get(storage: &dyn Storage, key: &[u8]) -> Option<Vec<u8>> {
    let mut end = Vec::with_capacity(key.len() + 1);
    end.extend_from_slice(key);
    end.push(0);
    storage.range(Some(key), Some(&end), Order::Ascending).next().map(|(_, v)| v)
}

/// `major.minor.patch` (a pre-release or build suffix is ignored).
fn parse_version(v: &str) -> Option<(u64, u64, u64)> {
    let core = v.split(['-', '+']).next()?;
    let mut it = core.split('.').map(|p| p.parse::<u64>().ok());
    let v = (it.next()??, it.next()??, it.next()??);
    it.next().is_none().then_some(v)
}

/// The cw2 migration rule: the stored contract must be `name` or one of the `earlier_names` it was
/// stored under before a rename (else `other_contract(stored name)`), and its version not newer than
/// `version` (else `older(stored, new)`). Records `name` with the new version and answers with
/// `migrate` attributes. The refusals are built by the caller, so each contract keeps
/// its own error type (and its wasm carries no extra error enum).
pub fn migrate_version<E: From<StdError>>(
    storage: &mut dyn Storage,
    name: &str,
    earlier_names: &[&str],
    version: &str,
    other_contract: impl FnOnce(String) -> E,
    older: impl FnOnce(String, String) -> E,
) -> Result<Response, E> {
    let stored = cw2::get_contract_version(storage)?;
    if stored.contract != name && !earlier_names.contains(&stored.contract.as_str()) {
        return Err(other_contract(stored.contract));
    }
    match (parse_version(&stored.version), parse_version(version)) {
        (Some(old), Some(new)) if old <= new => {}
        _ => return Err(older(stored.version, version.to_string())),
    }
    cw2::set_contract_version(storage, name, version)?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("from_version", stored.version)
        .add_attribute("to_version", version))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::MemoryStorage;

    #[test]
    fn scan_get_reads_exactly_the_key() {
        let mut storage = MemoryStorage::new();
        assert_eq!(scan_get(&storage, b"a1"), None);
        storage.set(b"a1\x00", b"longer, zero byte");
        storage.set(b"a1\x01", b"longer");
        storage.set(b"a0", b"before");
        storage.set(b"a2", b"after");
        assert_eq!(scan_get(&storage, b"a1"), None, "no neighbour is returned for a missing key");
        storage.set(b"a1", b"exact");
        assert_eq!(scan_get(&storage, b"a1").as_deref(), Some(&b"exact"[..]));
        assert_eq!(scan_get(&storage, b"a1\x00").as_deref(), Some(&b"longer, zero byte"[..]));
        assert_eq!(scan_get(&storage, b""), None, "the empty key holds nothing here");
    }

    #[test]
    fn versions_parse_and_migration_only_goes_forward() {
        assert_eq!(parse_version("1.2.3"), Some((1, 2, 3)));
        assert_eq!(parse_version("1.2.3-rc.1+build"), Some((1, 2, 3)));
        assert_eq!(parse_version("1.2"), None);
        assert_eq!(parse_version("1.2.3.4"), None);
        #[derive(Debug, PartialEq)]
        enum E {
            Std(String),
            Other(String),
            Older(String, String),
        }
        impl From<StdError> for E {
            fn from(e: StdError) -> Self {
                E::Std(e.to_string())
            }
        }
        let migrate =
            |s: &mut MemoryStorage, name: &str, version: &str| {
            migrate_version(s, name, &["crates.io:old-a"], version, E::Other, E::Older)
        };
        let mut s = MemoryStorage::new();
        assert!(matches!(migrate(&mut s, "crates.io:a", "0.1.0"), Err(E::Std(_))), "no cw2 record");
        cw2::set_contract_version(&mut s, "crates.io:a", "0.2.0").unwrap();
        assert_eq!(migrate(&mut s, "crates.io:b", "0.2.0"), Err(E::Other("crates.io:a".into())));
        assert_eq!(migrate(&mut s, "crates.io:a", "0.1.9"), Err(E::Older("0.2.0".into(), "0.1.9".into())));
        let r = migrate(&mut s, "crates.io:a", "0.3.0").unwrap();
        assert_eq!(r.attributes[1].value, "0.2.0");
        assert_eq!(cw2::get_contract_version(&s).unwrap().version, "0.3.0");
        // A contract stored under an earlier name migrates, and is recorded under the current one.
        cw2::set_contract_version(&mut s, "crates.io:old-a", "0.3.0").unwrap();
        migrate(&mut s, "crates.io:a", "0.3.0").unwrap();
        assert_eq!(cw2::get_contract_version(&s).unwrap().contract, "crates.io:a");
        assert_eq!(migrate(&mut s, "crates.io:old-b", "0.3.0"), Err(E::Other("crates.io:a".into())));
    }
}
