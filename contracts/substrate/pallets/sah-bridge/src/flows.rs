//! Data attestations and compute jobs (PROTOCOL.md §7): the registry, the jobs this chain escrows
//! (chain A) and the jobs it arbitrates (chain B). The storage items, events, errors and calls are in
//! `lib.rs`; this module holds their types and the state transitions.

use crate::pallet::*;
use crate::{asset_token, ss58, NATIVE_TOKEN};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
    ensure,
    pallet_prelude::{ConstU32, DispatchResult},
    traits::{fungible, fungibles, tokens::Preservation, Get},
    BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
pub use sah_bridge_protocol::job_id;
use sah_bridge_protocol::{
    chain_ids, AttestationAction, ComputeJob, ComputeResult, DataAttestation, Header, Outcome,
    Payload, MAX_DID_LEN, MAX_LICENSE_LEN, MAX_URI_LEN,
};
use scale_info::TypeInfo;
use sp_runtime::{traits::Zero, DispatchError, RuntimeDebug};

/// Most destinations of one `attest` or `revoke` (one message each).
pub const MAX_DESTINATIONS: u32 = 16;

/// Conflicts stored per data hash. Later ones are still counted ([`ConflictCount`]) and announced
/// ([`Event::AttestationConflict`] with `stored: false`), never stored: the record itself is never
/// touched by a conflict, and a data hash's storage stays bounded whatever other owners send.
pub const MAX_CONFLICTS: u32 = 64;



/// An owner DID (1..=256 bytes, UTF-8).
pub type Did = BoundedVec<u8, ConstU32<{ MAX_DID_LEN as u32 }>>;
/// An attestation's URI (0..=2048 bytes, UTF-8).
pub type Uri = BoundedVec<u8, ConstU32<{ MAX_URI_LEN as u32 }>>;
/// An attestation's license (0..=256 bytes, UTF-8).
pub type License = BoundedVec<u8, ConstU32<{ MAX_LICENSE_LEN as u32 }>>;
/// The destination chains of an `attest` or `revoke`.
pub type Destinations = BoundedVec<u32, ConstU32<MAX_DESTINATIONS>>;


/// Register or revoke (the payload's `action`).
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Encode,
    Decode,
    DecodeWithMemTracking,
    MaxEncodedLen,
    TypeInfo,
    RuntimeDebug,
)]
pub enum AttestAction {
    Register,
    Revoke,
}

impl From<AttestationAction> for AttestAction {
    fn from(a: AttestationAction) -> Self {
        match a {
            AttestationAction::Register => AttestAction::Register,
            AttestationAction::Revoke => AttestAction::Revoke,
        }
    }
}

/// A registry record (PROTOCOL.md §7.2), kept by data hash.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, RuntimeDebug)]
pub struct Attestation {
    pub data_hash: [u8; 32],
    /// The `did:pkh` of the account that attested, on its origin chain.
    pub owner_did: Did,
    /// Where the attestation was made (this chain's id for a local `attest`).
    pub origin_chain: u32,
    /// The nonce of the message that carried it; 0 for a local `attest`.
    pub origin_nonce: u64,
    pub uri: Uri,
    pub license: License,
    /// Unix seconds at the origin of the last register (of the revoke, for a record a revoke
    /// created).
    pub timestamp: u64,
    pub revoked: bool,
    /// Unix seconds at the origin of the revocation (0 while not revoked).
    pub revoked_at: u64,
}

/// A register or revoke that did not apply to the record (another owner DID, or a register of a
/// revoked record), kept beside it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, RuntimeDebug)]
pub struct Conflict {
    pub data_hash: [u8; 32],
    pub owner_did: Did,
    pub origin_chain: u32,
    pub nonce: u64,
    pub timestamp: u64,
    pub action: AttestAction,
}

/// What pays a job posted here: the native currency or a `pallet-assets` asset (a home asset, or a
/// wrapped asset this pallet created).
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Encode,
    Decode,
    DecodeWithMemTracking,
    MaxEncodedLen,
    TypeInfo,
    RuntimeDebug,
)]
pub enum Payment {
    Native,
    Asset(u32),
}

/// A job posted here, on chain A.
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Encode,
    Decode,
    DecodeWithMemTracking,
    MaxEncodedLen,
    TypeInfo,
    RuntimeDebug,
)]
pub enum PostedJobState {
    /// Escrowed, `post` sent.
    Posted,
    /// The payer asked B to cancel; B's result decides.
    CancelRequested,
    /// A `completed` result paid the executor.
    Paid,
    /// An `expired` or `cancelled` result refunded the payer.
    Refunded,
}

/// A job this chain escrows (chain A).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, RuntimeDebug)]
pub struct PostedJob<AccountId> {
    /// The counter the id was made from.
    pub counter: u64,
    pub payer: AccountId,
    pub executor_chain: u32,
    pub spec_hash: [u8; 32],
    pub payment: Payment,
    /// The payment token's home and id there (PROTOCOL.md §3.1), as sent in `post`.
    pub payment_origin_chain: u32,
    pub payment_origin_token: [u8; 32],
    pub amount: u128,
    pub deadline: u64,
    pub posted_at: u64,
    /// Nonce of the `post` message.
    pub post_nonce: u64,
    pub state: PostedJobState,
    /// From a `completed` result (zero otherwise).
    pub result_hash: [u8; 32],
    /// Who was paid (`completed`, the executor) or refunded (the payer); set when settled.
    pub settled_to: Option<AccountId>,
    /// B's timestamp of the result that settled the job (0 before).
    pub settled_at: u64,
}

/// A job this chain arbitrates (chain B).
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Encode,
    Decode,
    DecodeWithMemTracking,
    MaxEncodedLen,
    TypeInfo,
    RuntimeDebug,
)]
pub enum ReceivedJobState {
    Open,
    Claimed,
    Completed,
    Expired,
    Cancelled,
}

/// A job received from chain A (chain B's view).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, RuntimeDebug)]
pub struct ReceivedJob<AccountId> {
    /// Chain A (the `post` message's source), where the payment is escrowed and results go.
    pub escrow_chain: u32,
    /// Nonce of the `post` message.
    pub post_nonce: u64,
    /// The payer on A (32-byte form): the only one who may cancel.
    pub payer: [u8; 32],
    pub spec_hash: [u8; 32],
    pub payment_origin_chain: u32,
    pub payment_origin_token: [u8; 32],
    pub amount: u128,
    pub deadline: u64,
    pub received_at: u64,
    pub state: ReceivedJobState,
    pub claimer: Option<AccountId>,
    pub result_hash: [u8; 32],
    /// The 32-byte account to pay on A, given with the result.
    pub pay_to: [u8; 32],
    /// Block time when the job left `Open`/`Claimed` (0 before).
    pub finished_at: u64,
    /// Nonce of the result message sent then (0 before).
    pub result_nonce: u64,
}

/// The outcome a job settled with (events).
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Encode,
    Decode,
    DecodeWithMemTracking,
    MaxEncodedLen,
    TypeInfo,
    RuntimeDebug,
)]
pub enum JobOutcome {
    Completed,
    Expired,
    Cancelled,
}

impl From<Outcome> for JobOutcome {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Completed => JobOutcome::Completed,
            Outcome::Expired => JobOutcome::Expired,
            Outcome::Cancelled => JobOutcome::Cancelled,
        }
    }
}

fn bounded<const N: u32>(bytes: &[u8]) -> BoundedVec<u8, ConstU32<N>> {
    // every caller checked the length (decoder or call checks)
    BoundedVec::truncate_from(bytes.to_vec())
}

impl<T: Config> Pallet<T> {
    // ------------------------------------------------------------------------------ identities

    /// The genesis hash: `frame_system::BlockHash(0)` (kept for ever by frame_system).
    pub fn genesis_hash() -> T::Hash {
        frame_system::BlockHash::<T>::get(BlockNumberFor::<T>::zero())
    }

    /// The owner DID of an account of this chain (PROTOCOL.md §7.1):
    /// `did:pkh:polkadot:<genesis hash's first 16 bytes, hex>:<SS58 with the runtime's prefix>`.
    pub fn did_of(who: &T::AccountId) -> Vec<u8> {
        let account: [u8; 32] = who.clone().into();
        ss58::did_pkh(
            Self::genesis_hash().as_ref(),
            T::SS58Prefix::get(),
            &account,
        )
    }

    // ------------------------------------------------------------------------------ checks

    /// Each destination once, known (`KnownChains`), not this chain, not chain 0; at least one.
    pub(crate) fn check_destinations(destinations: &[u32]) -> DispatchResult {
        ensure!(!destinations.is_empty(), Error::<T>::EmptyDestinations);
        for (i, d) in destinations.iter().enumerate() {
            ensure!(
                *d != 0
                    && *d != T::ChainId::get()
                    && T::KnownChains::get().contains(d)
                    && !destinations[..i].contains(d),
                Error::<T>::InvalidDestination
            );
        }
        Ok(())
    }

    /// Whether `pay_to` is an account chain `chain` can hold, as far as this chain knows its family
    /// (PROTOCOL.md §7.3): an EVM chain of §1 holds only 20-byte addresses (zero upper 12 bytes).
    pub(crate) fn payable_on(chain: u32, pay_to: &[u8; 32]) -> bool {
        !chain_ids::EVM.contains(&chain) || pay_to[..12] == [0u8; 12]
    }

    /// `executor_chain` is known, not this chain and not chain 0.
    pub(crate) fn check_executor_chain(chain: u32) -> DispatchResult {
        ensure!(
            chain != 0 && chain != T::ChainId::get() && T::KnownChains::get().contains(&chain),
            Error::<T>::InvalidDestination
        );
        Ok(())
    }

    // ------------------------------------------------------------------------------ registry

    /// Applies a register or revoke by `owner_did` to the registry (PROTOCOL.md §7.2). Never fails:
    /// what cannot apply is a conflict.
    ///
    /// - no record: a register creates it; a revoke creates it revoked (a revoke delivered before
    ///   its register: the owner's later register is then a conflict);
    /// - the record's owner: a register from the record's origin chain with a nonce below the
    ///   record's origin nonce is stale (delivered out of order) and changes nothing, not even a
    ///   conflict (whether the record is revoked or not); any other register updates uri, license,
    ///   timestamp, origin and nonce (unless the record is revoked: revocation is final, the
    ///   register is a conflict); a revoke revokes (again: nothing changes);
    /// - another owner: a conflict, whatever the state.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn apply_attestation(
        data_hash: [u8; 32],
        owner_did: &[u8],
        action: AttestAction,
        origin_chain: u32,
        nonce: u64,
        timestamp: u64,
        uri: &[u8],
        license: &[u8],
    ) {
        let owner: Did = bounded(owner_did);
        match Attestations::<T>::get(data_hash) {
            None => {
                let revoke = action == AttestAction::Revoke;
                Attestations::<T>::insert(
                    data_hash,
                    Attestation {
                        data_hash,
                        owner_did: owner.clone(),
                        origin_chain,
                        origin_nonce: nonce,
                        uri: bounded(uri),
                        license: bounded(license),
                        timestamp,
                        revoked: revoke,
                        revoked_at: if revoke { timestamp } else { 0 },
                    },
                );
                Self::deposit_event(if revoke {
                    Event::AttestationRevoked {
                        data_hash,
                        owner_did: owner,
                        origin_chain,
                        origin_nonce: nonce,
                    }
                } else {
                    Event::AttestationRegistered {
                        data_hash,
                        owner_did: owner,
                        origin_chain,
                        origin_nonce: nonce,
                        reattested: false,
                    }
                });
            }
            Some(mut record) if record.owner_did == owner => match action {
                AttestAction::Register
                    if origin_chain == record.origin_chain && nonce < record.origin_nonce =>
                {
                    Self::deposit_event(Event::AttestationStale {
                        data_hash,
                        owner_did: owner,
                        origin_chain,
                        nonce,
                    });
                }
                AttestAction::Register if !record.revoked => {
                    record.uri = bounded(uri);
                    record.license = bounded(license);
                    record.timestamp = timestamp;
                    record.origin_chain = origin_chain;
                    record.origin_nonce = nonce;
                    Attestations::<T>::insert(data_hash, record);
                    Self::deposit_event(Event::AttestationRegistered {
                        data_hash,
                        owner_did: owner,
                        origin_chain,
                        origin_nonce: nonce,
                        reattested: true,
                    });
                }
                AttestAction::Register => {
                    Self::record_conflict(data_hash, owner, origin_chain, nonce, timestamp, action)
                }
                AttestAction::Revoke => {
                    if !record.revoked {
                        record.revoked = true;
                        record.revoked_at = timestamp;
                        Attestations::<T>::insert(data_hash, record);
                    }
                    Self::deposit_event(Event::AttestationRevoked {
                        data_hash,
                        owner_did: owner,
                        origin_chain,
                        origin_nonce: nonce,
                    });
                }
            },
            Some(_) => {
                Self::record_conflict(data_hash, owner, origin_chain, nonce, timestamp, action)
            }
        }
    }

    fn record_conflict(
        data_hash: [u8; 32],
        owner_did: Did,
        origin_chain: u32,
        nonce: u64,
        timestamp: u64,
        action: AttestAction,
    ) {
        let index = ConflictCount::<T>::get(data_hash);
        let stored = index < MAX_CONFLICTS;
        if stored {
            AttestationConflicts::<T>::insert(
                data_hash,
                index,
                Conflict {
                    data_hash,
                    owner_did: owner_did.clone(),
                    origin_chain,
                    nonce,
                    timestamp,
                    action,
                },
            );
        }
        ConflictCount::<T>::insert(data_hash, index.saturating_add(1));
        Self::deposit_event(Event::AttestationConflict {
            data_hash,
            owner_did,
            origin_chain,
            nonce,
            action,
            stored,
        });
    }

    /// The conflicts stored for a data hash, in arrival order.
    pub fn conflicts(data_hash: [u8; 32]) -> Vec<Conflict> {
        let n = ConflictCount::<T>::get(data_hash).min(MAX_CONFLICTS);
        (0..n)
            .filter_map(|i| AttestationConflicts::<T>::get(data_hash, i))
            .collect()
    }

    /// An attestation message delivered here.
    pub(crate) fn receive_attestation(h: &Header, a: &DataAttestation) {
        Self::apply_attestation(
            a.data_hash,
            a.owner_did.as_bytes(),
            a.action.into(),
            h.source_chain,
            h.nonce,
            a.timestamp,
            a.uri.as_bytes(),
            a.license.as_bytes(),
        );
    }

    /// Sends a register (with `uri`, `license`) or a revoke (empty) to every destination.
    pub(crate) fn send_attestations(
        who: &T::AccountId,
        action: AttestationAction,
        data_hash: [u8; 32],
        owner_did: &[u8],
        uri: &[u8],
        license: &[u8],
        destinations: &[u32],
    ) -> DispatchResult {
        // every string was checked to be UTF-8 (the DID is ASCII)
        let text = |b: &[u8]| {
            alloc::string::String::from_utf8(b.to_vec()).map_err(|_| Error::<T>::InvalidField)
        };
        let payload = Payload::DataAttestation(DataAttestation {
            action,
            data_hash,
            timestamp: Self::now(),
            owner_did: text(owner_did)?,
            uri: text(uri)?,
            license: text(license)?,
        });
        for d in destinations {
            Self::send(who.clone().into(), *d, [0u8; 32], payload.clone())?;
        }
        Ok(())
    }

    // ------------------------------------------------------------------------------ jobs on A

    /// The payment's protocol id (PROTOCOL.md §3.1) and the least amount that can be paid out to an
    /// empty account: a wrapped asset's origin from `WrappedOrigins`; this chain's native currency or
    /// home asset otherwise.
    pub(crate) fn payment_origin(payment: Payment) -> Result<(u32, [u8; 32], u128), DispatchError> {
        Ok(match payment {
            Payment::Native => (
                T::ChainId::get(),
                NATIVE_TOKEN,
                <T::Currency as fungible::Inspect<_>>::minimum_balance(),
            ),
            Payment::Asset(id) => {
                ensure!(
                    <T::Assets as fungibles::Inspect<_>>::asset_exists(id),
                    Error::<T>::UnknownAsset
                );
                let min = <T::Assets as fungibles::Inspect<_>>::minimum_balance(id);
                match WrappedOrigins::<T>::get(id) {
                    Some(o) => (o.origin_chain, o.origin_token, min),
                    None => (T::ChainId::get(), asset_token(id), min),
                }
            }
        })
    }

    /// Moves `amount` of `payment` between an account and the pallet account.
    pub(crate) fn move_payment(
        payment: Payment,
        from: &T::AccountId,
        to: &T::AccountId,
        amount: u128,
    ) -> DispatchResult {
        match payment {
            // `Preserve`: neither the payer (fees) nor the pallet account (its ED) is reaped
            Payment::Native => {
                <T::Currency as fungible::Mutate<_>>::transfer(
                    from,
                    to,
                    amount,
                    Preservation::Preserve,
                )?;
            }
            Payment::Asset(id) => {
                <T::Assets as fungibles::Mutate<_>>::transfer(
                    id,
                    from,
                    to,
                    amount,
                    Preservation::Expendable,
                )?;
            }
        }
        Ok(())
    }

    /// A result delivered here (chain A): pays the executor or refunds the payer, once.
    pub(crate) fn receive_result(h: &Header, r: &ComputeResult) -> DispatchResult {
        let mut job = PostedJobs::<T>::get(r.job_id).ok_or(Error::<T>::UnknownJob)?;
        // only the executor chain the job was posted to decides it
        ensure!(
            h.source_chain == job.executor_chain,
            Error::<T>::UnexpectedResult
        );
        let open = matches!(
            job.state,
            PostedJobState::Posted | PostedJobState::CancelRequested
        );
        let ok = match r.outcome {
            Outcome::Completed | Outcome::Expired => open,
            Outcome::Cancelled => job.state == PostedJobState::CancelRequested,
        };
        ensure!(ok, Error::<T>::UnexpectedResult);
        let escrow = JobEscrow::<T>::get(job.payment)
            .checked_sub(job.amount)
            .ok_or(sp_runtime::ArithmeticError::Underflow)?;
        let (to, state) = match r.outcome {
            Outcome::Completed => (T::AccountId::from(r.executor), PostedJobState::Paid),
            _ => (job.payer.clone(), PostedJobState::Refunded),
        };
        JobEscrow::<T>::insert(job.payment, escrow);
        Self::move_payment(job.payment, &Self::account_id(), &to, job.amount)?;
        job.state = state;
        job.result_hash = r.result_hash;
        job.settled_to = Some(to.clone());
        job.settled_at = r.timestamp;
        let amount = job.amount;
        PostedJobs::<T>::insert(r.job_id, job);
        Self::deposit_event(match r.outcome {
            Outcome::Completed => Event::JobPaid {
                job_id: r.job_id,
                executor: to,
                amount,
                result_hash: r.result_hash,
            },
            outcome => Event::JobRefunded {
                job_id: r.job_id,
                payer: to,
                amount,
                outcome: outcome.into(),
            },
        });
        Ok(())
    }

    // ------------------------------------------------------------------------------ jobs on B

    /// A `post` or `cancel` delivered here (chain B).
    pub(crate) fn receive_job(h: &Header, j: &ComputeJob) -> DispatchResult {
        match j {
            ComputeJob::Post {
                job_id,
                spec_hash,
                payment_origin_chain,
                payment_origin_token,
                payment_amount,
                deadline,
                payer,
            } => {
                ensure!(
                    !ReceivedJobs::<T>::contains_key(job_id),
                    Error::<T>::JobAlreadyExists
                );
                ReceivedJobs::<T>::insert(
                    job_id,
                    ReceivedJob {
                        escrow_chain: h.source_chain,
                        post_nonce: h.nonce,
                        payer: *payer,
                        spec_hash: *spec_hash,
                        payment_origin_chain: *payment_origin_chain,
                        payment_origin_token: *payment_origin_token,
                        amount: *payment_amount,
                        deadline: *deadline,
                        received_at: Self::now(),
                        state: ReceivedJobState::Open,
                        claimer: None,
                        result_hash: [0; 32],
                        pay_to: [0; 32],
                        finished_at: 0,
                        result_nonce: 0,
                    },
                );
                Self::deposit_event(Event::JobOpened {
                    job_id: *job_id,
                    escrow_chain: h.source_chain,
                    spec_hash: *spec_hash,
                    amount: *payment_amount,
                    deadline: *deadline,
                });
                Ok(())
            }
            ComputeJob::Cancel { job_id } => {
                let mut job = ReceivedJobs::<T>::get(job_id).ok_or(Error::<T>::UnknownJob)?;
                // only the payer, from the job's own chain A
                ensure!(
                    h.source_chain == job.escrow_chain && h.sender == job.payer,
                    Error::<T>::NotPayer
                );
                if job.state != ReceivedJobState::Open {
                    // claimed (the job runs) or finished: nothing is sent, A waits for the result
                    Self::deposit_event(Event::CancelIgnored {
                        job_id: *job_id,
                        state: job.state,
                    });
                    return Ok(());
                }
                Self::finish(
                    *job_id,
                    &mut job,
                    ReceivedJobState::Cancelled,
                    h.sender,
                    Outcome::Cancelled,
                )
            }
        }
    }

    /// Ends a job on B (`Completed`, `Expired` or `Cancelled`) and sends its one result to A.
    pub(crate) fn finish(
        job_id: [u8; 32],
        job: &mut ReceivedJob<T::AccountId>,
        state: ReceivedJobState,
        sender: [u8; 32],
        outcome: Outcome,
    ) -> DispatchResult {
        let now = Self::now();
        let nonce = Self::send(
            sender,
            job.escrow_chain,
            [0u8; 32],
            Payload::ComputeResult(ComputeResult {
                outcome,
                job_id,
                result_hash: job.result_hash,
                executor: job.pay_to,
                timestamp: now,
            }),
        )?;
        job.state = state;
        job.finished_at = now;
        job.result_nonce = nonce;
        ReceivedJobs::<T>::insert(job_id, job.clone());
        Self::deposit_event(match outcome {
            Outcome::Completed => Event::JobCompleted {
                job_id,
                result_hash: job.result_hash,
                pay_to: job.pay_to,
            },
            Outcome::Expired => Event::JobExpired { job_id },
            Outcome::Cancelled => Event::JobCancelled { job_id },
        });
        Ok(())
    }

    /// `Open` or `Claimed` (a job B has not decided yet).
    pub(crate) fn undecided(state: ReceivedJobState) -> bool {
        matches!(state, ReceivedJobState::Open | ReceivedJobState::Claimed)
    }
}
