//! Governance: the actions of governance messages (key rotation, pause, rate limits, pauser), and the
//! pauser's own `pause`.

use cosmwasm_std::{DepsMut, Env, Event, HexBinary, MessageInfo, Response};
use sah_bridge_protocol::{frost, Governance, Header};

use crate::account::{from_bytes32, hex0x, to_bytes32};
use crate::error::ContractError;
use crate::execute::token_key;
use crate::rate_limit;
use crate::state::{Config, CONFIG};

/// Longest time an outgoing key may stay valid after a rotation.
pub const MAX_GRACE_SECONDS: u32 = 30 * 24 * 60 * 60;

pub(crate) fn governance(
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
            // checked: an epoch at u32::MAX has no successor
            if config.epoch.checked_add(1) != Some(*new_epoch) {
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

pub(crate) fn pause(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    if config.pauser.as_ref() != Some(&info.sender) {
        return Err(ContractError::NotPauser { caller: info.sender.to_string() });
    }
    config.paused = true;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new().add_event(Event::new("sah_paused").add_attribute("by", info.sender.to_string())))
}

pub(crate) fn check_group_key(key: &HexBinary) -> Result<(), ContractError> {
    let key: [u8; 33] = key.as_slice().try_into().map_err(|_| ContractError::InvalidGroupKey)?;
    frost::check_group_key(&key).map_err(|_| ContractError::InvalidGroupKey)
}
