//! Inbound: a message or a batch with the relayer set's FROST signature is checked (destination, consumed
//! once under its source chain and nonce, key epoch, signature) and executed: transfers unlock or mint,
//! governance applies, the flows' messages go to `attestations` and `jobs`.
//!
//! The signature is over `signing_digest(epoch, this chain, this instance, root)` (docs/PROTOCOL.md §2), with
//! the instance from `instance::this_instance` (this chain's chain-id string and this contract's address) and
//! `root` the leaf of the message id (a single message) or the Merkle root over the leaves of the batch's ids.

use cosmwasm_std::{coins, Api, BankMsg, DepsMut, Env, Event, HexBinary, MessageInfo, Response, SubMsg, Uint128};
use sah_bridge_protocol::rules::{key_for_epoch, EpochKey, EpochRefusal};
use sah_bridge_protocol::{frost, merkle, message_id, signing_digest, Header, Message, Payload, TokenTransfer};

use crate::account::{from_bytes32, hex0x};
use crate::consumed::ConsumedWords;
use crate::error::ContractError;
use crate::execute::governance::governance;
use crate::execute::token_key;
use crate::instance::this_instance;
use crate::state::{
    Config, WrappedOrigin, CONFIG, DENOMS, LOCKED, PENDING_MINTS, PENDING_ORIGIN, WRAPPED, WRAPPED_SUPPLY,
};
use crate::wrapped::{instantiate_msg, mint_msg};
use crate::{attestations, jobs, rate_limit};

pub const EVENT_MESSAGE_RECEIVED: &str = "sah_message_received";

pub(crate) fn receive_message(
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
    // (source chain, nonce) names the message (governance: chain 0 and the governance nonce); one word read
    let mut consumed = ConsumedWords::default();
    if consumed.is_consumed(deps.storage, h.source_chain, h.nonce)? {
        return Err(already_consumed(&id, h));
    }
    let key = key_for(&config, epoch, env.block.time.seconds())?;
    // a single message is a batch of one: the signed root is its leaf
    let digest = signing_digest(epoch, config.chain_id, &this_instance(deps.api, &env)?, &merkle::leaf(&id));
    verify(deps.api, &key, &digest, signature.as_slice())?;
    // consumed once the signature holds; a later refusal undoes it with the rest of the transaction
    consumed.consume(deps.storage, h.source_chain, h.nonce)?;
    consumed.save(deps.storage);

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

pub(crate) fn receive_batch(
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
    // over the ids' leaves: an inner node presented as a message is hashed as a leaf, to another root
    let root = merkle::root(&ids);
    let config = CONFIG.load(deps.storage)?;
    let key = key_for(&config, epoch, env.block.time.seconds())?;
    let digest = signing_digest(epoch, config.chain_id, &this_instance(deps.api, &env)?, &root);
    verify(deps.api, &key, &digest, signature.as_slice())?;
    if config.paused {
        return Err(ContractError::BridgePaused);
    }
    let mut response = Response::new().add_attribute("action", "receive_batch");
    let mut delivered = 0u32;
    // each word the batch touches is read once and, when a bit is set in it, written once (after the loop)
    let mut consumed = ConsumedWords::default();
    for (message, id) in messages.iter().zip(ids.iter()) {
        let decoded = Message::decode(message.as_slice())?;
        let h = &decoded.header;
        if h.destination_chain != config.chain_id {
            return Err(ContractError::WrongDestination {
                destination: h.destination_chain,
                this_chain: config.chain_id,
            });
        }
        // delivered before, or earlier in this batch: skipped
        if consumed.is_consumed(deps.storage, h.source_chain, h.nonce)? {
            continue;
        }
        match &decoded.payload {
            Payload::Governance(_) => return Err(ContractError::GovernanceNotBatchable { id: hex0x(id) }),
            payload => {
                consumed.consume(deps.storage, h.source_chain, h.nonce)?;
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
    consumed.save(deps.storage);
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

fn already_consumed(id: &[u8; 32], h: &Header) -> ContractError {
    ContractError::MessageAlreadyConsumed { id: hex0x(id), source_chain: h.source_chain, nonce: h.nonce }
}

fn received_event(id: &[u8; 32], h: &Header) -> Event {
    Event::new(EVENT_MESSAGE_RECEIVED)
        .add_attribute("message_id", hex0x(id))
        .add_attribute("source_chain", h.source_chain.to_string())
        .add_attribute("nonce", h.nonce.to_string())
}

/// The key of `epoch` now, by the rule: the current key, or the previous one until its grace period ends;
/// then never again.
pub(crate) fn key_for(config: &Config, epoch: u32, now: u64) -> Result<HexBinary, ContractError> {
    // no previous key: nothing to expire
    let previous_key_expiry = if config.previous_key.is_some() { config.previous_key_expiry } else { 0 };
    match (key_for_epoch(epoch, config.epoch, previous_key_expiry, now), &config.previous_key) {
        (Ok(EpochKey::Current), _) => Ok(config.group_key.clone()),
        (Ok(EpochKey::Previous), Some(previous)) => Ok(previous.clone()),
        (Err(EpochRefusal::EpochExpired { expired_at }), _) => Err(ContractError::EpochExpired { epoch, expired_at }),
        (Ok(EpochKey::Previous), None) | (Err(EpochRefusal::UnknownEpoch), _) => {
            Err(ContractError::UnknownEpoch { epoch, current: config.epoch })
        }
    }
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
