#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    coins, from_json, to_json_binary, Api, BankMsg, Binary, Deps, DepsMut, Env, Event, HexBinary, MessageInfo, Order,
    Reply, Response, StdError, StdResult, Storage, SubMsg, SubMsgResponse, Uint128,
};
use cw20::Cw20ReceiveMsg;
use sah_bridge_protocol::{
    chain_ids, frost, merkle, message_id, signing_digest, Governance, Header, Message, Payload, TokenTransfer, VERSION,
};
use sha2::{Digest, Sha256};
use sha3::Keccak256;

use crate::account::{from_bytes32, hex0x, to_bytes32};
use crate::error::ContractError;
use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg, ReceiveMsg};
use crate::state::PaymentAsset;
use crate::state::{
    Config, WrappedOrigin, CONFIG, CONSUMED, DENOMS, LOCKED, NATIVE_DENOMS, OUTBOUND, OUTBOUND_NONCE, PENDING_MINTS,
    PENDING_ORIGIN, RATE_LIMITS, WRAPPED, WRAPPED_ORIGIN, WRAPPED_SUPPLY,
};
use crate::wrapped::{burn_msg, instantiate_msg, mint_msg, INSTANTIATE_WRAPPED_REPLY};
use crate::{attestations, jobs, rate_limit};

const CONTRACT_NAME: &str = "crates.io:sah-bridge-cosmwasm";
const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Longest time an outgoing key may stay valid after a rotation.
pub const MAX_GRACE_SECONDS: u32 = 30 * 24 * 60 * 60;
/// Decimals of a native denom without bank metadata (the Cosmos convention, e.g. 1 ATOM = 10^6 uatom).
pub const DEFAULT_NATIVE_DECIMALS: u8 = 6;

/// Event of every outbound message; relayers watch it (type `wasm-sah_message_sent` on chain).
pub const EVENT_MESSAGE_SENT: &str = "sah_message_sent";
pub const EVENT_MESSAGE_RECEIVED: &str = "sah_message_received";

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
    check_group_key(&msg.group_key)?;
    let pauser = msg.pauser.map(|p| deps.api.addr_validate(&p)).transpose()?;
    let config = Config {
        chain_id: msg.chain_id,
        epoch: 1,
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
        .add_attribute("epoch", "1")
        .add_attribute("group_key", config.group_key.to_hex()))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(deps: DepsMut, env: Env, info: MessageInfo, msg: ExecuteMsg) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::Lock { destination_chain, recipient } => lock(deps, env, info, destination_chain, recipient),
        ExecuteMsg::Receive(received) => receive_cw20(deps, env, info, received),
        ExecuteMsg::ReceiveMessage { message, epoch, signature } => {
            receive_message(deps, env, info, message, epoch, signature)
        }
        ExecuteMsg::ReceiveBatch { messages, epoch, signature } => {
            receive_batch(deps, env, info, messages, epoch, signature)
        }
        ExecuteMsg::Pause {} => pause(deps, info),
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

// ---------------------------------------------------------------------------------------- outbound

fn lock(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    destination_chain: u32,
    recipient: HexBinary,
) -> Result<Response, ContractError> {
    let coin = cw_utils::one_coin(&info)?;
    let config = CONFIG.load(deps.storage)?;
    let recipient = check_outbound(&config, coin.amount.u128(), destination_chain, &recipient)?;
    let origin_token: [u8; 32] = Sha256::digest(coin.denom.as_bytes()).into();
    let locked = LOCKED.may_load(deps.storage, &coin.denom)?.unwrap_or_default();
    // every chain holds wrapped amounts as u128: the total ever outstanding must fit
    let total = locked
        .checked_add(coin.amount)
        .map_err(|_| ContractError::AmountTooLarge { what: format!("the total of {} locked", coin.denom) })?;
    LOCKED.save(deps.storage, &coin.denom, &total)?;
    DENOMS.save(deps.storage, &origin_token, &coin.denom)?;
    let (decimals, symbol, name) = denom_metadata(deps.as_ref(), &coin.denom)?;
    let sender = to_bytes32(deps.api, &info.sender)?;
    let transfer = TokenTransfer {
        origin_chain: config.chain_id,
        origin_token,
        amount: coin.amount.u128(),
        decimals,
        symbol,
        name,
    };
    let (_, event) = emit_message(
        deps.storage,
        &env,
        &config,
        destination_chain,
        sender,
        recipient,
        Payload::TokenTransfer(transfer),
    )?;
    Ok(Response::new().add_event(event).add_attribute("action", "lock").add_attribute("denom", coin.denom))
}

/// A wrapped cw20 sent to the bridge (cw20 `Send`): burned and sent on, or the payment of a job.
fn receive_cw20(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    received: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let origin = WRAPPED_ORIGIN
        .may_load(deps.storage, &info.sender)?
        .ok_or_else(|| ContractError::UnknownWrappedToken { token: info.sender.to_string() })?;
    match from_json(&received.msg)? {
        ReceiveMsg::Burn { destination_chain, recipient } => {
            burn(deps, env, info, received, origin, destination_chain, recipient)
        }
        ReceiveMsg::PostJob { spec_hash, executor_chain, deadline } => {
            let payer = deps.api.addr_validate(&received.sender)?;
            let payment = jobs::Payment {
                asset: PaymentAsset::Cw20 { token: info.sender },
                origin_chain: origin.origin_chain,
                origin_token: bytes32(&origin.origin_token)?,
                amount: received.amount,
            };
            jobs::post(deps, env, payer, payment, spec_hash, executor_chain, deadline)
        }
    }
}

/// A wrapped cw20 sent to the bridge with `ReceiveMsg::Burn` is burned and travels on.
fn burn(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    received: Cw20ReceiveMsg,
    origin: WrappedOrigin,
    destination_chain: u32,
    recipient: HexBinary,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let recipient = check_outbound(&config, received.amount.u128(), destination_chain, &recipient)?;
    let holder = deps.api.addr_validate(&received.sender)?;
    let sender = to_bytes32(deps.api, &holder)?;
    let transfer = TokenTransfer {
        origin_chain: origin.origin_chain,
        origin_token: bytes32(&origin.origin_token)?,
        amount: received.amount.u128(),
        decimals: origin.decimals,
        symbol: bytes32(&origin.symbol)?,
        name: bytes32(&origin.name)?,
    };
    let key = token_key(transfer.origin_chain, &transfer.origin_token);
    let supply = WRAPPED_SUPPLY.may_load(deps.storage, &key)?.unwrap_or_default();
    // the cw20 refuses to burn more than a holder has, so this never goes below zero
    WRAPPED_SUPPLY.save(deps.storage, &key, &supply.checked_sub(received.amount).map_err(StdError::from)?)?;
    let token = info.sender.clone();
    let (_, event) = emit_message(
        deps.storage,
        &env,
        &config,
        destination_chain,
        sender,
        recipient,
        Payload::TokenTransfer(transfer),
    )?;
    Ok(Response::new()
        .add_event(event)
        .add_message(burn_msg(&token, received.amount)?)
        .add_attribute("action", "burn")
        .add_attribute("token", token.to_string()))
}

fn check_outbound(
    config: &Config,
    amount: u128,
    destination_chain: u32,
    recipient: &HexBinary,
) -> Result<[u8; 32], ContractError> {
    if config.paused {
        return Err(ContractError::BridgePaused);
    }
    if amount == 0 {
        return Err(ContractError::ZeroAmount);
    }
    if destination_chain == config.chain_id || destination_chain == chain_ids::GOVERNANCE {
        return Err(ContractError::InvalidDestination { destination: destination_chain });
    }
    let recipient: [u8; 32] = recipient.as_slice().try_into().map_err(|_| ContractError::InvalidRecipient {
        reason: format!("a recipient is 32 bytes (docs/PROTOCOL.md), got {}", recipient.len()),
    })?;
    if recipient == [0u8; 32] {
        return Err(ContractError::InvalidRecipient { reason: "the zero account".into() });
    }
    Ok(recipient)
}

/// Every outbound message: the next nonce, the encoding (checked: what no decoder accepts is never sent),
/// its id stored under `outbound[nonce]` and the event relayers read (`wasm-sah_message_sent`: nonce,
/// destination_chain, message_id, message, height). Returns the nonce and the event.
pub(crate) fn emit_message(
    storage: &mut dyn Storage,
    env: &Env,
    config: &Config,
    destination_chain: u32,
    sender: [u8; 32],
    recipient: [u8; 32],
    payload: Payload,
) -> Result<(u64, Event), ContractError> {
    let nonce = OUTBOUND_NONCE.load(storage)? + 1;
    OUTBOUND_NONCE.save(storage, &nonce)?;
    let message = Message {
        header: Header {
            version: VERSION,
            kind: payload.kind(),
            source_chain: config.chain_id,
            destination_chain,
            nonce,
            sender,
            recipient,
        },
        payload,
    }
    .try_encode()?;
    let id = message_id(&message);
    OUTBOUND.save(storage, nonce, &HexBinary::from(id.as_slice()))?;
    let event = Event::new(EVENT_MESSAGE_SENT)
        .add_attribute("nonce", nonce.to_string())
        .add_attribute("destination_chain", destination_chain.to_string())
        .add_attribute("message_id", hex0x(&id))
        .add_attribute("message", hex0x(&message))
        .add_attribute("height", env.block.height.to_string());
    Ok((nonce, event))
}

/// Chains a data attestation or a job may be sent to (docs/PROTOCOL.md §1, less governance's 0). This
/// bridge keeps no chain registry; a chain outside the table would never answer (a job's escrow would
/// wait forever), so it is refused.
pub const KNOWN_CHAINS: [u32; 7] = [
    chain_ids::ETHEREUM,
    chain_ids::COSMOS,
    chain_ids::POLKADOT,
    chain_ids::DEVNET_EVM_A,
    chain_ids::DEVNET_EVM_B,
    chain_ids::DEVNET_WASMD,
    chain_ids::DEVNET_CHOPSTICKS,
];

/// A destination of an attestation or job: a known chain other than this one.
pub(crate) fn check_destination(config: &Config, destination: u32) -> Result<(), ContractError> {
    if destination == config.chain_id || !KNOWN_CHAINS.contains(&destination) {
        return Err(ContractError::InvalidDestination { destination });
    }
    Ok(())
}

/// A 32-byte, non-zero argument (data hash, spec hash, result hash, account).
pub(crate) fn arg_bytes32(value: &HexBinary, field: &'static str) -> Result<[u8; 32], ContractError> {
    let bytes: [u8; 32] = value.as_slice().try_into().map_err(|_| ContractError::InvalidField {
        field,
        reason: format!("32 bytes expected, got {}", value.len()),
    })?;
    if bytes == [0u8; 32] {
        return Err(ContractError::InvalidField { field, reason: "must not be zero".into() });
    }
    Ok(bytes)
}

/// Decimals, symbol and name of a native denom: as configured at instantiation, otherwise 6 decimals
/// and the denom itself. (Not from the bank's denom metadata: chains fill it unevenly, and what travels
/// in a transfer should not change under the bridge's feet.)
fn denom_metadata(deps: Deps, denom: &str) -> Result<(u8, [u8; 32], [u8; 32]), ContractError> {
    Ok(match NATIVE_DENOMS.may_load(deps.storage, denom)? {
        Some(d) => (d.decimals, padded32(&d.symbol), padded32(&d.name)),
        None => (DEFAULT_NATIVE_DECIMALS, padded32(denom), padded32(denom)),
    })
}

/// UTF-8, right-padded with zeros, cut at 32 bytes on a character boundary.
fn padded32(s: &str) -> [u8; 32] {
    let mut end = s.len().min(32);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = [0u8; 32];
    out[..end].copy_from_slice(&s.as_bytes()[..end]);
    out
}

pub(crate) fn bytes32(b: &HexBinary) -> Result<[u8; 32], ContractError> {
    b.as_slice().try_into().map_err(|_| StdError::generic_err("stored value is not 32 bytes").into())
}

// ---------------------------------------------------------------------------------------- inbound

fn receive_message(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
    message: HexBinary,
    epoch: u32,
    signature: HexBinary,
) -> Result<Response, ContractError> {
    let id = message_id(message.as_slice());
    let decoded = Message::decode(message.as_slice())?;
    let mut config = CONFIG.load(deps.storage)?;
    let h = &decoded.header;
    if h.destination_chain != config.chain_id {
        return Err(ContractError::WrongDestination { destination: h.destination_chain, this_chain: config.chain_id });
    }
    if CONSUMED.has(deps.storage, &id) {
        return Err(ContractError::MessageAlreadyConsumed { id: hex0x(&id) });
    }
    let key = key_for(&config, epoch, env.block.time.seconds())?;
    verify(deps.api, &key, &signing_digest(epoch, config.chain_id, &id), signature.as_slice())?;
    CONSUMED.save(deps.storage, &id, &true)?;

    let mut response = Response::new().add_attribute("action", "receive_message");
    match &decoded.payload {
        Payload::Governance(g) => {
            if epoch != config.epoch {
                return Err(ContractError::GovernanceRequiresCurrentEpoch { epoch, current: config.epoch });
            }
            let event = governance(deps, &env, &mut config, h, g)?;
            response = response.add_event(event);
        }
        payload => {
            if config.paused {
                return Err(ContractError::BridgePaused);
            }
            let effects = execute_inbound(deps, &env, &config, h, payload)?;
            response = response.add_submessages(effects.messages).add_events(effects.events);
        }
    }
    Ok(response.add_event(received_event(&id, h)))
}

fn receive_batch(
    mut deps: DepsMut,
    env: Env,
    _info: MessageInfo,
    messages: Vec<HexBinary>,
    epoch: u32,
    signature: HexBinary,
) -> Result<Response, ContractError> {
    if messages.is_empty() {
        return Err(ContractError::EmptyBatch);
    }
    let ids: Vec<[u8; 32]> = messages.iter().map(|m| message_id(m.as_slice())).collect();
    let root = merkle::root(&ids);
    let config = CONFIG.load(deps.storage)?;
    let key = key_for(&config, epoch, env.block.time.seconds())?;
    verify(deps.api, &key, &signing_digest(epoch, config.chain_id, &root), signature.as_slice())?;
    if config.paused {
        return Err(ContractError::BridgePaused);
    }
    let mut response = Response::new().add_attribute("action", "receive_batch");
    let mut delivered = 0u32;
    for (message, id) in messages.iter().zip(ids.iter()) {
        let decoded = Message::decode(message.as_slice())?;
        let h = &decoded.header;
        if h.destination_chain != config.chain_id {
            return Err(ContractError::WrongDestination {
                destination: h.destination_chain,
                this_chain: config.chain_id,
            });
        }
        if CONSUMED.has(deps.storage, id) {
            continue;
        }
        match &decoded.payload {
            Payload::Governance(_) => return Err(ContractError::GovernanceNotBatchable { id: hex0x(id) }),
            payload => {
                CONSUMED.save(deps.storage, id, &true)?;
                let effects = execute_inbound(deps.branch(), &env, &config, h, payload)?;
                response = response.add_submessages(effects.messages).add_events(effects.events);
            }
        }
        response = response.add_event(received_event(id, h));
        delivered += 1;
    }
    if delivered == 0 {
        return Err(ContractError::BatchAlreadyDelivered { root: hex0x(&root) });
    }
    Ok(response.add_attribute("delivered", delivered.to_string()))
}

/// What a delivered message does, by kind (the bridge's own checks are done): transfers mint or unlock,
/// attestations go to the registry, jobs and results to the job board (docs/PROTOCOL.md §7).
fn execute_inbound(
    deps: DepsMut,
    env: &Env,
    config: &Config,
    h: &Header,
    payload: &Payload,
) -> Result<Response, ContractError> {
    match payload {
        Payload::TokenTransfer(t) => Ok(Response::new().add_submessages(complete_transfer(deps, env, config, h, t)?)),
        Payload::DataAttestation(a) => attestations::deliver(deps, h, a),
        Payload::ComputeJob(j) => jobs::deliver_job(deps, env, config, h, j),
        Payload::ComputeResult(r) => jobs::deliver_result(deps, env, h, r),
        Payload::Governance(_) => Err(ContractError::UnsupportedKind { kind: h.kind as u8 }),
    }
}

fn received_event(id: &[u8; 32], h: &Header) -> Event {
    Event::new(EVENT_MESSAGE_RECEIVED)
        .add_attribute("message_id", hex0x(id))
        .add_attribute("source_chain", h.source_chain.to_string())
        .add_attribute("nonce", h.nonce.to_string())
}

/// The current key, or the previous one until its grace period ends; then never again.
fn key_for(config: &Config, epoch: u32, now: u64) -> Result<HexBinary, ContractError> {
    if epoch == config.epoch {
        return Ok(config.group_key.clone());
    }
    if let Some(previous) = &config.previous_key {
        if config.previous_key_expiry != 0 && epoch + 1 == config.epoch {
            if now > config.previous_key_expiry {
                return Err(ContractError::EpochExpired { epoch, expired_at: config.previous_key_expiry });
            }
            return Ok(previous.clone());
        }
    }
    Err(ContractError::UnknownEpoch { epoch, current: config.epoch })
}

/// FROST verification with the chain's secp256k1 public-key recovery (the ecrecover trick).
fn verify(api: &dyn Api, key: &HexBinary, digest: &[u8; 32], signature: &[u8]) -> Result<(), ContractError> {
    let key: [u8; 33] = key.as_slice().try_into().map_err(|_| ContractError::InvalidGroupKey)?;
    let recover = |hash: &[u8; 32], rs: &[u8; 64], recovery: u8| -> Option<[u8; 64]> {
        let full = api.secp256k1_recover_pubkey(hash, rs, recovery).ok()?;
        // uncompressed SEC1: 0x04 || x || y
        if full.len() != 65 || full[0] != 4 {
            return None;
        }
        let mut out = [0u8; 64];
        out.copy_from_slice(&full[1..]);
        Some(out)
    };
    frost::verify(&key, digest, signature, &recover).map_err(|e| ContractError::InvalidSignature { reason: e.code() })
}

fn check_group_key(key: &HexBinary) -> Result<(), ContractError> {
    let key: [u8; 33] = key.as_slice().try_into().map_err(|_| ContractError::InvalidGroupKey)?;
    frost::check_group_key(&key).map_err(|_| ContractError::InvalidGroupKey)
}

/// The id under which a token's wrapped form and rate limit are kept, as on every chain.
pub fn token_key(origin_chain: u32, origin_token: &[u8; 32]) -> [u8; 32] {
    let mut h = Keccak256::new();
    h.update(origin_chain.to_be_bytes());
    h.update(origin_token);
    h.finalize().into()
}

fn complete_transfer(
    deps: DepsMut,
    env: &Env,
    config: &Config,
    h: &Header,
    t: &TokenTransfer,
) -> Result<Vec<SubMsg>, ContractError> {
    let to = from_bytes32(deps.api, &h.recipient)?;
    let key = token_key(t.origin_chain, &t.origin_token);
    rate_limit::consume(deps.storage, &key, t.amount, env.block.time.seconds())?;
    let amount = Uint128::new(t.amount);
    if t.origin_chain == config.chain_id {
        let denom = DENOMS
            .may_load(deps.storage, &t.origin_token)?
            .ok_or_else(|| ContractError::UnknownOriginToken { origin_token: hex0x(&t.origin_token) })?;
        let locked = LOCKED.may_load(deps.storage, &denom)?.unwrap_or_default();
        if locked < amount {
            return Err(ContractError::InsufficientLocked { denom, locked: locked.u128(), amount: t.amount });
        }
        LOCKED.save(deps.storage, &denom, &(locked - amount))?;
        return Ok(vec![SubMsg::new(BankMsg::Send { to_address: to.to_string(), amount: coins(t.amount, denom) })]);
    }
    let supply = WRAPPED_SUPPLY.may_load(deps.storage, &key)?.unwrap_or_default();
    let supply = supply
        .checked_add(amount)
        .map_err(|_| ContractError::AmountTooLarge { what: format!("the wrapped supply of token {}", hex0x(&key)) })?;
    WRAPPED_SUPPLY.save(deps.storage, &key, &supply)?;
    if let Some(token) = WRAPPED.may_load(deps.storage, &key)? {
        return Ok(vec![SubMsg::new(mint_msg(&token, &to, amount)?)]);
    }
    // the token is created by this transaction: an earlier message of the same batch asked for it
    if let Some(mut waiting) = PENDING_MINTS.may_load(deps.storage, &key)? {
        waiting.push((to, amount));
        PENDING_MINTS.save(deps.storage, &key, &waiting)?;
        return Ok(vec![]);
    }
    PENDING_MINTS.save(deps.storage, &key, &vec![(to, amount)])?;
    PENDING_ORIGIN.save(
        deps.storage,
        &key,
        &WrappedOrigin {
            origin_chain: t.origin_chain,
            origin_token: HexBinary::from(t.origin_token.as_slice()),
            decimals: t.decimals,
            symbol: HexBinary::from(t.symbol.as_slice()),
            name: HexBinary::from(t.name.as_slice()),
        },
    )?;
    Ok(vec![instantiate_msg(env, config.cw20_code_id, &key, t.decimals, &t.symbol, &t.name)?])
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn reply(deps: DepsMut, _env: Env, msg: Reply) -> Result<Response, ContractError> {
    if msg.id != INSTANTIATE_WRAPPED_REPLY {
        return Err(ContractError::UnknownReply { id: msg.id });
    }
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

// ---------------------------------------------------------------------------------------- governance

fn governance(
    deps: DepsMut,
    env: &Env,
    config: &mut Config,
    h: &Header,
    g: &Governance,
) -> Result<Event, ContractError> {
    let me = to_bytes32(deps.api, &env.contract.address)?;
    if h.recipient != me {
        return Err(ContractError::WrongGovernanceTarget { target: hex0x(&h.recipient) });
    }
    if h.nonce <= config.governance_nonce {
        return Err(ContractError::StaleGovernanceNonce { nonce: h.nonce, last: config.governance_nonce });
    }
    config.governance_nonce = h.nonce;
    let now = env.block.time.seconds();
    let event = match g {
        Governance::RotateKey { new_epoch, new_group_key, grace_seconds } => {
            if *new_epoch != config.epoch + 1 {
                return Err(ContractError::InvalidEpochTransition { new_epoch: *new_epoch, current: config.epoch });
            }
            if *grace_seconds > MAX_GRACE_SECONDS {
                return Err(ContractError::GracePeriodTooLong { grace_seconds: *grace_seconds });
            }
            let new_key = HexBinary::from(new_group_key.as_slice());
            check_group_key(&new_key)?;
            config.previous_key = Some(std::mem::replace(&mut config.group_key, new_key));
            // a zero grace retires the old key at once
            config.previous_key_expiry = if *grace_seconds == 0 { 0 } else { now + u64::from(*grace_seconds) };
            config.epoch = *new_epoch;
            Event::new("sah_key_rotated")
                .add_attribute("epoch", new_epoch.to_string())
                .add_attribute("group_key", config.group_key.to_hex())
                .add_attribute("previous_key_expiry", config.previous_key_expiry.to_string())
        }
        Governance::Pause => {
            config.paused = true;
            Event::new("sah_paused").add_attribute("by", "governance")
        }
        Governance::Unpause => {
            config.paused = false;
            Event::new("sah_unpaused")
        }
        Governance::SetRateLimit { origin_chain, origin_token, capacity } => {
            let key = token_key(*origin_chain, origin_token);
            rate_limit::set(deps.storage, &key, *capacity, now)?;
            Event::new("sah_rate_limit_set")
                .add_attribute("token_key", hex0x(&key))
                .add_attribute("capacity", capacity.to_string())
        }
        Governance::SetPauser { pauser } => {
            config.pauser = if *pauser == [0u8; 32] { None } else { Some(from_bytes32(deps.api, pauser)?) };
            Event::new("sah_pauser_set")
                .add_attribute("pauser", config.pauser.as_ref().map(|a| a.to_string()).unwrap_or_default())
        }
    };
    CONFIG.save(deps.storage, config)?;
    Ok(event)
}

fn pause(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    if config.pauser.as_ref() != Some(&info.sender) {
        return Err(ContractError::NotPauser { caller: info.sender.to_string() });
    }
    config.paused = true;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new().add_event(Event::new("sah_paused").add_attribute("by", info.sender.to_string())))
}

// ---------------------------------------------------------------------------------------- queries

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => to_json_binary(&CONFIG.load(deps.storage)?),
        QueryMsg::OutboundNonce {} => to_json_binary(&OUTBOUND_NONCE.load(deps.storage)?),
        QueryMsg::OutboundMessageId { nonce } => to_json_binary(&OUTBOUND.may_load(deps.storage, nonce)?),
        QueryMsg::IsConsumed { message_id } => to_json_binary(&CONSUMED.has(deps.storage, message_id.as_slice())),
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

fn query_bytes32(b: &HexBinary) -> StdResult<[u8; 32]> {
    b.as_slice()
        .try_into()
        .map_err(|_| StdError::generic_err(format!("origin_token must be 32 bytes, got {}", b.len())))
}

/// Every wrapped token this bridge created (for supply checks).
pub fn wrapped_tokens(deps: Deps) -> StdResult<Vec<cosmwasm_std::Addr>> {
    WRAPPED.range(deps.storage, None, None, Order::Ascending).map(|r| r.map(|(_, a)| a)).collect()
}
