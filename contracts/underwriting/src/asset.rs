//! The staked asset: how stake arrives (coins with `Stake`, or a cw20 `Send` hook) and how it
//! leaves (a bank send or a cw20 transfer), so that stake, claims and slashing read the same for
//! both kinds.

use cosmwasm_std::{to_json_binary, Addr, Api, BankMsg, Coin, CosmosMsg, MessageInfo, Uint128, WasmMsg};
use resource_msgs::underwriting::StakeAsset;

use crate::error::ContractError;
use crate::state::Asset;

impl Asset {
    /// The configured asset, validated.
    pub fn from_msg(api: &dyn Api, asset: StakeAsset) -> Result<Asset, ContractError> {
        match asset {
            StakeAsset::Native { denom } if denom.is_empty() => Err(ContractError::EmptyDenom),
            StakeAsset::Native { denom } => Ok(Asset::Native(denom)),
            StakeAsset::Cw20 { address } => Ok(Asset::Cw20(resource_cw::valid::<ContractError>(api, &address)?)),
        }
    }

    pub fn to_msg(&self) -> StakeAsset {
        match self {
            Asset::Native(denom) => StakeAsset::Native { denom: denom.clone() },
            Asset::Cw20(address) => StakeAsset::Cw20 { address: address.to_string() },
        }
    }

    /// The amount of a native `Stake {}`: exactly one coin of the denom, above 0.
    pub fn native_amount(&self, info: &MessageInfo) -> Result<u128, ContractError> {
        match (self, info.funds.as_slice()) {
            (Asset::Native(denom), [c]) if &c.denom == denom && !c.amount.is_zero() => Ok(c.amount.u128()),
            (Asset::Native(denom), _) => Err(ContractError::WrongFunds { denom: denom.clone() }),
            (Asset::Cw20(token), _) => Err(ContractError::StakeThroughCw20 { token: token.to_string() }),
        }
    }

    /// Checks that a cw20 hook comes from the configured stake token.
    pub fn check_hook_sender(&self, sender: &Addr) -> Result<(), ContractError> {
        match self {
            Asset::Cw20(token) if token == sender => Ok(()),
            Asset::Cw20(token) => {
                Err(ContractError::WrongStakeToken { expected: token.to_string(), sent_by: sender.to_string() })
            }
            Asset::Native(denom) => Err(ContractError::StakeWithCoins { denom: denom.clone() }),
        }
    }

    /// Pays `amount` of the asset to `to`.
    pub fn pay(&self, to: &Addr, amount: u128) -> Result<CosmosMsg, ContractError> {
        Ok(match self {
            Asset::Native(denom) => BankMsg::Send {
                to_address: to.to_string(),
                amount: vec![Coin { denom: denom.clone(), amount: Uint128::new(amount) }],
            }
            .into(),
            Asset::Cw20(token) => WasmMsg::Execute {
                contract_addr: token.to_string(),
                msg: to_json_binary(&cw20::Cw20ExecuteMsg::Transfer {
                    recipient: to.to_string(),
                    amount: Uint128::new(amount),
                })?,
                funds: vec![],
            }
            .into(),
        })
    }
}
