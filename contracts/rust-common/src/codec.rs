//! The strict codec (docs/PROTOCOL.md §2, §3). Checks run in the order the protocol lists them, so
//! the first failing check names the error, as in the TypeScript and Solidity codecs.

use alloc::string::String;
use alloc::vec::Vec;

use crate::chain_ids;
use crate::error::ProtocolError;
use crate::frost;
use crate::types::*;
use crate::{HEADER_LEN, MAX_DID_LEN, MAX_LICENSE_LEN, MAX_URI_LEN, VERSION};

const TOKEN_TRANSFER_LEN: usize = 117;
/// Data attestation: action, data hash, timestamp.
const ATTESTATION_FIXED_LEN: usize = 1 + 32 + 8;
const COMPUTE_JOB_POST_LEN: usize = 157;
const COMPUTE_JOB_CANCEL_LEN: usize = 33;
const COMPUTE_RESULT_LEN: usize = 105;
const GOV_ROTATE_KEY_LEN: usize = 42;
const GOV_PAUSE_LEN: usize = 1;
const GOV_SET_RATE_LIMIT_LEN: usize = 53;
const GOV_SET_PAUSER_LEN: usize = 33;

const ZERO32: [u8; 32] = [0; 32];

/// Big-endian reader over a slice whose length the caller has checked: every read is in range.
struct Reader<'a> {
    data: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Self {
        Reader { data, offset: 0 }
    }

    fn remaining(&self) -> usize {
        self.data.len() - self.offset
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let out = &self.data[self.offset..self.offset + n];
        self.offset += n;
        out
    }

    fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N));
        out
    }

    fn u8(&mut self) -> u8 {
        self.take(1)[0]
    }
    fn u16(&mut self) -> u16 {
        u16::from_be_bytes(self.array())
    }
    fn u32(&mut self) -> u32 {
        u32::from_be_bytes(self.array())
    }
    fn u64(&mut self) -> u64 {
        u64::from_be_bytes(self.array())
    }
    fn u128(&mut self) -> u128 {
        u128::from_be_bytes(self.array())
    }
}

fn check_route(kind: Kind, source: u32, destination: u32) -> Result<(), ProtocolError> {
    if destination == chain_ids::GOVERNANCE {
        return Err(ProtocolError::InvalidChainRoute(
            "destination is the governance pseudo-chain 0",
        ));
    }
    if source == destination {
        return Err(ProtocolError::InvalidChainRoute(
            "source and destination are the same chain",
        ));
    }
    if (kind == Kind::Governance) != (source == chain_ids::GOVERNANCE) {
        return Err(ProtocolError::InvalidChainRoute(
            "governance messages, and only they, come from chain 0",
        ));
    }
    Ok(())
}

impl Header {
    /// Decodes and checks the header alone: length (at least 82), version, kind, route rules. For a
    /// chain that looks at the header before deciding whether it acts on the kind at all;
    /// [`Message::decode`] runs these same checks first.
    pub fn decode(bytes: &[u8]) -> Result<Header, ProtocolError> {
        if bytes.len() < HEADER_LEN {
            return Err(ProtocolError::MessageTooShort);
        }
        let mut r = Reader::new(&bytes[..HEADER_LEN]);
        let version = r.u8();
        if version != VERSION {
            return Err(ProtocolError::UnsupportedVersion(version));
        }
        let code = r.u8();
        let kind = Kind::from_u8(code).ok_or(ProtocolError::UnknownKind(code))?;
        let header = Header {
            version,
            kind,
            source_chain: r.u32(),
            destination_chain: r.u32(),
            nonce: r.u64(),
            sender: r.array(),
            recipient: r.array(),
        };
        check_route(kind, header.source_chain, header.destination_chain)?;
        Ok(header)
    }

    fn encode_into(&self, out: &mut Vec<u8>) {
        out.push(self.version);
        out.push(self.kind as u8);
        out.extend_from_slice(&self.source_chain.to_be_bytes());
        out.extend_from_slice(&self.destination_chain.to_be_bytes());
        out.extend_from_slice(&self.nonce.to_be_bytes());
        out.extend_from_slice(&self.sender);
        out.extend_from_slice(&self.recipient);
    }
}

impl Message {
    /// Strict decoding: every byte accounted for, every malformation a [`ProtocolError`], checked in
    /// the protocol's order (header length, version, kind, route, then the payload's own checks).
    pub fn decode(bytes: &[u8]) -> Result<Message, ProtocolError> {
        let header = Header::decode(bytes)?;
        let p = &bytes[HEADER_LEN..];
        let payload = match header.kind {
            Kind::TokenTransfer => Payload::TokenTransfer(decode_token_transfer(p, &header)?),
            Kind::DataAttestation => Payload::DataAttestation(decode_data_attestation(p)?),
            Kind::ComputeJob => Payload::ComputeJob(decode_compute_job(p)?),
            Kind::ComputeResult => Payload::ComputeResult(decode_compute_result(p)?),
            Kind::Governance => Payload::Governance(decode_governance(p)?),
        };
        Ok(Message { header, payload })
    }

    /// The canonical encoding: the header's fields as they are, then the payload. It never panics and
    /// checks nothing, so what it returns decodes (to `self`) exactly when `self` is a valid message;
    /// [`Message::try_encode`] checks that.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + self.payload_len());
        self.header.encode_into(&mut out);
        match &self.payload {
            Payload::TokenTransfer(t) => {
                out.extend_from_slice(&t.origin_chain.to_be_bytes());
                out.extend_from_slice(&t.origin_token);
                out.extend_from_slice(&t.amount.to_be_bytes());
                out.push(t.decimals);
                out.extend_from_slice(&t.symbol);
                out.extend_from_slice(&t.name);
            }
            Payload::DataAttestation(a) => {
                out.push(a.action as u8);
                out.extend_from_slice(&a.data_hash);
                out.extend_from_slice(&a.timestamp.to_be_bytes());
                for s in [&a.owner_did, &a.uri, &a.license] {
                    // a string over u16::MAX bytes is over its limit too: the output then fails to
                    // decode (try_encode names the field)
                    out.extend_from_slice(&(s.len() as u16).to_be_bytes());
                    out.extend_from_slice(s.as_bytes());
                }
            }
            Payload::ComputeJob(ComputeJob::Post {
                job_id,
                spec_hash,
                payment_origin_chain,
                payment_origin_token,
                payment_amount,
                deadline,
                payer,
            }) => {
                out.push(1);
                out.extend_from_slice(job_id);
                out.extend_from_slice(spec_hash);
                out.extend_from_slice(&payment_origin_chain.to_be_bytes());
                out.extend_from_slice(payment_origin_token);
                out.extend_from_slice(&payment_amount.to_be_bytes());
                out.extend_from_slice(&deadline.to_be_bytes());
                out.extend_from_slice(payer);
            }
            Payload::ComputeJob(ComputeJob::Cancel { job_id }) => {
                out.push(2);
                out.extend_from_slice(job_id);
            }
            Payload::ComputeResult(c) => {
                out.push(c.outcome as u8);
                out.extend_from_slice(&c.job_id);
                out.extend_from_slice(&c.result_hash);
                out.extend_from_slice(&c.executor);
                out.extend_from_slice(&c.timestamp.to_be_bytes());
            }
            Payload::Governance(g) => match g {
                Governance::RotateKey {
                    new_epoch,
                    new_group_key,
                    grace_seconds,
                } => {
                    out.push(1);
                    out.extend_from_slice(&new_epoch.to_be_bytes());
                    out.extend_from_slice(new_group_key);
                    out.extend_from_slice(&grace_seconds.to_be_bytes());
                }
                Governance::Pause => out.push(2),
                Governance::Unpause => out.push(3),
                Governance::SetRateLimit {
                    origin_chain,
                    origin_token,
                    capacity,
                } => {
                    out.push(4);
                    out.extend_from_slice(&origin_chain.to_be_bytes());
                    out.extend_from_slice(origin_token);
                    out.extend_from_slice(&capacity.to_be_bytes());
                }
                Governance::SetPauser { pauser } => {
                    out.push(5);
                    out.extend_from_slice(pauser);
                }
            },
        }
        out
    }

    /// Encodes and refuses to emit what no decoder would accept (as the TypeScript `encodeMessage`
    /// does): the encoding must decode, with every check, back to `self`.
    pub fn try_encode(&self) -> Result<Vec<u8>, ProtocolError> {
        if self.header.kind != self.payload.kind() {
            return Err(ProtocolError::InvalidField("kind"));
        }
        if let Payload::DataAttestation(a) = &self.payload {
            // over-long strings first: their u16 length prefix could not even express them
            for (s, max, field) in [
                (&a.owner_did, MAX_DID_LEN, "ownerDid"),
                (&a.uri, MAX_URI_LEN, "uri"),
                (&a.license, MAX_LICENSE_LEN, "license"),
            ] {
                if s.len() > max {
                    return Err(ProtocolError::InvalidField(field));
                }
            }
        }
        let bytes = self.encode();
        let decoded = Message::decode(&bytes)?;
        debug_assert_eq!(&decoded, self);
        Ok(bytes)
    }

    fn payload_len(&self) -> usize {
        match &self.payload {
            Payload::TokenTransfer(_) => TOKEN_TRANSFER_LEN,
            Payload::DataAttestation(a) => {
                ATTESTATION_FIXED_LEN + 6 + a.owner_did.len() + a.uri.len() + a.license.len()
            }
            Payload::ComputeJob(ComputeJob::Post { .. }) => COMPUTE_JOB_POST_LEN,
            Payload::ComputeJob(ComputeJob::Cancel { .. }) => COMPUTE_JOB_CANCEL_LEN,
            Payload::ComputeResult(_) => COMPUTE_RESULT_LEN,
            Payload::Governance(Governance::RotateKey { .. }) => GOV_ROTATE_KEY_LEN,
            Payload::Governance(Governance::SetRateLimit { .. }) => GOV_SET_RATE_LIMIT_LEN,
            Payload::Governance(Governance::SetPauser { .. }) => GOV_SET_PAUSER_LEN,
            Payload::Governance(_) => GOV_PAUSE_LEN,
        }
    }
}

fn exact_len(p: &[u8], expected: usize) -> Result<(), ProtocolError> {
    if p.len() != expected {
        return Err(ProtocolError::PayloadLength {
            expected,
            actual: p.len(),
        });
    }
    Ok(())
}

fn non_zero32(v: &[u8; 32], field: &'static str) -> Result<(), ProtocolError> {
    if *v == ZERO32 {
        return Err(ProtocolError::InvalidField(field));
    }
    Ok(())
}

fn non_zero_chain(v: u32, field: &'static str) -> Result<(), ProtocolError> {
    if v == 0 {
        return Err(ProtocolError::InvalidField(field));
    }
    Ok(())
}

/// §3.1: length 117, originChain, originToken, amount, then the header's recipient (in the order of
/// docs/PROTOCOL.md and the Solidity MessageCodec).
fn decode_token_transfer(p: &[u8], header: &Header) -> Result<TokenTransfer, ProtocolError> {
    exact_len(p, TOKEN_TRANSFER_LEN)?;
    let mut r = Reader::new(p);
    let t = TokenTransfer {
        origin_chain: r.u32(),
        origin_token: r.array(),
        amount: r.u128(),
        decimals: r.u8(),
        symbol: r.array(),
        name: r.array(),
    };
    non_zero_chain(t.origin_chain, "originChain")?;
    non_zero32(&t.origin_token, "originToken")?;
    if t.amount == 0 {
        return Err(ProtocolError::ZeroAmount);
    }
    non_zero32(&header.recipient, "recipient")?;
    Ok(t)
}

/// A u16-length-prefixed UTF-8 string: prefix and bytes present (`PayloadLength`), then the limit
/// and UTF-8 (`InvalidField`). The bytes are kept as they are (a leading BOM included).
fn read_string(
    r: &mut Reader<'_>,
    field: &'static str,
    max: usize,
) -> Result<String, ProtocolError> {
    let actual = r.data.len();
    if r.remaining() < 2 {
        return Err(ProtocolError::PayloadLength {
            expected: r.offset + 2,
            actual,
        });
    }
    let len = r.u16() as usize;
    if r.remaining() < len {
        return Err(ProtocolError::PayloadLength {
            expected: r.offset + len,
            actual,
        });
    }
    if len > max {
        return Err(ProtocolError::InvalidField(field));
    }
    let bytes = r.take(len);
    match core::str::from_utf8(bytes) {
        Ok(s) => Ok(String::from(s)),
        Err(_) => Err(ProtocolError::InvalidField(field)),
    }
}

/// §3.2: at least 41 bytes, action, the three strings in turn, nothing left over, then dataHash,
/// ownerDid non-empty, a revocation carries no uri or license.
fn decode_data_attestation(p: &[u8]) -> Result<DataAttestation, ProtocolError> {
    if p.len() < ATTESTATION_FIXED_LEN {
        return Err(ProtocolError::PayloadLength {
            expected: ATTESTATION_FIXED_LEN,
            actual: p.len(),
        });
    }
    let mut r = Reader::new(p);
    let action = match r.u8() {
        1 => AttestationAction::Register,
        2 => AttestationAction::Revoke,
        code => return Err(ProtocolError::UnknownAction(code)),
    };
    let data_hash: [u8; 32] = r.array();
    let timestamp = r.u64();
    let owner_did = read_string(&mut r, "ownerDid", MAX_DID_LEN)?;
    let uri = read_string(&mut r, "uri", MAX_URI_LEN)?;
    let license = read_string(&mut r, "license", MAX_LICENSE_LEN)?;
    if r.remaining() != 0 {
        return Err(ProtocolError::PayloadLength {
            expected: r.offset,
            actual: p.len(),
        });
    }
    non_zero32(&data_hash, "dataHash")?;
    if owner_did.is_empty() {
        return Err(ProtocolError::InvalidField("ownerDid"));
    }
    if action == AttestationAction::Revoke && (!uri.is_empty() || !license.is_empty()) {
        // §3.2 names the field carried: uri first, then license
        let field = if uri.is_empty() { "license" } else { "uri" };
        return Err(ProtocolError::InvalidField(field));
    }
    Ok(DataAttestation {
        action,
        data_hash,
        timestamp,
        owner_did,
        uri,
        license,
    })
}

/// §3.3: at least 1 byte, action, length 157 or 33, then the non-zero fields top to bottom.
fn decode_compute_job(p: &[u8]) -> Result<ComputeJob, ProtocolError> {
    if p.is_empty() {
        return Err(ProtocolError::PayloadLength {
            expected: 1,
            actual: 0,
        });
    }
    let mut r = Reader::new(p);
    match r.u8() {
        1 => {
            exact_len(p, COMPUTE_JOB_POST_LEN)?;
            let job_id: [u8; 32] = r.array();
            let spec_hash: [u8; 32] = r.array();
            let payment_origin_chain = r.u32();
            let payment_origin_token: [u8; 32] = r.array();
            let payment_amount = r.u128();
            let deadline = r.u64();
            let payer: [u8; 32] = r.array();
            non_zero32(&job_id, "jobId")?;
            non_zero32(&spec_hash, "specHash")?;
            non_zero_chain(payment_origin_chain, "paymentOriginChain")?;
            non_zero32(&payment_origin_token, "paymentOriginToken")?;
            if payment_amount == 0 {
                return Err(ProtocolError::ZeroAmount);
            }
            if deadline == 0 {
                return Err(ProtocolError::InvalidField("deadline"));
            }
            non_zero32(&payer, "payer")?;
            Ok(ComputeJob::Post {
                job_id,
                spec_hash,
                payment_origin_chain,
                payment_origin_token,
                payment_amount,
                deadline,
                payer,
            })
        }
        2 => {
            exact_len(p, COMPUTE_JOB_CANCEL_LEN)?;
            let job_id: [u8; 32] = r.array();
            non_zero32(&job_id, "jobId")?;
            Ok(ComputeJob::Cancel { job_id })
        }
        code => Err(ProtocolError::UnknownAction(code)),
    }
}

/// §3.4: length 105, outcome, jobId, then the completed/zero rules.
fn decode_compute_result(p: &[u8]) -> Result<ComputeResult, ProtocolError> {
    exact_len(p, COMPUTE_RESULT_LEN)?;
    let mut r = Reader::new(p);
    let outcome = match r.u8() {
        1 => Outcome::Completed,
        2 => Outcome::Expired,
        3 => Outcome::Cancelled,
        code => return Err(ProtocolError::UnknownAction(code)),
    };
    let c = ComputeResult {
        outcome,
        job_id: r.array(),
        result_hash: r.array(),
        executor: r.array(),
        timestamp: r.u64(),
    };
    non_zero32(&c.job_id, "jobId")?;
    if outcome == Outcome::Completed {
        non_zero32(&c.result_hash, "resultHash")?;
        non_zero32(&c.executor, "executor")?;
    } else if c.result_hash != ZERO32 || c.executor != ZERO32 {
        // the TypeScript codec names "resultHash" for either
        return Err(ProtocolError::InvalidField("resultHash"));
    }
    Ok(c)
}

/// §3.5: at least 1 byte, action, length, then RotateKey's epoch and key, SetRateLimit's origin.
fn decode_governance(p: &[u8]) -> Result<Governance, ProtocolError> {
    if p.is_empty() {
        return Err(ProtocolError::PayloadLength {
            expected: 1,
            actual: 0,
        });
    }
    let mut r = Reader::new(p);
    let action = r.u8();
    let expected = match action {
        1 => GOV_ROTATE_KEY_LEN,
        2 | 3 => GOV_PAUSE_LEN,
        4 => GOV_SET_RATE_LIMIT_LEN,
        5 => GOV_SET_PAUSER_LEN,
        code => return Err(ProtocolError::UnknownAction(code)),
    };
    exact_len(p, expected)?;
    Ok(match action {
        1 => {
            let new_epoch = r.u32();
            let new_group_key: [u8; 33] = r.array();
            let grace_seconds = r.u32();
            if new_epoch == 0 {
                return Err(ProtocolError::InvalidField("newEpoch"));
            }
            frost::check_group_key(&new_group_key).map_err(|_| ProtocolError::InvalidGroupKey)?;
            Governance::RotateKey {
                new_epoch,
                new_group_key,
                grace_seconds,
            }
        }
        2 => Governance::Pause,
        3 => Governance::Unpause,
        4 => {
            let origin_chain = r.u32();
            let origin_token: [u8; 32] = r.array();
            let capacity = r.u128();
            non_zero_chain(origin_chain, "originChain")?;
            non_zero32(&origin_token, "originToken")?;
            Governance::SetRateLimit {
                origin_chain,
                origin_token,
                capacity,
            }
        }
        _ => Governance::SetPauser { pauser: r.array() },
    })
}
