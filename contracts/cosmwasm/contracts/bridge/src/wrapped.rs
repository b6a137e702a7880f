//! Wrapped tokens: one cw20-base contract per origin token, instantiated by the bridge (its only minter)
//! on the first transfer, with the name, symbol and decimals the message carries. cw20-base accepts
//! only some names and symbols, so those are cleaned up for it; the exact origin metadata is kept in
//! the bridge and travels on when the token is burned.

use cosmwasm_std::{to_json_binary, Addr, Binary, CosmosMsg, Env, SubMsg, Uint128, WasmMsg};
use cw20::{Cw20ExecuteMsg, MinterResponse};

use crate::error::ContractError;

/// Reply id of a wrapped token's instantiation; the payload is the token key.
pub const INSTANTIATE_WRAPPED_REPLY: u64 = 1;

/// cw20-base's instantiate message (kept here so the bridge does not link cw20-base itself).
#[cosmwasm_schema::cw_serde]
pub struct Cw20InstantiateMsg {
    pub name: String,
    pub symbol: String,
    pub decimals: u8,
    pub initial_balances: Vec<cw20::Cw20Coin>,
    pub mint: Option<MinterResponse>,
}

fn trimmed(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// cw20-base wants 3..=12 characters of [a-zA-Z-].
pub fn cw20_symbol(symbol: &[u8]) -> String {
    let s: String = trimmed(symbol).chars().filter(|c| c.is_ascii_alphabetic() || *c == '-').take(12).collect();
    if s.len() < 3 {
        "WRAPPED".into()
    } else {
        s
    }
}

/// cw20-base wants 3..=50 bytes.
pub fn cw20_name(name: &[u8]) -> String {
    let mut s = trimmed(name);
    while s.len() > 50 {
        s.pop();
    }
    if s.len() < 3 {
        "Wrapped token".into()
    } else {
        s
    }
}

pub fn instantiate_msg(
    env: &Env,
    cw20_code_id: u64,
    key: &[u8; 32],
    decimals: u8,
    symbol: &[u8],
    name: &[u8],
) -> Result<SubMsg, ContractError> {
    let init = Cw20InstantiateMsg {
        name: cw20_name(name),
        symbol: cw20_symbol(symbol),
        // cw20-base refuses more than 18; decimals only affect display (amounts never rescale)
        decimals: decimals.min(18),
        initial_balances: vec![],
        mint: Some(MinterResponse { minter: env.contract.address.to_string(), cap: None }),
    };
    let msg = WasmMsg::Instantiate {
        admin: None,
        code_id: cw20_code_id,
        msg: to_json_binary(&init)?,
        funds: vec![],
        label: format!("sah-bridge wrapped {}", crate::account::hex0x(key)),
    };
    Ok(SubMsg::reply_on_success(msg, INSTANTIATE_WRAPPED_REPLY).with_payload(Binary::from(key.as_slice())))
}

pub fn mint_msg(token: &Addr, recipient: &Addr, amount: Uint128) -> Result<CosmosMsg, ContractError> {
    Ok(WasmMsg::Execute {
        contract_addr: token.to_string(),
        msg: to_json_binary(&Cw20ExecuteMsg::Mint { recipient: recipient.to_string(), amount })?,
        funds: vec![],
    }
    .into())
}

pub fn burn_msg(token: &Addr, amount: Uint128) -> Result<CosmosMsg, ContractError> {
    Ok(WasmMsg::Execute {
        contract_addr: token.to_string(),
        msg: to_json_binary(&Cw20ExecuteMsg::Burn { amount })?,
        funds: vec![],
    }
    .into())
}
