use crate::AttestationAction;

/// What the registry holds for a data hash, as far as the decision needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordView<'a> {
    /// The record's owner DID (UTF-8 bytes), compared byte for byte.
    pub owner_did: &'a [u8],
    /// Where the record's last register came from (this chain's id for a local attest).
    pub origin_chain: u32,
    /// The nonce of that register's message (0 for a local attest).
    pub origin_nonce: u64,
    /// Revocation is final.
    pub revoked: bool,
}

/// A register or revoke arriving at the registry: a delivered message (origin = its source chain and
/// nonce) or a local `attest`/`revoke` (origin = this chain, nonce 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistryEntry<'a> {
    /// The owner DID the entry names (UTF-8 bytes).
    pub owner_did: &'a [u8],
    /// Where it comes from.
    pub origin_chain: u32,
    /// The nonce of its message (0 for a local one).
    pub origin_nonce: u64,
    /// Register or revoke.
    pub action: AttestationAction,
}

/// What an entry does to the registry (§7.2). Never a refusal: a conflict is state, not an error, so a
/// delivered attestation is always consumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistryDecision {
    /// No record, a register: the record is created (owner, origin, nonce, uri, license, timestamp).
    Create,
    /// No record, a revoke (it overtook its register): the record is created revoked, owned by that DID.
    CreateRevoked,
    /// A register by the record's owner: uri, license, timestamp, origin and nonce replaced.
    Update,
    /// A revoke by the record's owner: marked revoked (origin, nonce, timestamp, uri and license stay).
    Revoke,
    /// Another owner DID, or a register by the owner of a revoked record: kept beside the record, which
    /// is never touched.
    Conflict,
    /// A register by the record's owner from the record's origin chain with a lower nonce (delivered out
    /// of order): nothing changes, not even a conflict.
    IgnoredStale,
    /// A revoke by the owner of a record already revoked: nothing changes.
    IgnoredRevoked,
}

impl RegistryDecision {
    /// The decision's name, as the vectors call it.
    pub fn code(&self) -> &'static str {
        match self {
            RegistryDecision::Create => "Create",
            RegistryDecision::CreateRevoked => "CreateRevoked",
            RegistryDecision::Update => "Update",
            RegistryDecision::Revoke => "Revoke",
            RegistryDecision::Conflict => "Conflict",
            RegistryDecision::IgnoredStale => "IgnoredStale",
            RegistryDecision::IgnoredRevoked => "IgnoredRevoked",
        }
    }
}

/// The §7.2 registry decision for `entry` given the data hash's `record` (if any). Checked in this order:
/// no record; stale (first, whether the record is revoked or not); another owner or a register of a
/// revoked record (conflict); a revoke of a revoked record; then the owner's register or revoke.
pub fn registry_decision(record: Option<&RecordView>, entry: &RegistryEntry) -> RegistryDecision {
    let register = entry.action == AttestationAction::Register;
    let Some(record) = record else {
        return if register {
            RegistryDecision::Create
        } else {
            RegistryDecision::CreateRevoked
        };
    };
    let same_owner = record.owner_did == entry.owner_did;
    if same_owner
        && register
        && entry.origin_chain == record.origin_chain
        && entry.origin_nonce < record.origin_nonce
    {
        return RegistryDecision::IgnoredStale;
    }
    if !same_owner || (record.revoked && register) {
        return RegistryDecision::Conflict;
    }
    if record.revoked {
        return RegistryDecision::IgnoredRevoked;
    }
    if register {
        RegistryDecision::Update
    } else {
        RegistryDecision::Revoke
    }
}
