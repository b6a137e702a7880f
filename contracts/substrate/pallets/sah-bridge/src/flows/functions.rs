//! What the §7 calls of `lib.rs` do, and the state transitions of the registry and of the jobs on
//! chain A (escrow) and chain B (executor), inbound ones included.

use super::*;
use crate::pallet::*;
use crate::{asset_token, ss58, NATIVE_TOKEN};
use alloc::vec::Vec;
use frame_support::{
    ensure,
    pallet_prelude::DispatchResult,
    traits::{fungible, fungibles, tokens::Preservation, Get},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sah_bridge_protocol::rules::{
    escrow_step, executor_step, registry_decision, EscrowEffect, EscrowEvent, ExecutorEffect,
    ExecutorEvent, ExecutorTerms, RecordView, RegistryDecision, RegistryEntry,
};
use sah_bridge_protocol::{
    AttestationAction, ComputeJob, ComputeResult, DataAttestation, Header, Outcome, Payload,
    MAX_LICENSE_LEN, MAX_URI_LEN,
};
use sp_core::H256;
use sp_runtime::{traits::Zero, DispatchError};

fn bounded<const N: u32>(bytes: &[u8]) -> BoundedVec<u8, ConstU32<N>> {
    // every caller checked the length (decoder or call checks)
    BoundedVec::truncate_from(bytes.to_vec())
}

impl<T: Config> Pallet<T> {
    // ------------------------------------------------------------------------------ calls

    /// [`Pallet::attest`]: records `data_hash` under the caller's DID here and sends a `register`
    /// to each destination.
    pub(crate) fn do_attest(
        who: &T::AccountId,
        data_hash: [u8; 32],
        uri: &[u8],
        license: &[u8],
        destinations: &[u32],
    ) -> DispatchResult {
        ensure!(!Paused::<T>::get(), Error::<T>::BridgePaused);
        ensure!(data_hash != [0u8; 32], Error::<T>::InvalidField);
        ensure!(
            uri.len() <= MAX_URI_LEN && core::str::from_utf8(uri).is_ok(),
            Error::<T>::InvalidField
        );
        ensure!(
            license.len() <= MAX_LICENSE_LEN && core::str::from_utf8(license).is_ok(),
            Error::<T>::InvalidField
        );
        Self::check_destinations(destinations)?;
        let did = Self::did_of(who);
        if let Some(record) = Attestations::<T>::get(data_hash) {
            ensure!(
                !(record.revoked && record.owner_did[..] == did[..]),
                Error::<T>::AttestationRevoked
            );
        }
        let now = Self::now();
        Self::apply_attestation(
            data_hash,
            &did,
            AttestAction::Register,
            T::ChainId::get(),
            0,
            now,
            uri,
            license,
        );
        Self::send_attestations(
            who,
            AttestationAction::Register,
            data_hash,
            &did,
            uri,
            license,
            destinations,
        )
    }

    /// [`Pallet::revoke`]: the record's owner revokes it here and sends a `revoke` to each
    /// destination.
    pub(crate) fn do_revoke(
        who: &T::AccountId,
        data_hash: [u8; 32],
        destinations: &[u32],
    ) -> DispatchResult {
        ensure!(!Paused::<T>::get(), Error::<T>::BridgePaused);
        Self::check_destinations(destinations)?;
        let did = Self::did_of(who);
        let record = Attestations::<T>::get(data_hash).ok_or(Error::<T>::NotOwner)?;
        ensure!(record.owner_did[..] == did[..], Error::<T>::NotOwner);
        Self::apply_attestation(
            data_hash,
            &did,
            AttestAction::Revoke,
            T::ChainId::get(),
            0,
            Self::now(),
            &[],
            &[],
        );
        Self::send_attestations(
            who,
            AttestationAction::Revoke,
            data_hash,
            &did,
            &[],
            &[],
            destinations,
        )
    }

    /// [`Pallet::post_job`]: escrows the payment in the pallet account and sends `post`.
    pub(crate) fn do_post_job(
        who: T::AccountId,
        payment: Payment,
        amount: u128,
        spec_hash: [u8; 32],
        executor_chain: u32,
        deadline: u64,
    ) -> DispatchResult {
        ensure!(!Paused::<T>::get(), Error::<T>::BridgePaused);
        ensure!(spec_hash != [0u8; 32], Error::<T>::InvalidField);
        ensure!(amount != 0, Error::<T>::ZeroAmount);
        let now = Self::now();
        // a new job: the rule checks its deadline (`JobAlreadyExists` is checked below, by its id)
        escrow_step(None, EscrowEvent::Post { deadline }, now).map_err(Error::<T>::from)?;
        Self::check_executor_chain(executor_chain)?;
        let (origin_chain, origin_token, minimum) = Self::payment_origin(payment)?;
        ensure!(amount >= minimum, Error::<T>::BelowMinimumBalance);
        let counter = JobCounter::<T>::get()
            .checked_add(1)
            .ok_or(Error::<T>::Overflow)?;
        let job_id = job_id(T::ChainId::get(), counter);
        ensure!(
            !PostedJobs::<T>::contains_key(job_id),
            Error::<T>::JobAlreadyExists
        );
        let escrow = JobEscrow::<T>::get(payment)
            .checked_add(amount)
            .ok_or(Error::<T>::AmountTooLarge)?;
        Self::move_payment(payment, &who, &Self::account_id(), amount)?;
        JobEscrow::<T>::insert(payment, escrow);
        JobCounter::<T>::put(counter);
        let payer: [u8; 32] = who.clone().into();
        let post_nonce = Self::send(
            payer,
            executor_chain,
            [0u8; 32],
            Payload::ComputeJob(ComputeJob::Post {
                job_id,
                spec_hash,
                payment_origin_chain: origin_chain,
                payment_origin_token: origin_token,
                payment_amount: amount,
                deadline,
                payer,
            }),
        )?;
        PostedJobs::<T>::insert(
            job_id,
            PostedJob {
                counter,
                payer: who.clone(),
                executor_chain,
                spec_hash,
                payment,
                payment_origin_chain: origin_chain,
                payment_origin_token: origin_token,
                amount,
                deadline,
                posted_at: now,
                post_nonce,
                state: PostedJobState::Posted,
                result_hash: [0u8; 32],
                settled_to: None,
                settled_at: 0,
            },
        );
        Self::deposit_event(Event::JobPosted {
            job_id,
            payer: who,
            executor_chain,
            payment,
            amount,
            deadline,
        });
        Ok(())
    }

    /// [`Pallet::cancel_job`]: the payer asks the executor chain to cancel (sends `cancel`).
    pub(crate) fn do_cancel_job(who: T::AccountId, job_id: [u8; 32]) -> DispatchResult {
        ensure!(!Paused::<T>::get(), Error::<T>::BridgePaused);
        let mut job = PostedJobs::<T>::get(job_id).ok_or(Error::<T>::UnknownJob)?;
        let event = EscrowEvent::Cancel {
            by_payer: job.payer == who,
        };
        let (state, _send_cancel) =
            escrow_step(Some(job.state.into()), event, Self::now()).map_err(Error::<T>::from)?;
        Self::send(
            who.into(),
            job.executor_chain,
            [0u8; 32],
            Payload::ComputeJob(ComputeJob::Cancel { job_id }),
        )?;
        job.state = state.into();
        PostedJobs::<T>::insert(job_id, job);
        Self::deposit_event(Event::JobCancelRequested { job_id });
        Ok(())
    }

    /// [`Pallet::claim_job`]: any account takes an `Open` job at or before its deadline.
    pub(crate) fn do_claim_job(who: T::AccountId, job_id: [u8; 32]) -> DispatchResult {
        let mut job = ReceivedJobs::<T>::get(job_id).ok_or(Error::<T>::UnknownJob)?;
        let (state, _) = executor_step(
            Some(job.state.into()),
            job.terms(),
            ExecutorEvent::Claim,
            Self::now(),
        )
        .map_err(Error::<T>::from)?;
        job.state = state.into();
        job.claimer = Some(who.clone());
        ReceivedJobs::<T>::insert(job_id, job);
        Self::deposit_event(Event::JobClaimed {
            job_id,
            claimer: who,
        });
        Ok(())
    }

    /// [`Pallet::submit_result`]: the claimer's result; `completed` goes to the escrow chain.
    pub(crate) fn do_submit_result(
        who: T::AccountId,
        job_id: [u8; 32],
        result_hash: [u8; 32],
        pay_to: [u8; 32],
    ) -> DispatchResult {
        ensure!(!Paused::<T>::get(), Error::<T>::BridgePaused);
        let mut job = ReceivedJobs::<T>::get(job_id).ok_or(Error::<T>::UnknownJob)?;
        // the rule checks the claimer, the deadline, then the hash and an account A can pay (A could
        // not pay another, and B sends one result only: the escrow would stay locked)
        let event = ExecutorEvent::SubmitResult {
            by_claimer: job.claimer.as_ref() == Some(&who),
            result_hash: &result_hash,
            pay_to: &pay_to,
        };
        let (state, _) = executor_step(Some(job.state.into()), job.terms(), event, Self::now())
            .map_err(Error::<T>::from)?;
        job.result_hash = result_hash;
        job.pay_to = pay_to;
        Self::finish(
            job_id,
            &mut job,
            state.into(),
            who.into(),
            Outcome::Completed,
        )
    }

    /// [`Pallet::expire_job`]: an undecided job past its deadline; `expired` goes to the escrow
    /// chain.
    pub(crate) fn do_expire_job(who: T::AccountId, job_id: [u8; 32]) -> DispatchResult {
        ensure!(!Paused::<T>::get(), Error::<T>::BridgePaused);
        let mut job = ReceivedJobs::<T>::get(job_id).ok_or(Error::<T>::UnknownJob)?;
        let (state, _) = executor_step(
            Some(job.state.into()),
            job.terms(),
            ExecutorEvent::Expire,
            Self::now(),
        )
        .map_err(Error::<T>::from)?;
        Self::finish(job_id, &mut job, state.into(), who.into(), Outcome::Expired)
    }

    // ------------------------------------------------------------------------------ identities

    /// The genesis hash: `frame_system::BlockHash(0)` (`frame_system::Pallet::block_hash(0)`).
    /// frame_system's genesis build puts its placeholder there (`hash69`, `0x4545..45`, what a
    /// test externality that never initialises block 1 keeps); the initialisation of block 1 sets
    /// it to block 1's parent, the real genesis hash, before any extrinsic; it is never pruned.
    pub fn genesis_hash() -> H256 {
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

    /// `executor_chain` is known, not this chain and not chain 0.
    pub(crate) fn check_executor_chain(chain: u32) -> DispatchResult {
        ensure!(
            chain != 0 && chain != T::ChainId::get() && T::KnownChains::get().contains(&chain),
            Error::<T>::InvalidDestination
        );
        Ok(())
    }

    // ------------------------------------------------------------------------------ registry

    /// Applies a register or revoke by `owner_did` to the registry (PROTOCOL.md §7.2): the rule
    /// ([`registry_decision`]) decides, this stores the record or the conflict. Never fails: what
    /// cannot apply is a conflict.
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
        let existing = Attestations::<T>::get(data_hash);
        let view = existing.as_ref().map(|r| RecordView {
            owner_did: &r.owner_did,
            origin_chain: r.origin_chain,
            origin_nonce: r.origin_nonce,
            revoked: r.revoked,
        });
        let entry = RegistryEntry {
            owner_did: &owner,
            origin_chain,
            origin_nonce: nonce,
            action: match action {
                AttestAction::Register => AttestationAction::Register,
                AttestAction::Revoke => AttestationAction::Revoke,
            },
        };
        let revoked_event = |owner_did| Event::AttestationRevoked {
            data_hash,
            owner_did,
            origin_chain,
            origin_nonce: nonce,
        };
        match (registry_decision(view.as_ref(), &entry), existing) {
            (decision @ (RegistryDecision::Create | RegistryDecision::CreateRevoked), _) => {
                let revoke = decision == RegistryDecision::CreateRevoked;
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
                    revoked_event(owner)
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
            (RegistryDecision::IgnoredStale, _) => {
                Self::deposit_event(Event::AttestationStale {
                    data_hash,
                    owner_did: owner,
                    origin_chain,
                    nonce,
                });
            }
            (RegistryDecision::Conflict, _) => {
                Self::record_conflict(data_hash, owner, origin_chain, nonce, timestamp, action)
            }
            // revoking a revoked record changes nothing; the event still says who revoked
            (RegistryDecision::IgnoredRevoked, _) => Self::deposit_event(revoked_event(owner)),
            (RegistryDecision::Update, Some(mut record)) => {
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
            (RegistryDecision::Revoke, Some(mut record)) => {
                record.revoked = true;
                record.revoked_at = timestamp;
                Attestations::<T>::insert(data_hash, record);
                Self::deposit_event(revoked_event(owner));
            }
            // the rule updates or revokes only an existing record
            (RegistryDecision::Update | RegistryDecision::Revoke, None) => {}
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
        // only the executor chain the job was posted to decides it, from a state taking the outcome
        let event = EscrowEvent::Result {
            outcome: r.outcome,
            from_executor_chain: h.source_chain == job.executor_chain,
        };
        let (state, effect) =
            escrow_step(Some(job.state.into()), event, Self::now()).map_err(Error::<T>::from)?;
        let escrow = JobEscrow::<T>::get(job.payment)
            .checked_sub(job.amount)
            .ok_or(sp_runtime::ArithmeticError::Underflow)?;
        let to = match effect {
            EscrowEffect::Pay => T::AccountId::from(r.executor),
            // Refund (a result never sends)
            _ => job.payer.clone(),
        };
        JobEscrow::<T>::insert(job.payment, escrow);
        Self::move_payment(job.payment, &Self::account_id(), &to, job.amount)?;
        job.state = state.into();
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
                let known = ReceivedJobs::<T>::get(job_id).map(|j| j.state.into());
                let terms = ExecutorTerms {
                    deadline: *deadline,
                    escrow_chain: h.source_chain,
                };
                executor_step(known, terms, ExecutorEvent::Post, Self::now())
                    .map_err(Error::<T>::from)?;
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
                let event = ExecutorEvent::Cancel {
                    from_payer: h.source_chain == job.escrow_chain && h.sender == job.payer,
                };
                let (state, effect) =
                    executor_step(Some(job.state.into()), job.terms(), event, Self::now())
                        .map_err(Error::<T>::from)?;
                if effect == ExecutorEffect::CancelIgnored {
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
                    state.into(),
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
}
