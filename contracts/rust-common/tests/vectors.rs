//! The golden vectors of test/vectors/messages.json, checked byte for byte.

mod common;

use common::{arr, bytes, hex32, k256_recover, vectors};
use sah_bridge_protocol::*;
use serde_json::Value;

fn num<T: TryFrom<u64>>(v: &Value) -> T {
    let n = v.as_u64().unwrap_or_else(|| panic!("not an integer: {v}"));
    T::try_from(n).unwrap_or_else(|_| panic!("{n} out of range"))
}

fn big<T: std::str::FromStr>(v: &Value) -> T {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("not a decimal string: {v}"));
    s.parse()
        .unwrap_or_else(|_| panic!("{s} is not a number of this width"))
}

fn string(v: &Value) -> String {
    v.as_str().expect("string").to_owned()
}

/// The message a valid vector's fields describe, built from the JSON alone.
fn message_from_fields(v: &Value) -> Message {
    let h = &v["header"];
    let p = &v["payload"];
    let (kind, payload) = match v["kind"].as_str().unwrap() {
        "TokenTransfer" => (
            Kind::TokenTransfer,
            Payload::TokenTransfer(TokenTransfer {
                origin_chain: num(&p["originChain"]),
                origin_token: arr(&p["originToken"]),
                amount: big(&p["amount"]),
                decimals: num(&p["decimals"]),
                symbol: arr(&p["symbol"]),
                name: arr(&p["name"]),
            }),
        ),
        "DataAttestation" => (
            Kind::DataAttestation,
            Payload::DataAttestation(DataAttestation {
                action: match p["action"].as_str().unwrap() {
                    "Register" => AttestationAction::Register,
                    "Revoke" => AttestationAction::Revoke,
                    a => panic!("unknown attestation action {a}"),
                },
                data_hash: arr(&p["dataHash"]),
                timestamp: big(&p["timestamp"]),
                owner_did: string(&p["ownerDid"]),
                uri: string(&p["uri"]),
                license: string(&p["license"]),
            }),
        ),
        "ComputeJob" => (
            Kind::ComputeJob,
            Payload::ComputeJob(match p["action"].as_str().unwrap() {
                "Post" => ComputeJob::Post {
                    job_id: arr(&p["jobId"]),
                    spec_hash: arr(&p["specHash"]),
                    payment_origin_chain: num(&p["paymentOriginChain"]),
                    payment_origin_token: arr(&p["paymentOriginToken"]),
                    payment_amount: big(&p["paymentAmount"]),
                    deadline: big(&p["deadline"]),
                    payer: arr(&p["payer"]),
                },
                "Cancel" => ComputeJob::Cancel {
                    job_id: arr(&p["jobId"]),
                },
                a => panic!("unknown job action {a}"),
            }),
        ),
        "ComputeResult" => (
            Kind::ComputeResult,
            Payload::ComputeResult(ComputeResult {
                outcome: match p["outcome"].as_str().unwrap() {
                    "Completed" => Outcome::Completed,
                    "Expired" => Outcome::Expired,
                    "Cancelled" => Outcome::Cancelled,
                    o => panic!("unknown outcome {o}"),
                },
                job_id: arr(&p["jobId"]),
                result_hash: arr(&p["resultHash"]),
                executor: arr(&p["executor"]),
                timestamp: big(&p["timestamp"]),
            }),
        ),
        "Governance" => (
            Kind::Governance,
            Payload::Governance(match p["action"].as_str().unwrap() {
                "RotateKey" => Governance::RotateKey {
                    new_epoch: num(&p["newEpoch"]),
                    new_group_key: arr(&p["newGroupKey"]),
                    grace_seconds: num(&p["graceSeconds"]),
                },
                "Pause" => Governance::Pause,
                "Unpause" => Governance::Unpause,
                "SetRateLimit" => Governance::SetRateLimit {
                    origin_chain: num(&p["originChain"]),
                    origin_token: arr(&p["originToken"]),
                    capacity: big(&p["capacity"]),
                },
                "SetPauser" => Governance::SetPauser {
                    pauser: arr(&p["pauser"]),
                },
                a => panic!("unknown governance action {a}"),
            }),
        ),
        k => panic!("unknown kind {k}"),
    };
    Message {
        header: Header {
            version: VERSION,
            kind,
            source_chain: num(&h["sourceChain"]),
            destination_chain: num(&h["destinationChain"]),
            nonce: big(&h["nonce"]),
            sender: arr(&h["sender"]),
            recipient: arr(&h["recipient"]),
        },
        payload,
    }
}

fn list<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is a list"))
}

fn name(v: &Value) -> &str {
    v["name"].as_str().unwrap()
}

#[test]
fn vector_file_has_the_expected_shape() {
    let v = vectors();
    assert_eq!(list(&v, "valid").len(), 17);
    assert_eq!(list(&v, "invalid").len(), 44);
    assert_eq!(list(&v, "badSignatures").len(), 6);
    assert_eq!(list(&v["batch"], "encodings").len(), 3);
    // every kind and every action appears among the valid vectors
    let names: Vec<&str> = list(&v, "valid").iter().map(name).collect();
    for kind in [
        "TokenTransfer",
        "DataAttestation",
        "ComputeJob",
        "ComputeResult",
        "Governance",
    ] {
        assert!(
            list(&v, "valid").iter().any(|x| x["kind"] == kind),
            "{kind}"
        );
    }
    assert!(names.len() == 17);
}

#[test]
fn valid_vectors_decode_to_their_fields_and_reencode_byte_for_byte() {
    for v in list(&vectors(), "valid") {
        let encoding = bytes(&v["encoding"]);
        let decoded = Message::decode(&encoding)
            .unwrap_or_else(|e| panic!("{}: {} ({e})", name(v), e.code()));
        assert_eq!(decoded, message_from_fields(v), "{}: fields", name(v));
        assert_eq!(decoded.encode(), encoding, "{}: encode", name(v));
        assert_eq!(
            decoded.try_encode().as_deref(),
            Ok(encoding.as_slice()),
            "{}",
            name(v)
        );
        // the header alone decodes to the same header
        assert_eq!(Header::decode(&encoding), Ok(decoded.header.clone()));
        assert_eq!(decoded.payload.kind(), decoded.header.kind);
    }
}

#[test]
fn valid_vectors_message_id_and_signing_digest() {
    for v in list(&vectors(), "valid") {
        let encoding = bytes(&v["encoding"]);
        let id = message_id(&encoding);
        assert_eq!(hex32(&id), v["messageId"], "{}", name(v));
        let leaf = merkle::leaf(&id);
        assert_eq!(hex32(&leaf), v["leaf"], "{}", name(v));
        // a single message is a batch of one
        assert_eq!(merkle::root(&[id]), leaf, "{}", name(v));
        let destination: u32 = num(&v["header"]["destinationChain"]);
        let key: [u8; 33] = arr(&vectors()["testKey"]["groupKey"]);
        for family in FAMILIES {
            let d = &v["deliveries"][family];
            let at = instance(family);
            let preimage = digest_preimage(num(&v["epoch"]), destination, &at, &leaf);
            assert_eq!(
                hex::encode(preimage),
                d["preimage"].as_str().unwrap().trim_start_matches("0x")
            );
            let digest = signing_digest(num(&v["epoch"]), destination, &at, &leaf);
            assert_eq!(hex32(&digest), d["signingDigest"], "{} {family}", name(v));
            frost::verify(&key, &digest, &bytes(&d["signature"]), &k256_recover)
                .unwrap_or_else(|e| panic!("{} {family}: {e:?}", name(v)));
        }
    }
}

const FAMILIES: [&str; 3] = ["evm", "cosmwasm", "substrate"];

/// The verifying instance the vectors sign for, per family.
fn instance(family: &str) -> Instance {
    let i = &vectors()["instances"][family];
    Instance {
        chain_binding: arr(&i["chainBinding"]),
        bridge: arr(&i["bridge"]),
    }
}

#[test]
fn the_digest_preimage_has_its_byte_offsets() {
    let at = Instance {
        chain_binding: [0xcb; 32],
        bridge: [0xb1; 32],
    };
    let p = digest_preimage(0x0102_0304, 0x0a0b_0c0d, &at, &[0x77; 32]);
    assert_eq!(p.len(), 117);
    assert_eq!(&p[..13], b"SAH-BRIDGE-V2");
    assert_eq!(p[13..17], [1, 2, 3, 4]);
    assert_eq!(p[17..21], [0x0a, 0x0b, 0x0c, 0x0d]);
    assert_eq!(p[21..53], [0xcb; 32]);
    assert_eq!(p[53..85], [0xb1; 32]);
    assert_eq!(p[85..], [0x77; 32]);
}

/// The rule of the TypeScript and Solidity vector tests: an invalid vector is checked by a codec
/// iff its `scope` is `header` or a kind that codec decodes. This crate decodes every kind, so every
/// invalid vector is in scope.
#[test]
fn invalid_vectors_fail_with_exactly_their_code() {
    let decoded_kinds = [
        "header",
        "TokenTransfer",
        "DataAttestation",
        "ComputeJob",
        "ComputeResult",
        "Governance",
    ];
    let mut checked = 0;
    for v in list(&vectors(), "invalid") {
        let scope = v["scope"].as_str().unwrap();
        assert!(decoded_kinds.contains(&scope), "{}: scope {scope}", name(v));
        let encoding = bytes(&v["encoding"]);
        let expected = v["error"].as_str().unwrap();
        match Message::decode(&encoding) {
            Ok(m) => panic!("{}: decoded to {m:?}, expected {expected}", name(v)),
            Err(e) => assert_eq!(e.code(), expected, "{}: {e}", name(v)),
        }
        checked += 1;
    }
    assert_eq!(checked, 44);
}

/// `scope: header` vectors fail in the header alone; payload-scoped ones have a valid header, so a
/// chain that skips a kind's payload checks still refuses every header-scoped one.
#[test]
fn invalid_vector_scopes_match_where_the_check_is() {
    for v in list(&vectors(), "invalid") {
        let encoding = bytes(&v["encoding"]);
        let header = Header::decode(&encoding);
        if v["scope"] == "header" {
            let e = header.expect_err(name(v));
            assert_eq!(e.code(), v["error"], "{}", name(v));
        } else {
            let h = header.unwrap_or_else(|e| panic!("{}: header refused: {e}", name(v)));
            assert_eq!(format!("{:?}", h.kind), v["scope"], "{}", name(v));
        }
    }
}

#[test]
fn invalid_vectors_carry_specific_error_details() {
    let v = vectors();
    let by_name = |n: &str| {
        let found = list(&v, "invalid")
            .iter()
            .find(|x| x["name"] == n)
            .unwrap_or_else(|| panic!("no vector {n}"));
        Message::decode(&bytes(&found["encoding"])).unwrap_err()
    };
    assert_eq!(by_name("empty message"), ProtocolError::MessageTooShort);
    assert_eq!(by_name("version 2"), ProtocolError::UnsupportedVersion(2));
    assert_eq!(by_name("kind 6"), ProtocolError::UnknownKind(6));
    assert_eq!(
        by_name("token transfer payload one byte long"),
        ProtocolError::PayloadLength {
            expected: 117,
            actual: 118
        }
    );
    assert_eq!(
        by_name("token transfer recipient zero"),
        ProtocolError::InvalidField("recipient")
    );
    assert_eq!(
        by_name("token transfer origin token zero"),
        ProtocolError::InvalidField("originToken")
    );
    assert_eq!(
        by_name("governance unknown action 9"),
        ProtocolError::UnknownAction(9)
    );
    assert_eq!(
        by_name("governance empty payload"),
        ProtocolError::PayloadLength {
            expected: 1,
            actual: 0
        }
    );
    assert_eq!(
        by_name("governance rotate key to epoch 0"),
        ProtocolError::InvalidField("newEpoch")
    );
    assert_eq!(
        by_name("attestation with invalid UTF-8 in the DID"),
        ProtocolError::InvalidField("ownerDid")
    );
    assert_eq!(
        by_name("attestation with a DID length past the end"),
        ProtocolError::PayloadLength {
            expected: 43 + 0xffff,
            actual: 47 + 59 + 66 + 9
        }
    );
    assert_eq!(
        by_name("compute result expired with an executor"),
        ProtocolError::InvalidField("resultHash")
    );
    // §3.1: the recipient is checked last, so the other fault is the one named
    assert_eq!(
        by_name("token transfer recipient zero and payload one byte short"),
        ProtocolError::PayloadLength {
            expected: 117,
            actual: 116
        }
    );
    assert_eq!(
        by_name("token transfer recipient zero and origin chain zero"),
        ProtocolError::InvalidField("originChain")
    );
    assert_eq!(
        by_name("token transfer recipient zero and origin token zero"),
        ProtocolError::InvalidField("originToken")
    );
    assert_eq!(
        by_name("token transfer recipient zero and amount zero"),
        ProtocolError::ZeroAmount
    );
    // §3.2: a revocation names the field it carries, uri before license
    assert_eq!(
        by_name("attestation revoke carrying a uri"),
        ProtocolError::InvalidField("uri")
    );
    assert_eq!(
        by_name("attestation revoke carrying a license"),
        ProtocolError::InvalidField("license")
    );
    // §3.3: the post's payment origin chain and token are non-zero
    assert_eq!(
        by_name("compute job post payment origin chain zero"),
        ProtocolError::InvalidField("paymentOriginChain")
    );
    assert_eq!(
        by_name("compute job post payment origin token zero"),
        ProtocolError::InvalidField("paymentOriginToken")
    );
    // Display says what and why
    assert_eq!(
        by_name("token transfer recipient zero").to_string(),
        "field recipient is invalid: zero"
    );
    assert_eq!(
        by_name("destination chain 0").to_string(),
        "invalid route: destination is the governance pseudo-chain 0"
    );
}

#[test]
fn batch_vector_root_proofs_digest_and_signature() {
    let v = vectors();
    let b = &v["batch"];
    let ids: Vec<[u8; 32]> = list(b, "encodings")
        .iter()
        .map(|e| {
            let enc = bytes(e);
            let m = Message::decode(&enc).expect("batch member decodes");
            assert_eq!(
                m.header.destination_chain,
                num::<u32>(&b["destinationChain"])
            );
            message_id(&enc)
        })
        .collect();
    let expected_ids: Vec<[u8; 32]> = list(b, "messageIds").iter().map(arr).collect();
    assert_eq!(ids, expected_ids);
    let root: [u8; 32] = arr(&b["root"]);
    assert_eq!(merkle::root(&ids), root);
    for (i, id) in ids.iter().enumerate() {
        let expected: Vec<[u8; 32]> = b["proofs"][i].as_array().unwrap().iter().map(arr).collect();
        let proof = merkle::proof(&ids, i);
        assert_eq!(proof, expected, "proof {i}");
        assert!(merkle::verify(id, &proof, &root), "proof {i} verifies");
        // a proof does not carry over to another leaf
        assert!(!merkle::verify(&ids[(i + 1) % 3], &proof, &root));
    }
    let leaves: Vec<[u8; 32]> = list(b, "leaves").iter().map(arr).collect();
    assert_eq!(ids.iter().map(merkle::leaf).collect::<Vec<_>>(), leaves);
    // an inner node presented as a message id: hashed as a leaf, it leads elsewhere (the v1 tree, without
    // prefixes, would have reached the root from it)
    let inner: [u8; 32] = arr(&b["innerNode"]);
    assert_eq!(merkle::hash_pair(&leaves[0], &leaves[1]), inner);
    let above: Vec<[u8; 32]> = merkle::proof(&ids, 0)[1..].to_vec();
    assert_ne!(merkle::root_from_proof(&inner, &above), root);
    assert_eq!(
        above
            .iter()
            .fold(inner, |acc, s| merkle::hash_pair(&acc, s)),
        root
    );
    let key: [u8; 33] = arr(&v["testKey"]["groupKey"]);
    for family in FAMILIES {
        let d = &b["deliveries"][family];
        let digest = signing_digest(
            num(&b["epoch"]),
            num(&b["destinationChain"]),
            &instance(family),
            &root,
        );
        assert_eq!(hex32(&digest), d["signingDigest"]);
        frost::verify(&key, &digest, &bytes(&d["signature"]), &k256_recover)
            .expect("batch signature verifies");
        let sig = bytes(&d["signature"]);
        let r: [u8; 33] = sig[..33].try_into().unwrap();
        assert_eq!(hex32(&frost::challenge(&r, &key, &digest)), d["challenge"]);
    }
}

#[test]
fn merkle_matches_the_typescript_construction_for_1_to_9_leaves() {
    // the same leaves as relayer/protocol/frost.test.ts: 1, 2, ..., n as 32-byte big-endian
    for n in 1..=9u8 {
        let ids: Vec<[u8; 32]> = (1..=n)
            .map(|i| {
                let mut id = [0u8; 32];
                id[31] = i;
                id
            })
            .collect();
        let root = merkle::root(&ids);
        for (i, id) in ids.iter().enumerate() {
            let proof = merkle::proof(&ids, i);
            assert!(merkle::verify(id, &proof, &root), "n={n} i={i}");
            // depth is ceil(log2 n) at most
            assert!(proof.len() <= (usize::BITS - (n as usize - 1).leading_zeros()) as usize);
        }
        if n == 1 {
            assert_eq!(root, merkle::leaf(&ids[0]));
            assert!(merkle::proof(&ids, 0).is_empty());
        }
    }
    // 3 leaves by hand: (h(1,2), 3)
    let l = |i: u8| {
        let mut id = [0u8; 32];
        id[31] = i;
        id
    };
    let leaf = |i: u8| merkle::leaf(&l(i));
    let h12 = merkle::hash_pair(&leaf(1), &leaf(2));
    assert_eq!(
        merkle::root(&[l(1), l(2), l(3)]),
        merkle::hash_pair(&h12, &leaf(3))
    );
    assert_eq!(merkle::proof(&[l(1), l(2), l(3)], 2), vec![h12]);
    // pairs are sorted
    assert_eq!(merkle::hash_pair(&leaf(2), &leaf(1)), h12);
    // a leaf and a node never share a preimage length or prefix
    assert_ne!(merkle::leaf(&h12), h12);
    // out of range
    assert!(merkle::proof(&[l(1), l(2)], 2).is_empty());
    assert_eq!(merkle::root(&[]), [0u8; 32]);
}

#[test]
fn valid_vector_signatures_verify_and_challenges_match() {
    let v = vectors();
    let key: [u8; 33] = arr(&v["testKey"]["groupKey"]);
    assert_eq!(frost::check_group_key(&key), Ok(()));
    assert_eq!(
        hex32(&key[1..].try_into().unwrap()),
        v["testKey"]["groupKeyX"]
    );
    assert_eq!(
        u64::from(key[0] - 2),
        v["testKey"]["groupKeyYParity"].as_u64().unwrap()
    );
    for (x, family) in list(&v, "valid")
        .iter()
        .flat_map(|x| FAMILIES.map(|f| (x, f)))
    {
        let d = &x["deliveries"][family];
        let digest: [u8; 32] = arr(&d["signingDigest"]);
        let sig = bytes(&d["signature"]);
        assert_eq!(sig.len(), 65);
        frost::verify(&key, &digest, &sig, &k256_recover)
            .unwrap_or_else(|e| panic!("{}: {} ({e})", name(x), e.code()));
        let r: [u8; 33] = sig[..33].try_into().unwrap();
        assert_eq!(
            hex32(&frost::challenge(&r, &key, &digest)),
            d["challenge"],
            "{}",
            name(x)
        );
        // the 97-byte EVM form is R || z || R.y; this crate takes the 65-byte RFC form only
        let evm = bytes(&d["signatureEvm"]);
        assert_eq!(&evm[..65], &sig[..]);
        assert_eq!(
            frost::verify(&key, &digest, &evm, &k256_recover),
            Err(frost::FrostError::SignatureLength)
        );
    }
}

#[test]
fn bad_signatures_fail_with_their_code() {
    let v = vectors();
    let key: [u8; 33] = arr(&v["testKey"]["groupKey"]);
    for x in list(&v, "badSignatures") {
        let digest: [u8; 32] = arr(&x["digest"]);
        let err = frost::verify(&key, &digest, &bytes(&x["signature"]), &k256_recover)
            .expect_err(name(x));
        assert_eq!(err.code(), x["error"], "{}: {err:?}", name(x));
    }
}

#[test]
fn rfc9591_appendix_e5_vector_verifies() {
    let v = vectors();
    let r = &v["rfc9591"];
    let key: [u8; 33] = arr(&r["groupKey"]);
    let message = bytes(&r["message"]);
    assert_eq!(message, b"test");
    let sig = bytes(&r["signature"]);
    frost::verify(&key, &message, &sig, &k256_recover).expect("RFC 9591 E.5 verifies");
    let mut other = message.clone();
    other[0] = b'T';
    assert!(frost::verify(&key, &other, &sig, &k256_recover).is_err());
    // a vector signature under the RFC's key, and the RFC's signature under the vector key
    let x = &v["valid"][0]["deliveries"]["evm"];
    let digest: [u8; 32] = arr(&x["signingDigest"]);
    let err = frost::verify(&key, &digest, &bytes(&x["signature"]), &k256_recover).unwrap_err();
    assert_eq!(err.code(), "InvalidSignature");
    let test_key: [u8; 33] = arr(&v["testKey"]["groupKey"]);
    assert!(frost::verify(&test_key, &message, &sig, &k256_recover).is_err());
}

#[test]
fn any_flipped_bit_in_signature_message_or_key_fails() {
    let v = vectors();
    let key: [u8; 33] = arr(&v["testKey"]["groupKey"]);
    let x = &v["valid"][0]["deliveries"]["evm"];
    let digest: [u8; 32] = arr(&x["signingDigest"]);
    let sig = bytes(&x["signature"]);
    assert_eq!(frost::verify(&key, &digest, &sig, &k256_recover), Ok(()));
    for bit in 0..65 * 8 {
        let mut bad = sig.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        let err = frost::verify(&key, &digest, &bad, &k256_recover).expect_err("flipped bit");
        if bit < 8 {
            // prefix 02 -> 03 is the other R with the same x; anything else is no prefix
            let expected = if bit == 0 {
                "InvalidSignature"
            } else {
                "InvalidCommitment"
            };
            assert_eq!(err.code(), expected, "prefix bit {bit}");
        }
    }
    for bit in 0..32 * 8 {
        let mut bad = digest;
        bad[bit / 8] ^= 1 << (bit % 8);
        assert_eq!(
            frost::verify(&key, &bad, &sig, &k256_recover).map_err(|e| e.code()),
            Err("InvalidSignature"),
            "digest bit {bit}"
        );
    }
    // the same key with the other parity (-PK) is a valid key that did not sign
    let mut negated = key;
    negated[0] ^= 1;
    assert_eq!(frost::check_group_key(&negated), Ok(()));
    assert_eq!(
        frost::verify(&negated, &digest, &sig, &k256_recover).map_err(|e| e.code()),
        Err("InvalidSignature")
    );
    // signatures of other lengths
    for len in [0, 64, 66, 97] {
        let mut s = sig.clone();
        s.resize(len, 0);
        assert_eq!(
            frost::verify(&key, &digest, &s, &k256_recover),
            Err(frost::FrostError::SignatureLength)
        );
    }
    // a host whose recovery fails
    assert_eq!(
        frost::verify(&key, &digest, &sig, &|_, _, _| None),
        Err(frost::FrostError::RecoveryFailed)
    );
}

const N: [u8; 32] = frost::CURVE_ORDER;
const P: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xfc, 0x2f,
];

fn key_with_x(prefix: u8, x: [u8; 32]) -> [u8; 33] {
    let mut k = [0u8; 33];
    k[0] = prefix;
    k[1..].copy_from_slice(&x);
    k
}

fn add_small(mut x: [u8; 32], mut k: u16) -> [u8; 32] {
    for byte in x.iter_mut().rev() {
        let sum = *byte as u16 + (k & 0xff);
        *byte = sum as u8;
        k = (k >> 8) + (sum >> 8);
    }
    x
}

/// Whether x is the x coordinate of some point, by k256 decompression (prefix 02).
fn on_curve(x: [u8; 32]) -> bool {
    k256::PublicKey::from_sec1_bytes(&key_with_x(2, x)).is_ok()
}

#[test]
fn check_group_key_rejects_bad_prefix_off_curve_x_ge_p_and_x_ge_n() {
    let v = vectors();
    let good: [u8; 33] = arr(&v["testKey"]["groupKey"]);
    let x: [u8; 32] = good[1..].try_into().unwrap();
    assert_eq!(frost::check_group_key(&good), Ok(()));
    for prefix in [0u8, 1, 4, 5, 6, 7, 0xff] {
        assert_eq!(
            frost::check_group_key(&key_with_x(prefix, x)),
            Err(frost::FrostError::InvalidGroupKey),
            "prefix {prefix}"
        );
    }
    // x = 5 and x = 0 are on no point (x^3 + 7 is no square), both prefixes
    for bad_x in [add_small([0; 32], 5), [0; 32]] {
        assert!(!on_curve(bad_x));
        for prefix in [2, 3] {
            assert_eq!(
                frost::check_group_key(&key_with_x(prefix, bad_x)),
                Err(frost::FrostError::InvalidGroupKey)
            );
        }
    }
    // x >= p: p, p + 1, 2^256 - 1
    for bad_x in [P, add_small(P, 1), [0xff; 32]] {
        assert_eq!(
            frost::check_group_key(&key_with_x(2, bad_x)),
            Err(frost::FrostError::InvalidGroupKey)
        );
    }
    // n <= x < p, on the curve: valid points that the ecrecover trick cannot use
    let mut on_curve_above_n = 0;
    for k in 0..64 {
        let candidate = add_small(N, k);
        if on_curve(candidate) {
            on_curve_above_n += 1;
            for prefix in [2, 3] {
                assert_eq!(
                    frost::check_group_key(&key_with_x(prefix, candidate)),
                    Err(frost::FrostError::InvalidGroupKey),
                    "x = n + {k}"
                );
            }
        }
    }
    assert!(on_curve_above_n > 0);
    // x = n + 1 is on no point; x = n is on the curve, so the vector "governance rotate key with
    // x >= n (on the curve)" uses x = n exactly: only the x < n rule refuses it
    assert!(!on_curve(add_small(N, 1)));
    assert!(on_curve(N));
    let at_n = list(&v, "invalid")
        .iter()
        .find(|x| x["name"] == "governance rotate key with x >= n (on the curve)")
        .unwrap();
    let at_n = bytes(&at_n["encoding"]);
    assert_eq!(at_n[82 + 6..82 + 38], N);
    assert!(k256::PublicKey::from_sec1_bytes(&at_n[82 + 5..82 + 38]).is_ok());
    assert_eq!(Message::decode(&at_n), Err(ProtocolError::InvalidGroupKey));
    // and the off-curve vector is off the curve
    let off = list(&v, "invalid")
        .iter()
        .find(|x| x["name"] == "governance rotate key with x not on the curve")
        .unwrap();
    let off = bytes(&off["encoding"]);
    assert!(k256::PublicKey::from_sec1_bytes(&off[82 + 5..82 + 38]).is_err());
    // the codec refuses x = n (on the curve) with InvalidGroupKey
    let rotate = list(&v, "valid")
        .iter()
        .find(|x| x["payload"]["action"] == "RotateKey")
        .unwrap();
    let mut enc = bytes(&rotate["encoding"]);
    enc[82 + 6..82 + 38].copy_from_slice(&N);
    assert_eq!(Message::decode(&enc), Err(ProtocolError::InvalidGroupKey));
    // just below n, on the curve: accepted, both parities
    let mut below_n = N;
    below_n[31] -= 2;
    assert!(on_curve(below_n));
    for prefix in [2, 3] {
        assert_eq!(frost::check_group_key(&key_with_x(prefix, below_n)), Ok(()));
    }
}

/// PROTOCOL.md §3.1 and the Solidity codec check the recipient after the payload's own fields
/// (length, originChain, originToken, amount, recipient). The golden vectors `token transfer
/// recipient zero and ...` pin this order for every codec (see
/// `invalid_vectors_carry_specific_error_details`); this checks it on freshly built encodings too.
#[test]
fn token_transfer_checks_recipient_last_as_the_specification_says() {
    let v = vectors();
    let mut enc = bytes(&v["valid"][0]["encoding"]);
    enc[50..82].fill(0);
    assert_eq!(
        Message::decode(&enc),
        Err(ProtocolError::InvalidField("recipient"))
    );
    let mut zero_amount = enc.clone();
    zero_amount[82 + 36..82 + 52].fill(0);
    assert_eq!(
        Message::decode(&zero_amount),
        Err(ProtocolError::ZeroAmount)
    );
    let mut short = enc.clone();
    short.pop();
    assert_eq!(
        Message::decode(&short).map_err(|e| e.code()),
        Err("PayloadLength")
    );
}

/// Strings are kept byte for byte: a leading byte-order mark stays (a WHATWG TextDecoder drops it
/// unless made with ignoreBOM, and would re-encode differently). The valid vectors with U+FEFF pin it.
#[test]
fn attestation_strings_are_kept_byte_for_byte() {
    let v = vectors();
    let with_bom: Vec<&Value> = list(&v, "valid")
        .iter()
        .filter(|x| x["payload"].to_string().contains('\u{feff}'))
        .collect();
    assert_eq!(with_bom.len(), 2);
    for x in with_bom {
        let enc = bytes(&x["encoding"]);
        let m = Message::decode(&enc).unwrap_or_else(|e| panic!("{}: {e}", name(x)));
        let Payload::DataAttestation(a) = &m.payload else {
            panic!("{}: not an attestation", name(x))
        };
        assert!(
            a.uri.starts_with('\u{feff}') || a.owner_did == "\u{feff}",
            "{}",
            name(x)
        );
        assert_eq!(m.encode(), enc, "{}", name(x));
    }
    let register = list(&v, "valid")
        .iter()
        .find(|x| x["payload"]["action"] == "Register")
        .unwrap();
    let mut m = Message::decode(&bytes(&register["encoding"])).unwrap();
    if let Payload::DataAttestation(a) = &mut m.payload {
        a.owner_did = format!("\u{feff}{}", a.owner_did);
    }
    let enc = m.try_encode().expect("valid");
    assert_eq!(Message::decode(&enc), Ok(m.clone()));
    // over-long strings are refused by try_encode with their field's name
    let mut long = m.clone();
    if let Payload::DataAttestation(a) = &mut long.payload {
        a.uri = "u".repeat(2049);
    }
    assert_eq!(long.try_encode(), Err(ProtocolError::InvalidField("uri")));
    if let Payload::DataAttestation(a) = &mut long.payload {
        a.uri = "u".repeat(2048);
        a.license = "l".repeat(70000);
    }
    assert_eq!(
        long.try_encode(),
        Err(ProtocolError::InvalidField("license"))
    );
    if let Payload::DataAttestation(a) = &mut long.payload {
        a.license = "l".repeat(256);
        a.owner_did = "d".repeat(256);
    }
    assert!(long.try_encode().is_ok(), "every string at its limit");
}

#[test]
fn try_encode_refuses_what_decode_refuses() {
    let v = vectors();
    let m = Message::decode(&bytes(&v["valid"][0]["encoding"])).unwrap();
    let mut bad = m.clone();
    bad.header.recipient = [0; 32];
    assert_eq!(
        bad.try_encode(),
        Err(ProtocolError::InvalidField("recipient"))
    );
    let mut bad = m.clone();
    bad.header.destination_chain = bad.header.source_chain;
    assert_eq!(
        bad.try_encode().map_err(|e| e.code()),
        Err("InvalidChainRoute")
    );
    let mut bad = m.clone();
    bad.header.kind = Kind::Governance;
    assert_eq!(bad.try_encode(), Err(ProtocolError::InvalidField("kind")));
    let mut bad = m.clone();
    bad.header.version = 2;
    assert_eq!(bad.try_encode(), Err(ProtocolError::UnsupportedVersion(2)));
    // encode itself never refuses: it writes what it is given
    assert_eq!(bad.encode()[0], 2);
}

#[test]
fn every_strict_prefix_of_every_valid_vector_is_refused() {
    for v in list(&vectors(), "valid") {
        let enc = bytes(&v["encoding"]);
        for n in 0..enc.len() {
            let err = Message::decode(&enc[..n]).expect_err("a prefix");
            if n < HEADER_LEN {
                assert_eq!(err, ProtocolError::MessageTooShort);
            } else {
                assert_eq!(err.code(), "PayloadLength", "{} cut to {n}", name(v));
            }
        }
    }
}

#[test]
fn chain_ids_and_constants_match_the_protocol() {
    use chain_ids::*;
    assert_eq!([GOVERNANCE, ETHEREUM, COSMOS, POLKADOT], [0, 1, 2, 3]);
    assert_eq!(
        [DEVNET_EVM_A, DEVNET_EVM_B, DEVNET_WASMD, DEVNET_CHOPSTICKS],
        [10001, 10002, 10003, 10004]
    );
    assert_eq!((VERSION, HEADER_LEN), (1, 82));
    assert_eq!(Kind::Governance as u8, 5);
    assert_eq!(Kind::from_u8(0), None);
    assert_eq!(Kind::from_u8(3), Some(Kind::ComputeJob));
}
