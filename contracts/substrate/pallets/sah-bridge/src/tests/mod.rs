//! The pallet's tests, mirroring the CosmWasm bridge's (`contracts/cosmwasm/contracts/bridge/tests`),
//! one file per topic: token ids, genesis and weight bounds ([`basics`]); outbound locks and burns,
//! inbound mints and unlocks ([`transfers`]); the delivery checks: replays, destinations, epochs,
//! signatures, pause ([`delivery`]); batches ([`batch`]); governance ([`governance`]); the golden
//! vectors through the pallet ([`vectors`]); what a signature is bound to: the instance, leaves
//! against inner nodes, the starting epoch ([`binding`]); an invariant-style random sequence test
//! ([`invariant`]); the consumed bitmaps, their storage version and migration ([`replay`]); and the
//! §7 flows ([`flows`]). Every refusal of a call is an `assert_noop!`: the
//! exact error, and the storage root (events included) unchanged.

mod basics;
mod batch;
mod binding;
mod delivery;
mod flow_vectors;
mod flows;
mod governance;
mod invariant;
mod replay;
mod transfers;
mod vectors;

use crate::mock::*;
use crate::{
    asset_token, padded32, token_key, trimmed, ConsumedWords, CurrentKey, Epoch, Error, Event,
    GovernanceNonce, Locked, OutboundMessages, OutboundNonce, Paused, Pauser, PreviousKey,
    RateLimits, WrappedAsset, WrappedOrigins, WrappedSupply, NATIVE_TOKEN,
};
use codec::Decode as _;
use frame_support::{
    assert_noop, assert_ok,
    traits::{
        fungible::Inspect as _,
        fungibles::{metadata::Inspect as _, Inspect as _},
        Hooks,
    },
};
use sah_bridge_protocol::{
    message_id, signing_digest, ComputeResult, Governance, Header, Kind, Message, Outcome, Payload,
    TokenTransfer,
};
use sha2::{Digest, Sha256};
use sp_core::H256;
use sp_runtime::{BuildStorage, DispatchError, DispatchResult, TokenError};

/// The bridge's error named `name` (as the vectors and the other chains name it): the variant of
/// that name, found by decoding every variant index.
fn pallet_error(name: &str) -> Error<Test> {
    let variant = |i: u8| Error::<Test>::decode(&mut &[i][..]).ok();
    let index = (0..=u8::MAX)
        .find(|i| variant(*i).map(<&'static str>::from) == Some(name))
        .unwrap_or_else(|| panic!("the bridge has no error named {name}"));
    variant(index).unwrap()
}

/// Says what a test was doing when an assertion without a message of its own (`assert_noop!`)
/// fails: printed if the thread panics while the guard lives.
pub struct Context(String);

impl Drop for Context {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("(while: {})", self.0);
        }
    }
}

pub fn context(what: impl Into<String>) -> Context {
    Context(what.into())
}

/// Whether the message `m` (at least its header: source chain at offset 2, nonce at offset 10) is
/// consumed: the bit of its `(source chain, nonce)`.
fn consumed(m: &[u8]) -> bool {
    let (source, nonce) = source_and_nonce(m);
    SahBridge::is_consumed(source, nonce)
}

/// The `(source chain, nonce)` a message is consumed under, read from its header bytes.
fn source_and_nonce(m: &[u8]) -> (u32, u64) {
    (
        u32::from_be_bytes(m[2..6].try_into().unwrap()),
        u64::from_be_bytes(m[10..18].try_into().unwrap()),
    )
}

fn wrapped(origin_chain: u32, origin_token: [u8; 32]) -> Option<u32> {
    WrappedAsset::<Test>::get(token_key(origin_chain, &origin_token))
}

fn asset_balance(asset: u32, who: &AccountId) -> u128 {
    Assets::balance(asset, who)
}

fn native(who: &AccountId) -> u128 {
    Balances::balance(who)
}

fn lock_native(
    who: &AccountId,
    amount: u128,
    destination: u32,
    recipient: [u8; 32],
) -> DispatchResult {
    SahBridge::lock_native(
        RuntimeOrigin::signed(who.clone()),
        amount,
        destination,
        recipient,
    )
}

fn lock_asset(
    who: &AccountId,
    asset: u32,
    amount: u128,
    destination: u32,
    recipient: [u8; 32],
) -> DispatchResult {
    SahBridge::lock_asset(
        RuntimeOrigin::signed(who.clone()),
        asset,
        amount,
        destination,
        recipient,
    )
}

fn burn(
    who: &AccountId,
    asset: u32,
    amount: u128,
    destination: u32,
    recipient: [u8; 32],
) -> DispatchResult {
    SahBridge::burn(
        RuntimeOrigin::signed(who.clone()),
        asset,
        amount,
        destination,
        recipient,
    )
}

fn transfer_of(bytes: &[u8]) -> (Header, TokenTransfer) {
    let m = Message::decode(bytes).unwrap();
    let Payload::TokenTransfer(t) = m.payload else {
        panic!("not a transfer")
    };
    (m.header, t)
}

fn created_events() -> usize {
    bridge_events()
        .iter()
        .filter(|e| matches!(e, Event::WrappedAssetCreated { .. }))
        .count()
}

fn received_events() -> usize {
    bridge_events()
        .iter()
        .filter(|e| matches!(e, Event::MessageReceived { .. }))
        .count()
}

// ------------------------------------------------------------------------------------ vectors

/// A number the vectors write as a JSON number or as a decimal string.
fn num(v: &serde_json::Value) -> u32 {
    v.as_u64()
        .map(|n| n as u32)
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .expect("a number")
}

/// A 65-byte signature the vectors write in hex.
fn sig65(v: &serde_json::Value) -> [u8; 65] {
    hex_bytes(v.as_str().unwrap())
        .try_into()
        .expect("a 65-byte signature")
}

/// A valid vector's (or the batch's) signature for this pallet's instance: its
/// `deliveries.substrate.signature` (signed for the mock's genesis hash and instance id).
fn substrate_sig(vector: &serde_json::Value) -> [u8; 65] {
    sig65(&vector["deliveries"]["substrate"]["signature"])
}

/// 32 bytes the vectors write in hex.
fn hex32(v: &serde_json::Value) -> [u8; 32] {
    hex_bytes(v.as_str().expect("a hex string"))
        .try_into()
        .expect("32 bytes")
}
