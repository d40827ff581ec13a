//! The two-step admin handover every contract has: the admin proposes a successor (`UpdateAdmin`:
//! [`require`] the admin, then store the validated address as pending), and the admin changes only
//! when that address accepts (`AcceptAdmin`: [`accept`]), so a mistyped address cannot lock the
//! contract. Each contract keeps the two fields, `admin` and `pending_admin`, in its own
//! config record (its storage layout is its own); these functions are the rules over them, generic
//! over how the contract stores an address (`Addr` or `CanonicalAddr`).

use cosmwasm_std::Response;

use crate::CwErrors;

/// The role named when someone other than the admin sends an admin message.
pub const ROLE_ADMIN: &str = "the admin";
/// The role named when someone other than the proposed admin sends `AcceptAdmin`.
pub const ROLE_PENDING_ADMIN: &str = "the proposed admin";

/// `Ok` when `sender` is `allowed`, else `Unauthorized` naming `role`.
pub fn require<A: PartialEq, E: CwErrors>(sender: &A, allowed: &A, role: &'static str) -> Result<(), E> {
    if sender == allowed {
        Ok(())
    } else {
        Err(E::unauthorized(role))
    }
}

/// `AcceptAdmin` from `sender`: the pending admin becomes the admin; only the pending admin may.
/// Nothing changes when it is refused.
pub fn accept<A: PartialEq, E: CwErrors>(admin: &mut A, pending: &mut Option<A>, sender: &A) -> Result<(), E> {
    let proposed = pending.as_ref().ok_or_else(E::no_pending_admin)?;
    require::<A, E>(sender, proposed, ROLE_PENDING_ADMIN)?;
    if let Some(proposed) = pending.take() {
        *admin = proposed;
    }
    Ok(())
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
    use crate::error::tests::TestError;

    #[test]
    fn only_the_admin_proposes_and_only_the_proposed_accepts() {
        fn accept(
            admin: &mut &'static str,
            pending: &mut Option<&'static str>,
            sender: &'static str,
        ) -> Result<(), TestError> {
            super::accept(admin, pending, &sender)
        }
        let require = |sender: &str, allowed: &str| super::require::<_, TestError>(&sender, &allowed, ROLE_ADMIN);
        assert_eq!(require("eve", "admin"), Err(TestError::Unauthorized { role: ROLE_ADMIN }));
        assert_eq!(require("admin", "admin"), Ok(()));
        let (mut admin, mut pending) = ("admin", None);
        assert_eq!(accept(&mut admin, &mut pending, "admin"), Err(TestError::NoPendingAdmin));
        pending = Some("new");
        assert_eq!(accept(&mut admin, &mut pending, "eve"), Err(TestError::Unauthorized { role: ROLE_PENDING_ADMIN }));
        assert_eq!((admin, pending), ("admin", Some("new")), "a refused acceptance changes nothing");
        accept(&mut admin, &mut pending, "new").unwrap();
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
