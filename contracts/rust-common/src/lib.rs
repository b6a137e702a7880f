//! The SAH bridge message protocol, version 2 (`docs/PROTOCOL.md`), for the Rust chains: the CosmWasm
//! contract and the FRAME pallet.
//!
//! - [`Message::decode`] / [`Message::encode`]: the strict codec, check for check and error for error
//!   the same as the TypeScript codec (`relayer/protocol/`) and the Solidity `MessageCodec`; the golden
//!   vectors in `test/vectors/messages.json` pin it down.
//! - [`message_id`], [`signing_digest`], [`merkle`]: what a destination consumes and what the relayer
//!   set signs.
//! - [`frost`]: FROST(secp256k1, SHA-256) (RFC 9591) verification with one ECDSA public-key recovery,
//!   which the host chain provides.
//! - [`rules`]: the bridge's pure rules (token key, key for an epoch, rate limit, attestation registry,
//!   job transitions), pinned by `test/vectors/flows.json`.
//!
//! `no_std` + `alloc`; no floating point, no randomness, no panics on any input.
//!
//! ```
//! use sah_bridge_protocol::{merkle, message_id, signing_digest, Instance, Message, Payload, ProtocolError};
//!
//! # let bytes = hex::decode("0105000000000000000200000000000000020000000000000000000000000000000000000000000000000000000000000000c2d136567b0565ed9c1f44d761cf366893e63d9d108afac03439bd0446a409ba02").unwrap();
//! let message = Message::decode(&bytes)?;
//! assert!(matches!(message.payload, Payload::Governance(_)));
//! let id = message_id(&bytes); // what the destination consumes once
//! let instance = Instance { chain_binding: [0x45; 32], bridge: [7; 32] }; // the verifying bridge
//! let digest = signing_digest(1, message.header.destination_chain, &instance, &merkle::leaf(&id)); // signed
//! assert_eq!(Message::decode(&bytes[..81]), Err(ProtocolError::MessageTooShort));
//! assert_eq!(ProtocolError::MessageTooShort.code(), "MessageTooShort");
//! # Ok::<(), ProtocolError>(())
//! ```
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

mod codec;
pub mod consumed;
mod error;
pub mod frost;
pub mod merkle;
pub mod rules;
mod types;

pub use error::ProtocolError;
pub use types::*;

use sha3::{Digest, Keccak256};

/// Protocol version: byte 0 of every message.
pub const VERSION: u8 = 1;
/// Length of the fixed header that precedes every payload.
pub const HEADER_LEN: usize = 82;

/// Domain tag of the signed digest (13 ASCII bytes). A new protocol version gets a new tag.
pub const DIGEST_TAG: &[u8; 13] = b"SAH-BRIDGE-V2";
/// Length of the signed digest's preimage: tag 13, epoch 4, destination 4, chain binding 32, bridge 32, root 32.
pub const DIGEST_PREIMAGE_LEN: usize = 117;

/// Limits on the variable fields of a data attestation, in UTF-8 bytes (every chain enforces them).
pub const MAX_DID_LEN: usize = 256;
/// See [`MAX_DID_LEN`].
pub const MAX_URI_LEN: usize = 2048;
/// See [`MAX_DID_LEN`].
pub const MAX_LICENSE_LEN: usize = 256;

/// Domain tag of compute job ids (§7.3).
pub const JOB_ID_TAG: &[u8; 7] = b"SAH-JOB";

/// A compute job's id on its escrow chain (§7.3): `sha256("SAH-JOB" || chain u32 BE || counter u64 BE)`,
/// the counter per job board from 1.
pub fn job_id(chain: u32, counter: u64) -> [u8; 32] {
    use sha2::{Digest as _, Sha256};
    Sha256::new()
        .chain_update(JOB_ID_TAG)
        .chain_update(chain.to_be_bytes())
        .chain_update(counter.to_be_bytes())
        .finalize()
        .into()
}

/// Protocol chain ids (u32, §1), independent of EVM chain ids and Cosmos chain-id strings.
pub mod chain_ids {
    /// Governance pseudo-chain: the source of governance messages, never a destination.
    pub const GOVERNANCE: u32 = 0;
    /// Ethereum (SAH's home).
    pub const ETHEREUM: u32 = 1;
    /// The SAH Cosmos chain.
    pub const COSMOS: u32 = 2;
    /// The SAH parachain.
    pub const POLKADOT: u32 = 3;
    /// Devnet EVM chain A (anvil).
    pub const DEVNET_EVM_A: u32 = 10001;
    /// Devnet EVM chain B (anvil).
    pub const DEVNET_EVM_B: u32 = 10002;
    /// Devnet Cosmos chain (wasmd).
    pub const DEVNET_WASMD: u32 = 10003;
    /// Devnet Polkadot chain (chopsticks).
    pub const DEVNET_CHOPSTICKS: u32 = 10004;
    /// Chains whose accounts are 20-byte EVM addresses (left-padded to 32 in the protocol's form).
    pub const EVM: [u32; 3] = [ETHEREUM, DEVNET_EVM_A, DEVNET_EVM_B];
}

fn keccak256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Keccak256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// Message id: keccak256 of the canonical encoding. A destination consumes it once.
pub fn message_id(message: &[u8]) -> [u8; 32] {
    keccak256(&[message])
}

/// The verifying instance a signature is bound to (`docs/PROTOCOL.md` §2), as the destination knows itself:
/// `chain_binding` is what its runtime says it is (EVM `block.chainid`; CosmWasm sha256 of the chain-id
/// string; the pallet's genesis hash), `bridge` the verifying contract (EVM address left-padded; CosmWasm
/// canonical contract address left-padded; the pallet's configured instance id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instance {
    /// What the destination chain's runtime says it is.
    pub chain_binding: [u8; 32],
    /// The verifying bridge on that chain.
    pub bridge: [u8; 32],
}

/// The 117 bytes whose keccak256 the relayer set signs.
pub fn digest_preimage(
    epoch: u32,
    destination_chain: u32,
    instance: &Instance,
    root: &[u8; 32],
) -> [u8; DIGEST_PREIMAGE_LEN] {
    let mut out = [0u8; DIGEST_PREIMAGE_LEN];
    out[..13].copy_from_slice(DIGEST_TAG);
    out[13..17].copy_from_slice(&epoch.to_be_bytes());
    out[17..21].copy_from_slice(&destination_chain.to_be_bytes());
    out[21..53].copy_from_slice(&instance.chain_binding);
    out[53..85].copy_from_slice(&instance.bridge);
    out[85..].copy_from_slice(root);
    out
}

/// What the relayer set signs: `keccak256("SAH-BRIDGE-V2" || epoch || destination_chain || chain_binding ||
/// bridge || root)`, with `root` the [`merkle::root`] of a batch for one destination (a single message: its
/// [`merkle::leaf`]).
pub fn signing_digest(
    epoch: u32,
    destination_chain: u32,
    instance: &Instance,
    root: &[u8; 32],
) -> [u8; 32] {
    keccak256(&[&digest_preimage(epoch, destination_chain, instance, root)])
}
