// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {BridgeModule} from "./BridgeModule.sol";
import {DataAttestation, InvalidField, MessageCodec, MessageHeader} from "./MessageCodec.sol";

/// @title Data attestations (docs/PROTOCOL.md §7.2): the Bridge's module for kind 2
/// @notice `attest` and `revoke` record here and send one message per destination; delivered messages
/// apply the same state machine. The owner is the caller's `did:pkh` (§7.1), never chosen by the caller.
/// A register or revoke by another owner DID, or a register by the owner of a revoked record (revocation is
/// final), is recorded as a conflict and never overwrites the record; delivery never fails for it.
contract AttestationRegistry is BridgeModule {
    /// @notice A record as §7.2 defines it.
    struct Attestation {
        bytes32 dataHash;
        string ownerDid;
        uint32 originChain;
        /// @dev 0 for an attestation made on this chain ("local").
        uint64 originNonce;
        string uri;
        string license;
        uint64 timestamp;
        bool revoked;
    }

    /// @notice A register or revoke by another owner DID than the record's, or a register by the owner of a
    /// revoked record (§7.2).
    struct Conflict {
        bytes32 dataHash;
        string ownerDid;
        uint32 originChain;
        uint64 nonce;
        uint64 timestamp;
        /// @dev 1 register, 2 revoke
        uint8 action;
    }

    struct Stored {
        bytes32 ownerHash; // keccak256(ownerDid); zero: no record
        uint32 originChain;
        uint64 originNonce;
        uint64 timestamp;
        bool revoked;
        string ownerDid;
        string uri;
        string license;
    }

    mapping(bytes32 dataHash => Stored) private _records;
    mapping(bytes32 dataHash => Conflict[]) private _conflicts;
    /// @notice Number of data hashes with a record.
    uint256 public recordCount;

    event Attested(
        bytes32 indexed dataHash,
        string ownerDid,
        uint32 originChain,
        uint64 originNonce,
        string uri,
        string license,
        uint64 timestamp
    );
    /// @notice The record was marked revoked. `originChain`, `originNonce` and `timestamp` are the revoke's;
    /// the record keeps those of its last register (or the revoke's, when the revoke created it).
    event Revoked(bytes32 indexed dataHash, string ownerDid, uint32 originChain, uint64 originNonce, uint64 timestamp);
    event ConflictRecorded(
        bytes32 indexed dataHash, string ownerDid, uint32 originChain, uint64 nonce, uint64 timestamp, uint8 action
    );
    /// @notice A register of the record's owner older (lower nonce, same origin) than what the record
    /// already holds, delivered late: nothing changes.
    event StaleIgnored(bytes32 indexed dataHash, uint32 originChain, uint64 nonce, uint8 action);

    /// @notice Revocation by an account whose DID is not the record's owner (or of a hash with no record).
    error NotOwner(bytes32 dataHash, string callerDid);
    /// @notice A local `attest` of a hash whose record the caller owns and has revoked: revocation is final.
    error AttestationRevoked(bytes32 dataHash);

    constructor(address bridge_) BridgeModule(bridge_) {}

    // ------------------------------------------------------------------ source

    /// @notice Records `dataHash` with the caller's DID as owner and sends a `register` to each destination.
    /// Another owner's hash: a conflict here, and the registers still go. The caller's own revoked hash:
    /// refused (`AttestationRevoked`).
    /// @param destinations protocol chain ids, at least one, each once, known (§1), not this chain.
    /// @return messageIds one per destination, in order.
    function attest(bytes32 dataHash, string calldata uri, string calldata license, uint32[] calldata destinations)
        external
        whenBridgeOpen
        returns (bytes32[] memory messageIds)
    {
        if (dataHash == bytes32(0)) revert InvalidField("dataHash");
        bytes memory u = bytes(uri);
        bytes memory l = bytes(license);
        if (u.length > MessageCodec.MAX_URI_LENGTH || !MessageCodec.isValidUtf8(u)) revert InvalidField("uri");
        if (l.length > MessageCodec.MAX_LICENSE_LENGTH || !MessageCodec.isValidUtf8(l)) revert InvalidField("license");
        _checkDestinations(destinations);
        bytes memory did = bytes(ownerDidOf(msg.sender));
        Stored storage r = _records[dataHash];
        if (r.revoked && r.ownerHash == keccak256(did)) revert AttestationRevoked(dataHash);
        DataAttestation memory a = DataAttestation({
            action: MessageCodec.ATTESTATION_REGISTER,
            dataHash: dataHash,
            timestamp: uint64(block.timestamp),
            ownerDid: did,
            uri: u,
            license: l
        });
        _apply(a, chainId, 0);
        messageIds = _sendAll(a, destinations);
    }

    /// @notice Marks the caller's record revoked and sends a `revoke` to each destination (a revoked record
    /// may be revoked again, e.g. towards another chain: nothing changes here). Only `revoked` changes: the
    /// record's origin, nonce, timestamp, uri and license stay those of its last register.
    function revoke(bytes32 dataHash, uint32[] calldata destinations)
        external
        whenBridgeOpen
        returns (bytes32[] memory messageIds)
    {
        // the destinations before the owner, as on the other chains (docs/PROTOCOL.md §8.3)
        _checkDestinations(destinations);
        string memory did = ownerDidOf(msg.sender);
        bytes32 owner = _records[dataHash].ownerHash;
        if (owner == bytes32(0) || owner != keccak256(bytes(did))) revert NotOwner(dataHash, did);
        DataAttestation memory a = DataAttestation({
            action: MessageCodec.ATTESTATION_REVOKE,
            dataHash: dataHash,
            timestamp: uint64(block.timestamp),
            ownerDid: bytes(did),
            uri: "",
            license: ""
        });
        _apply(a, chainId, 0);
        messageIds = _sendAll(a, destinations);
    }

    function _sendAll(DataAttestation memory a, uint32[] calldata destinations)
        private
        returns (bytes32[] memory messageIds)
    {
        bytes memory payload = MessageCodec.encodeDataAttestationPayload(a);
        messageIds = new bytes32[](destinations.length);
        for (uint256 i = 0; i < destinations.length; i++) {
            (, messageIds[i]) =
                _send(MessageCodec.KIND_DATA_ATTESTATION, destinations[i], _account(msg.sender), payload);
        }
    }

    // ------------------------------------------------------------------ destination

    /// @notice A `register` or `revoke` delivered by the Bridge; conflicts are recorded, never refused.
    function onMessage(bytes calldata message) external override onlyBridge {
        MessageHeader memory h = MessageCodec.decodeHeader(message);
        _apply(MessageCodec.decodeDataAttestation(message), h.sourceChain, h.nonce);
    }

    // ------------------------------------------------------------------ state machine (§7.2)

    /// @dev (none) --register--> Registered; (none) --revoke--> Revoked (the revoke overtook its register:
    /// created with the revoke's origin, nonce and timestamp, empty uri and license). Same owner: a register
    /// is ignored if stale (from the record's origin with a nonce below the record's originNonce: delivered
    /// out of order; checked first, revoked or not), is a Conflict if the record is revoked (final), and
    /// otherwise re-attests (uri, license, timestamp, origin and nonce replaced); a revoke only marks the
    /// record revoked (origin, nonce, timestamp, uri and license stay the last register's), and changes
    /// nothing on a revoked record. Another owner: a Conflict. A Conflict leaves the record untouched.
    function _apply(DataAttestation memory a, uint32 originChain, uint64 nonce) private {
        Stored storage r = _records[a.dataHash];
        bytes32 owner = keccak256(a.ownerDid);
        bool isRevoke = a.action == MessageCodec.ATTESTATION_REVOKE;
        if (r.ownerHash == bytes32(0)) {
            r.ownerHash = owner;
            r.ownerDid = string(a.ownerDid);
            recordCount++;
            if (isRevoke) {
                // the revoke overtook its register: the record is created revoked (uri and license empty)
                r.originChain = originChain;
                r.originNonce = nonce;
                r.timestamp = a.timestamp;
                r.revoked = true;
                emit Revoked(a.dataHash, string(a.ownerDid), originChain, nonce, a.timestamp);
                return;
            }
        } else if (r.ownerHash != owner) {
            return _conflict(a, originChain, nonce);
        } else if (isRevoke) {
            if (r.revoked) return; // revoked again: nothing changes
            // origin, nonce, timestamp, uri and license stay those of the last register (PROTOCOL §7.2)
            r.revoked = true;
            emit Revoked(a.dataHash, string(a.ownerDid), originChain, nonce, a.timestamp);
            return;
        } else if (originChain == r.originChain && nonce < r.originNonce) {
            emit StaleIgnored(a.dataHash, originChain, nonce, a.action);
            return;
        } else if (r.revoked) {
            return _conflict(a, originChain, nonce); // revocation is final
        }
        // a register: the record is created, or re-attested by its owner
        r.originChain = originChain;
        r.originNonce = nonce;
        r.timestamp = a.timestamp;
        r.uri = string(a.uri);
        r.license = string(a.license);
        emit Attested(a.dataHash, string(a.ownerDid), originChain, nonce, string(a.uri), string(a.license), a.timestamp);
    }

    function _conflict(DataAttestation memory a, uint32 originChain, uint64 nonce) private {
        _conflicts[a.dataHash].push(Conflict(a.dataHash, string(a.ownerDid), originChain, nonce, a.timestamp, a.action));
        emit ConflictRecorded(a.dataHash, string(a.ownerDid), originChain, nonce, a.timestamp, a.action);
    }

    // ------------------------------------------------------------------ views

    /// @notice The owner DID of an EVM account on this chain: `did:pkh:eip155:<chain id>:<0x + 40 lowercase hex>`.
    function ownerDidOf(address account) public view returns (string memory) {
        return string.concat("did:pkh:eip155:", Strings.toString(block.chainid), ":", Strings.toHexString(account));
    }

    /// @notice Whether `dataHash` has a record.
    function exists(bytes32 dataHash) external view returns (bool) {
        return _records[dataHash].ownerHash != bytes32(0);
    }

    /// @notice The record of `dataHash` (all zero / empty if none: check `exists`).
    function record(bytes32 dataHash) public view returns (Attestation memory a) {
        Stored storage r = _records[dataHash];
        if (r.ownerHash == bytes32(0)) return a;
        a = Attestation(dataHash, r.ownerDid, r.originChain, r.originNonce, r.uri, r.license, r.timestamp, r.revoked);
    }

    /// @notice The conflicts recorded against `dataHash`, oldest first.
    function conflicts(bytes32 dataHash) public view returns (Conflict[] memory) {
        return _conflicts[dataHash];
    }

    function conflictCount(bytes32 dataHash) external view returns (uint256) {
        return _conflicts[dataHash].length;
    }

    /// @notice Record and conflicts in one call (§7.2's query by dataHash).
    function query(bytes32 dataHash) external view returns (Attestation memory, Conflict[] memory) {
        return (record(dataHash), conflicts(dataHash));
    }
}
