//! Paginated listings (queries only: no execute ever iterates).

use cosmwasm_std::{CanonicalAddr, Deps, Order, StdResult};
use cw20::{AllAccountsResponse, AllAllowancesResponse, AllowanceInfo};
use cw_storage_plus::Bound;

use resource_cw::Paging;

use crate::contract::query_canon;

use crate::state::{account_key, ACCOUNT_PREFIX, ALLOWANCES};

/// cw20-base's page sizes, which cw20 clients expect.
fn page(limit: Option<u32>) -> usize {
    Paging::CW20.size(limit)
}

pub fn query_all_accounts(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<AllAccountsResponse> {
    let start = match start_after {
        Some(a) => {
            // The smallest key after `a`'s own.
            let mut k = account_key(&query_canon(deps.api, &a)?);
            k.push(0);
            k
        }
        None => vec![ACCOUNT_PREFIX],
    };
    let end = [ACCOUNT_PREFIX + 1];
    let accounts = deps
        .storage
        .range_keys(Some(&start), Some(&end), Order::Ascending)
        .take(page(limit))
        .map(|k| deps.api.addr_humanize(&CanonicalAddr::from(&k[1..])).map(String::from))
        .collect::<StdResult<_>>()?;
    Ok(AllAccountsResponse { accounts })
}

pub fn query_all_allowances(
    deps: Deps,
    owner: String,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<AllAllowancesResponse> {
    let owner = query_canon(deps.api, &owner)?;
    let start = start_after.map(|s| query_canon(deps.api, &s)).transpose()?;
    let allowances = ALLOWANCES
        .prefix(owner.as_slice())
        .range(deps.storage, start.as_ref().map(|s| Bound::exclusive(s.as_slice())), None, Order::Ascending)
        .take(page(limit))
        .map(|item| {
            let (spender, a) = item?;
            Ok(AllowanceInfo {
                spender: deps.api.addr_humanize(&CanonicalAddr::from(spender))?.into(),
                allowance: a.allowance,
                expires: a.expires,
            })
        })
        .collect::<StdResult<_>>()?;
    Ok(AllAllowancesResponse { allowances })
}
