//! Token transfers: outbound locks (native currency, home assets) and burns (wrapped assets), every
//! refusal; inbound mints (creating the wrapped asset on the first transfer) and unlocks (never more
//! than is locked), chain-level refusals, wrapped supply and asset ids.

use super::*;

// ------------------------------------------------------------------------------------ outbound

#[test]
fn lock_native_escrows_emits_the_message_and_stores_its_id_by_nonce() {
    new_test_ext().execute_with(|| {
        let before = native(&alice());
        assert_ok!(lock_native(&alice(), 2_500, ETHEREUM, [0x22; 32]));
        assert_eq!(native(&alice()), before - 2_500);
        assert_eq!(native(&bridge_account()), ED + 2_500);
        assert_eq!(Locked::<Test>::get(NATIVE_TOKEN), Some(2_500));
        assert_eq!(OutboundNonce::<Test>::get(), 1);

        let (nonce, bytes) = last_sent();
        assert_eq!(nonce, 1);
        let id = H256(message_id(&bytes));
        assert_eq!(OutboundMessages::<Test>::get(1), Some(id));
        assert!(bridge_events().contains(&Event::MessageSent {
            nonce: 1,
            destination_chain: ETHEREUM,
            message_id: id,
            message: bytes.clone(),
        }));
        let (h, t) = transfer_of(&bytes);
        assert_eq!(h.kind, Kind::TokenTransfer);
        assert_eq!(
            (h.source_chain, h.destination_chain, h.nonce),
            (CHAIN, ETHEREUM, 1)
        );
        assert_eq!(h.sender, bytes32(&alice()));
        assert_eq!(h.recipient, [0x22; 32]);
        assert_eq!(
            (t.origin_chain, t.origin_token, t.amount),
            (CHAIN, NATIVE_TOKEN, 2_500)
        );
        assert_eq!(
            (t.decimals, t.symbol, t.name),
            (12, pad32(b"UNIT"), pad32(b"SAH Dev Unit"))
        );

        // the next lock gets the next nonce, and the totals add up
        assert_ok!(lock_native(&bob(), 500, COSMOS, [0x33; 32]));
        assert_eq!(OutboundNonce::<Test>::get(), 2);
        assert_eq!(Locked::<Test>::get(NATIVE_TOKEN), Some(3_000));
        assert_eq!(OutboundMessages::<Test>::get(3), None);
    });
}

#[test]
fn lock_asset_escrows_a_home_asset_with_its_metadata() {
    new_test_ext().execute_with(|| {
        assert_ok!(lock_asset(&alice(), HOME_ASSET, 700, ETHEREUM, [0x22; 32]));
        assert_eq!(asset_balance(HOME_ASSET, &alice()), HOME_ENDOWMENT - 700);
        assert_eq!(asset_balance(HOME_ASSET, &bridge_account()), 700);
        assert_eq!(Locked::<Test>::get(asset_token(HOME_ASSET)), Some(700));
        assert_eq!(Locked::<Test>::get(NATIVE_TOKEN), None);
        let (_, bytes) = last_sent();
        let (h, t) = transfer_of(&bytes);
        assert_eq!((h.sender, h.nonce), (bytes32(&alice()), 1));
        assert_eq!(
            (t.origin_chain, t.origin_token, t.amount),
            (CHAIN, asset_token(HOME_ASSET), 700)
        );
        assert_eq!(
            (t.decimals, t.symbol, t.name),
            (10, pad32(b"HOME"), pad32(b"Home Token"))
        );
        // the whole holding may go (the account lives on its native balance)
        assert_ok!(lock_asset(
            &bob(),
            HOME_ASSET,
            HOME_ENDOWMENT,
            COSMOS,
            [0x22; 32]
        ));
        assert_eq!(asset_balance(HOME_ASSET, &bob()), 0);
        assert_eq!(
            Locked::<Test>::get(asset_token(HOME_ASSET)),
            Some(700 + HOME_ENDOWMENT)
        );
    });
}

#[test]
fn lock_refusals_are_named_and_change_nothing() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let a = alice();
        assert_noop!(
            lock_native(&a, 0, ETHEREUM, [0x22; 32]),
            Error::<Test>::ZeroAmount
        );
        for destination in [CHAIN, 0] {
            assert_noop!(
                lock_native(&a, 10, destination, [0x22; 32]),
                Error::<Test>::InvalidDestination
            );
            assert_noop!(
                lock_asset(&a, HOME_ASSET, 10, destination, [0x22; 32]),
                Error::<Test>::InvalidDestination
            );
        }
        assert_noop!(
            lock_native(&a, 10, ETHEREUM, [0; 32]),
            Error::<Test>::InvalidRecipient
        );
        // more than the caller can spend while staying alive (pallet-balances names it Frozen)
        assert_noop!(
            lock_native(&a, ENDOWMENT, ETHEREUM, [0x22; 32]),
            TokenError::Frozen
        );
        assert_noop!(
            lock_native(&a, ENDOWMENT + 1, ETHEREUM, [0x22; 32]),
            TokenError::FundsUnavailable
        );
        assert_noop!(
            lock_asset(&a, 99, 10, ETHEREUM, [0x22; 32]),
            Error::<Test>::UnknownAsset
        );
        assert_noop!(
            lock_asset(&a, HOME_ASSET, HOME_ENDOWMENT + 1, ETHEREUM, [0x22; 32]),
            TokenError::FundsUnavailable
        );
        // a wrapped asset is burned, never locked
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &a, 100);
        assert_ok!(w.deliver(&m));
        let sah = wrapped(ETHEREUM, sah_token()).unwrap();
        assert_noop!(
            lock_asset(&a, sah, 10, COSMOS, [0x22; 32]),
            Error::<Test>::CannotLockWrappedToken
        );
        // the total locked must fit u128 (every chain holds wrapped amounts as u128)
        Locked::<Test>::insert(NATIVE_TOKEN, u128::MAX - 5);
        assert_noop!(
            lock_native(&a, 10, ETHEREUM, [0x22; 32]),
            Error::<Test>::AmountTooLarge
        );
        Locked::<Test>::remove(NATIVE_TOKEN);

        let pause = w.governance(Governance::Pause);
        assert_ok!(w.deliver(&pause));
        assert_noop!(
            lock_native(&a, 10, ETHEREUM, [0x22; 32]),
            Error::<Test>::BridgePaused
        );
        assert_noop!(
            lock_asset(&a, HOME_ASSET, 10, ETHEREUM, [0x22; 32]),
            Error::<Test>::BridgePaused
        );

        // nothing moved, no nonce was used
        assert_eq!(native(&a), ENDOWMENT);
        assert_eq!(Locked::<Test>::get(NATIVE_TOKEN), None);
        assert_eq!(OutboundNonce::<Test>::get(), 0);
    });
}

#[test]
fn burn_of_a_wrapped_asset_burns_it_and_sends_its_exact_origin_on() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 1_000);
        assert_ok!(w.deliver(&m));
        let sah = wrapped(ETHEREUM, sah_token()).unwrap();
        assert_eq!(asset_balance(sah, &alice()), 1_000);

        assert_ok!(burn(&alice(), sah, 400, ETHEREUM, [0x44; 32]));
        assert_eq!(asset_balance(sah, &alice()), 600);
        assert_eq!(asset_balance(sah, &bridge_account()), 0);
        assert_eq!(Assets::total_issuance(sah), 600);
        assert_eq!(
            WrappedSupply::<Test>::get(token_key(ETHEREUM, &sah_token())),
            600
        );

        let (nonce, bytes) = last_sent();
        assert_eq!(
            OutboundMessages::<Test>::get(nonce),
            Some(H256(message_id(&bytes)))
        );
        let (h, t) = transfer_of(&bytes);
        assert_eq!(h.sender, bytes32(&alice()));
        assert_eq!(
            (h.source_chain, h.destination_chain, h.recipient),
            (CHAIN, ETHEREUM, [0x44; 32])
        );
        assert_eq!(
            (t.origin_chain, t.origin_token, t.amount, t.decimals),
            (ETHEREUM, sah_token(), 400, 18)
        );
        assert_eq!((t.symbol, t.name), (pad32(b"SAH"), pad32(b"SAH Token")));

        // wrapped to wrapped: burned here, minted on a third chain; the whole holding may go
        assert_ok!(burn(&alice(), sah, 600, COSMOS, [0x55; 32]));
        assert_eq!(Assets::total_issuance(sah), 0);
        assert_eq!(
            WrappedSupply::<Test>::get(token_key(ETHEREUM, &sah_token())),
            0
        );
        assert_eq!(OutboundNonce::<Test>::get(), 2);
    });
}

#[test]
fn the_exact_origin_metadata_travels_on_a_burn_even_when_pallet_assets_shows_it_trimmed() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        // a 32-byte name with no padding and a symbol with an interior zero byte
        let mut m =
            Message::decode(&w.transfer_in(COSMOS, COSMOS, [0x07; 32], &alice(), 50)).unwrap();
        let Payload::TokenTransfer(t) = &mut m.payload else {
            unreachable!()
        };
        t.name = *b"Cosmos Hub Atom \xe2\x80\x94 32 bytes max";
        t.symbol = pad32(b"AT\0OM");
        t.decimals = 6;
        let m = m.encode();
        assert_ok!(w.deliver(&m));
        let id = wrapped(COSMOS, [0x07; 32]).unwrap();
        assert_eq!(
            Assets::name(id),
            b"Cosmos Hub Atom \xe2\x80\x94 32 bytes max".to_vec()
        );
        assert_eq!(Assets::symbol(id), b"AT\0OM".to_vec());
        assert_eq!(Assets::decimals(id), 6);
        assert_ok!(burn(&alice(), id, 50, COSMOS, [0x55; 32]));
        let (_, t) = transfer_of(&last_sent().1);
        assert_eq!(t.name, *b"Cosmos Hub Atom \xe2\x80\x94 32 bytes max");
        assert_eq!((t.symbol, t.decimals), (pad32(b"AT\0OM"), 6));
    });
}

#[test]
fn burn_refusals_are_named_and_change_nothing() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 1_000);
        assert_ok!(w.deliver(&m));
        let sah = wrapped(ETHEREUM, sah_token()).unwrap();
        let a = alice();

        for destination in [CHAIN, 0] {
            assert_noop!(
                burn(&a, sah, 10, destination, [0x44; 32]),
                Error::<Test>::InvalidDestination
            );
        }
        assert_noop!(
            burn(&a, sah, 10, ETHEREUM, [0; 32]),
            Error::<Test>::InvalidRecipient
        );
        assert_noop!(
            burn(&a, sah, 0, ETHEREUM, [0x44; 32]),
            Error::<Test>::ZeroAmount
        );
        assert_noop!(
            burn(&a, sah, 1_001, ETHEREUM, [0x44; 32]),
            TokenError::FundsUnavailable
        );
        // bob holds none
        assert_noop!(
            burn(&bob(), sah, 1, ETHEREUM, [0x44; 32]),
            TokenError::FundsUnavailable
        );
        // an asset the bridge did not create cannot be "burned" through it
        assert_noop!(
            burn(&a, HOME_ASSET, 10, ETHEREUM, [0x44; 32]),
            Error::<Test>::UnknownWrappedToken
        );
        assert_noop!(
            burn(&a, 4242, 10, ETHEREUM, [0x44; 32]),
            Error::<Test>::UnknownWrappedToken
        );

        let pause = w.governance(Governance::Pause);
        assert_ok!(w.deliver(&pause));
        assert_noop!(
            burn(&a, sah, 10, ETHEREUM, [0x44; 32]),
            Error::<Test>::BridgePaused
        );

        assert_eq!(asset_balance(sah, &a), 1_000);
        assert_eq!(Assets::total_issuance(sah), 1_000);
        assert_eq!(OutboundNonce::<Test>::get(), 0);
    });
}

// ------------------------------------------------------------------------------------ inbound

#[test]
fn first_transfer_creates_the_wrapped_asset_then_mints_into_it() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let m1 = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 1_000);
        assert_ok!(w.deliver(&m1));
        let sah = wrapped(ETHEREUM, sah_token()).expect("wrapped asset created");
        assert_eq!(sah, FIRST_WRAPPED);
        assert!(bridge_events().contains(&Event::WrappedAssetCreated {
            asset_id: sah,
            origin_chain: ETHEREUM,
            origin_token: sah_token(),
            token_key: token_key(ETHEREUM, &sah_token()),
        }));
        assert!(bridge_events().contains(&Event::MessageReceived {
            message_id: H256(message_id(&m1)),
            source_chain: ETHEREUM,
            nonce: 1,
        }));
        assert_eq!(asset_balance(sah, &alice()), 1_000);
        assert!(consumed(&m1));

        // metadata from the message; the pallet account owns the asset, which is sufficient
        assert_eq!(
            (
                Assets::name(sah),
                Assets::symbol(sah),
                Assets::decimals(sah)
            ),
            (b"SAH Token".to_vec(), b"SAH".to_vec(), 18)
        );
        let details = pallet_assets::Asset::<Test>::get(sah).unwrap();
        assert_eq!(
            (
                details.owner,
                details.issuer,
                details.admin,
                details.freezer
            ),
            (
                bridge_account(),
                bridge_account(),
                bridge_account(),
                bridge_account()
            )
        );
        assert!(details.is_sufficient);
        assert_eq!(details.min_balance, 1);
        let origin = WrappedOrigins::<Test>::get(sah).unwrap();
        assert_eq!(
            (
                origin.origin_chain,
                origin.origin_token,
                origin.decimals,
                origin.symbol,
                origin.name
            ),
            (
                ETHEREUM,
                sah_token(),
                18,
                pad32(b"SAH"),
                pad32(b"SAH Token")
            )
        );

        System::reset_events();
        let m2 = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &bob(), 250);
        assert_ok!(w.deliver(&m2));
        assert_eq!(created_events(), 0, "no second asset");
        assert_eq!(asset_balance(sah, &bob()), 250);
        assert_eq!(Assets::total_issuance(sah), 1_250);
        assert_eq!(
            WrappedSupply::<Test>::get(token_key(ETHEREUM, &sah_token())),
            1_250
        );

        // another origin token, or the same token id from another origin chain, is another asset
        let m3 = w.transfer_in(COSMOS, COSMOS, sah_token(), &bob(), 5);
        assert_ok!(w.deliver(&m3));
        assert_eq!(wrapped(COSMOS, sah_token()), Some(FIRST_WRAPPED + 1));
    });
}

#[test]
fn a_wrapped_asset_reaches_an_account_without_any_native_balance() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let fresh = account("fresh");
        assert_eq!(native(&fresh), 0);
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &fresh, 1);
        assert_ok!(w.deliver(&m));
        assert_eq!(
            asset_balance(wrapped(ETHEREUM, sah_token()).unwrap(), &fresh),
            1
        );
    });
}

#[test]
fn a_transfer_home_unlocks_the_native_currency_and_never_more() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        assert_ok!(lock_native(&alice(), 5_000, ETHEREUM, [0x22; 32]));
        let bob_before = native(&bob());

        let back = w.transfer_in(ETHEREUM, CHAIN, NATIVE_TOKEN, &bob(), 3_000);
        assert_ok!(w.deliver(&back));
        assert_eq!(native(&bob()), bob_before + 3_000);
        assert_eq!(Locked::<Test>::get(NATIVE_TOKEN), Some(2_000));
        assert_eq!(native(&bridge_account()), ED + 2_000);

        let too_much = w.transfer_in(ETHEREUM, CHAIN, NATIVE_TOKEN, &bob(), 2_001);
        assert_noop!(w.deliver(&too_much), Error::<Test>::InsufficientLocked);
        assert!(!consumed(&too_much), "a refused message stays deliverable");

        // an id that is no token of this chain, and an asset that was never locked
        let unknown = w.transfer_in(ETHEREUM, CHAIN, sah_token(), &bob(), 1);
        assert_noop!(w.deliver(&unknown), Error::<Test>::UnknownOriginToken);
        let never = w.transfer_in(ETHEREUM, CHAIN, asset_token(HOME_ASSET), &bob(), 1);
        assert_noop!(w.deliver(&never), Error::<Test>::UnknownOriginToken);
        // a wrapped asset's id as a home token: never locked, so unknown
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &bob(), 1);
        assert_ok!(w.deliver(&m));
        let as_home = w.transfer_in(ETHEREUM, CHAIN, asset_token(FIRST_WRAPPED), &bob(), 1);
        assert_noop!(w.deliver(&as_home), Error::<Test>::UnknownOriginToken);

        // the whole lock can come back
        let rest = w.transfer_in(ETHEREUM, CHAIN, NATIVE_TOKEN, &alice(), 2_000);
        assert_ok!(w.deliver(&rest));
        assert_eq!(Locked::<Test>::get(NATIVE_TOKEN), Some(0));
        assert_eq!(native(&bridge_account()), ED);
        assert_eq!(native(&alice()) + native(&bob()), 2 * ENDOWMENT);
    });
}

#[test]
fn a_transfer_home_unlocks_a_home_asset() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        assert_ok!(lock_asset(&alice(), HOME_ASSET, 900, ETHEREUM, [0x22; 32]));
        let back = w.transfer_in(ETHEREUM, CHAIN, asset_token(HOME_ASSET), &carol(), 400);
        assert_ok!(w.deliver(&back));
        assert_eq!(asset_balance(HOME_ASSET, &carol()), HOME_ENDOWMENT + 400);
        assert_eq!(asset_balance(HOME_ASSET, &bridge_account()), 500);
        assert_eq!(Locked::<Test>::get(asset_token(HOME_ASSET)), Some(500));
        let too_much = w.transfer_in(ETHEREUM, CHAIN, asset_token(HOME_ASSET), &carol(), 501);
        assert_noop!(w.deliver(&too_much), Error::<Test>::InsufficientLocked);
        // native and asset escrows are separate
        let native_back = w.transfer_in(ETHEREUM, CHAIN, NATIVE_TOKEN, &carol(), 1);
        assert_noop!(w.deliver(&native_back), Error::<Test>::UnknownOriginToken);
    });
}

#[test]
fn chain_level_refusals_of_an_unlock_leave_the_message_deliverable() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        assert_ok!(lock_native(&alice(), 5_000, ETHEREUM, [0x22; 32]));
        // below the existential deposit, to an account that does not exist: pallet-balances refuses
        let fresh = account("fresh");
        let small = w.transfer_in(ETHEREUM, CHAIN, NATIVE_TOKEN, &fresh, ED - 1);
        assert_noop!(w.deliver(&small), TokenError::BelowMinimum);
        assert!(!consumed(&small));
        // once the account exists it goes through
        assert_ok!(Balances::transfer_allow_death(
            RuntimeOrigin::signed(bob()),
            fresh.clone(),
            ED
        ));
        assert_ok!(w.deliver(&small));
        assert_eq!(native(&fresh), 2 * ED - 1);
    });
}

#[test]
fn recipients_are_read_as_32_byte_account_ids() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let raw = [0x42u8; 32];
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &AccountId::new(raw), 9);
        assert_eq!(Message::decode(&m).unwrap().header.recipient, raw);
        assert_ok!(w.deliver(&m));
        assert_eq!(
            asset_balance(
                wrapped(ETHEREUM, sah_token()).unwrap(),
                &AccountId::new(raw)
            ),
            9
        );
        // the bridge's own 32-byte form is its pallet account
        assert_eq!(AccountId::new(SahBridge::account_bytes()), bridge_account());
    });
}

#[test]
fn the_wrapped_supply_never_passes_u128() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let max = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), u128::MAX);
        assert_ok!(w.deliver(&max));
        let one = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &bob(), 1);
        assert_noop!(w.deliver(&one), Error::<Test>::AmountTooLarge);
        // a burn makes room again
        let sah = wrapped(ETHEREUM, sah_token()).unwrap();
        assert_ok!(burn(&alice(), sah, 1, ETHEREUM, [0x44; 32]));
        assert_ok!(w.deliver(&one));
        assert_eq!(Assets::total_issuance(sah), u128::MAX);
    });
}

#[test]
fn wrapped_asset_ids_are_the_bridges_and_taken_ones_are_skipped() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        // users cannot create ids in the bridge's range (the mock's CreateOrigin) ...
        assert_noop!(
            Assets::create(RuntimeOrigin::signed(alice()), FIRST_WRAPPED, alice(), 1),
            DispatchError::BadOrigin
        );
        assert_ok!(Assets::create(
            RuntimeOrigin::signed(alice()),
            FIRST_WRAPPED - 1,
            alice(),
            1
        ));
        // ... but root can: the bridge skips a taken id
        assert_ok!(Assets::force_create(
            RuntimeOrigin::root(),
            FIRST_WRAPPED,
            admin(),
            true,
            1
        ));
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 1);
        assert_ok!(w.deliver(&m));
        assert_eq!(wrapped(ETHEREUM, sah_token()), Some(FIRST_WRAPPED + 1));
        assert_eq!(
            crate::NextWrappedAssetId::<Test>::get(),
            Some(FIRST_WRAPPED + 2)
        );
        // the squatted asset is not the bridge's
        assert!(WrappedOrigins::<Test>::get(FIRST_WRAPPED).is_none());
        // too many taken ids: refused, nothing changes
        for id in FIRST_WRAPPED + 2..FIRST_WRAPPED + 2 + crate::MAX_ASSET_ID_PROBES {
            assert_ok!(Assets::force_create(
                RuntimeOrigin::root(),
                id,
                admin(),
                true,
                1
            ));
        }
        let m = w.transfer_in(COSMOS, COSMOS, [0x07; 32], &alice(), 1);
        assert_noop!(w.deliver(&m), Error::<Test>::NoFreeAssetId);
    });
}

#[test]
fn a_metadata_deposit_is_never_taken_from_the_escrow() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        assert_ok!(lock_native(&alice(), 5_000, ETHEREUM, [0x22; 32]));
        MetadataDepositBase::set(10);
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 1);
        assert_noop!(w.deliver(&m), Error::<Test>::MetadataDepositRequired);
        assert_eq!(native(&bridge_account()), ED + 5_000);
        MetadataDepositBase::set(0);
        assert_ok!(w.deliver(&m));
    });
}
