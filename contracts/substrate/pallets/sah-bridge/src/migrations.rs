//! Storage migrations (the pallet's storage version is [`crate::pallet::STORAGE_VERSION`]).

/// Version 0 to 1: replay protection moves from `Consumed` (the delivered message ids) to
/// [`ConsumedWords`](crate::ConsumedWords) (a bit per `(source chain, nonce)`: PROTOCOL.md §2).
///
/// A message id does not say which `(source chain, nonce)` it was delivered under, so version 0's
/// entries cannot be converted from storage alone. The chain's events can: every delivery emitted
/// `MessageReceived { message_id, source_chain, nonce }`. [`MigrateToV1`](v1::MigrateToV1) takes that list
/// (`Delivered`, e.g. read from an archive node into a constant of the upgrading runtime): for each
/// entry whose id is in `Consumed` it sets the pair's bit and removes the id; an id that is not
/// there is skipped (a wrong list cannot mark messages never delivered). Whatever `Consumed` holds
/// afterwards was delivered but is in no list: it stays, and try-runtime's post-upgrade check fails
/// (such an upgrade would let those messages be delivered again). It runs in one block: a chain with
/// more deliveries than a block's weight allows needs a multi-block migration instead.
///
/// The dev runtime lists no migration: the devnet always starts from genesis, which writes version 1.
pub mod v1 {
    use crate::consumed::TouchedWords;
    use crate::{Config, Pallet};
    use alloc::vec::Vec;
    use core::marker::PhantomData;
    use frame_support::{
        migrations::VersionedMigration,
        pallet_prelude::{Blake2_128Concat, Get, OptionQuery, Weight},
        storage_alias,
        traits::UncheckedOnRuntimeUpgrade,
    };
    use sp_core::H256;

    /// Version 0's replay protection: the id of every message delivered here.
    #[storage_alias]
    pub type Consumed<T: Config> = StorageMap<Pallet<T>, Blake2_128Concat, H256, (), OptionQuery>;

    /// One delivery, as its `MessageReceived` event has it: message id, source chain, nonce.
    pub type Delivery = (H256, u32, u64);

    /// The migration without the version check (see [`MigrateToV1`]).
    pub struct InnerMigrateToV1<T, Delivered>(PhantomData<(T, Delivered)>);

    impl<T: Config, Delivered: Get<Vec<Delivery>>> UncheckedOnRuntimeUpgrade
        for InnerMigrateToV1<T, Delivered>
    {
        fn on_runtime_upgrade() -> Weight {
            let delivered = Delivered::get();
            let mut words = TouchedWords::<T>::default();
            let mut taken = 0u64;
            for (id, source_chain, nonce) in &delivered {
                if Consumed::<T>::take(id).is_some() {
                    words.consume(*source_chain, *nonce);
                    taken += 1;
                }
            }
            let reads = delivered.len() as u64 + words.reads();
            let writes = taken + words.save();
            T::DbWeight::get().reads_writes(reads, writes)
        }

        /// The `(source chain, nonce)` of the listed deliveries version 0 holds.
        #[cfg(feature = "try-runtime")]
        fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
            use codec::Encode;
            let found: Vec<(u32, u64)> = Delivered::get()
                .into_iter()
                .filter(|(id, _, _)| Consumed::<T>::contains_key(id))
                .map(|(_, source_chain, nonce)| (source_chain, nonce))
                .collect();
            Ok(found.encode())
        }

        /// Every version 0 entry was converted: its pair is consumed, `Consumed` is empty.
        #[cfg(feature = "try-runtime")]
        fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
            use codec::Decode;
            let found = Vec::<(u32, u64)>::decode(&mut &state[..]).map_err(|_| {
                sp_runtime::TryRuntimeError::Other("sah-bridge v1: pre_upgrade state")
            })?;
            for (source_chain, nonce) in found {
                frame_support::ensure!(
                    Pallet::<T>::is_consumed(source_chain, nonce),
                    "sah-bridge v1: a converted delivery is not consumed"
                );
            }
            frame_support::ensure!(
                Consumed::<T>::iter_keys().next().is_none(),
                "sah-bridge v1: delivered message ids missing from the list stay in Consumed and \
                 could be delivered again"
            );
            Ok(())
        }
    }

    /// Version 0 to 1, given the deliveries (`MessageReceived` events) of the chain's history; a
    /// no-op on a chain already at version 1.
    pub type MigrateToV1<T, Delivered> = VersionedMigration<
        0,
        1,
        InnerMigrateToV1<T, Delivered>,
        Pallet<T>,
        <T as frame_system::Config>::DbWeight,
    >;
}
