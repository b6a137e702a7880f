//! Governance messages: key rotation with a grace period, target and nonce order, pause and unpause,
//! the pauser, rate limits.

use super::*;

#[test]
fn key_rotation_keeps_the_old_key_for_its_grace_period_only() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let old = w.signer.clone();
        let new = Signer::derived("epoch 2");
        let rotate = w.governance(Governance::RotateKey {
            new_epoch: 2,
            new_group_key: new.group_key,
            grace_seconds: 3_600,
        });
        assert_ok!(w.deliver(&rotate));
        assert!(bridge_events().contains(&Event::KeyRotated {
            epoch: 2,
            group_key: new.group_key,
            previous_key_expiry: START + 3_600
        }));
        assert_eq!(
            (Epoch::<Test>::get(), CurrentKey::<Test>::get()),
            (2, Some(new.group_key))
        );
        assert_eq!(PreviousKey::<Test>::get(), Some(old.group_key));

        // under the new key
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 1);
        assert_ok!(w.deliver_with(&m, 2, new.sign_message(2, CHAIN, &m)));
        // the new key does not sign for epoch 1, nor the old key for epoch 2
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 2);
        assert_noop!(
            w.deliver_with(&m, 1, new.sign_message(1, CHAIN, &m)),
            Error::<Test>::InvalidSignature
        );
        assert_noop!(
            w.deliver_with(&m, 2, old.sign_message(2, CHAIN, &m)),
            Error::<Test>::InvalidSignature
        );
        // the old key within its grace period (to its last second)
        advance(3_600);
        assert_ok!(w.deliver_with(&m, 1, old.sign_message(1, CHAIN, &m)));
        // ... but never for governance
        let pause = w.governance(Governance::Pause);
        assert_noop!(
            w.deliver_with(&pause, 1, old.sign_message(1, CHAIN, &pause)),
            Error::<Test>::GovernanceRequiresCurrentEpoch
        );
        // and not after it
        advance(1);
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 3);
        assert_noop!(
            w.deliver_with(&m, 1, old.sign_message(1, CHAIN, &m)),
            Error::<Test>::EpochExpired
        );
        assert_eq!(
            asset_balance(wrapped(ETHEREUM, sah_token()).unwrap(), &alice()),
            3
        );

        // a zero grace retires the key at once
        let newer = Signer::derived("epoch 3");
        w.signer = new.clone();
        w.epoch = 2;
        let rotate = w.governance(Governance::RotateKey {
            new_epoch: 3,
            new_group_key: newer.group_key,
            grace_seconds: 0,
        });
        assert_ok!(w.deliver(&rotate));
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 4);
        assert_noop!(
            w.deliver_with(&m, 2, new.sign_message(2, CHAIN, &m)),
            Error::<Test>::UnknownEpoch
        );
        // only one previous key is kept: epoch 1 is unknown now
        assert_noop!(
            w.deliver_with(&m, 1, old.sign_message(1, CHAIN, &m)),
            Error::<Test>::UnknownEpoch
        );
        assert_ok!(w.deliver_with(&m, 3, newer.sign_message(3, CHAIN, &m)));
    });
}

#[test]
fn a_second_rotation_forgets_the_oldest_key_even_within_its_grace() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let k1 = w.signer.clone();
        let k2 = Signer::derived("epoch 2");
        let k3 = Signer::derived("epoch 3");
        let r = w.governance(Governance::RotateKey {
            new_epoch: 2,
            new_group_key: k2.group_key,
            grace_seconds: 86_400,
        });
        assert_ok!(w.deliver(&r));
        w.signer = k2.clone();
        w.epoch = 2;
        let r = w.governance(Governance::RotateKey {
            new_epoch: 3,
            new_group_key: k3.group_key,
            grace_seconds: 86_400,
        });
        assert_ok!(w.deliver(&r));
        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 1);
        assert_noop!(
            w.deliver_with(&m, 1, k1.sign_message(1, CHAIN, &m)),
            Error::<Test>::UnknownEpoch
        );
        assert_ok!(w.deliver_with(&m, 2, k2.sign_message(2, CHAIN, &m)));
    });
}

#[test]
fn rotation_refusals_are_named_and_change_nothing() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let new = Signer::derived("epoch 2");
        for epoch in [1, 3] {
            let bad = w.governance(Governance::RotateKey {
                new_epoch: epoch,
                new_group_key: new.group_key,
                grace_seconds: 0,
            });
            assert_noop!(w.deliver(&bad), Error::<Test>::InvalidEpochTransition);
        }
        let long = w.governance(Governance::RotateKey {
            new_epoch: 2,
            new_group_key: new.group_key,
            grace_seconds: crate::MAX_GRACE_SECONDS + 1,
        });
        assert_noop!(w.deliver(&long), Error::<Test>::GracePeriodTooLong);
        // a key the codec refuses (x = n)
        let mut bad_key = [0u8; 33];
        bad_key[0] = 2;
        bad_key[1..].copy_from_slice(&hex_bytes(
            "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        ));
        let bad = w.governance(Governance::RotateKey {
            new_epoch: 2,
            new_group_key: bad_key,
            grace_seconds: 0,
        });
        assert_noop!(w.deliver(&bad), Error::<Test>::InvalidGroupKey);
        assert_eq!(
            (
                Epoch::<Test>::get(),
                CurrentKey::<Test>::get(),
                GovernanceNonce::<Test>::get()
            ),
            (1, Some(w.signer.group_key), 0)
        );
        // exactly 30 days is allowed
        let ok = w.governance(Governance::RotateKey {
            new_epoch: 2,
            new_group_key: new.group_key,
            grace_seconds: crate::MAX_GRACE_SECONDS,
        });
        assert_ok!(w.deliver(&ok));
        assert_eq!(
            crate::PreviousKeyExpiry::<Test>::get(),
            START + u64::from(crate::MAX_GRACE_SECONDS)
        );
    });
}

#[test]
fn governance_must_target_this_bridge_with_a_fresh_nonce() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let mut other = Message::decode(&w.governance(Governance::Pause)).unwrap();
        other.header.recipient = [0x99; 32];
        let other = other.encode();
        assert_noop!(w.deliver(&other), Error::<Test>::WrongGovernanceTarget);

        w.governance_nonce = 4;
        let five = w.governance(Governance::Pause);
        assert_ok!(w.deliver(&five));
        w.governance_nonce = 2;
        let three = w.governance(Governance::Unpause);
        assert_noop!(w.deliver(&three), Error::<Test>::StaleGovernanceNonce);
        assert!(Paused::<Test>::get());
        // the same nonce with another body: `(0, 5)` names the message delivered under it
        // (PROTOCOL.md §2), so it is a replay (step 3) before it is stale (step 6)
        w.governance_nonce = 4;
        let five_again = w.governance(Governance::Unpause);
        assert_noop!(
            w.deliver(&five_again),
            Error::<Test>::MessageAlreadyConsumed
        );
        // a nonce below the last one that was never delivered is stale
        w.governance_nonce = 3;
        let four = w.governance(Governance::Unpause);
        assert_noop!(w.deliver(&four), Error::<Test>::StaleGovernanceNonce);
        assert_eq!(GovernanceNonce::<Test>::get(), 5);
        // the same message again is a replay
        assert_noop!(w.deliver(&five), Error::<Test>::MessageAlreadyConsumed);
        // a gap is fine
        w.governance_nonce = 99;
        let hundred = w.governance(Governance::Unpause);
        assert_ok!(w.deliver(&hundred));
        assert_eq!(GovernanceNonce::<Test>::get(), 100);
    });
}

#[test]
fn the_pauser_pauses_only_governance_unpauses_and_governance_names_the_pauser() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let pause = |who: &AccountId| SahBridge::pause(RuntimeOrigin::signed(who.clone()));
        assert_noop!(pause(&alice()), Error::<Test>::NotPauser);
        assert!(!Paused::<Test>::get());
        assert_ok!(pause(&pauser()));
        assert!(Paused::<Test>::get());
        assert!(bridge_events().contains(&Event::Paused { by: Some(pauser()) }));
        // pausing a paused bridge is harmless
        assert_ok!(pause(&pauser()));
        let unpause = w.governance(Governance::Unpause);
        assert_ok!(w.deliver(&unpause));
        assert!(!Paused::<Test>::get());

        let set = w.governance(Governance::SetPauser {
            pauser: bytes32(&alice()),
        });
        assert_ok!(w.deliver(&set));
        assert_eq!(Pauser::<Test>::get(), Some(alice()));
        assert!(bridge_events().contains(&Event::PauserSet {
            pauser: Some(alice())
        }));
        assert_noop!(pause(&pauser()), Error::<Test>::NotPauser);
        let none = w.governance(Governance::SetPauser { pauser: [0; 32] });
        assert_ok!(w.deliver(&none));
        assert_eq!(Pauser::<Test>::get(), None);
        assert_noop!(pause(&alice()), Error::<Test>::NotPauser);
        assert_noop!(
            SahBridge::pause(RuntimeOrigin::root()),
            DispatchError::BadOrigin
        );
    });
}

#[test]
fn the_rate_limit_caps_inbound_amounts_per_day_and_refills_linearly() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let set = w.governance(Governance::SetRateLimit {
            origin_chain: ETHEREUM,
            origin_token: sah_token(),
            capacity: 1_000,
        });
        assert_ok!(w.deliver(&set));
        let key = token_key(ETHEREUM, &sah_token());
        assert!(bridge_events().contains(&Event::RateLimitSet {
            token_key: key,
            capacity: 1_000
        }));
        let limit = RateLimits::<Test>::get(key).unwrap();
        assert_eq!(
            (limit.capacity, limit.available, limit.last_refill),
            (1_000, 1_000, START)
        );

        let m = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 800);
        assert_ok!(w.deliver(&m));
        let over = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 201);
        assert_noop!(w.deliver(&over), Error::<Test>::RateLimitExceeded);
        assert_noop!(
            w.deliver_batch(std::slice::from_ref(&over)),
            Error::<Test>::RateLimitExceeded
        );
        // another token is not limited
        let other = w.transfer_in(COSMOS, COSMOS, [0x07; 32], &alice(), 1_000_000);
        assert_ok!(w.deliver(&other));
        // a quarter day refills a quarter of the capacity
        advance(21_600);
        assert_ok!(w.deliver(&over));
        assert_eq!(
            asset_balance(wrapped(ETHEREUM, sah_token()).unwrap(), &alice()),
            1_001
        );
        let next = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 250);
        assert_noop!(w.deliver(&next), Error::<Test>::RateLimitExceeded);
        // never above the capacity, however long it waits
        advance(10 * 86_400);
        let big = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &alice(), 1_001);
        assert_noop!(w.deliver(&big), Error::<Test>::RateLimitExceeded);
        // capacity 0 lifts the limit
        let lift = w.governance(Governance::SetRateLimit {
            origin_chain: ETHEREUM,
            origin_token: sah_token(),
            capacity: 0,
        });
        assert_ok!(w.deliver(&lift));
        assert_ok!(w.deliver(&big));
    });
}

#[test]
fn the_rate_limit_also_counts_unlocks_and_a_batch_as_a_whole() {
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        assert_ok!(lock_native(&alice(), 10_000, ETHEREUM, [0x22; 32]));
        let set = w.governance(Governance::SetRateLimit {
            origin_chain: CHAIN,
            origin_token: NATIVE_TOKEN,
            capacity: 3_000,
        });
        assert_ok!(w.deliver(&set));
        let batch = vec![
            w.transfer_in(ETHEREUM, CHAIN, NATIVE_TOKEN, &bob(), 2_000),
            w.transfer_in(ETHEREUM, CHAIN, NATIVE_TOKEN, &bob(), 1_001),
        ];
        assert_noop!(w.deliver_batch(&batch), Error::<Test>::RateLimitExceeded);
        assert_ok!(w.deliver_batch(&batch[..1]));
        assert_eq!(Locked::<Test>::get(NATIVE_TOKEN), Some(8_000));
    });
}
