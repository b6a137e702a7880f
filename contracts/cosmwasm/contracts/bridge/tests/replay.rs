//! Replay protection by consumed bitmaps (docs/PROTOCOL.md §2): one bit per (source chain, nonce), 256 to a
//! 32-byte big-endian word. Out-of-order delivery, the word boundaries, replays within a word, across words
//! and across sources, duplicates inside a batch, governance under chain 0, a seeded random delivery against a
//! reference set, and a batch reading and writing each word it touches once.
mod common;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use common::*;
use cosmwasm_std::{DepsMut, Empty, Env, HexBinary, MessageInfo, Order, Record, Response, Storage, Uint128};
use cw_multi_test::{AppResponse, Contract, ContractWrapper};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sah_bridge_cosmwasm::consumed;
use sah_bridge_cosmwasm::contract::{execute, instantiate, query, reply};
use sah_bridge_cosmwasm::msg::{ExecuteMsg, QueryMsg};
use sah_bridge_cosmwasm::ContractError;
use sah_bridge_protocol::{message_id, Governance, Message};

/// The origin token of transfers from `source` (each source mints its own wrapped token here).
fn token_of(source: u32) -> [u8; 32] {
    let mut t = [0u8; 32];
    t[28..].copy_from_slice(&source.to_be_bytes());
    t[0] = 0x5a;
    t
}

/// A transfer from `source` with nonce `nonce` minting `amount` of `source`'s token to alice.
fn transfer(w: &mut World, source: u32, nonce: u64, amount: u128) -> Vec<u8> {
    let alice = w.addr("alice");
    let mut m = Message::decode(&w.transfer_in(source, source, token_of(source), &alice, amount)).unwrap();
    m.header.nonce = nonce;
    m.encode()
}

/// What the bridge minted of `source`'s token (its supply record, 0 before any).
fn minted(w: &World, source: u32) -> u128 {
    let supply: Uint128 = w.query(&QueryMsg::WrappedSupply {
        origin_chain: source,
        origin_token: HexBinary::from(token_of(source).as_slice()),
    });
    supply.u128()
}

/// The message ids of a response's `sah_message_received` events, in order.
fn received_ids(res: &AppResponse) -> Vec<String> {
    res.events
        .iter()
        .filter(|e| e.ty == "wasm-sah_message_received")
        .flat_map(|e| e.attributes.iter().filter(|a| a.key == "message_id"))
        .map(|a| a.value.clone())
        .collect()
}

fn id_hex(m: &[u8]) -> String {
    format!("0x{}", hex::encode(message_id(m)))
}

/// A word with the bits of `nonces` set (all of one word), built apart from the contract's code: bit i is
/// (word >> i) & 1 of the 256-bit big-endian integer.
fn word_of(nonces: impl IntoIterator<Item = u64>) -> [u8; 32] {
    let (mut high, mut low) = (0u128, 0u128);
    for n in nonces {
        let i = (n & 0xff) as u32;
        if i < 128 {
            low |= 1 << i;
        } else {
            high |= 1 << (i - 128);
        }
    }
    let mut w = [0u8; 32];
    w[..16].copy_from_slice(&high.to_be_bytes());
    w[16..].copy_from_slice(&low.to_be_bytes());
    w
}

#[test]
fn nonces_are_delivered_in_any_order_each_once() {
    let mut w = World::new();
    for nonce in [9u64, 2, 7, 1, 8, 3] {
        let m = transfer(&mut w, ETHEREUM, nonce, 1);
        w.deliver(&m).unwrap_or_else(|e| panic!("nonce {nonce}: {e:#}"));
        assert!(w.consumed_nonce(ETHEREUM, nonce));
    }
    for nonce in [0u64, 4, 5, 6, 10] {
        assert!(!w.consumed_nonce(ETHEREUM, nonce), "nonce {nonce} never delivered");
    }
    // the gaps, later and backwards, in one batch
    let gaps: Vec<Vec<u8>> = [6u64, 5, 4].iter().map(|&n| transfer(&mut w, ETHEREUM, n, 1)).collect();
    let res = w.deliver_batch(&gaps).unwrap();
    assert_eq!(received_ids(&res), gaps.iter().map(|m| id_hex(m)).collect::<Vec<_>>());
    assert_eq!(w.consumed_word(ETHEREUM, 0), word_of(1..=9));
    assert_eq!(minted(&w, ETHEREUM), 9);
    // every one of them again: refused, alone or in a batch
    for nonce in 1..=9u64 {
        let again = transfer(&mut w, ETHEREUM, nonce, 1);
        assert_eq!(error_code(&w.deliver(&again).unwrap_err()), "MessageAlreadyConsumed", "nonce {nonce}");
    }
    assert_eq!(error_code(&w.deliver_batch(&gaps).unwrap_err()), "BatchAlreadyDelivered");
    assert_eq!(minted(&w, ETHEREUM), 9);
    assert!(!w.consumed_nonce(ETHEREUM, 0) && !w.consumed_nonce(ETHEREUM, 10));
}

#[test]
fn the_word_boundaries_255_256_511_512_and_u64_max() {
    let mut w = World::new();
    let last_word = u64::MAX >> 8;
    // absent words read as zero
    assert_eq!(w.consumed_word(ETHEREUM, 0), [0; 32]);
    assert_eq!(w.consumed_word(ETHEREUM, last_word), [0; 32]);
    assert!(!w.consumed_nonce(ETHEREUM, u64::MAX));

    let nonces = [255u64, 256, 511, 512, u64::MAX];
    for nonce in nonces {
        let m = transfer(&mut w, ETHEREUM, nonce, 1);
        w.deliver(&m).unwrap_or_else(|e| panic!("nonce {nonce}: {e:#}"));
    }
    for nonce in nonces {
        assert!(w.consumed_nonce(ETHEREUM, nonce), "nonce {nonce}");
    }
    for nonce in [0u64, 1, 254, 257, 510, 513, 767, 768, u64::MAX - 1, u64::MAX - 255, last_word << 8] {
        assert!(!w.consumed_nonce(ETHEREUM, nonce), "nonce {nonce} never delivered");
    }
    // word 0: bit 255 alone, the top bit of the first byte
    let mut top = [0u8; 32];
    top[0] = 0x80;
    assert_eq!(w.consumed_word(ETHEREUM, 0), top);
    assert_eq!(w.consumed_word(ETHEREUM, 0), word_of([255]));
    // word 1: 256 is bit 0 (the low bit of the last byte), 511 bit 255
    let mut ends = [0u8; 32];
    (ends[0], ends[31]) = (0x80, 0x01);
    assert_eq!(w.consumed_word(ETHEREUM, 1), ends);
    assert_eq!(w.consumed_word(ETHEREUM, 1), word_of([256, 511]));
    // word 2: 512 is bit 0
    let mut low = [0u8; 32];
    low[31] = 0x01;
    assert_eq!(w.consumed_word(ETHEREUM, 2), low);
    assert_eq!(w.consumed_word(ETHEREUM, 3), [0; 32]);
    // the last word holds u64::MAX as its bit 255
    assert_eq!(w.consumed_word(ETHEREUM, last_word), top);
    assert_eq!(w.consumed_word(ETHEREUM, last_word - 1), [0; 32]);
    // no other source sees them
    assert_eq!(w.consumed_word(POLKADOT, 1), [0; 32]);
    assert!(!w.consumed_nonce(POLKADOT, u64::MAX));

    for nonce in nonces {
        let again = transfer(&mut w, ETHEREUM, nonce, 2);
        assert_eq!(error_code(&w.deliver(&again).unwrap_err()), "MessageAlreadyConsumed", "nonce {nonce}");
    }
    // the neighbours across each boundary still go through
    for nonce in [254u64, 257, 510, 513, u64::MAX - 1] {
        let m = transfer(&mut w, ETHEREUM, nonce, 1);
        w.deliver(&m).unwrap_or_else(|e| panic!("nonce {nonce}: {e:#}"));
    }
    assert_eq!(w.consumed_word(ETHEREUM, 0), word_of([254, 255]));
    assert_eq!(w.consumed_word(ETHEREUM, 1), word_of([256, 257, 510, 511]));
    assert_eq!(w.consumed_word(ETHEREUM, 2), word_of([512, 513]));
    assert_eq!(w.consumed_word(ETHEREUM, last_word), word_of([254, 255]));
    assert_eq!(minted(&w, ETHEREUM), 10);
}

#[test]
fn replays_within_a_word_across_words_and_across_sources() {
    let mut w = World::new();
    let a = transfer(&mut w, ETHEREUM, 7, 100);
    w.deliver(&a).unwrap();

    // within the word: the same message, and another message under the same (source, nonce)
    let e = w.deliver(&a).unwrap_err();
    assert_eq!(error_code(&e), "MessageAlreadyConsumed");
    assert!(format!("{e:#}").contains(&format!("nonce 7 of source chain {ETHEREUM}")), "{e:#}");
    let same_pair = transfer(&mut w, ETHEREUM, 7, 999);
    assert_ne!(message_id(&same_pair), message_id(&a));
    let e = w.deliver(&same_pair).unwrap_err();
    assert_eq!(error_code(&e), "MessageAlreadyConsumed");
    assert!(format!("{e:#}").contains(&id_hex(&same_pair)), "the error names the message refused: {e:#}");
    assert_eq!(error_code(&w.deliver_batch(std::slice::from_ref(&same_pair)).unwrap_err()), "BatchAlreadyDelivered");
    // the rest of the word is untouched
    let b = transfer(&mut w, ETHEREUM, 8, 1);
    w.deliver(&b).unwrap();
    assert_eq!(error_code(&w.deliver(&b).unwrap_err()), "MessageAlreadyConsumed");

    // across words: nonce 7 + 256 is another word's bit 7
    let c = transfer(&mut w, ETHEREUM, 7 + 256, 10);
    assert!(!w.consumed(&c));
    w.deliver(&c).unwrap();
    assert_eq!(error_code(&w.deliver(&c).unwrap_err()), "MessageAlreadyConsumed");
    assert_eq!(w.consumed_word(ETHEREUM, 0), word_of([7, 8]));
    assert_eq!(w.consumed_word(ETHEREUM, 1), word_of([7]));

    // across sources: nonce 7 of Polkadot (and of a source numbered u32::MAX) is another message
    let d = transfer(&mut w, POLKADOT, 7, 1_000);
    assert!(!w.consumed(&d));
    w.deliver(&d).unwrap();
    let far = transfer(&mut w, u32::MAX, 7, 3);
    assert!(!w.consumed(&far));
    w.deliver(&far).unwrap();
    for m in [&d, &far] {
        assert_eq!(error_code(&w.deliver(m).unwrap_err()), "MessageAlreadyConsumed");
    }
    assert_eq!(w.consumed_word(POLKADOT, 0), word_of([7]));
    assert_eq!(w.consumed_word(u32::MAX, 0), word_of([7]));
    assert_eq!(w.consumed_word(POLKADOT, 1), [0; 32]);
    assert!(!w.consumed_nonce(POLKADOT, 8) && !w.consumed_nonce(0, 7));

    assert_eq!((minted(&w, ETHEREUM), minted(&w, POLKADOT), minted(&w, u32::MAX)), (111, 1_000, 3));
}

#[test]
fn a_duplicate_inside_a_batch_is_delivered_once() {
    let mut w = World::new();
    let a = transfer(&mut w, ETHEREUM, 1, 10);
    let b = transfer(&mut w, ETHEREUM, 2, 20);
    let a_other = transfer(&mut w, ETHEREUM, 1, 5_000);
    let p = transfer(&mut w, POLKADOT, 1, 30);
    // the same message twice, and another message under a's (source, nonce): the first of each pair lands
    let batch = vec![a.clone(), b.clone(), a.clone(), p.clone(), a_other.clone(), b.clone()];
    let res = w.deliver_batch(&batch).unwrap();
    assert_eq!(received_ids(&res), vec![id_hex(&a), id_hex(&b), id_hex(&p)]);
    assert_eq!(event_attr(&res, "sah_message_received", "nonce").unwrap(), "1");
    let delivered = res.events.iter().filter(|e| e.ty == "wasm").flat_map(|e| e.attributes.iter());
    assert_eq!(delivered.filter(|a| a.key == "delivered").map(|a| a.value.as_str()).collect::<Vec<_>>(), ["3"]);
    assert_eq!((minted(&w, ETHEREUM), minted(&w, POLKADOT)), (30, 30));
    assert_eq!(w.consumed_word(ETHEREUM, 0), word_of([1, 2]));
    assert_eq!(w.consumed_word(POLKADOT, 0), word_of([1]));
    assert_eq!(error_code(&w.deliver_batch(&batch).unwrap_err()), "BatchAlreadyDelivered");
    // a batch of one message twice
    let c = transfer(&mut w, ETHEREUM, 3, 1);
    let res = w.deliver_batch(&[c.clone(), c.clone()]).unwrap();
    assert_eq!(received_ids(&res), vec![id_hex(&c)]);
    assert_eq!(minted(&w, ETHEREUM), 31);
    // a batch whose duplicate fails later is refused whole: nothing consumed
    let d = transfer(&mut w, ETHEREUM, 4, 1);
    let unlock = {
        let alice = w.addr("alice");
        let mut m = Message::decode(&w.transfer_in(ETHEREUM, CHAIN, native_token(DENOM), &alice, 1)).unwrap();
        m.header.nonce = 5;
        m.encode()
    };
    assert_eq!(error_code(&w.deliver_batch(&[d.clone(), d.clone(), unlock]).unwrap_err()), "UnknownOriginToken");
    assert!(!w.consumed(&d) && !w.consumed_nonce(ETHEREUM, 5));
    assert_eq!(w.consumed_word(ETHEREUM, 0), word_of([1, 2, 3]));
}

#[test]
fn governance_is_consumed_under_chain_0_and_its_nonce() {
    let mut w = World::new();
    let pause = w.governance(Governance::Pause);
    w.deliver(&pause).unwrap();
    assert!(w.consumed_nonce(0, 1));
    assert_eq!(w.consumed_word(0, 0), word_of([1]));
    // the same message again, and another body under the same governance nonce
    assert_eq!(error_code(&w.deliver(&pause).unwrap_err()), "MessageAlreadyConsumed");
    w.governance_nonce = 0;
    let unpause_at_1 = w.governance(Governance::Unpause);
    assert_eq!(error_code(&w.deliver(&unpause_at_1).unwrap_err()), "MessageAlreadyConsumed");
    let config: sah_bridge_cosmwasm::state::Config = w.query(&QueryMsg::Config {});
    assert!(config.paused);
    assert_eq!(config.governance_nonce, 1);

    // nonce 1 of a real source is another message (once unpaused)
    let unpause = w.governance(Governance::Unpause);
    w.deliver(&unpause).unwrap();
    let t = transfer(&mut w, ETHEREUM, 1, 5);
    w.deliver(&t).unwrap();
    assert_eq!(w.consumed_word(0, 0), word_of([1, 2]));
    assert_eq!(w.consumed_word(ETHEREUM, 0), word_of([1]));

    // a governance nonce in another word; then an older nonce never delivered is stale, not consumed
    w.governance_nonce = 299;
    let far = w.governance(Governance::Pause);
    w.deliver(&far).unwrap();
    assert_eq!(w.consumed_word(0, 1), word_of([300]));
    w.governance_nonce = 2;
    let three = w.governance(Governance::Unpause);
    assert_eq!(error_code(&w.deliver(&three).unwrap_err()), "StaleGovernanceNonce");
    assert!(!w.consumed(&three));
    assert_eq!(error_code(&w.deliver(&far).unwrap_err()), "MessageAlreadyConsumed");

    // in a batch a consumed message is skipped before the governance check; a new one is refused
    w.governance_nonce = 300;
    let unpause = w.governance(Governance::Unpause);
    w.deliver(&unpause).unwrap();
    let t2 = transfer(&mut w, ETHEREUM, 2, 5);
    let res = w.deliver_batch(&[unpause.clone(), t2.clone()]).unwrap();
    assert_eq!(received_ids(&res), vec![id_hex(&t2)]);
    w.governance_nonce = 301;
    let fresh = w.governance(Governance::Pause);
    let t3 = transfer(&mut w, ETHEREUM, 3, 5);
    assert_eq!(error_code(&w.deliver_batch(&[t3.clone(), fresh.clone()]).unwrap_err()), "GovernanceNotBatchable");
    assert!(!w.consumed(&fresh) && !w.consumed(&t3));
    assert_eq!(minted(&w, ETHEREUM), 10);
}

// ------------------------------------------------------------------------------------------ randomized

/// The reference: (source, nonce) pairs delivered, and what each source minted.
#[derive(Default)]
struct Reference {
    consumed: BTreeSet<(u32, u64)>,
    minted: BTreeMap<u32, u128>,
}

const SOURCES: [u32; 3] = [ETHEREUM, POLKADOT, u32::MAX];

/// A nonce pool per source: the word boundaries (shared by every source), a dense low range, random ones, and
/// some near u64::MAX.
fn nonce_pool(rng: &mut ChaCha8Rng) -> Vec<u64> {
    let mut pool: BTreeSet<u64> = [0u64, 1, 255, 256, 511, 512, u64::MAX].into_iter().collect();
    while pool.len() < 30 {
        pool.insert(rng.next_u64() % 800);
    }
    while pool.len() < 36 {
        pool.insert(rng.next_u64());
    }
    while pool.len() < 40 {
        pool.insert(u64::MAX - rng.next_u64() % 600);
    }
    pool.into_iter().collect()
}

fn random_delivery(seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut w = World::new();
    let mut model = Reference::default();
    // every (source, nonce) of the pools; about one in six is never delivered
    let mut pools: BTreeMap<u32, Vec<u64>> = BTreeMap::new();
    let mut queue: Vec<(u32, u64)> = vec![];
    for source in SOURCES {
        let pool = nonce_pool(&mut rng);
        queue.extend(pool.iter().filter(|_| rng.next_u32() % 6 != 0).map(|&n| (source, n)));
        pools.insert(source, pool);
    }
    // random order (Fisher-Yates)
    for i in (1..queue.len()).rev() {
        queue.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
    }
    let mut sent: Vec<(u32, u64)> = vec![];
    let mut step = 0;
    while !queue.is_empty() || step < 5 {
        step += 1;
        let single = rng.next_u32() % 2 == 0;
        let take = if single { 1 } else { 1 + (rng.next_u32() % 8) as usize }.min(queue.len());
        let mut picked: Vec<(u32, u64)> = queue.drain(..take).collect();
        // replays of pairs sent before, and duplicates of this step's pairs
        let extra = rng.next_u32() % 3;
        for _ in 0..extra {
            if !sent.is_empty() && rng.next_u32() % 2 == 0 {
                picked.push(sent[(rng.next_u64() % sent.len() as u64) as usize]);
            } else if !picked.is_empty() {
                picked.push(picked[(rng.next_u64() % picked.len() as u64) as usize]);
            }
        }
        if picked.is_empty() {
            continue;
        }
        for i in (1..picked.len()).rev() {
            picked.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
        }
        // a random amount each time: a replayed or duplicated pair is often another message under the same pair
        let messages: Vec<(Vec<u8>, u32, u64, u128)> = picked
            .iter()
            .map(|&(s, n)| {
                let amount = 1 + (rng.next_u64() % 1_000) as u128;
                (transfer(&mut w, s, n, amount), s, n, amount)
            })
            .collect();
        let ctx = format!("seed {seed}, step {step}, {picked:?}");
        // the reference outcome: the first message of each pair not consumed yet lands
        let mut fresh: Vec<&(Vec<u8>, u32, u64, u128)> = vec![];
        let mut seen = BTreeSet::new();
        for m in &messages {
            if !model.consumed.contains(&(m.1, m.2)) && seen.insert((m.1, m.2)) {
                fresh.push(m);
            }
        }
        let as_batch = messages.len() > 1 || rng.next_u32() % 2 == 0;
        let result = if as_batch {
            w.deliver_batch(&messages.iter().map(|m| m.0.clone()).collect::<Vec<_>>())
        } else {
            w.deliver(&messages[0].0)
        };
        match (fresh.is_empty(), result) {
            (false, Ok(res)) => {
                assert_eq!(received_ids(&res), fresh.iter().map(|m| id_hex(&m.0)).collect::<Vec<_>>(), "{ctx}");
                for m in &fresh {
                    model.consumed.insert((m.1, m.2));
                    *model.minted.entry(m.1).or_default() += m.3;
                }
            }
            (true, Err(e)) => {
                let expected = if as_batch { "BatchAlreadyDelivered" } else { "MessageAlreadyConsumed" };
                assert_eq!(error_code(&e), expected, "{ctx}");
            }
            (_, r) => panic!("{ctx}: expected {} new, got {:?}", fresh.len(), r.map(|r| received_ids(&r))),
        }
        sent.extend(picked.iter().copied());
        for &(s, n) in &picked {
            assert_eq!(w.consumed_nonce(s, n), model.consumed.contains(&(s, n)), "{ctx}: ({s}, {n})");
        }
        for s in SOURCES {
            assert_eq!(minted(&w, s), model.minted.get(&s).copied().unwrap_or(0), "{ctx}: minted from {s}");
        }
    }
    // every pool nonce and its neighbours, and every word the pools touch, against the reference
    for (&source, pool) in &pools {
        let mut words: BTreeSet<u64> = BTreeSet::new();
        for &n in pool {
            for m in [n.wrapping_sub(1), n, n.wrapping_add(1)] {
                let expected = model.consumed.contains(&(source, m));
                assert_eq!(w.consumed_nonce(source, m), expected, "seed {seed}: ({source}, {m})");
                words.insert(m >> 8);
            }
        }
        for index in words {
            let bits = model.consumed.iter().filter(|(s, n)| *s == source && n >> 8 == index).map(|(_, n)| *n);
            assert_eq!(w.consumed_word(source, index), word_of(bits), "seed {seed}: word {index} of {source}");
        }
    }
    assert!(model.consumed.len() > 60, "seed {seed}: delivered {}", model.consumed.len());
}

#[test]
fn random_nonce_sets_in_random_order_match_a_reference_set() {
    for seed in [1, 7, 0x5eed, 2026] {
        random_delivery(seed);
    }
}

// ------------------------------------------------------------------------------------------ word accesses

thread_local! {
    /// Reads ('r') and writes ('w') of consumed words by the bridge's `execute` (storage keys), in order.
    static WORD_ACCESS: RefCell<Vec<(char, Vec<u8>)>> = const { RefCell::new(vec![]) };
}

/// The bridge's storage, with every access to a consumed word logged.
struct Watched<'a>(&'a mut dyn Storage);

fn log_access(kind: char, key: &[u8]) {
    let prefix = [&[0u8, consumed::NAMESPACE.len() as u8][..], consumed::NAMESPACE].concat();
    if key.starts_with(&prefix) {
        WORD_ACCESS.with(|a| a.borrow_mut().push((kind, key.to_vec())));
    }
}

impl Storage for Watched<'_> {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        log_access('r', key);
        self.0.get(key)
    }

    fn range<'b>(
        &'b self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> Box<dyn Iterator<Item = Record> + 'b> {
        self.0.range(start, end, order)
    }

    fn set(&mut self, key: &[u8], value: &[u8]) {
        log_access('w', key);
        self.0.set(key, value)
    }

    fn remove(&mut self, key: &[u8]) {
        log_access('d', key);
        self.0.remove(key)
    }
}

fn watched_execute(deps: DepsMut, env: Env, info: MessageInfo, msg: ExecuteMsg) -> Result<Response, ContractError> {
    let mut storage = Watched(deps.storage);
    execute(DepsMut { storage: &mut storage, api: deps.api, querier: deps.querier }, env, info, msg)
}

fn watched_bridge() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(watched_execute, instantiate, query).with_reply(reply))
}

/// The word accesses of one call: reads and writes by key.
fn accesses(call: impl FnOnce()) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    WORD_ACCESS.with(|a| a.borrow_mut().clear());
    call();
    let log = WORD_ACCESS.with(|a| a.borrow_mut().split_off(0));
    assert!(log.iter().all(|(k, _)| *k != 'd'), "a consumed word was removed");
    let of = |kind: char| log.iter().filter(|(k, _)| *k == kind).map(|(_, key)| key.clone()).collect::<Vec<_>>();
    (of('r'), of('w'))
}

fn sorted(mut keys: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    keys.sort();
    keys
}

#[test]
fn a_batch_reads_each_word_it_touches_once_and_writes_each_changed_word_once() {
    let mut w = World::with_contract(CHAIN, watched_bridge());
    let first = transfer(&mut w, ETHEREUM, 5, 1);
    let (reads, writes) = accesses(|| {
        w.deliver(&first).unwrap();
    });
    let key = consumed::storage_key;
    assert_eq!((reads, writes), (vec![key(ETHEREUM, 0)], vec![key(ETHEREUM, 0)]), "a single message");

    // Ethereum words 0 and 1, Polkadot word 0; a message consumed before and a duplicate are skipped
    let batch: Vec<Vec<u8>> = [
        (ETHEREUM, 3u64),
        (ETHEREUM, 300),
        (POLKADOT, 3),
        (ETHEREUM, 4),
        (ETHEREUM, 5),
        (ETHEREUM, 3),
        (ETHEREUM, 511),
        (POLKADOT, 255),
    ]
    .iter()
    .map(|&(s, n)| transfer(&mut w, s, n, 1))
    .collect();
    let (reads, writes) = accesses(|| {
        let res = w.deliver_batch(&batch).unwrap();
        assert_eq!(received_ids(&res).len(), 6);
    });
    let touched = sorted(vec![key(ETHEREUM, 0), key(ETHEREUM, 1), key(POLKADOT, 0)]);
    assert_eq!(sorted(reads), touched, "each word read once");
    assert_eq!(sorted(writes), touched, "each word written once");
    assert_eq!(w.consumed_word(ETHEREUM, 0), word_of([3, 4, 5]));
    assert_eq!(w.consumed_word(ETHEREUM, 1), word_of([300, 511]));
    assert_eq!(w.consumed_word(POLKADOT, 0), word_of([3, 255]));

    // a word only read (every message of it skipped) is not written
    let more: Vec<Vec<u8>> = [(ETHEREUM, 4u64), (ETHEREUM, 1000), (ETHEREUM, 1001)]
        .iter()
        .map(|&(s, n)| transfer(&mut w, s, n, 1))
        .collect();
    let (reads, writes) = accesses(|| {
        w.deliver_batch(&more).unwrap();
    });
    assert_eq!(sorted(reads), sorted(vec![key(ETHEREUM, 0), key(ETHEREUM, 3)]));
    assert_eq!(writes, vec![key(ETHEREUM, 3)]);

    // nothing new: read, not written, and refused
    let (reads, writes) = accesses(|| {
        assert_eq!(error_code(&w.deliver_batch(&more).unwrap_err()), "BatchAlreadyDelivered");
    });
    assert_eq!((sorted(reads), writes), (sorted(vec![key(ETHEREUM, 0), key(ETHEREUM, 3)]), vec![]));
    let (reads, writes) = accesses(|| {
        assert_eq!(error_code(&w.deliver(&first).unwrap_err()), "MessageAlreadyConsumed");
    });
    assert_eq!((reads, writes), (vec![key(ETHEREUM, 0)], vec![]));
}
