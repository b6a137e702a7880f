// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {FrostVerifier} from "./FrostVerifier.sol";

// Decoding errors: the same names as the TypeScript ProtocolError codes and the Rust error enum
// (docs/PROTOCOL.md, "Errors"); the golden vectors name them.
error MessageTooShort(uint256 length);
error UnsupportedVersion(uint8 version);
error UnknownKind(uint8 kind);
error InvalidChainRoute(uint32 sourceChain, uint32 destinationChain);
error PayloadLength(uint8 kind, uint256 length);
error UnknownAction(uint8 kind, uint8 action);
error ZeroAmount();
error InvalidField(string field);
error InvalidGroupKey();

/// @notice The 82-byte header every message starts with.
struct MessageHeader {
    uint8 kind;
    uint32 sourceChain;
    uint32 destinationChain;
    uint64 nonce;
    bytes32 sender;
    bytes32 recipient;
}

/// @notice Token transfer payload (117 bytes).
struct TokenTransfer {
    uint32 originChain;
    bytes32 originToken;
    uint128 amount;
    uint8 decimals;
    bytes32 symbol;
    bytes32 name;
}

/// @notice A decoded governance payload; only the fields of `action` are set.
struct GovernanceAction {
    uint8 action;
    uint32 newEpoch;
    uint256 newKeyX;
    uint8 newKeyParity;
    uint32 graceSeconds;
    uint32 originChain;
    bytes32 originToken;
    uint128 capacity;
    bytes32 pauser;
}

/// @notice Data attestation payload (§3.2). The strings are UTF-8 bytes, kept exactly as they arrive.
struct DataAttestation {
    uint8 action;
    bytes32 dataHash;
    uint64 timestamp;
    bytes ownerDid;
    bytes uri;
    bytes license;
}

/// @notice Compute job payload (§3.3); for a cancel only `action` and `jobId` are set.
struct ComputeJob {
    uint8 action;
    bytes32 jobId;
    bytes32 specHash;
    uint32 paymentOriginChain;
    bytes32 paymentOriginToken;
    uint128 paymentAmount;
    uint64 deadline;
    bytes32 payer;
}

/// @notice Compute result payload (§3.4, 105 bytes).
struct ComputeResult {
    uint8 outcome;
    bytes32 jobId;
    bytes32 resultHash;
    bytes32 executor;
    uint64 timestamp;
}

/// @title The SAH message codec (docs/PROTOCOL.md): strict decoding, encoding of what this chain emits
library MessageCodec {
    uint8 internal constant VERSION = 1;
    uint256 internal constant HEADER_LENGTH = 82;

    uint8 internal constant KIND_TOKEN_TRANSFER = 1;
    uint8 internal constant KIND_DATA_ATTESTATION = 2;
    uint8 internal constant KIND_COMPUTE_JOB = 3;
    uint8 internal constant KIND_COMPUTE_RESULT = 4;
    uint8 internal constant KIND_GOVERNANCE = 5;

    uint32 internal constant GOVERNANCE_CHAIN = 0;
    uint256 internal constant TOKEN_TRANSFER_LENGTH = 117;

    uint8 internal constant GOV_ROTATE_KEY = 1;
    uint8 internal constant GOV_PAUSE = 2;
    uint8 internal constant GOV_UNPAUSE = 3;
    uint8 internal constant GOV_SET_RATE_LIMIT = 4;
    uint8 internal constant GOV_SET_PAUSER = 5;

    uint8 internal constant ATTESTATION_REGISTER = 1;
    uint8 internal constant ATTESTATION_REVOKE = 2;
    uint256 internal constant ATTESTATION_FIXED_LENGTH = 41;
    uint256 internal constant MAX_DID_LENGTH = 256;
    uint256 internal constant MAX_URI_LENGTH = 2048;
    uint256 internal constant MAX_LICENSE_LENGTH = 256;

    uint8 internal constant JOB_POST = 1;
    uint8 internal constant JOB_CANCEL = 2;
    uint256 internal constant JOB_POST_LENGTH = 157;
    uint256 internal constant JOB_CANCEL_LENGTH = 33;

    uint8 internal constant OUTCOME_COMPLETED = 1;
    uint8 internal constant OUTCOME_EXPIRED = 2;
    uint8 internal constant OUTCOME_CANCELLED = 3;
    uint256 internal constant COMPUTE_RESULT_LENGTH = 105;

    /// @notice Decodes and checks the header: length, version, kind and route rules.
    function decodeHeader(bytes calldata m) internal pure returns (MessageHeader memory h) {
        if (m.length < HEADER_LENGTH) revert MessageTooShort(m.length);
        uint256 word;
        assembly {
            word := calldataload(m.offset)
        }
        uint8 version = uint8(word >> 248);
        if (version != VERSION) revert UnsupportedVersion(version);
        h.kind = uint8(word >> 240);
        if (h.kind == 0 || h.kind > KIND_GOVERNANCE) revert UnknownKind(h.kind);
        h.sourceChain = uint32(word >> 208);
        h.destinationChain = uint32(word >> 176);
        h.nonce = uint64(word >> 112);
        h.sender = bytes32(m[18:50]);
        h.recipient = bytes32(m[50:82]);
        if (
            h.destinationChain == GOVERNANCE_CHAIN || h.sourceChain == h.destinationChain
                || (h.kind == KIND_GOVERNANCE) != (h.sourceChain == GOVERNANCE_CHAIN)
        ) revert InvalidChainRoute(h.sourceChain, h.destinationChain);
    }

    /// @notice Decodes a token transfer payload (the header must have been decoded already).
    function decodeTokenTransfer(bytes calldata m, MessageHeader memory h)
        internal
        pure
        returns (TokenTransfer memory t)
    {
        if (m.length != HEADER_LENGTH + TOKEN_TRANSFER_LENGTH) {
            revert PayloadLength(KIND_TOKEN_TRANSFER, m.length - HEADER_LENGTH);
        }
        uint256 word;
        assembly {
            word := calldataload(add(m.offset, 82))
        }
        t.originChain = uint32(word >> 224);
        t.originToken = bytes32(m[86:118]);
        assembly {
            word := calldataload(add(m.offset, 118))
        }
        t.amount = uint128(word >> 128);
        t.decimals = uint8(word >> 120);
        t.symbol = bytes32(m[135:167]);
        t.name = bytes32(m[167:199]);
        // same order as every other decoder (docs/PROTOCOL.md): the first failing check names the error
        if (t.originChain == 0) revert InvalidField("originChain");
        if (t.originToken == bytes32(0)) revert InvalidField("originToken");
        if (t.amount == 0) revert ZeroAmount();
        if (h.recipient == bytes32(0)) revert InvalidField("recipient");
    }

    /// @notice Decodes a governance payload. View: a new group key is checked on the curve.
    function decodeGovernance(bytes calldata m) internal view returns (GovernanceAction memory g) {
        bytes calldata p = m[HEADER_LENGTH:];
        if (p.length == 0) revert PayloadLength(KIND_GOVERNANCE, 0);
        g.action = uint8(p[0]);
        uint256 expected;
        if (g.action == GOV_ROTATE_KEY) expected = 42;
        else if (g.action == GOV_PAUSE || g.action == GOV_UNPAUSE) expected = 1;
        else if (g.action == GOV_SET_RATE_LIMIT) expected = 53;
        else if (g.action == GOV_SET_PAUSER) expected = 33;
        else revert UnknownAction(KIND_GOVERNANCE, g.action);
        if (p.length != expected) revert PayloadLength(KIND_GOVERNANCE, p.length);

        if (g.action == GOV_ROTATE_KEY) {
            g.newEpoch = uint32(bytes4(p[1:5]));
            uint8 prefix = uint8(p[5]);
            g.newKeyX = uint256(bytes32(p[6:38]));
            g.graceSeconds = uint32(bytes4(p[38:42]));
            if (g.newEpoch == 0) revert InvalidField("newEpoch");
            if ((prefix != 2 && prefix != 3) || !FrostVerifier.isValidGroupKey(g.newKeyX)) revert InvalidGroupKey();
            g.newKeyParity = prefix - 2;
        } else if (g.action == GOV_SET_RATE_LIMIT) {
            g.originChain = uint32(bytes4(p[1:5]));
            g.originToken = bytes32(p[5:37]);
            g.capacity = uint128(bytes16(p[37:53]));
            if (g.originChain == 0) revert InvalidField("originChain");
            if (g.originToken == bytes32(0)) revert InvalidField("originToken");
        } else if (g.action == GOV_SET_PAUSER) {
            g.pauser = bytes32(p[1:33]);
        }
    }

    /// @notice Decodes a data attestation payload (§3.2), checks in the protocol's order: at least 41
    /// bytes, action, each string's prefix and bytes (PayloadLength) then its limit and UTF-8
    /// (InvalidField), nothing left over, dataHash, ownerDid non-empty, a revocation carries no uri, no license.
    function decodeDataAttestation(bytes calldata m) internal pure returns (DataAttestation memory a) {
        bytes calldata p = m[HEADER_LENGTH:];
        if (p.length < ATTESTATION_FIXED_LENGTH) revert PayloadLength(KIND_DATA_ATTESTATION, p.length);
        a.action = uint8(p[0]);
        if (a.action != ATTESTATION_REGISTER && a.action != ATTESTATION_REVOKE) {
            revert UnknownAction(KIND_DATA_ATTESTATION, a.action);
        }
        a.dataHash = bytes32(p[1:33]);
        a.timestamp = uint64(bytes8(p[33:41]));
        uint256 o = ATTESTATION_FIXED_LENGTH;
        (a.ownerDid, o) = _readString(p, o, MAX_DID_LENGTH, "ownerDid");
        (a.uri, o) = _readString(p, o, MAX_URI_LENGTH, "uri");
        (a.license, o) = _readString(p, o, MAX_LICENSE_LENGTH, "license");
        if (o != p.length) revert PayloadLength(KIND_DATA_ATTESTATION, p.length);
        if (a.dataHash == bytes32(0)) revert InvalidField("dataHash");
        if (a.ownerDid.length == 0) revert InvalidField("ownerDid");
        if (a.action == ATTESTATION_REVOKE) {
            if (a.uri.length != 0) revert InvalidField("uri");
            if (a.license.length != 0) revert InvalidField("license");
        }
    }

    /// @dev A u16-length-prefixed UTF-8 string at `o`: prefix and bytes present, then limit and UTF-8.
    function _readString(bytes calldata p, uint256 o, uint256 max, string memory field)
        private
        pure
        returns (bytes memory s, uint256 next)
    {
        if (p.length - o < 2) revert PayloadLength(KIND_DATA_ATTESTATION, p.length);
        uint256 len = uint16(bytes2(p[o:o + 2]));
        o += 2;
        if (p.length - o < len) revert PayloadLength(KIND_DATA_ATTESTATION, p.length);
        if (len > max) revert InvalidField(field);
        s = p[o:o + len];
        if (!isValidUtf8(s)) revert InvalidField(field);
        next = o + len;
    }

    /// @notice Whether `s` is well-formed UTF-8 (Unicode 3.9, table 3-7: no overlong forms, no
    /// surrogates, nothing above U+10FFFF). Runs of 32 ASCII bytes are checked a word at a time.
    function isValidUtf8(bytes memory s) internal pure returns (bool) {
        uint256 n = s.length;
        uint256 i = 0;
        unchecked {
            while (i < n) {
                if (n - i >= 32) {
                    uint256 w;
                    assembly ("memory-safe") {
                        w := mload(add(add(s, 32), i))
                    }
                    if (w & 0x8080808080808080808080808080808080808080808080808080808080808080 == 0) {
                        i += 32;
                        continue;
                    }
                }
                uint256 c = uint8(s[i]);
                if (c < 0x80) {
                    i++;
                    continue;
                }
                uint256 extra;
                uint256 lo = 0x80;
                uint256 hi = 0xbf;
                if (c >= 0xc2 && c <= 0xdf) {
                    extra = 1;
                } else if (c >= 0xe0 && c <= 0xef) {
                    extra = 2;
                    if (c == 0xe0) lo = 0xa0; // no overlong 3-byte form
                    else if (c == 0xed) hi = 0x9f; // no surrogates
                } else if (c >= 0xf0 && c <= 0xf4) {
                    extra = 3;
                    if (c == 0xf0) lo = 0x90; // no overlong 4-byte form
                    else if (c == 0xf4) hi = 0x8f; // nothing above U+10FFFF
                } else {
                    return false; // a continuation byte first, C0, C1 or F5..FF
                }
                if (n - i <= extra) return false;
                uint256 c1 = uint8(s[i + 1]);
                if (c1 < lo || c1 > hi) return false;
                for (uint256 k = 2; k <= extra; k++) {
                    uint256 ck = uint8(s[i + k]);
                    if (ck < 0x80 || ck > 0xbf) return false;
                }
                i += extra + 1;
            }
        }
        return true;
    }

    /// @notice Decodes a compute job payload (§3.3): at least 1 byte, action, length, then the
    /// non-zero fields top to bottom.
    function decodeComputeJob(bytes calldata m) internal pure returns (ComputeJob memory j) {
        bytes calldata p = m[HEADER_LENGTH:];
        if (p.length == 0) revert PayloadLength(KIND_COMPUTE_JOB, 0);
        j.action = uint8(p[0]);
        if (j.action == JOB_POST) {
            if (p.length != JOB_POST_LENGTH) revert PayloadLength(KIND_COMPUTE_JOB, p.length);
            j.jobId = bytes32(p[1:33]);
            j.specHash = bytes32(p[33:65]);
            j.paymentOriginChain = uint32(bytes4(p[65:69]));
            j.paymentOriginToken = bytes32(p[69:101]);
            j.paymentAmount = uint128(bytes16(p[101:117]));
            j.deadline = uint64(bytes8(p[117:125]));
            j.payer = bytes32(p[125:157]);
            if (j.jobId == bytes32(0)) revert InvalidField("jobId");
            if (j.specHash == bytes32(0)) revert InvalidField("specHash");
            if (j.paymentOriginChain == 0) revert InvalidField("paymentOriginChain");
            if (j.paymentOriginToken == bytes32(0)) revert InvalidField("paymentOriginToken");
            if (j.paymentAmount == 0) revert ZeroAmount();
            if (j.deadline == 0) revert InvalidField("deadline");
            if (j.payer == bytes32(0)) revert InvalidField("payer");
        } else if (j.action == JOB_CANCEL) {
            if (p.length != JOB_CANCEL_LENGTH) revert PayloadLength(KIND_COMPUTE_JOB, p.length);
            j.jobId = bytes32(p[1:33]);
            if (j.jobId == bytes32(0)) revert InvalidField("jobId");
        } else {
            revert UnknownAction(KIND_COMPUTE_JOB, j.action);
        }
    }

    /// @notice Decodes a compute result payload (§3.4): length 105, outcome, jobId, then resultHash and
    /// executor non-zero for a completed job and zero otherwise (named "resultHash" for either, like
    /// the TypeScript and Rust codecs).
    function decodeComputeResult(bytes calldata m) internal pure returns (ComputeResult memory r) {
        bytes calldata p = m[HEADER_LENGTH:];
        if (p.length != COMPUTE_RESULT_LENGTH) revert PayloadLength(KIND_COMPUTE_RESULT, p.length);
        r.outcome = uint8(p[0]);
        if (r.outcome == 0 || r.outcome > OUTCOME_CANCELLED) revert UnknownAction(KIND_COMPUTE_RESULT, r.outcome);
        r.jobId = bytes32(p[1:33]);
        r.resultHash = bytes32(p[33:65]);
        r.executor = bytes32(p[65:97]);
        r.timestamp = uint64(bytes8(p[97:105]));
        if (r.jobId == bytes32(0)) revert InvalidField("jobId");
        if (r.outcome == OUTCOME_COMPLETED) {
            if (r.resultHash == bytes32(0)) revert InvalidField("resultHash");
            if (r.executor == bytes32(0)) revert InvalidField("executor");
        } else if (r.resultHash != bytes32(0) || r.executor != bytes32(0)) {
            revert InvalidField("resultHash");
        }
    }

    /// @notice The 82-byte header followed by `payload` (any kind).
    function encodeMessage(MessageHeader memory h, bytes memory payload) internal pure returns (bytes memory) {
        return
            abi.encodePacked(
                VERSION, h.kind, h.sourceChain, h.destinationChain, h.nonce, h.sender, h.recipient, payload
            );
    }

    /// @notice Canonical data attestation payload (the lengths must be within their limits).
    function encodeDataAttestationPayload(DataAttestation memory a) internal pure returns (bytes memory) {
        return abi.encodePacked(
            a.action,
            a.dataHash,
            a.timestamp,
            uint16(a.ownerDid.length),
            a.ownerDid,
            uint16(a.uri.length),
            a.uri,
            uint16(a.license.length),
            a.license
        );
    }

    /// @notice Canonical compute job payload: 157 bytes for a post, 33 for a cancel.
    function encodeComputeJobPayload(ComputeJob memory j) internal pure returns (bytes memory) {
        if (j.action == JOB_CANCEL) return abi.encodePacked(j.action, j.jobId);
        return abi.encodePacked(
            j.action,
            j.jobId,
            j.specHash,
            j.paymentOriginChain,
            j.paymentOriginToken,
            j.paymentAmount,
            j.deadline,
            j.payer
        );
    }

    /// @notice Canonical compute result payload (105 bytes).
    function encodeComputeResultPayload(ComputeResult memory r) internal pure returns (bytes memory) {
        return abi.encodePacked(r.outcome, r.jobId, r.resultHash, r.executor, r.timestamp);
    }

    /// @notice Canonical encoding of a token transfer (what `lock` and `burn` emit).
    function encodeTokenTransfer(MessageHeader memory h, TokenTransfer memory t) internal pure returns (bytes memory) {
        return abi.encodePacked(
            VERSION,
            KIND_TOKEN_TRANSFER,
            h.sourceChain,
            h.destinationChain,
            h.nonce,
            h.sender,
            h.recipient,
            t.originChain,
            t.originToken,
            t.amount,
            t.decimals,
            t.symbol,
            t.name
        );
    }

    /// @notice Length of the signed digest's preimage (docs/PROTOCOL.md §2).
    uint256 internal constant DIGEST_PREIMAGE_LENGTH = 117;

    /// @notice What the group key signs (docs/PROTOCOL.md §2): keccak256 of the 117-byte preimage
    /// "SAH-BRIDGE-V2" || epoch || destinationChain || chainBinding || bridge || root. `chainBinding` and
    /// `bridge` name the verifying instance; the Bridge passes what it knows about itself (its EVM chain id and
    /// its own address), never a caller's value. `root` is the batch's Merkle root (a single message: its leaf).
    function signingDigest(uint32 epoch, uint32 destinationChain, bytes32 chainBinding, bytes32 bridge, bytes32 root)
        internal
        pure
        returns (bytes32 d)
    {
        uint256 m;
        assembly ("memory-safe") {
            m := mload(0x40) // built past the free memory pointer, without claiming it
        }
        _writeDigestPreimage(m, epoch, destinationChain, chainBinding, bridge, root);
        assembly ("memory-safe") {
            d := keccak256(m, 117)
        }
    }

    /// @notice The 117-byte preimage itself, written by the code `signingDigest` hashes (for tests and tools).
    function digestPreimage(uint32 epoch, uint32 destinationChain, bytes32 chainBinding, bytes32 bridge, bytes32 root)
        internal
        pure
        returns (bytes memory p)
    {
        p = new bytes(DIGEST_PREIMAGE_LENGTH);
        uint256 m;
        assembly ("memory-safe") {
            m := add(p, 0x20)
        }
        _writeDigestPreimage(m, epoch, destinationChain, chainBinding, bridge, root);
    }

    /// @dev Writes the preimage's 117 bytes at `m` (and nothing past them): each 32-byte store overwrites the
    /// zero tail of the one before. shl(224, x) keeps a u32's 4 bytes, whatever the bits above them.
    function _writeDigestPreimage(
        uint256 m,
        uint32 epoch,
        uint32 destinationChain,
        bytes32 chainBinding,
        bytes32 bridge,
        bytes32 root
    ) private pure {
        assembly ("memory-safe") {
            mstore(m, 0x5341482d4252494447452d563200000000000000000000000000000000000000) // "SAH-BRIDGE-V2", 0..13
            mstore(add(m, 13), shl(224, epoch)) // 13..17
            mstore(add(m, 17), shl(224, destinationChain)) // 17..21
            mstore(add(m, 21), chainBinding) // 21..53
            mstore(add(m, 53), bridge) // 53..85
            mstore(add(m, 85), root) // 85..117
        }
    }
}
