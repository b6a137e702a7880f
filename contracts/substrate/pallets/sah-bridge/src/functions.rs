//! The bridge's internal functions: what the token and delivery calls of `lib.rs` do (outbound locks
//! and burns, inbound delivery and its routing by kind), the outbound path every message leaves by,
//! key selection and the signature check, rate limits, unlocks and mints (with the creation of
//! wrapped assets), and governance. The §7 flows (attestations, jobs) are in [`crate::flows`].

use crate::consumed::TouchedWords;
use crate::*;
use alloc::vec::Vec;
use frame_support::{
    ensure,
    pallet_prelude::{DispatchResult, Get},
    traits::{
        fungible,
        fungibles::{self, metadata::Inspect as _, Create as _, Inspect as _},
        tokens::{Fortitude, Precision, Preservation},
        UnixTime,
    },
};
use sah_bridge_protocol::rules::{key_for_epoch, EpochKey, RateLimitBucket};
use sah_bridge_protocol::{
    frost, merkle, message_id, signing_digest, Governance, Header, Instance, Message, Payload,
    TokenTransfer, VERSION,
};
use sp_core::H256;
use sp_runtime::{traits::AccountIdConversion, DispatchError};

impl<T: Config> Pallet<T> {
    // ---------------------------------------------------------------------------------- calls

    /// [`Pallet::lock_native`]: escrows `amount` of the native currency and sends it.
    pub(crate) fn do_lock_native(
        who: &T::AccountId,
        amount: u128,
        destination_chain: u32,
        recipient: [u8; 32],
    ) -> DispatchResult {
        Self::check_outbound(amount, destination_chain, &recipient)?;
        let total = Self::locked_total(&NATIVE_TOKEN, amount)?;
        <T::Currency as fungible::Mutate<_>>::transfer(
            who,
            &Self::account_id(),
            amount,
            Preservation::Preserve,
        )?;
        Locked::<T>::insert(NATIVE_TOKEN, total);
        let transfer = TokenTransfer {
            origin_chain: T::ChainId::get(),
            origin_token: NATIVE_TOKEN,
            amount,
            decimals: T::NativeDecimals::get(),
            symbol: padded32(T::NativeSymbol::get()),
            name: padded32(T::NativeName::get()),
        };
        Self::send_transfer(who, destination_chain, recipient, transfer)
    }

    /// [`Pallet::lock_asset`]: escrows `amount` of a home asset and sends it with its metadata.
    pub(crate) fn do_lock_asset(
        who: &T::AccountId,
        asset_id: u32,
        amount: u128,
        destination_chain: u32,
        recipient: [u8; 32],
    ) -> DispatchResult {
        ensure!(
            !WrappedOrigins::<T>::contains_key(asset_id),
            Error::<T>::CannotLockWrappedToken
        );
        ensure!(T::Assets::asset_exists(asset_id), Error::<T>::UnknownAsset);
        Self::check_outbound(amount, destination_chain, &recipient)?;
        let token = asset_token(asset_id);
        let total = Self::locked_total(&token, amount)?;
        <T::Assets as fungibles::Mutate<_>>::transfer(
            asset_id,
            who,
            &Self::account_id(),
            amount,
            Preservation::Expendable,
        )?;
        Locked::<T>::insert(token, total);
        let transfer = TokenTransfer {
            origin_chain: T::ChainId::get(),
            origin_token: token,
            amount,
            decimals: T::Assets::decimals(asset_id),
            symbol: padded32(&T::Assets::symbol(asset_id)),
            name: padded32(&T::Assets::name(asset_id)),
        };
        Self::send_transfer(who, destination_chain, recipient, transfer)
    }

    /// [`Pallet::burn`]: burns `amount` of a wrapped asset and sends its origin token on.
    pub(crate) fn do_burn(
        who: &T::AccountId,
        asset_id: u32,
        amount: u128,
        destination_chain: u32,
        recipient: [u8; 32],
    ) -> DispatchResult {
        let o = WrappedOrigins::<T>::get(asset_id).ok_or(Error::<T>::UnknownWrappedToken)?;
        Self::check_outbound(amount, destination_chain, &recipient)?;
        let key = token_key(o.origin_chain, &o.origin_token);
        // refuses (atomically) to burn more than the holder has
        <T::Assets as fungibles::Mutate<_>>::burn_from(
            asset_id,
            who,
            amount,
            Preservation::Expendable,
            Precision::Exact,
            Fortitude::Polite,
        )?;
        // the supply is the sum of all holdings, so this never underflows
        let supply = WrappedSupply::<T>::get(key)
            .checked_sub(amount)
            .ok_or(sp_runtime::ArithmeticError::Underflow)?;
        WrappedSupply::<T>::insert(key, supply);
        let transfer = TokenTransfer {
            origin_chain: o.origin_chain,
            origin_token: o.origin_token,
            amount,
            decimals: o.decimals,
            symbol: o.symbol,
            name: o.name,
        };
        Self::send_transfer(who, destination_chain, recipient, transfer)
    }

    /// [`Pallet::receive_message`]: decode, destination, consumed once, epoch key, signature over
    /// the leaf of the message id (a batch of one) for this instance; then governance (current
    /// epoch only, even while paused) or the message's effects (not while paused).
    pub(crate) fn do_receive_message(
        message: &[u8],
        epoch: u32,
        signature: &Signature,
    ) -> DispatchResult {
        let id = message_id(message);
        let decoded = Message::decode(message).map_err(Error::<T>::from)?;
        let h = &decoded.header;
        ensure!(
            h.destination_chain == T::ChainId::get(),
            Error::<T>::WrongDestination
        );
        let mut words = TouchedWords::<T>::default();
        ensure!(
            !words.is_consumed(h.source_chain, h.nonce),
            Error::<T>::MessageAlreadyConsumed
        );
        let key = Self::key_for(epoch, Self::now())?;
        Self::verify(
            &key,
            &Self::signed_digest(epoch, &merkle::leaf(&id)),
            signature,
        )?;
        match &decoded.payload {
            Payload::Governance(g) => {
                ensure!(
                    epoch == Epoch::<T>::get(),
                    Error::<T>::GovernanceRequiresCurrentEpoch
                );
                Self::apply_governance(h, g)?;
            }
            payload => {
                ensure!(!Paused::<T>::get(), Error::<T>::BridgePaused);
                Self::route(h, payload)?;
            }
        }
        Self::consume(&mut words, &id, h);
        words.save();
        Ok(())
    }

    /// [`Pallet::receive_batch`]: one signature over the Merkle root of the ids' leaves (for this
    /// instance), then each message in order (those delivered before, or earlier in the batch,
    /// skipped), all or nothing. Each consumed word the batch touches is read once and, if a
    /// message of the batch set a bit in it, written once at the end.
    pub(crate) fn do_receive_batch(
        messages: &[MessageOf<T>],
        epoch: u32,
        signature: &Signature,
    ) -> DispatchResult {
        ensure!(!messages.is_empty(), Error::<T>::EmptyBatch);
        let ids: Vec<[u8; 32]> = messages.iter().map(|m| message_id(m)).collect();
        let root = merkle::root(&ids);
        let key = Self::key_for(epoch, Self::now())?;
        Self::verify(&key, &Self::signed_digest(epoch, &root), signature)?;
        ensure!(!Paused::<T>::get(), Error::<T>::BridgePaused);
        let mut words = TouchedWords::<T>::default();
        let mut delivered = 0u32;
        for (message, id) in messages.iter().zip(ids.iter()) {
            let decoded = Message::decode(message).map_err(Error::<T>::from)?;
            let h = &decoded.header;
            ensure!(
                h.destination_chain == T::ChainId::get(),
                Error::<T>::WrongDestination
            );
            if words.is_consumed(h.source_chain, h.nonce) {
                continue;
            }
            match &decoded.payload {
                Payload::Governance(_) => return Err(Error::<T>::GovernanceNotBatchable.into()),
                payload => Self::route(h, payload)?,
            }
            Self::consume(&mut words, id, h);
            delivered += 1;
        }
        ensure!(delivered > 0, Error::<T>::BatchAlreadyDelivered);
        words.save();
        Self::deposit_event(Event::BatchDelivered {
            root: H256(root),
            delivered,
        });
        Ok(())
    }

    /// [`Pallet::pause`]: the pauser's emergency stop.
    pub(crate) fn do_pause(who: T::AccountId) -> DispatchResult {
        ensure!(
            Pauser::<T>::get().as_ref() == Some(&who),
            Error::<T>::NotPauser
        );
        Paused::<T>::put(true);
        Self::deposit_event(Event::Paused { by: Some(who) });
        Ok(())
    }

    // ---------------------------------------------------------------------------------- accounts

    /// The pallet's account: escrow, owner of the wrapped assets, and (as 32 bytes) the
    /// recipient of governance messages.
    pub fn account_id() -> T::AccountId {
        T::PalletId::get().into_account_truncating()
    }

    /// The pallet account in the protocol's 32-byte form.
    pub fn account_bytes() -> [u8; 32] {
        Self::account_id().into()
    }

    pub(crate) fn now() -> u64 {
        T::UnixTime::now().as_secs()
    }

    // ---------------------------------------------------------------------------------- outbound

    pub(crate) fn check_outbound(
        amount: u128,
        destination_chain: u32,
        recipient: &[u8; 32],
    ) -> DispatchResult {
        ensure!(!Paused::<T>::get(), Error::<T>::BridgePaused);
        ensure!(amount != 0, Error::<T>::ZeroAmount);
        ensure!(
            destination_chain != T::ChainId::get() && destination_chain != 0,
            Error::<T>::InvalidDestination
        );
        ensure!(*recipient != [0u8; 32], Error::<T>::InvalidRecipient);
        Ok(())
    }

    /// What `Locked[token]` becomes after a lock of `amount`: every chain holds wrapped amounts as
    /// u128, so the total ever outstanding must fit.
    pub(crate) fn locked_total(token: &[u8; 32], amount: u128) -> Result<u128, DispatchError> {
        Ok(Locked::<T>::get(token)
            .unwrap_or_default()
            .checked_add(amount)
            .ok_or(Error::<T>::AmountTooLarge)?)
    }

    /// Emits a message: the next nonce, its id stored under it, `MessageSent`. Refuses
    /// (`try_encode`: the protocol error's variant) what no decoder would accept. Returns the
    /// nonce.
    pub(crate) fn send(
        sender: [u8; 32],
        destination_chain: u32,
        recipient: [u8; 32],
        payload: Payload,
    ) -> Result<u64, DispatchError> {
        let nonce = OutboundNonce::<T>::get()
            .checked_add(1)
            .ok_or(Error::<T>::Overflow)?;
        let message = Message {
            header: Header {
                version: VERSION,
                kind: payload.kind(),
                source_chain: T::ChainId::get(),
                destination_chain,
                nonce,
                sender,
                recipient,
            },
            payload,
        }
        .try_encode()
        .map_err(Error::<T>::from)?;
        let id = H256(message_id(&message));
        OutboundNonce::<T>::put(nonce);
        OutboundMessages::<T>::insert(nonce, id);
        Self::deposit_event(Event::MessageSent {
            nonce,
            destination_chain,
            message_id: id,
            message,
        });
        Ok(nonce)
    }

    /// A token transfer out (lock or burn).
    pub(crate) fn send_transfer(
        who: &T::AccountId,
        destination_chain: u32,
        recipient: [u8; 32],
        transfer: TokenTransfer,
    ) -> DispatchResult {
        Self::send(
            who.clone().into(),
            destination_chain,
            recipient,
            Payload::TokenTransfer(transfer),
        )
        .map(|_| ())
    }

    // ---------------------------------------------------------------------------------- inbound

    /// Executes a delivered message of kind 1 to 4 (the bridge's checks passed).
    pub(crate) fn route(h: &Header, payload: &Payload) -> DispatchResult {
        match payload {
            Payload::TokenTransfer(t) => Self::complete_transfer(h, t),
            Payload::DataAttestation(a) => {
                Self::receive_attestation(h, a);
                Ok(())
            }
            Payload::ComputeJob(j) => Self::receive_job(h, j),
            Payload::ComputeResult(r) => Self::receive_result(h, r),
            Payload::Governance(_) => Err(Error::<T>::UnsupportedKind.into()),
        }
    }

    /// Marks a delivered message consumed (its bit, in `words` until they are saved) and says so.
    pub(crate) fn consume(words: &mut TouchedWords<T>, id: &[u8; 32], h: &Header) {
        words.consume(h.source_chain, h.nonce);
        Self::deposit_event(Event::MessageReceived {
            message_id: H256(*id),
            source_chain: h.source_chain,
            nonce: h.nonce,
        });
    }

    /// Whether the message `(source_chain, nonce)` was delivered here (governance: source 0 and
    /// its nonce): its bit in [`ConsumedWords`].
    pub fn is_consumed(source_chain: u32, nonce: u64) -> bool {
        consumed::bit_is_set(
            &ConsumedWords::<T>::get(source_chain, consumed::word_index(nonce)),
            nonce,
        )
    }

    /// The consumed word `word_index` of `source_chain` (the bits of nonces `256 * word_index` to
    /// `256 * word_index + 255`; all zero when none was delivered), as the relayer reads it.
    pub fn consumed_word(source_chain: u32, word_index: u64) -> ConsumedWord {
        ConsumedWords::<T>::get(source_chain, word_index)
    }

    // ---------------------------------------------------------------------------------- verification

    /// The verifying instance signatures are bound to (PROTOCOL.md §2): `chain_binding` the genesis
    /// hash ([`Pallet::genesis_hash`], `frame_system::Pallet::block_hash(0)`: the real genesis hash
    /// from the initialisation of block 1 on, before any extrinsic runs), `bridge` the configured
    /// [`Config::InstanceId`]. Never taken from a message or a caller.
    pub fn instance() -> Instance {
        Instance {
            chain_binding: Self::genesis_hash().0,
            bridge: T::InstanceId::get(),
        }
    }

    /// The digest the relayer set signs for this bridge: `signing_digest(epoch, ChainId,
    /// instance, root)`, `root` the leaf of a single message's id or the Merkle root of a batch.
    pub fn signed_digest(epoch: u32, root: &[u8; 32]) -> [u8; 32] {
        signing_digest(epoch, T::ChainId::get(), &Self::instance(), root)
    }

    /// The key of `epoch` now, by the rule: the current key, or the previous one until its grace
    /// period ends; then never again.
    pub fn key_for(epoch: u32, now: u64) -> Result<GroupKey, DispatchError> {
        let previous = PreviousKey::<T>::get();
        // no previous key: nothing to expire
        let expiry = if previous.is_some() {
            PreviousKeyExpiry::<T>::get()
        } else {
            0
        };
        let key =
            match key_for_epoch(epoch, Epoch::<T>::get(), expiry, now).map_err(Error::<T>::from)? {
                EpochKey::Current => CurrentKey::<T>::get(),
                EpochKey::Previous => previous,
            };
        Ok(key.ok_or(Error::<T>::UnknownEpoch)?)
    }

    /// The FROST verifier's verdict on `signature` over `digest` under `key`, with the host's
    /// secp256k1 recovery; `Err` carries the verifier's reason (for tests and tools; the calls
    /// only say `InvalidSignature`).
    pub fn check_signature(
        key: &GroupKey,
        digest: &[u8; 32],
        signature: &[u8],
    ) -> Result<(), frost::FrostError> {
        let recover = |hash: &[u8; 32], rs: &[u8; 64], v: u8| -> Option<[u8; 64]> {
            let mut sig = [0u8; 65];
            sig[..64].copy_from_slice(rs);
            sig[64] = v;
            sp_io::crypto::secp256k1_ecdsa_recover(&sig, hash).ok()
        };
        frost::verify(key, digest, signature, &recover)
    }

    pub(crate) fn verify(
        key: &GroupKey,
        digest: &[u8; 32],
        signature: &Signature,
    ) -> DispatchResult {
        Self::check_signature(key, digest, signature)
            .map_err(|_| Error::<T>::InvalidSignature.into())
    }

    // ---------------------------------------------------------------------------------- transfers

    /// Token bucket: the state after taking `amount` now, or `RateLimitExceeded`. `None`: no
    /// limit for this token.
    pub(crate) fn rate_limit_after(
        key: &[u8; 32],
        amount: u128,
        now: u64,
    ) -> Result<Option<RateLimit>, DispatchError> {
        let Some(r) = RateLimits::<T>::get(key) else {
            return Ok(None);
        };
        let after = RateLimitBucket::from(r)
            .take(amount, now)
            .map_err(|_| Error::<T>::RateLimitExceeded)?;
        Ok(after.map(RateLimit::from))
    }

    /// Unlock (a home token) or mint (a wrapped one) for an inbound transfer: every check first,
    /// then the effects.
    pub(crate) fn complete_transfer(h: &Header, t: &TokenTransfer) -> DispatchResult {
        let to = T::AccountId::from(h.recipient);
        let key = token_key(t.origin_chain, &t.origin_token);
        let bucket = Self::rate_limit_after(&key, t.amount, Self::now())?;
        if t.origin_chain == T::ChainId::get() {
            let home = HomeToken::from_origin_token(&t.origin_token)
                .ok_or(Error::<T>::UnknownOriginToken)?;
            let locked = Locked::<T>::get(t.origin_token).ok_or(Error::<T>::UnknownOriginToken)?;
            ensure!(locked >= t.amount, Error::<T>::InsufficientLocked);
            if let Some(b) = bucket {
                RateLimits::<T>::insert(key, b);
            }
            Locked::<T>::insert(t.origin_token, locked - t.amount);
            let from = Self::account_id();
            match home {
                HomeToken::Native => {
                    <T::Currency as fungible::Mutate<_>>::transfer(
                        &from,
                        &to,
                        t.amount,
                        Preservation::Preserve,
                    )?;
                }
                HomeToken::Asset(id) => {
                    <T::Assets as fungibles::Mutate<_>>::transfer(
                        id,
                        &from,
                        &to,
                        t.amount,
                        Preservation::Expendable,
                    )?;
                }
            }
            return Ok(());
        }
        let supply = WrappedSupply::<T>::get(key)
            .checked_add(t.amount)
            .ok_or(Error::<T>::AmountTooLarge)?;
        if let Some(b) = bucket {
            RateLimits::<T>::insert(key, b);
        }
        WrappedSupply::<T>::insert(key, supply);
        let asset = match WrappedAsset::<T>::get(key) {
            Some(asset) => asset,
            None => Self::create_wrapped(&key, t)?,
        };
        <T::Assets as fungibles::Mutate<_>>::mint_into(asset, &to, t.amount)?;
        Ok(())
    }

    /// The first free asset id at or above the counter.
    pub(crate) fn free_asset_id() -> Result<u32, DispatchError> {
        let mut id = NextWrappedAssetId::<T>::get().unwrap_or_else(T::FirstWrappedAssetId::get);
        for _ in 0..MAX_ASSET_ID_PROBES {
            if !T::Assets::asset_exists(id) {
                return Ok(id);
            }
            id = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
        }
        Err(Error::<T>::NoFreeAssetId.into())
    }

    pub(crate) fn create_wrapped(key: &[u8; 32], t: &TokenTransfer) -> Result<u32, DispatchError> {
        let id = Self::free_asset_id()?;
        let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
        let me = Self::account_id();
        T::Assets::create(id, me.clone(), true, 1)?;
        let escrow = <T::Currency as fungible::Inspect<_>>::balance(&me);
        <T::Assets as fungibles::metadata::Mutate<_>>::set(
            id,
            &me,
            trimmed(&t.name),
            trimmed(&t.symbol),
            t.decimals,
        )?;
        ensure!(
            <T::Currency as fungible::Inspect<_>>::balance(&me) == escrow,
            Error::<T>::MetadataDepositRequired
        );
        NextWrappedAssetId::<T>::put(next);
        WrappedAsset::<T>::insert(key, id);
        WrappedOrigins::<T>::insert(
            id,
            WrappedOrigin {
                origin_chain: t.origin_chain,
                origin_token: t.origin_token,
                decimals: t.decimals,
                symbol: t.symbol,
                name: t.name,
            },
        );
        Self::deposit_event(Event::WrappedAssetCreated {
            asset_id: id,
            origin_chain: t.origin_chain,
            origin_token: t.origin_token,
            token_key: *key,
        });
        Ok(id)
    }

    // ---------------------------------------------------------------------------------- governance

    /// A governance message signed under the current epoch: target, nonce order, then the
    /// action's own checks, then its effects.
    pub(crate) fn apply_governance(h: &Header, g: &Governance) -> DispatchResult {
        ensure!(
            h.recipient == Self::account_bytes(),
            Error::<T>::WrongGovernanceTarget
        );
        ensure!(
            h.nonce > GovernanceNonce::<T>::get(),
            Error::<T>::StaleGovernanceNonce
        );
        let now = Self::now();
        let event = match g {
            Governance::RotateKey {
                new_epoch,
                new_group_key,
                grace_seconds,
            } => {
                let current = Epoch::<T>::get();
                ensure!(
                    current.checked_add(1) == Some(*new_epoch),
                    Error::<T>::InvalidEpochTransition
                );
                ensure!(
                    *grace_seconds <= MAX_GRACE_SECONDS,
                    Error::<T>::GracePeriodTooLong
                );
                frost::check_group_key(new_group_key).map_err(|_| Error::<T>::InvalidGroupKey)?;
                // a zero grace retires the old key at once
                let expiry = if *grace_seconds == 0 {
                    0
                } else {
                    now.saturating_add(u64::from(*grace_seconds))
                };
                match CurrentKey::<T>::get() {
                    Some(old) => PreviousKey::<T>::put(old),
                    None => PreviousKey::<T>::kill(),
                }
                PreviousKeyExpiry::<T>::put(expiry);
                CurrentKey::<T>::put(new_group_key);
                Epoch::<T>::put(new_epoch);
                Event::KeyRotated {
                    epoch: *new_epoch,
                    group_key: *new_group_key,
                    previous_key_expiry: expiry,
                }
            }
            Governance::Pause => {
                Paused::<T>::put(true);
                Event::Paused { by: None }
            }
            Governance::Unpause => {
                Paused::<T>::put(false);
                Event::Unpaused
            }
            Governance::SetRateLimit {
                origin_chain,
                origin_token,
                capacity,
            } => {
                let key = token_key(*origin_chain, origin_token);
                RateLimits::<T>::insert(key, RateLimit::from(RateLimitBucket::new(*capacity, now)));
                Event::RateLimitSet {
                    token_key: key,
                    capacity: *capacity,
                }
            }
            Governance::SetPauser { pauser } => {
                let pauser = (*pauser != [0u8; 32]).then(|| T::AccountId::from(*pauser));
                match &pauser {
                    Some(p) => Pauser::<T>::put(p),
                    None => Pauser::<T>::kill(),
                }
                Event::PauserSet { pauser }
            }
        };
        GovernanceNonce::<T>::put(h.nonce);
        Self::deposit_event(event);
        Ok(())
    }
}
