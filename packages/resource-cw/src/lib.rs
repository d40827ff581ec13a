//! What every ReSource contract does the same way, kept in one place: the errors they share
//! ([`contract_error!`], [`CwErrors`]), address checks ([`canon`], [`checked`], [`valid`]), the two-step admin ([`admin`]),
//! pagination ([`Paging`]), reading a record through a one-key range scan ([`scan_get`]), the compact
//! binary record codec ([`codec`]), and the cw2 migration check ([`migrate_version`]). Economic rules
//! live in `resource-core`; this crate only holds adapter plumbing.

pub mod address;
pub mod admin;
pub mod codec;
mod error;

pub use address::{canon, checked, valid};
pub use error::CwErrors;

#[doc(hidden)]
pub mod __private {
    pub use cosmwasm_std::StdError;
}

use cosmwasm_std::{Order, Response, Storage};

/// How many items a list query returns: `limit` when given, else `default`, never more than `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    pub default: u32,
    pub max: u32,
}

impl Paging {
    /// The page size of the clearing and DID registry list queries.
    pub const STANDARD: Paging = Paging { default: 30, max: 100 };
    /// cw20-base's page size, which the credit token's cw20 list queries keep so cw20 clients see the
    /// pages they expect.
    pub const CW20: Paging = Paging { default: 10, max: 30 };

    /// The number of items to return for a query's `limit`.
    pub fn size(self, limit: Option<u32>) -> usize {
        limit.unwrap_or(self.default).min(self.max) as usize
    }
}

/// Reads one record through a range scan over exactly `[key, key ++ 0x00)`, which holds `key` alone.
///
/// Why not `storage.get`: the Cosmos SDK charges a point read a flat fee far above what opening an
/// iterator and stepping it once costs, and the per-byte charge is the same, so this saves gas on
/// every record read (measured with `cargo xtask bench gas`, see BENCHMARKS.md). The answer is the
/// same as `get`'s; if a chain ever prices iterators like point reads, this costs what `get` costs.
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
/// stored under before a rename (else `CannotMigrate`), and its version not newer than `version`
/// (else `CannotMigrateVersion`). Records `name` with the new version and answers with `migrate`
/// attributes.
pub fn migrate_version<E: CwErrors>(
    storage: &mut dyn Storage,
    name: &str,
    earlier_names: &[&str],
    version: &str,
) -> Result<Response, E> {
    let stored = cw2::get_contract_version(storage)?;
    if stored.contract != name && !earlier_names.contains(&stored.contract.as_str()) {
        return Err(E::cannot_migrate(stored.contract));
    }
    match (parse_version(&stored.version), parse_version(version)) {
        (Some(old), Some(new)) if old <= new => {}
        _ => return Err(E::cannot_migrate_version(stored.version, version.to_string())),
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
    use crate::error::tests::TestError;
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
        let migrate =
            |s: &mut MemoryStorage, name: &str, version: &str| migrate_version(s, name, &["crates.io:old-a"], version);
        let other = |previous: &str| Err(TestError::CannotMigrate { previous_contract: previous.into() });
        let mut s = MemoryStorage::new();
        assert!(matches!(migrate(&mut s, "crates.io:a", "0.1.0"), Err(TestError::Std(_))), "no cw2 record");
        cw2::set_contract_version(&mut s, "crates.io:a", "0.2.0").unwrap();
        assert_eq!(migrate(&mut s, "crates.io:b", "0.2.0"), other("crates.io:a"));
        assert_eq!(
            migrate(&mut s, "crates.io:a", "0.1.9"),
            Err(TestError::CannotMigrateVersion { stored: "0.2.0".into(), new: "0.1.9".into() })
        );
        let r = migrate(&mut s, "crates.io:a", "0.3.0").unwrap();
        assert_eq!(r.attributes[1].value, "0.2.0");
        assert_eq!(cw2::get_contract_version(&s).unwrap().version, "0.3.0");
        // A contract stored under an earlier name migrates, and is recorded under the current one.
        cw2::set_contract_version(&mut s, "crates.io:old-a", "0.3.0").unwrap();
        migrate(&mut s, "crates.io:a", "0.3.0").unwrap();
        assert_eq!(cw2::get_contract_version(&s).unwrap().contract, "crates.io:a");
        assert_eq!(migrate(&mut s, "crates.io:old-b", "0.3.0"), other("crates.io:a"));
    }

    #[test]
    fn pages_default_and_cap() {
        assert_eq!(Paging::STANDARD.size(None), 30);
        assert_eq!(Paging::STANDARD.size(Some(500)), 100);
        assert_eq!(Paging::CW20.size(None), 10);
        assert_eq!(Paging::CW20.size(Some(31)), 30);
        assert_eq!(Paging::CW20.size(Some(0)), 0);
    }
}
