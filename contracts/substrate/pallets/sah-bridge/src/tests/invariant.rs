//! Random sequences of locks, unlocks, mints, burns, forgeries and replays never let a wrapped
//! supply exceed what valid messages minted less what was burned, and never let an escrow differ
//! from what was locked less what was unlocked.

use super::*;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

const STEPS: usize = 250;

#[derive(Default)]
struct Model {
    minted: u128,
    burned: u128,
    locked: u128,
    unlocked: u128,
    asset_locked: u128,
    asset_unlocked: u128,
    delivered: Vec<Vec<u8>>,
}

fn check(m: &Model, step: usize, op: &str) {
    let ctx = format!("step {step} ({op})");
    let key = token_key(ETHEREUM, &sah_token());
    assert_eq!(
        WrappedSupply::<Test>::get(key),
        m.minted - m.burned,
        "{ctx}: supply record"
    );
    match wrapped(ETHEREUM, sah_token()) {
        Some(sah) => {
            let supply = Assets::total_issuance(sah);
            assert_eq!(supply, m.minted - m.burned, "{ctx}: asset supply");
            assert!(
                supply <= m.minted,
                "{ctx}: wrapped supply above what valid messages minted"
            );
            let held: u128 = USERS.iter().map(|u| asset_balance(sah, &account(u))).sum();
            assert_eq!(held, supply, "{ctx}: balances add up to the supply");
        }
        None => assert_eq!(m.minted, 0, "{ctx}"),
    }
    assert_eq!(
        Locked::<Test>::get(NATIVE_TOKEN).unwrap_or_default(),
        m.locked - m.unlocked,
        "{ctx}: locked record"
    );
    assert_eq!(
        native(&bridge_account()),
        ED + m.locked - m.unlocked,
        "{ctx}: native escrow"
    );
    assert_eq!(
        Locked::<Test>::get(asset_token(HOME_ASSET)).unwrap_or_default(),
        m.asset_locked - m.asset_unlocked,
        "{ctx}: asset locked record"
    );
    assert_eq!(
        asset_balance(HOME_ASSET, &bridge_account()),
        m.asset_locked - m.asset_unlocked,
        "{ctx}: asset escrow"
    );
}

fn run(seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    new_test_ext().execute_with(|| {
        let mut w = World::new();
        let intruder = Signer::derived("intruder");
        let mut m = Model::default();
        for step in 0..STEPS {
            let to = account(USERS[(rng.next_u32() % 3) as usize]);
            let amount = 1 + (rng.next_u64() % 1_000) as u128;
            let op = match rng.next_u32() % 10 {
                0 | 1 => {
                    let msg = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &to, amount);
                    assert_ok!(w.deliver(&msg));
                    m.minted += amount;
                    m.delivered.push(msg);
                    "mint"
                }
                2 => {
                    let batch: Vec<Vec<u8>> = (0..2 + rng.next_u32() % 3)
                        .map(|i| {
                            w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &to, amount + i as u128)
                        })
                        .collect();
                    assert_ok!(w.deliver_batch(&batch));
                    for (i, msg) in batch.into_iter().enumerate() {
                        m.minted += amount + i as u128;
                        m.delivered.push(msg);
                    }
                    "batch mint"
                }
                3 => {
                    let msg =
                        w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &to, amount * 1_000_000);
                    let sig = intruder.sign_message(1, CHAIN, &msg);
                    assert_noop!(
                        w.deliver_with(&msg, 1, sig),
                        Error::<Test>::InvalidSignature
                    );
                    "forged mint"
                }
                4 if !m.delivered.is_empty() => {
                    let old =
                        m.delivered[(rng.next_u64() % m.delivered.len() as u64) as usize].clone();
                    if rng.next_u32() % 2 == 0 {
                        assert_noop!(w.deliver(&old), Error::<Test>::MessageAlreadyConsumed);
                    } else {
                        assert_noop!(
                            w.deliver_batch(std::slice::from_ref(&old)),
                            Error::<Test>::BatchAlreadyDelivered
                        );
                    }
                    "replay"
                }
                5 => match wrapped(ETHEREUM, sah_token()) {
                    Some(sah) => {
                        let balance = asset_balance(sah, &to);
                        // sometimes more than the holder has: refused, nothing changes
                        let amt = if rng.next_u32() % 4 == 0 {
                            balance + 1
                        } else {
                            amount.min(balance)
                        };
                        let call = || burn(&to, sah, amt, COSMOS, [0x66; 32]);
                        if amt == 0 {
                            assert_noop!(call(), Error::<Test>::ZeroAmount);
                        } else if amt > balance {
                            assert_noop!(call(), TokenError::FundsUnavailable);
                        } else {
                            assert_ok!(call());
                            m.burned += amt;
                        }
                        "burn"
                    }
                    None => "burn (no asset yet)",
                },
                6 => {
                    assert_ok!(lock_native(&to, amount, ETHEREUM, [0x77; 32]));
                    m.locked += amount;
                    "lock"
                }
                7 => {
                    assert_ok!(lock_asset(&to, HOME_ASSET, amount, ETHEREUM, [0x77; 32]));
                    m.asset_locked += amount;
                    "lock asset"
                }
                8 => {
                    let held = m.asset_locked - m.asset_unlocked;
                    let ask = if rng.next_u32() % 4 == 0 {
                        held + 1
                    } else {
                        amount.min(held).max(1)
                    };
                    let msg = w.transfer_in(ETHEREUM, CHAIN, asset_token(HOME_ASSET), &to, ask);
                    if ask <= held {
                        assert_ok!(w.deliver(&msg));
                        m.asset_unlocked += ask;
                        m.delivered.push(msg);
                    } else {
                        let expected = if m.asset_locked == 0 {
                            Error::<Test>::UnknownOriginToken
                        } else {
                            Error::<Test>::InsufficientLocked
                        };
                        assert_noop!(w.deliver(&msg), expected);
                    }
                    "unlock asset"
                }
                _ => {
                    let held = m.locked - m.unlocked;
                    // sometimes more than the escrow holds: refused by name
                    let ask = if rng.next_u32() % 4 == 0 {
                        held + 1
                    } else {
                        amount.min(held).max(1)
                    };
                    let msg = w.transfer_in(ETHEREUM, CHAIN, NATIVE_TOKEN, &to, ask);
                    if ask <= held {
                        assert_ok!(w.deliver(&msg));
                        m.unlocked += ask;
                        m.delivered.push(msg);
                    } else {
                        // before the first lock the bridge does not know the token at all
                        let expected = if m.locked == 0 {
                            Error::<Test>::UnknownOriginToken
                        } else {
                            Error::<Test>::InsufficientLocked
                        };
                        assert_noop!(w.deliver(&msg), expected);
                    }
                    "unlock"
                }
            };
            check(&m, step, op);
        }
        assert!(
            m.minted > 0 && m.burned > 0 && m.locked > 0 && m.unlocked > 0 && m.asset_unlocked > 0,
            "seed {seed} exercised every path"
        );
    });
}

#[test]
fn random_sequences_keep_wrapped_supply_and_escrow_exact() {
    for seed in [1, 2, 3, 0x5a4] {
        run(seed);
    }
}
