//! Seeded randomized tests: the decoder never panics, accepts only canonical encodings, and
//! decode(encode(m)) == m for generated valid messages of every kind and action.

mod common;

use common::{bytes, vectors, Rng};
use k256::elliptic_curve::sec1::ToEncodedPoint;
use sah_bridge_protocol::*;

/// Whatever decode accepts re-encodes to exactly the input (one encoding per message).
fn check_canonical(input: &[u8]) -> bool {
    match Message::decode(input) {
        Ok(m) => {
            assert_eq!(m.encode(), input, "accepted a non-canonical encoding");
            assert_eq!(m.try_encode().as_deref(), Ok(input));
            true
        }
        Err(e) => {
            assert!(!e.code().is_empty() && !e.to_string().is_empty());
            false
        }
    }
}

#[test]
fn random_bytes_never_panic_the_decoder() {
    let mut rng = Rng(1);
    for _ in 0..20_000 {
        let len = rng.below(420) as usize;
        let data = rng.vec(len);
        check_canonical(&data);
    }
}

#[test]
fn random_payloads_behind_valid_headers_never_panic() {
    let v = vectors();
    let headers: Vec<Vec<u8>> = v["valid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| bytes(&x["encoding"])[..HEADER_LEN].to_vec())
        .collect();
    let mut rng = Rng(2);
    let mut accepted = 0;
    for i in 0..40_000 {
        let mut data = headers[i % headers.len()].clone();
        // payload lengths around the interesting ones, first bytes often a valid action
        let len = match rng.below(3) {
            0 => rng.below(200) as usize,
            _ => [0, 1, 33, 41, 42, 47, 53, 105, 117, 157][rng.below(10) as usize],
        };
        let mut payload = rng.vec(len);
        if !payload.is_empty() && rng.below(2) == 0 {
            payload[0] = 1 + rng.below(5) as u8;
        }
        data.extend_from_slice(&payload);
        accepted += check_canonical(&data) as usize;
    }
    assert!(accepted > 0, "some random payloads are valid");
}

#[test]
fn mutated_valid_vectors_decode_canonically_or_not_at_all() {
    let v = vectors();
    let valid: Vec<Vec<u8>> = v["valid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| bytes(&x["encoding"]))
        .collect();
    let mut rng = Rng(3);
    for i in 0..30_000 {
        let mut data = valid[i % valid.len()].clone();
        for _ in 0..=rng.below(3) {
            match rng.below(4) {
                0 => data.truncate(rng.below(data.len() as u64 + 1) as usize),
                1 => data.push(rng.next_u64() as u8),
                _ if !data.is_empty() => {
                    let at = rng.below(data.len() as u64) as usize;
                    data[at] = rng.next_u64() as u8;
                }
                _ => {}
            }
        }
        check_canonical(&data);
    }
}

fn non_zero32(rng: &mut Rng) -> [u8; 32] {
    let mut b = rng.bytes::<32>();
    if rng.below(4) == 0 {
        // mostly-zero values (left-padded addresses) too
        b[..31].fill(0);
    }
    if b == [0; 32] {
        b[31] = 1;
    }
    b
}

fn any32(rng: &mut Rng) -> [u8; 32] {
    if rng.below(3) == 0 {
        [0; 32]
    } else {
        rng.bytes()
    }
}

fn non_zero_u32(rng: &mut Rng) -> u32 {
    (rng.next_u64() as u32).max(1)
}

fn edge_u128(rng: &mut Rng, non_zero: bool) -> u128 {
    let v = match rng.below(4) {
        0 => u128::MAX,
        1 => rng.below(1000) as u128,
        _ => ((rng.next_u64() as u128) << 64) | rng.next_u64() as u128,
    };
    if non_zero {
        v.max(1)
    } else {
        v
    }
}

fn text(rng: &mut Rng, max: usize) -> String {
    const ALPHABET: [&str; 8] = ["a", "Z", "0", ":", "/", "é", "—", "😀"];
    let mut s = String::new();
    let target = rng.below(max as u64 + 1) as usize;
    loop {
        let piece = ALPHABET[rng.below(8) as usize];
        if s.len() + piece.len() > target {
            return s;
        }
        s.push_str(piece);
    }
}

fn group_key(rng: &mut Rng) -> [u8; 33] {
    loop {
        let sk = k256::SecretKey::from_slice(&rng.bytes::<32>());
        if let Ok(sk) = sk {
            let pk: [u8; 33] = sk
                .public_key()
                .to_encoded_point(true)
                .as_bytes()
                .try_into()
                .unwrap();
            if frost::check_group_key(&pk).is_ok() {
                return pk;
            }
        }
    }
}

fn random_valid_message(rng: &mut Rng) -> Message {
    let kind = Kind::from_u8(1 + rng.below(5) as u8).unwrap();
    let (source_chain, destination_chain) = if kind == Kind::Governance {
        (0, non_zero_u32(rng))
    } else {
        let s = non_zero_u32(rng);
        let mut d = non_zero_u32(rng);
        if d == s {
            d = s.wrapping_add(1).max(1);
        }
        (s, d)
    };
    let payload = match kind {
        Kind::TokenTransfer => Payload::TokenTransfer(TokenTransfer {
            origin_chain: non_zero_u32(rng),
            origin_token: non_zero32(rng),
            amount: edge_u128(rng, true),
            decimals: rng.next_u64() as u8,
            symbol: rng.bytes(),
            name: rng.bytes(),
        }),
        Kind::DataAttestation => {
            let revoke = rng.below(2) == 0;
            let mut owner_did = text(rng, MAX_DID_LEN);
            if owner_did.is_empty() {
                owner_did.push('d');
            }
            Payload::DataAttestation(DataAttestation {
                action: if revoke {
                    AttestationAction::Revoke
                } else {
                    AttestationAction::Register
                },
                data_hash: non_zero32(rng),
                timestamp: rng.next_u64(),
                owner_did,
                uri: if revoke {
                    String::new()
                } else {
                    text(rng, MAX_URI_LEN)
                },
                license: if revoke {
                    String::new()
                } else {
                    text(rng, MAX_LICENSE_LEN)
                },
            })
        }
        Kind::ComputeJob => Payload::ComputeJob(if rng.below(2) == 0 {
            ComputeJob::Post {
                job_id: non_zero32(rng),
                spec_hash: non_zero32(rng),
                payment_origin_chain: non_zero_u32(rng),
                payment_origin_token: non_zero32(rng),
                payment_amount: edge_u128(rng, true),
                deadline: rng.next_u64().max(1),
                payer: non_zero32(rng),
            }
        } else {
            ComputeJob::Cancel {
                job_id: non_zero32(rng),
            }
        }),
        Kind::ComputeResult => {
            let outcome =
                [Outcome::Completed, Outcome::Expired, Outcome::Cancelled][rng.below(3) as usize];
            let completed = outcome == Outcome::Completed;
            Payload::ComputeResult(ComputeResult {
                outcome,
                job_id: non_zero32(rng),
                result_hash: if completed { non_zero32(rng) } else { [0; 32] },
                executor: if completed { non_zero32(rng) } else { [0; 32] },
                timestamp: rng.next_u64(),
            })
        }
        Kind::Governance => Payload::Governance(match rng.below(5) {
            0 => Governance::RotateKey {
                new_epoch: non_zero_u32(rng),
                new_group_key: group_key(rng),
                grace_seconds: rng.next_u64() as u32,
            },
            1 => Governance::Pause,
            2 => Governance::Unpause,
            3 => Governance::SetRateLimit {
                origin_chain: non_zero_u32(rng),
                origin_token: non_zero32(rng),
                capacity: edge_u128(rng, false),
            },
            _ => Governance::SetPauser { pauser: any32(rng) },
        }),
    };
    let recipient = if kind == Kind::TokenTransfer {
        non_zero32(rng)
    } else {
        any32(rng)
    };
    Message {
        header: Header {
            version: VERSION,
            kind,
            source_chain,
            destination_chain,
            nonce: rng.next_u64(),
            sender: if kind == Kind::Governance {
                [0; 32]
            } else {
                any32(rng)
            },
            recipient,
        },
        payload,
    }
}

#[test]
fn decode_inverts_encode_on_generated_valid_messages() {
    let mut rng = Rng(4);
    let mut kinds = [0usize; 5];
    for i in 0..5_000 {
        let m = random_valid_message(&mut rng);
        kinds[m.header.kind as usize - 1] += 1;
        let enc = m
            .try_encode()
            .unwrap_or_else(|e| panic!("#{i}: {m:?} refused: {e}"));
        assert_eq!(enc, m.encode());
        assert_eq!(Message::decode(&enc).as_ref(), Ok(&m), "#{i}");
        // every strict prefix and every one-byte extension is refused
        let cut = rng.below(enc.len() as u64) as usize;
        assert!(Message::decode(&enc[..cut]).is_err(), "#{i} cut to {cut}");
        let mut longer = enc.clone();
        longer.push(rng.next_u64() as u8);
        assert!(Message::decode(&longer).is_err(), "#{i} extended");
    }
    assert!(kinds.iter().all(|&k| k > 500), "{kinds:?}");
}
