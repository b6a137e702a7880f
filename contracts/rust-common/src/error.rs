use core::fmt;

/// Decoding and validation errors (docs/PROTOCOL.md §5). [`ProtocolError::code`] is the
/// language-neutral name that the TypeScript `ProtocolError.code`, the Solidity custom errors and the
/// golden vectors use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtocolError {
    /// Fewer than 82 bytes: not even a header.
    MessageTooShort,
    /// Byte 0 is not [`crate::VERSION`].
    UnsupportedVersion(u8),
    /// Byte 1 is not a kind in 1..=5.
    UnknownKind(u8),
    /// A route rule of §2 fails; the reason.
    InvalidChainRoute(&'static str),
    /// The payload is not the length its kind and action require. For variable-length payloads
    /// (data attestations) and empty ones, `expected` is the length implied by what was read so far.
    PayloadLength {
        /// Length the kind (and action, and length prefixes) require.
        expected: usize,
        /// Length of the payload.
        actual: usize,
    },
    /// An attestation action, job action, result outcome or governance action out of range.
    UnknownAction(u8),
    /// A zero token-transfer amount or compute-job payment.
    ZeroAmount,
    /// A field out of its allowed values; the field's protocol name (as in TypeScript and Solidity).
    InvalidField(&'static str),
    /// A `RotateKey` key that is not a compressed secp256k1 point with x < n.
    InvalidGroupKey,
}

impl ProtocolError {
    /// The §5 code name, e.g. `"PayloadLength"`: what the golden vectors' `error` field holds.
    pub fn code(&self) -> &'static str {
        match self {
            ProtocolError::MessageTooShort => "MessageTooShort",
            ProtocolError::UnsupportedVersion(_) => "UnsupportedVersion",
            ProtocolError::UnknownKind(_) => "UnknownKind",
            ProtocolError::InvalidChainRoute(_) => "InvalidChainRoute",
            ProtocolError::PayloadLength { .. } => "PayloadLength",
            ProtocolError::UnknownAction(_) => "UnknownAction",
            ProtocolError::ZeroAmount => "ZeroAmount",
            ProtocolError::InvalidField(_) => "InvalidField",
            ProtocolError::InvalidGroupKey => "InvalidGroupKey",
        }
    }
}

/// Why a named field is refused (the field names the decoder uses).
fn field_reason(field: &str) -> &'static str {
    match field {
        "ownerDid" => "empty, longer than 256 bytes or not UTF-8",
        "uri" => "longer than 2048 bytes or not UTF-8, or present in a revocation",
        "license" => "longer than 256 bytes or not UTF-8, or present in a revocation",
        "resultHash" => {
            "zero for a completed job, or a non-zero result hash or executor for another outcome"
        }
        "executor" => "zero for a completed job",
        "kind" => "the header's kind is not the payload's",
        _ => "zero",
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtocolError::MessageTooShort => {
                f.write_str("message is shorter than the 82-byte header")
            }
            ProtocolError::UnsupportedVersion(v) => {
                write!(f, "message version {v} is not supported (expected 1)")
            }
            ProtocolError::UnknownKind(k) => {
                write!(f, "message kind {k} is unknown (expected 1..5)")
            }
            ProtocolError::InvalidChainRoute(reason) => write!(f, "invalid route: {reason}"),
            ProtocolError::PayloadLength { expected, actual } => {
                write!(f, "payload is {actual} bytes, expected {expected}")
            }
            ProtocolError::UnknownAction(a) => {
                write!(f, "action {a} is unknown for the message's kind")
            }
            ProtocolError::ZeroAmount => f.write_str("amount is zero"),
            ProtocolError::InvalidField(field) => {
                write!(f, "field {field} is invalid: {}", field_reason(field))
            }
            ProtocolError::InvalidGroupKey => f.write_str(
                "group key is not a compressed secp256k1 point with x below the curve order",
            ),
        }
    }
}
