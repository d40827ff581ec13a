//! What the contracts' unit tests and the multitests share: a harness that runs one contract's entry
//! points over mock dependencies ([`Harness`]), addresses named by people ([`addr`], [`address`]), the
//! checks every test makes (a refused message changes no storage, an attribute's value) and time
//! travel ([`pass_time`], [`next_block`]). With the `multitest` feature, [`multi`] holds the same for
//! cw-multi-test's `App`.

#[cfg(feature = "ibc")]
pub mod ibc;
#[cfg(feature = "multitest")]
pub mod multi;
#[cfg(feature = "payments")]
pub mod payments;

use std::fmt::{Debug, Display};

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env, MockApi, MockQuerier, MockStorage};
use cosmwasm_std::{
    from_json, Addr, Binary, BlockInfo, Coin, Deps, DepsMut, Env, MessageInfo, Order, OwnedDeps, Response, StdResult,
    Storage,
};
use serde::de::DeserializeOwned;

/// The mock dependencies every unit test runs a contract on.
pub type MockDeps = OwnedDeps<MockStorage, MockApi, MockQuerier>;
/// A contract's `instantiate` entry point.
pub type InstantiateFn<I, E> = fn(DepsMut, Env, MessageInfo, I) -> Result<Response, E>;
/// A contract's `execute` entry point.
pub type ExecuteFn<X, E> = fn(DepsMut, Env, MessageInfo, X) -> Result<Response, E>;
/// A contract's `migrate` entry point.
pub type MigrateFn<M, E> = fn(DepsMut, Env, M) -> Result<Response, E>;
/// A contract's `query` entry point.
pub type QueryFn<Q> = fn(Deps, Env, Q) -> StdResult<Binary>;

/// The address a test calls `name` (the mock API's own derivation, so it is a valid address).
pub fn addr(name: &str) -> Addr {
    MockApi::default().addr_make(name)
}

/// [`addr`] as the string a message carries.
pub fn address(name: &str) -> String {
    addr(name).to_string()
}

/// Every key and value in `storage`, in order: two dumps are equal exactly when nothing changed.
pub fn dump(storage: &dyn Storage) -> Vec<(Vec<u8>, Vec<u8>)> {
    storage.range(None, None, Order::Ascending).collect()
}

/// The value of the response attribute `key` (panics naming the key when there is none).
pub fn attr<'a>(r: &'a Response, key: &str) -> &'a str {
    &r.attributes.iter().find(|x| x.key == key).unwrap_or_else(|| panic!("no attribute {key}")).value
}

/// Time passes with a block every 5 seconds, as on the networks the contracts target.
pub fn pass_time(block: &mut BlockInfo, seconds: u64) {
    block.time = block.time.plus_seconds(seconds);
    block.height += seconds / 5;
}

/// The next block, `seconds` later.
pub fn next_block(block: &mut BlockInfo, seconds: u64) {
    block.height += 1;
    block.time = block.time.plus_seconds(seconds);
}

/// One contract instantiated on mock dependencies, with its execute and query entry points: each
/// contract's tests wrap it with the helpers of their own scenario.
/// Declares a suite's own harness type, `struct $name(Harness<$execute, $query, $error>)`, that
/// dereferences to the [`Harness`], so the suite adds its scenario helpers in an `impl $name` while
/// every harness method stays callable on it.
#[macro_export]
macro_rules! suite_harness {
    ($(#[$meta:meta])* $name:ident, $execute:ty, $query:ty, $error:ty) => {
        $(#[$meta])*
        struct $name($crate::Harness<$execute, $query, $error>);

        impl ::core::ops::Deref for $name {
            type Target = $crate::Harness<$execute, $query, $error>;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl ::core::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.0
            }
        }
    };
}

pub struct Harness<X, Q, E> {
    pub deps: MockDeps,
    pub env: Env,
    execute: ExecuteFn<X, E>,
    query: QueryFn<Q>,
}

impl<X, Q, E: Display> Harness<X, Q, E> {
    /// Instantiates the contract with `msg` sent by `sender`, at the mock environment's block.
    pub fn new<I>(
        instantiate: InstantiateFn<I, E>,
        execute: ExecuteFn<X, E>,
        query: QueryFn<Q>,
        sender: &str,
        msg: I,
    ) -> Self {
        Self::new_in(mock_env(), instantiate, execute, query, sender, msg)
    }

    /// [`Harness::new`] in the environment `env` (another chain id, another time).
    pub fn new_in<I>(
        env: Env,
        instantiate: InstantiateFn<I, E>,
        execute: ExecuteFn<X, E>,
        query: QueryFn<Q>,
        sender: &str,
        msg: I,
    ) -> Self {
        let mut deps = mock_dependencies();
        if let Err(e) = instantiate(deps.as_mut(), env.clone(), message_info(&addr(sender), &[]), msg) {
            panic!("instantiate failed: {e}");
        }
        Harness { deps, env, execute, query }
    }

    /// `msg` from `sender`.
    pub fn exec(&mut self, sender: &str, msg: X) -> Result<Response, E> {
        self.exec_with(sender, &[], msg)
    }

    /// `msg` from `sender` with `funds` attached.
    pub fn exec_with(&mut self, sender: &str, funds: &[Coin], msg: X) -> Result<Response, E> {
        (self.execute)(self.deps.as_mut(), self.env.clone(), message_info(&addr(sender), funds), msg)
    }

    /// Runs a message that must fail and checks that it changed nothing.
    pub fn fails(&mut self, sender: &str, msg: X) -> E {
        let before = dump(&self.deps.storage);
        let err = match self.exec(sender, msg) {
            Ok(r) => panic!("the message was expected to fail but succeeded: {r:?}"),
            Err(e) => e,
        };
        assert_eq!(dump(&self.deps.storage), before, "failed message changed the state: {err}");
        err
    }

    /// A query's raw answer (for tests of query errors).
    pub fn query(&self, msg: Q) -> StdResult<Binary> {
        (self.query)(self.deps.as_ref(), self.env.clone(), msg)
    }

    /// A query that must succeed, decoded.
    pub fn q<R: DeserializeOwned>(&self, msg: Q) -> R {
        from_json(self.query(msg).unwrap()).unwrap()
    }

    /// `migrate` of this contract with `msg`, at the current block.
    pub fn migrate<M>(&mut self, migrate: MigrateFn<M, E>, msg: M) -> Result<Response, E> {
        migrate(self.deps.as_mut(), self.env.clone(), msg)
    }

    /// The rename rule of cw2 names: a contract recorded under any of its `earlier_names` migrates with
    /// `msg` and is then recorded as `name` at `version`, its other records unchanged; a contract
    /// recorded under `other` (another contract's name) is refused with `refusal` and changes nothing.
    #[allow(clippy::too_many_arguments)]
    pub fn assert_renamed_contract_migrates<M: Clone>(
        &mut self,
        migrate: MigrateFn<M, E>,
        msg: M,
        name: &str,
        earlier_names: &[&str],
        version: &str,
        other: &str,
        refusal: E,
    ) where
        E: Debug + PartialEq,
    {
        assert!(!earlier_names.is_empty(), "a renamed contract has an earlier name");
        for earlier in earlier_names {
            cw2::set_contract_version(&mut self.deps.storage, *earlier, "0.1.0").unwrap();
            let records = |h: &Self| {
                dump(&h.deps.storage).into_iter().filter(|(k, _)| k.as_slice() != b"contract_info").collect::<Vec<_>>()
            };
            let before = records(self);
            if let Err(e) = self.migrate(migrate, msg.clone()) {
                panic!("a contract stored as {earlier} did not migrate: {e}");
            }
            let stored = cw2::get_contract_version(&self.deps.storage).unwrap();
            assert_eq!((stored.contract.as_str(), stored.version.as_str()), (name, version), "after {earlier}");
            assert_eq!(records(self), before, "migrating from {earlier} changed a record");
        }
        cw2::set_contract_version(&mut self.deps.storage, other, "0.1.0").unwrap();
        let before = dump(&self.deps.storage);
        assert_eq!(self.migrate(migrate, msg).unwrap_err(), refusal, "a contract stored as {other}");
        assert_eq!(dump(&self.deps.storage), before, "a refused migration changed the state");
    }

    /// The block time, unix seconds.
    pub fn now(&self) -> u64 {
        self.env.block.time.seconds()
    }

    /// Time passes ([`pass_time`]).
    pub fn advance(&mut self, seconds: u64) {
        pass_time(&mut self.env.block, seconds);
    }

    /// The next block, `seconds` later ([`next_block`]).
    pub fn next_block(&mut self, seconds: u64) {
        next_block(&mut self.env.block, seconds);
    }
}
