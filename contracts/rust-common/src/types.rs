use alloc::string::String;

/// Message kind: byte 1 of every message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// Token transfer (§3.1).
    TokenTransfer = 1,
    /// Data attestation (§3.2).
    DataAttestation = 2,
    /// Compute job (§3.3).
    ComputeJob = 3,
    /// Compute result (§3.4).
    ComputeResult = 4,
    /// Governance (§3.5).
    Governance = 5,
}

impl Kind {
    /// The kind with this code, if any.
    pub fn from_u8(code: u8) -> Option<Kind> {
        match code {
            1 => Some(Kind::TokenTransfer),
            2 => Some(Kind::DataAttestation),
            3 => Some(Kind::ComputeJob),
            4 => Some(Kind::ComputeResult),
            5 => Some(Kind::Governance),
            _ => None,
        }
    }
}

/// The 82-byte header every message starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Always [`crate::VERSION`] in a decoded message.
    pub version: u8,
    /// The payload's kind.
    pub kind: Kind,
    /// Chain that emitted the message (0 for governance).
    pub source_chain: u32,
    /// Chain that must execute it.
    pub destination_chain: u32,
    /// Per source bridge, strictly increasing from 1; for governance, per destination bridge.
    pub nonce: u64,
    /// Account that caused the message, 32-byte form (zero for governance).
    pub sender: [u8; 32],
    /// Account or contract on the destination, 32-byte form.
    pub recipient: [u8; 32],
}

/// Token transfer payload (kind 1, 117 bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenTransfer {
    /// The token's home chain (non-zero).
    pub origin_chain: u32,
    /// The token's id on its home chain, 32-byte form (non-zero).
    pub origin_token: [u8; 32],
    /// In the origin token's base units (non-zero).
    pub amount: u128,
    /// The origin token's decimals.
    pub decimals: u8,
    /// UTF-8 right-padded with zeros by convention; opaque bytes to the codec.
    pub symbol: [u8; 32],
    /// UTF-8 right-padded with zeros by convention; opaque bytes to the codec.
    pub name: [u8; 32],
}

/// Data attestation action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttestationAction {
    /// Register a data hash.
    Register = 1,
    /// Revoke it (no uri, no license).
    Revoke = 2,
}

/// Data attestation payload (kind 2, 47 + L1 + L2 + L3 bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataAttestation {
    /// Register or revoke.
    pub action: AttestationAction,
    /// Non-zero.
    pub data_hash: [u8; 32],
    /// Unix seconds at the origin.
    pub timestamp: u64,
    /// 1..=256 UTF-8 bytes.
    pub owner_did: String,
    /// 0..=2048 UTF-8 bytes; empty for a revocation.
    pub uri: String,
    /// 0..=256 UTF-8 bytes; empty for a revocation.
    pub license: String,
}

/// Compute job payload (kind 3): post 157 bytes, cancel 33 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComputeJob {
    /// Action 1: a job with its escrowed payment.
    Post {
        /// Non-zero.
        job_id: [u8; 32],
        /// Model and data references (non-zero).
        spec_hash: [u8; 32],
        /// Non-zero.
        payment_origin_chain: u32,
        /// Non-zero.
        payment_origin_token: [u8; 32],
        /// Escrowed on the source chain (non-zero).
        payment_amount: u128,
        /// Unix seconds; the executor chain refuses results after it (non-zero).
        deadline: u64,
        /// Non-zero.
        payer: [u8; 32],
    },
    /// Action 2.
    Cancel {
        /// Non-zero.
        job_id: [u8; 32],
    },
}

/// Compute result outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Result hash and executor are non-zero.
    Completed = 1,
    /// Result hash and executor are zero.
    Expired = 2,
    /// Result hash and executor are zero.
    Cancelled = 3,
}

/// Compute result payload (kind 4, 105 bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComputeResult {
    /// What happened to the job.
    pub outcome: Outcome,
    /// Non-zero.
    pub job_id: [u8; 32],
    /// Non-zero if completed, zero otherwise.
    pub result_hash: [u8; 32],
    /// Account to pay on the escrow chain; non-zero if completed, zero otherwise.
    pub executor: [u8; 32],
    /// When the outcome was recorded on the executor chain.
    pub timestamp: u64,
}

/// Governance payload (kind 5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Governance {
    /// Action 1, 42 bytes.
    RotateKey {
        /// Non-zero (the bridge checks it is its epoch + 1).
        new_epoch: u32,
        /// SEC1 compressed, on the curve, x < n.
        new_group_key: [u8; 33],
        /// How long the outgoing key stays valid (the bridge bounds it).
        grace_seconds: u32,
    },
    /// Action 2, 1 byte.
    Pause,
    /// Action 3, 1 byte.
    Unpause,
    /// Action 4, 53 bytes.
    SetRateLimit {
        /// Non-zero.
        origin_chain: u32,
        /// Non-zero.
        origin_token: [u8; 32],
        /// Per 24 h; 0 = no limit.
        capacity: u128,
    },
    /// Action 5, 33 bytes.
    SetPauser {
        /// 32-byte account; zero = none.
        pauser: [u8; 32],
    },
}

/// A decoded payload, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// Kind 1.
    TokenTransfer(TokenTransfer),
    /// Kind 2.
    DataAttestation(DataAttestation),
    /// Kind 3.
    ComputeJob(ComputeJob),
    /// Kind 4.
    ComputeResult(ComputeResult),
    /// Kind 5.
    Governance(Governance),
}

impl Payload {
    /// The kind this payload belongs to.
    pub fn kind(&self) -> Kind {
        match self {
            Payload::TokenTransfer(_) => Kind::TokenTransfer,
            Payload::DataAttestation(_) => Kind::DataAttestation,
            Payload::ComputeJob(_) => Kind::ComputeJob,
            Payload::ComputeResult(_) => Kind::ComputeResult,
            Payload::Governance(_) => Kind::Governance,
        }
    }
}

/// A whole message: header and payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The 82-byte header.
    pub header: Header,
    /// The payload, whose kind is `header.kind`.
    pub payload: Payload,
}
