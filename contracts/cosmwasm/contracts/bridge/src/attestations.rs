//! Data attestations (docs/PROTOCOL.md §7.2): a registry keyed by data hash. The first owner DID keeps
//! the record; the same owner re-attests (uri, license, timestamp, origin and nonce replaced) or revokes
//! it; anything another owner DID does is kept as a conflict and never overwrites the record. Delivery
//! never fails for the registry's reasons, so every attestation message is consumed once.
//!
//! A register by the record's owner from the record's origin chain with a nonce below the record's
//! `origin_nonce` is stale (delivered out of order) and changes nothing, not even a conflict, whether
//! the record is revoked or not. A revoked record is final: any other register by its owner is a
//! conflict, a later revoke by its owner changes nothing. A `revoke` for a data hash with no record
//! creates the record revoked (owned by that DID, origin and nonce the revoke's), so the `register` it
//! overtook is stale when it arrives. A revoke leaves the record's origin and nonce as they are.

use cosmwasm_std::{Deps, DepsMut, Env, Event, HexBinary, MessageInfo, Order, Response, StdError, StdResult, Storage};
use cw_storage_plus::Bound;
use sah_bridge_protocol::rules::{registry_decision, RecordView, RegistryDecision, RegistryEntry};
use sah_bridge_protocol::{DataAttestation, Header, Payload, MAX_LICENSE_LEN, MAX_URI_LEN};

use crate::account::{hex0x, to_bytes32};
use crate::error::ContractError;
use crate::execute::outbound::{arg_bytes32, check_destination, emit_message};
use crate::msg::AttestationResponse;
use crate::state::{
    AttestationAction, AttestationConflict, AttestationRecord, Config, ATTESTATIONS, CONFIG, CONFLICTS, CONFLICT_COUNT,
};

pub const EVENT_REGISTERED: &str = "sah_attestation_registered";
pub const EVENT_UPDATED: &str = "sah_attestation_updated";
pub const EVENT_REVOKED: &str = "sah_attestation_revoked";
pub const EVENT_CONFLICT: &str = "sah_attestation_conflict";
pub const EVENT_IGNORED: &str = "sah_attestation_ignored";

const DEFAULT_CONFLICT_PAGE: u32 = 50;
const MAX_CONFLICT_PAGE: u32 = 200;

/// The caller's owner DID (§7.1): `did:pkh:cosmos:<Cosmos chain id>:<bech32 address>`.
pub fn owner_did(env: &Env, sender: &cosmwasm_std::Addr) -> String {
    format!("did:pkh:cosmos:{}:{}", env.block.chain_id, sender)
}

/// What one register or revoke asks of the registry.
pub struct Entry<'a> {
    pub data_hash: [u8; 32],
    pub owner_did: &'a str,
    pub origin_chain: u32,
    pub origin_nonce: u64,
    pub timestamp: u64,
    pub action: AttestationAction,
    pub uri: &'a str,
    pub license: &'a str,
}

/// Applies an entry to the registry: the §7.2 rule decides (`sah_bridge_protocol::rules`), this stores the
/// record or the conflict; returns the event saying what happened.
pub fn apply(storage: &mut dyn Storage, e: &Entry) -> Result<Event, ContractError> {
    let key = e.data_hash.as_slice();
    let base = |ty: &str| {
        Event::new(ty)
            .add_attribute("data_hash", hex0x(&e.data_hash))
            .add_attribute("owner_did", e.owner_did)
            .add_attribute("origin_chain", e.origin_chain.to_string())
            .add_attribute("origin_nonce", e.origin_nonce.to_string())
    };
    let existing = ATTESTATIONS.may_load(storage, key)?;
    let view = existing.as_ref().map(|r| RecordView {
        owner_did: r.owner_did.as_bytes(),
        origin_chain: r.origin_chain,
        origin_nonce: r.origin_nonce,
        revoked: r.revoked,
    });
    let entry = RegistryEntry {
        owner_did: e.owner_did.as_bytes(),
        origin_chain: e.origin_chain,
        origin_nonce: e.origin_nonce,
        action: match e.action {
            AttestationAction::Register => sah_bridge_protocol::AttestationAction::Register,
            AttestationAction::Revoke => sah_bridge_protocol::AttestationAction::Revoke,
        },
    };
    let decision = registry_decision(view.as_ref(), &entry);
    let Some(mut record) = existing else {
        // no record: the rule creates it (Create, or CreateRevoked for a revoke that overtook its register)
        let revoked = decision == RegistryDecision::CreateRevoked;
        let record = AttestationRecord {
            data_hash: HexBinary::from(key),
            owner_did: e.owner_did.to_string(),
            origin_chain: e.origin_chain,
            origin_nonce: e.origin_nonce,
            uri: e.uri.to_string(),
            license: e.license.to_string(),
            timestamp: e.timestamp,
            revoked,
            revoked_at: if revoked { e.timestamp } else { 0 },
        };
        ATTESTATIONS.save(storage, key, &record)?;
        return Ok(base(if revoked { EVENT_REVOKED } else { EVENT_REGISTERED }));
    };
    match decision {
        // an older register from the same origin, delivered after a newer message (even the revoke that made
        // the record final): nothing changes, not even a conflict
        RegistryDecision::IgnoredStale => Ok(base(EVENT_IGNORED)
            .add_attribute("reason", "stale")
            .add_attribute("record_origin_nonce", record.origin_nonce.to_string())),
        RegistryDecision::Conflict => {
            let index = CONFLICT_COUNT.may_load(storage, key)?.unwrap_or_default();
            CONFLICTS.save(
                storage,
                (key, index),
                &AttestationConflict {
                    data_hash: HexBinary::from(key),
                    owner_did: e.owner_did.to_string(),
                    origin_chain: e.origin_chain,
                    nonce: e.origin_nonce,
                    timestamp: e.timestamp,
                    action: e.action.clone(),
                },
            )?;
            CONFLICT_COUNT.save(storage, key, &(index + 1))?;
            let action = if e.action == AttestationAction::Register { "register" } else { "revoke" };
            Ok(base(EVENT_CONFLICT)
                .add_attribute("action", action)
                .add_attribute("record_owner_did", record.owner_did)
                .add_attribute("record_revoked", record.revoked.to_string())
                .add_attribute("conflict_index", index.to_string()))
        }
        // a revoke by the owner of a revoked record (it is final; revoking again changes nothing)
        RegistryDecision::IgnoredRevoked => Ok(base(EVENT_IGNORED).add_attribute("reason", "revoked")),
        RegistryDecision::Update => {
            record.uri = e.uri.to_string();
            record.license = e.license.to_string();
            record.timestamp = e.timestamp;
            record.origin_chain = e.origin_chain;
            record.origin_nonce = e.origin_nonce;
            ATTESTATIONS.save(storage, key, &record)?;
            Ok(base(EVENT_UPDATED))
        }
        RegistryDecision::Revoke => {
            record.revoked = true;
            record.revoked_at = e.timestamp;
            ATTESTATIONS.save(storage, key, &record)?;
            Ok(base(EVENT_REVOKED))
        }
        RegistryDecision::Create | RegistryDecision::CreateRevoked => {
            Err(StdError::generic_err("the registry rule creates a record only where there is none").into())
        }
    }
}

/// The destinations of an attest or revoke: at least one, each known, never this chain, each once.
fn check_destinations(config: &Config, destinations: &[u32]) -> Result<(), ContractError> {
    if destinations.is_empty() {
        return Err(ContractError::EmptyDestinations);
    }
    for (i, d) in destinations.iter().enumerate() {
        check_destination(config, *d)?;
        if destinations[..i].contains(d) {
            return Err(ContractError::InvalidDestination { destination: *d });
        }
    }
    Ok(())
}

/// `attest`: records the attestation here (origin: this chain, nonce 0) and sends a `register` to every
/// destination, stamped with the block time.
pub fn attest(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    data_hash: HexBinary,
    uri: String,
    license: String,
    destinations: Vec<u32>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if config.paused {
        return Err(ContractError::BridgePaused);
    }
    let data_hash = arg_bytes32(&data_hash, "dataHash")?;
    if uri.len() > MAX_URI_LEN {
        return Err(ContractError::InvalidField { field: "uri", reason: format!("over {MAX_URI_LEN} bytes") });
    }
    if license.len() > MAX_LICENSE_LEN {
        return Err(ContractError::InvalidField { field: "license", reason: format!("over {MAX_LICENSE_LEN} bytes") });
    }
    check_destinations(&config, &destinations)?;
    let did = owner_did(&env, &info.sender);
    if let Some(record) = ATTESTATIONS.may_load(deps.storage, &data_hash)? {
        // the owner's own revocation is final; sending a register would contradict it elsewhere
        if record.owner_did == did && record.revoked {
            return Err(ContractError::AttestationRevoked { data_hash: hex0x(&data_hash) });
        }
    }
    let now = env.block.time.seconds();
    let entry = Entry {
        data_hash,
        owner_did: &did,
        origin_chain: config.chain_id,
        origin_nonce: 0,
        timestamp: now,
        action: AttestationAction::Register,
        uri: &uri,
        license: &license,
    };
    let local = apply(deps.storage, &entry)?;
    let payload = DataAttestation {
        action: sah_bridge_protocol::AttestationAction::Register,
        data_hash,
        timestamp: now,
        owner_did: did,
        uri,
        license,
    };
    send_to_all(deps, &env, &config, &info, payload, &destinations, local, "attest")
}

/// `revoke`: only the owner of the record here (the caller's DID is the record's owner DID); marks it
/// revoked here and sends a `revoke` to every destination. The owner may revoke again to reach more
/// destinations (the record here stays as it is).
pub fn revoke(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    data_hash: HexBinary,
    destinations: Vec<u32>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if config.paused {
        return Err(ContractError::BridgePaused);
    }
    let data_hash = arg_bytes32(&data_hash, "dataHash")?;
    check_destinations(&config, &destinations)?;
    let did = owner_did(&env, &info.sender);
    let not_owner =
        |reason: String| ContractError::NotOwner { caller: did.clone(), data_hash: hex0x(&data_hash), reason };
    match ATTESTATIONS.may_load(deps.storage, &data_hash)? {
        None => return Err(not_owner("no record here".into())),
        Some(r) if r.owner_did != did => return Err(not_owner(format!("the owner is {}", r.owner_did))),
        Some(_) => {}
    }
    let now = env.block.time.seconds();
    let entry = Entry {
        data_hash,
        owner_did: &did,
        origin_chain: config.chain_id,
        origin_nonce: 0,
        timestamp: now,
        action: AttestationAction::Revoke,
        uri: "",
        license: "",
    };
    let local = apply(deps.storage, &entry)?;
    let payload = DataAttestation {
        action: sah_bridge_protocol::AttestationAction::Revoke,
        data_hash,
        timestamp: now,
        owner_did: did,
        uri: String::new(),
        license: String::new(),
    };
    send_to_all(deps, &env, &config, &info, payload, &destinations, local, "revoke")
}

#[allow(clippy::too_many_arguments)]
fn send_to_all(
    deps: DepsMut,
    env: &Env,
    config: &Config,
    info: &MessageInfo,
    payload: DataAttestation,
    destinations: &[u32],
    local: Event,
    action: &str,
) -> Result<Response, ContractError> {
    let sender = to_bytes32(deps.api, &info.sender)?;
    let mut response = Response::new().add_attribute("action", action).add_event(local);
    for d in destinations {
        let (_, event) =
            emit_message(deps.storage, env, config, *d, sender, [0u8; 32], Payload::DataAttestation(payload.clone()))?;
        response = response.add_event(event);
    }
    Ok(response)
}

/// A delivered attestation message (kind 2): origin = its source chain and nonce, its own timestamp.
pub fn deliver(deps: DepsMut, h: &Header, a: &DataAttestation) -> Result<Response, ContractError> {
    let action = match a.action {
        sah_bridge_protocol::AttestationAction::Register => AttestationAction::Register,
        sah_bridge_protocol::AttestationAction::Revoke => AttestationAction::Revoke,
    };
    let event = apply(
        deps.storage,
        &Entry {
            data_hash: a.data_hash,
            owner_did: &a.owner_did,
            origin_chain: h.source_chain,
            origin_nonce: h.nonce,
            timestamp: a.timestamp,
            action,
            uri: &a.uri,
            license: &a.license,
        },
    )?;
    Ok(Response::new().add_event(event))
}

pub fn query_record(deps: Deps, data_hash: &HexBinary) -> StdResult<AttestationResponse> {
    Ok(AttestationResponse {
        record: ATTESTATIONS.may_load(deps.storage, data_hash.as_slice())?,
        conflict_count: CONFLICT_COUNT.may_load(deps.storage, data_hash.as_slice())?.unwrap_or_default(),
    })
}

pub fn query_conflicts(
    deps: Deps,
    data_hash: &HexBinary,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<Vec<AttestationConflict>> {
    let limit = limit.unwrap_or(DEFAULT_CONFLICT_PAGE).min(MAX_CONFLICT_PAGE) as usize;
    CONFLICTS
        .prefix(data_hash.as_slice())
        .range(deps.storage, start_after.map(Bound::exclusive), None, Order::Ascending)
        .take(limit)
        .map(|r| r.map(|(_, c)| c))
        .collect()
}
