//! Outbound: `lock` of native denoms, `burn` of wrapped cw20s, and what every outbound message goes
//! through (`emit_message`), with the checks of the flows' arguments (`attestations`, `jobs`).

use cosmwasm_std::{from_json, Deps, DepsMut, Env, Event, HexBinary, MessageInfo, Response, StdError, Storage};
use cw20::Cw20ReceiveMsg;
use sah_bridge_protocol::{chain_ids, message_id, Header, Message, Payload, TokenTransfer, VERSION};
use sha2::{Digest, Sha256};

use crate::account::{hex0x, to_bytes32};
use crate::error::ContractError;
use crate::execute::token_key;
use crate::jobs;
use crate::msg::ReceiveMsg;
use crate::state::PaymentAsset;
use crate::state::{
    Config, WrappedOrigin, CONFIG, DENOMS, LOCKED, NATIVE_DENOMS, OUTBOUND, OUTBOUND_NONCE, WRAPPED_ORIGIN,
    WRAPPED_SUPPLY,
};
use crate::wrapped::burn_msg;

/// Decimals of a native denom without bank metadata (the Cosmos convention, e.g. 1 ATOM = 10^6 uatom).
pub const DEFAULT_NATIVE_DECIMALS: u8 = 6;

/// Event of every outbound message; relayers watch it (type `wasm-sah_message_sent` on chain).
pub const EVENT_MESSAGE_SENT: &str = "sah_message_sent";

pub(crate) fn lock(
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
pub(crate) fn receive_cw20(
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
pub(crate) fn burn(
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

pub(crate) fn check_outbound(
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
