//! Replies to the bridge's submessages: the instantiation of a wrapped cw20 (`INSTANTIATE_WRAPPED_REPLY`).

use cosmwasm_std::{Binary, DepsMut, Event, Reply, Response, StdError, SubMsgResponse};

use crate::error::ContractError;
use crate::state::{PENDING_MINTS, PENDING_ORIGIN, WRAPPED, WRAPPED_ORIGIN};
use crate::wrapped::mint_msg;

/// A wrapped cw20 was instantiated (the reply's payload is its token key): record it both ways and mint
/// what the messages that asked for it carried.
pub(crate) fn wrapped_token_created(deps: DepsMut, msg: Reply) -> Result<Response, ContractError> {
    let key: [u8; 32] =
        msg.payload.as_slice().try_into().map_err(|_| StdError::generic_err("reply payload is not a token key"))?;
    let response = msg.result.into_result().map_err(StdError::generic_err)?;
    let token = deps.api.addr_validate(&instantiated_address(&response)?)?;
    let origin = PENDING_ORIGIN.load(deps.storage, &key)?;
    PENDING_ORIGIN.remove(deps.storage, &key);
    let mints = PENDING_MINTS.load(deps.storage, &key)?;
    PENDING_MINTS.remove(deps.storage, &key);
    WRAPPED.save(deps.storage, &key, &token)?;
    WRAPPED_ORIGIN.save(deps.storage, &token, &origin)?;
    let mut out = Response::new().add_event(
        Event::new("sah_wrapped_token_created")
            .add_attribute("origin_chain", origin.origin_chain.to_string())
            .add_attribute("origin_token", format!("0x{}", origin.origin_token.to_hex()))
            .add_attribute("token", token.to_string()),
    );
    for (to, amount) in mints {
        out = out.add_message(mint_msg(&token, &to, amount)?);
    }
    Ok(out)
}

/// The new contract's address from an instantiate reply (wasmd puts MsgInstantiateContractResponse in
/// msg_responses; older chains only in data).
fn instantiated_address(response: &SubMsgResponse) -> Result<String, ContractError> {
    #[allow(deprecated)]
    let data: Option<Binary> = response.msg_responses.first().map(|r| r.value.clone()).or(response.data.clone());
    let data = data.ok_or_else(|| StdError::generic_err("instantiate reply carries no response"))?;
    let parsed = cw_utils::parse_instantiate_response_data(data.as_slice())
        .map_err(|e| StdError::generic_err(format!("instantiate reply: {e}")))?;
    Ok(parsed.contract_address)
}
