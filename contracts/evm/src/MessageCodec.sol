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

    /// @notice keccak256("SAH-BRIDGE-V1" || epoch || destinationChain || root): what the group key signs.
    function signingDigest(uint32 epoch, uint32 destinationChain, bytes32 root) internal pure returns (bytes32 d) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, 0x5341482d4252494447452d563100000000000000000000000000000000000000) // "SAH-BRIDGE-V1"
            mstore(add(m, 13), shl(224, epoch))
            mstore(add(m, 17), shl(224, destinationChain))
            mstore(add(m, 21), root)
            d := keccak256(m, 53)
        }
    }
}
