//! The entry points: instantiate, execute and query dispatch, reply. The handlers are in `execute`
//! (outbound, inbound, governance), `query`, `reply`, and the flows' own modules (`attestations`, `jobs`).

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Env, HexBinary, MessageInfo, Reply, Response, StdResult};
use sah_bridge_protocol::chain_ids;

use crate::consumed;
use crate::error::ContractError;
use crate::execute::governance::{self, check_group_key};
use crate::execute::{inbound, outbound, token_key};
use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg};
use crate::query::query_bytes32;
use crate::state::{
    Config, CONFIG, LOCKED, NATIVE_DENOMS, OUTBOUND, OUTBOUND_NONCE, RATE_LIMITS, WRAPPED, WRAPPED_ORIGIN,
    WRAPPED_SUPPLY,
};
use crate::wrapped::INSTANTIATE_WRAPPED_REPLY;
use crate::{attestations, jobs};

const CONTRACT_NAME: &str = "crates.io:sah-bridge-cosmwasm";
const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    if msg.chain_id == chain_ids::GOVERNANCE {
        return Err(ContractError::InvalidDestination { destination: msg.chain_id });
    }
    // 0 is no epoch, and u32::MAX could never rotate (InvalidEpochTransition): a redeployment continues the
    // relayer set's epochs from one in between (docs/PROTOCOL.md §2)
    let epoch = msg.epoch.unwrap_or(1);
    if epoch == 0 || epoch == u32::MAX {
        return Err(ContractError::InvalidStartingEpoch { epoch });
    }
    check_group_key(&msg.group_key)?;
    let pauser = msg.pauser.map(|p| deps.api.addr_validate(&p)).transpose()?;
    let config = Config {
        chain_id: msg.chain_id,
        epoch,
        group_key: msg.group_key,
        previous_key: None,
        previous_key_expiry: 0,
        paused: false,
        governance_nonce: 0,
        pauser,
        cw20_code_id: msg.cw20_code_id,
    };
    CONFIG.save(deps.storage, &config)?;
    OUTBOUND_NONCE.save(deps.storage, &0)?;
    for d in msg.native_denoms {
        NATIVE_DENOMS.save(deps.storage, &d.denom.clone(), &d)?;
    }
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("chain_id", config.chain_id.to_string())
        .add_attribute("epoch", epoch.to_string())
        .add_attribute("group_key", config.group_key.to_hex()))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(deps: DepsMut, env: Env, info: MessageInfo, msg: ExecuteMsg) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::Lock { destination_chain, recipient } => {
            outbound::lock(deps, env, info, destination_chain, recipient)
        }
        ExecuteMsg::Receive(received) => outbound::receive_cw20(deps, env, info, received),
        ExecuteMsg::ReceiveMessage { message, epoch, signature } => {
            inbound::receive_message(deps, env, info, message, epoch, signature)
        }
        ExecuteMsg::ReceiveBatch { messages, epoch, signature } => {
            inbound::receive_batch(deps, env, info, messages, epoch, signature)
        }
        ExecuteMsg::Pause {} => governance::pause(deps, info),
        ExecuteMsg::Attest { data_hash, uri, license, destinations } => {
            attestations::attest(deps, env, info, data_hash, uri, license, destinations)
        }
        ExecuteMsg::Revoke { data_hash, destinations } => {
            attestations::revoke(deps, env, info, data_hash, destinations)
        }
        ExecuteMsg::PostJob { spec_hash, executor_chain, deadline } => {
            jobs::post_native(deps, env, info, spec_hash, executor_chain, deadline)
        }
        ExecuteMsg::Cancel { job_id } => jobs::cancel(deps, env, info, job_id),
        ExecuteMsg::Claim { job_id } => jobs::claim(deps, env, info, job_id),
        ExecuteMsg::SubmitResult { job_id, result_hash, pay_to } => {
            jobs::submit_result(deps, env, info, job_id, result_hash, pay_to)
        }
        ExecuteMsg::Expire { job_id } => jobs::expire(deps, env, info, job_id),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn reply(deps: DepsMut, _env: Env, msg: Reply) -> Result<Response, ContractError> {
    if msg.id != INSTANTIATE_WRAPPED_REPLY {
        return Err(ContractError::UnknownReply { id: msg.id });
    }
    crate::reply::wrapped_token_created(deps, msg)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => to_json_binary(&CONFIG.load(deps.storage)?),
        QueryMsg::OutboundNonce {} => to_json_binary(&OUTBOUND_NONCE.load(deps.storage)?),
        QueryMsg::OutboundMessageId { nonce } => to_json_binary(&OUTBOUND.may_load(deps.storage, nonce)?),
        QueryMsg::IsConsumed { source_chain, nonce } => {
            to_json_binary(&consumed::is_consumed(deps.storage, source_chain, nonce.u64())?)
        }
        QueryMsg::ConsumedWord { source_chain, word_index } => {
            let word = consumed::load_word(deps.storage, source_chain, word_index.u64())?;
            to_json_binary(&HexBinary::from(word.as_slice()))
        }
        QueryMsg::Locked { denom } => to_json_binary(&LOCKED.may_load(deps.storage, &denom)?.unwrap_or_default()),
        QueryMsg::WrappedToken { origin_chain, origin_token } => {
            let key = token_key(origin_chain, &query_bytes32(&origin_token)?);
            to_json_binary(&WRAPPED.may_load(deps.storage, &key)?)
        }
        QueryMsg::WrappedSupply { origin_chain, origin_token } => {
            let key = token_key(origin_chain, &query_bytes32(&origin_token)?);
            to_json_binary(&WRAPPED_SUPPLY.may_load(deps.storage, &key)?.unwrap_or_default())
        }
        QueryMsg::WrappedOrigin { token } => {
            let token = deps.api.addr_validate(&token)?;
            to_json_binary(&WRAPPED_ORIGIN.may_load(deps.storage, &token)?)
        }
        QueryMsg::RateLimit { origin_chain, origin_token } => {
            let key = token_key(origin_chain, &query_bytes32(&origin_token)?);
            to_json_binary(&RATE_LIMITS.may_load(deps.storage, &key)?)
        }
        QueryMsg::TokenKey { origin_chain, origin_token } => {
            to_json_binary(&HexBinary::from(token_key(origin_chain, &query_bytes32(&origin_token)?).as_slice()))
        }
        QueryMsg::Attestation { data_hash } => to_json_binary(&attestations::query_record(deps, &data_hash)?),
        QueryMsg::AttestationConflicts { data_hash, start_after, limit } => {
            to_json_binary(&attestations::query_conflicts(deps, &data_hash, start_after, limit)?)
        }
        QueryMsg::Job { job_id } => to_json_binary(&jobs::query_job(deps, &job_id)?),
        QueryMsg::JobCounter {} => to_json_binary(&jobs::job_counter(deps.storage)?),
        QueryMsg::JobEscrow { asset } => to_json_binary(&jobs::escrowed(deps.storage, &asset)?),
    }
}
