//! Invariant-style test: random sequences of locks, mints, burns, unlocks, forgeries (another key, or the
//! right key signing for another instance) and replays never let the wrapped supply exceed what valid
//! messages minted (less what was burned), and never let the bridge's escrow differ from what was locked
//! less what was unlocked.
mod common;

use common::*;
use cosmwasm_std::{HexBinary, Uint128};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sah_bridge_cosmwasm::msg::QueryMsg;
use sah_bridge_protocol::Instance;
use sha2::{Digest, Sha256};

const USERS: [&str; 3] = ["alice", "bob", "carol"];
const STEPS: usize = 250;

struct Model {
    minted: u128,
    burned: u128,
    locked: u128,
    unlocked: u128,
    delivered: Vec<Vec<u8>>,
}

fn check(w: &World, m: &Model, step: usize, op: &str) {
    let ctx = format!("step {step} ({op})");
    let wrapped_supply: Uint128 = w.query(&QueryMsg::WrappedSupply {
        origin_chain: ETHEREUM,
        origin_token: HexBinary::from(sah_token().as_slice()),
    });
    assert_eq!(wrapped_supply.u128(), m.minted - m.burned, "{ctx}: bridge's supply record");
    if let Some(token) = w.wrapped(ETHEREUM, sah_token()) {
        let supply = w.cw20_supply(&token);
        assert_eq!(supply, m.minted - m.burned, "{ctx}: cw20 supply");
        assert!(supply <= m.minted, "{ctx}: wrapped supply above what valid messages minted");
        let held: u128 = USERS.iter().map(|u| w.cw20_balance(&token, &w.addr(u))).sum();
        assert_eq!(held, supply, "{ctx}: balances add up to the supply");
    } else {
        assert_eq!(m.minted, 0, "{ctx}");
    }
    assert_eq!(w.locked(DENOM), m.locked - m.unlocked, "{ctx}: locked record");
    assert_eq!(w.bank(&w.bridge, DENOM), m.locked - m.unlocked, "{ctx}: escrow balance");
}

fn run(seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut w = World::new();
    let intruder = Signer::derived("intruder");
    let mut m = Model { minted: 0, burned: 0, locked: 0, unlocked: 0, delivered: vec![] };
    for step in 0..STEPS {
        let user = USERS[(rng.next_u32() % 3) as usize];
        let to = w.addr(user);
        let amount = 1 + (rng.next_u64() % 1_000) as u128;
        let op = match rng.next_u32() % 8 {
            0 | 1 => {
                let msg = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &to, amount);
                w.deliver(&msg).unwrap();
                m.minted += amount;
                m.delivered.push(msg);
                "mint"
            }
            2 => {
                let batch: Vec<Vec<u8>> = (0..2 + rng.next_u32() % 3)
                    .map(|i| w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &to, amount + i as u128))
                    .collect();
                w.deliver_batch(&batch).unwrap();
                for (i, msg) in batch.into_iter().enumerate() {
                    m.minted += amount + i as u128;
                    m.delivered.push(msg);
                }
                "batch mint"
            }
            3 => {
                let msg = w.transfer_in(ETHEREUM, ETHEREUM, sah_token(), &to, amount * 1_000_000);
                // another key, or the relayer set's key signing for another instance (the same address on a
                // chain with another chain-id string)
                let sig = if step % 2 == 0 {
                    intruder.sign_message(1, CHAIN, &w.instance(), &msg)
                } else {
                    let elsewhere = Instance { chain_binding: Sha256::digest(b"sah-fork-1").into(), ..w.instance() };
                    w.signer.sign_message(1, CHAIN, &elsewhere, &msg)
                };
                assert_eq!(error_code(&w.deliver_with(&msg, 1, sig).unwrap_err()), "InvalidSignature");
                "forged mint"
            }
            4 if !m.delivered.is_empty() => {
                let old = m.delivered[(rng.next_u64() % m.delivered.len() as u64) as usize].clone();
                let e = w.deliver(&old).unwrap_err();
                assert!(["MessageAlreadyConsumed", "BatchAlreadyDelivered"].contains(&error_code(&e).as_str()));
                "replay"
            }
            5 => match w.wrapped(ETHEREUM, sah_token()) {
                Some(token) => {
                    let balance = w.cw20_balance(&token, &to);
                    // sometimes more than the holder has: the cw20 refuses, nothing changes
                    let burn = if rng.next_u32() % 4 == 0 { balance + 1 } else { amount.min(balance) };
                    match w.burn(user, &token, burn, POLKADOT, [0x66; 32]) {
                        Ok(_) => m.burned += burn,
                        Err(_) => assert!(burn == 0 || burn > balance, "burn of {burn} <= {balance} refused"),
                    }
                    "burn"
                }
                None => "burn (no token yet)",
            },
            6 => {
                w.lock(user, amount, DENOM, ETHEREUM, [0x77; 32]).unwrap();
                m.locked += amount;
                "lock"
            }
            _ => {
                let held = m.locked - m.unlocked;
                // sometimes more than the escrow holds: refused by name
                let ask = if rng.next_u32() % 4 == 0 { held + 1 } else { amount.min(held).max(1) };
                let msg = w.transfer_in(ETHEREUM, CHAIN, native_token(DENOM), &to, ask);
                match w.deliver(&msg) {
                    Ok(_) => {
                        assert!(ask <= held);
                        m.unlocked += ask;
                        m.delivered.push(msg);
                    }
                    Err(e) => {
                        assert!(ask > held, "unlock of {ask} <= {held} refused: {e:#}");
                        // before the first lock the bridge does not know the denom at all
                        let expected = if m.locked == 0 { "UnknownOriginToken" } else { "InsufficientLocked" };
                        assert_eq!(error_code(&e), expected);
                    }
                }
                "unlock"
            }
        };
        check(&w, &m, step, op);
    }
    assert!(m.minted > 0 && m.burned > 0 && m.locked > 0 && m.unlocked > 0, "seed {seed} exercised every path");
}

#[test]
fn random_sequences_keep_wrapped_supply_and_escrow_exact() {
    for seed in [1, 2, 3, 0x5a4] {
        run(seed);
    }
}
