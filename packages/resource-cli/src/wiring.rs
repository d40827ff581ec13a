//! How a network's contracts are connected to its credit token, built once for `resource deploy`,
//! `resource underwriting deploy` and the demo: the token's `UpdateConfig` that names the
//! underwriting contract (credit lines, fee collector), exempts the contracts that move money for the
//! network (underwriting, clearing, bridge) from the fee and records reputation in the DID registry,
//! and the registry's `UpdateRoles` that lets the token write those records.
use cosmwasm_std::Addr;
use resource_msgs::credit_token::{self, ConfigUpdate};
use resource_msgs::did_registry;

/// What the credit token should name. Fields left empty are left as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenWiring {
    /// The underwriting contract: it alone opens credit lines, and it collects the fees.
    pub underwriting: Option<String>,
    /// Contracts that must be in the fee-exempt list (the underwriting contract is added itself).
    pub fee_exempt: Vec<String>,
    /// The DID registry the token records reputation in.
    pub did_registry: Option<String>,
}

impl TokenWiring {
    /// Only the underwriting contract (as `resource underwriting deploy` wires it).
    pub fn underwriting(address: &str) -> Self {
        TokenWiring { underwriting: Some(address.to_string()), ..TokenWiring::default() }
    }

    /// Only these contracts added to the fee-exempt list (clearing, a bridge).
    pub fn exempt(addresses: &[&str]) -> Self {
        TokenWiring { fee_exempt: addresses.iter().map(|a| a.to_string()).collect(), ..TokenWiring::default() }
    }

    /// Every contract that must be fee-exempt, the underwriting contract included.
    fn exempt_list(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.underwriting.iter().map(String::as_str).collect();
        all.extend(self.fee_exempt.iter().map(String::as_str));
        all
    }

    /// The token's `UpdateConfig` that brings `config` to this wiring, keeping the fee-exempt list it
    /// has (the update replaces the list); `None` when the token is wired so already.
    pub fn update_msg(&self, config: &credit_token::ConfigResponse) -> Option<credit_token::ExecuteMsg> {
        let names = |current: Option<&Addr>, wanted: &Option<String>| match wanted {
            Some(wanted) => current.map(Addr::as_str) == Some(wanted.as_str()),
            None => true,
        };
        let mut exempt: Vec<String> = config.fee_exempt.iter().map(Addr::to_string).collect();
        let missing: Vec<&str> = self.exempt_list().into_iter().filter(|a| !exempt.iter().any(|e| e == a)).collect();
        let underwriting_ok = names(config.underwriting.as_ref(), &self.underwriting)
            && names(Some(&config.fee_collector), &self.underwriting);
        let registry_ok = names(config.did_registry.as_ref(), &self.did_registry);
        if underwriting_ok && registry_ok && missing.is_empty() {
            return None;
        }
        exempt.extend(missing.iter().map(|a| a.to_string()));
        Some(credit_token::ExecuteMsg::UpdateConfig(ConfigUpdate {
            underwriting: if underwriting_ok { None } else { self.underwriting.clone() },
            fee_collector: if underwriting_ok { None } else { self.underwriting.clone() },
            fee_exempt: Some(exempt),
            did_registry: if registry_ok { None } else { self.did_registry.clone() },
            ..ConfigUpdate::default()
        }))
    }

    /// Checks that the token's configuration is this wiring.
    pub fn check(&self, config: &credit_token::ConfigResponse) -> anyhow::Result<()> {
        if self.update_msg(config).is_none() {
            return Ok(());
        }
        anyhow::bail!(
            "the credit token is not wired as it should be after UpdateConfig: wanted underwriting contract and fee \
             collector {:?}, fee-exempt {:?}, DID registry {:?}; it has underwriting {:?}, fee collector {}, fee-exempt \
             {:?}, DID registry {:?}",
            self.underwriting,
            self.exempt_list(),
            self.did_registry,
            config.underwriting,
            config.fee_collector,
            config.fee_exempt,
            config.did_registry
        )
    }
}

/// The registry's `UpdateRoles` that makes `writers` reputation writers; `None` when they are already.
pub fn registry_writers_msg(
    config: &did_registry::ConfigResponse,
    writers: &[&str],
) -> Option<did_registry::ExecuteMsg> {
    let add: Vec<String> = writers
        .iter()
        .filter(|w| !config.reputation_writers.iter().any(|a| a.as_str() == **w))
        .map(|w| w.to_string())
        .collect();
    (!add.is_empty()).then(|| did_registry::ExecuteMsg::UpdateRoles {
        add_writers: add,
        remove_writers: Vec::new(),
        add_verifiers: Vec::new(),
        remove_verifiers: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(underwriting: Option<&str>, collector: &str, exempt: &[&str]) -> credit_token::ConfigResponse {
        credit_token::ConfigResponse {
            admin: Addr::unchecked("admin"),
            pending_admin: None,
            underwriting: underwriting.map(Addr::unchecked),
            fee_bps: 100,
            fee_collector: Addr::unchecked(collector),
            fee_exempt: exempt.iter().map(|a| Addr::unchecked(*a)).collect(),
            loss_account: Addr::unchecked("loss"),
            default_grace_period: 10,
            min_term: 10,
            min_grace_period: 10,
            did_registry: None,
            fees_paused: false,
        }
    }

    #[test]
    fn the_update_names_the_underwriting_contract_and_keeps_the_exempt_list() {
        let Some(credit_token::ExecuteMsg::UpdateConfig(update)) =
            TokenWiring::underwriting("uw").update_msg(&config(None, "admin", &["clearing"]))
        else {
            panic!("an UpdateConfig")
        };
        assert_eq!(update.underwriting.as_deref(), Some("uw"));
        assert_eq!(update.fee_collector.as_deref(), Some("uw"));
        assert_eq!(update.fee_exempt, Some(vec!["clearing".to_string(), "uw".to_string()]));
        assert_eq!(update.did_registry, None);
    }

    #[test]
    fn a_wired_token_needs_no_update_and_checks() {
        let whole = TokenWiring {
            underwriting: Some("uw".into()),
            fee_exempt: vec!["clearing".into(), "bridge".into()],
            did_registry: Some("registry".into()),
        };
        let mut wired = config(Some("uw"), "uw", &["bridge", "uw", "clearing"]);
        wired.did_registry = Some(Addr::unchecked("registry"));
        assert_eq!(whole.update_msg(&wired), None);
        whole.check(&wired).unwrap();
        // One part missing: only that part (and the list, which is always sent whole) changes.
        let mut no_bridge = wired.clone();
        no_bridge.fee_exempt.retain(|a| a.as_str() != "bridge");
        let Some(credit_token::ExecuteMsg::UpdateConfig(update)) = whole.update_msg(&no_bridge) else {
            panic!("an UpdateConfig")
        };
        assert_eq!((update.underwriting, update.fee_collector, update.did_registry), (None, None, None));
        assert_eq!(update.fee_exempt, Some(vec!["uw".to_string(), "clearing".to_string(), "bridge".to_string()]));
        let err = whole.check(&no_bridge).unwrap_err().to_string();
        assert!(err.contains("fee-exempt"), "{err}");
        // Another collector than the underwriting contract is rewired.
        assert!(whole.update_msg(&config(Some("uw"), "admin", &["bridge", "uw", "clearing"])).is_some());
    }

    #[test]
    fn writers_are_added_once() {
        let registry = did_registry::ConfigResponse {
            admin: Addr::unchecked("admin"),
            pending_admin: None,
            reputation_writers: vec![Addr::unchecked("token")],
            claim_verifiers: vec![],
            max_credential_validity: 1,
        };
        assert_eq!(registry_writers_msg(&registry, &["token"]), None);
        let Some(did_registry::ExecuteMsg::UpdateRoles { add_writers, .. }) =
            registry_writers_msg(&registry, &["token", "other"])
        else {
            panic!("an UpdateRoles")
        };
        assert_eq!(add_writers, ["other"]);
    }
}
