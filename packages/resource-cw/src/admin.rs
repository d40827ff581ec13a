//! The two-step admin handover every contract has: the admin proposes a successor (`UpdateAdmin`),
//! and the admin changes only when that address accepts (`AcceptAdmin`), so a mistyped address cannot
//! lock the contract. Each contract keeps the two fields, `admin` and `pending_admin`, in its own
//! config record (its storage layout is its own); these functions are the rules over them, generic
//! over how the contract stores an address (`Addr` or `CanonicalAddr`).

use cosmwasm_std::{Addr, Api, CanonicalAddr, Response, StdResult};

use crate::CwError;

/// The role named when someone other than the admin sends an admin message.
pub const ROLE_ADMIN: &str = "the admin";
/// The role named when someone other than the proposed admin sends `AcceptAdmin`.
pub const ROLE_PENDING_ADMIN: &str = "the proposed admin";

/// `Ok` when `sender` is `allowed`, else `Unauthorized` naming `role`.
pub fn require<A: PartialEq>(sender: &A, allowed: &A, role: &'static str) -> Result<(), CwError> {
    if sender == allowed {
        Ok(())
    } else {
        Err(CwError::Unauthorized { role })
    }
}

/// `UpdateAdmin` from `sender`: only the admin may. `successor` validates the proposed address
/// (after the sender check, so a stranger only ever hears "unauthorized") and gives its stored form
/// and the form the answer shows; the stored form becomes the pending admin.
pub fn propose<A: PartialEq, Shown, E: From<CwError>>(
    admin: &A,
    pending: &mut Option<A>,
    sender: &A,
    successor: impl FnOnce() -> Result<(A, Shown), E>,
) -> Result<Shown, E> {
    require(sender, admin, ROLE_ADMIN)?;
    let (stored, shown) = successor()?;
    *pending = Some(stored);
    Ok(shown)
}

/// `AcceptAdmin` from `sender`: the pending admin becomes the admin; only the pending admin may.
/// Nothing changes when it is refused.
pub fn accept<A: PartialEq>(admin: &mut A, pending: &mut Option<A>, sender: &A) -> Result<(), CwError> {
    let proposed = pending.as_ref().ok_or(CwError::NoPendingAdmin)?;
    require(sender, proposed, ROLE_PENDING_ADMIN)?;
    if let Some(proposed) = pending.take() {
        *admin = proposed;
    }
    Ok(())
}

/// The admin and pending admin of a contract that stores them canonical, as queries show them.
pub fn humanized(
    api: &dyn Api,
    admin: &CanonicalAddr,
    pending: Option<&CanonicalAddr>,
) -> StdResult<(Addr, Option<Addr>)> {
    Ok((api.addr_humanize(admin)?, pending.map(|a| api.addr_humanize(a)).transpose()?))
}

/// The answer to `UpdateAdmin`.
pub fn proposed_response(pending_admin: impl Into<String>) -> Response {
    Response::new().add_attribute("action", "update_admin").add_attribute("pending_admin", pending_admin)
}

/// The answer to `AcceptAdmin`.
pub fn accepted_response(admin: impl Into<String>) -> Response {
    Response::new().add_attribute("action", "accept_admin").add_attribute("admin", admin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_admin_proposes_and_only_the_proposed_accepts() {
        let (mut admin, mut pending) = ("admin", None);
        let named = || Ok::<_, CwError>(("new", "shown new"));
        assert_eq!(propose(&admin, &mut pending, &"eve", named), Err(CwError::Unauthorized { role: ROLE_ADMIN }));
        let bad = || Err::<(&str, &str), _>(CwError::InvalidAddress { address: "x".into() });
        assert_eq!(
            propose(&admin, &mut pending, &"eve", bad),
            Err(CwError::Unauthorized { role: ROLE_ADMIN }),
            "a stranger hears only that it is not the admin"
        );
        assert_eq!(propose(&admin, &mut pending, &"admin", bad), Err(CwError::InvalidAddress { address: "x".into() }));
        assert_eq!(pending, None);
        assert_eq!(accept(&mut admin, &mut pending, &"admin"), Err(CwError::NoPendingAdmin));
        assert_eq!(propose(&admin, &mut pending, &"admin", named), Ok("shown new"));
        assert_eq!((admin, pending), ("admin", Some("new")), "nothing changes before acceptance");
        assert_eq!(accept(&mut admin, &mut pending, &"eve"), Err(CwError::Unauthorized { role: ROLE_PENDING_ADMIN }));
        assert_eq!((admin, pending), ("admin", Some("new")), "a refused acceptance changes nothing");
        accept(&mut admin, &mut pending, &"new").unwrap();
        assert_eq!((admin, pending), ("new", None));
    }

    #[test]
    fn responses_name_the_addresses() {
        let r = proposed_response("new");
        assert_eq!((r.attributes[0].value.as_str(), r.attributes[1].value.as_str()), ("update_admin", "new"));
        let r = accepted_response("new");
        assert_eq!((r.attributes[0].value.as_str(), r.attributes[1].key.as_str()), ("accept_admin", "admin"));
    }
}
