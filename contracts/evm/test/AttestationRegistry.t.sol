// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {AttestationRegistry} from "../src/AttestationRegistry.sol";
import {Bridge} from "../src/Bridge.sol";
import {BridgeModule, EmptyDestinations, InvalidDestination} from "../src/BridgeModule.sol";
import {JobBoard} from "../src/JobBoard.sol";
import {Vm} from "forge-std/Test.sol";
import {DataAttestation, InvalidField, MessageCodec, MessageHeader} from "../src/MessageCodec.sol";
import {ModulesTestBase} from "./utils/ModulesTestBase.sol";
import {ProtocolRef} from "./utils/ProtocolRef.sol";

contract AttestationRegistryTest is ModulesTestBase {
    bytes32 internal constant DATA = keccak256("a data set");
    string internal constant URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    string internal constant COSMOS_DID = "did:pkh:cosmos:sah-1:cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";
    string internal constant OTHER_DID =
        "did:pkh:polkadot:91b171bb158e2d3848fa23a9f1c25182:1FRMM8PEiWXYax7rpS6X4XZX1aAAxSWx1CrKTyrVYhV24fg";
    uint64 internal constant T0 = 1_767_225_600;

    function setUp() public override {
        super.setUp();
        vm.warp(T0);
    }

    function _dests(uint32 a) internal pure returns (uint32[] memory d) {
        d = new uint32[](1);
        d[0] = a;
    }

    function _dests(uint32 a, uint32 b) internal pure returns (uint32[] memory d) {
        d = new uint32[](2);
        (d[0], d[1]) = (a, b);
    }

    function _dests(uint32 a, uint32 b, uint32 c) internal pure returns (uint32[] memory d) {
        d = new uint32[](3);
        (d[0], d[1], d[2]) = (a, b, c);
    }

    /// How many events `emitter` emitted since the logs were last read (drains the recorded logs).
    function _eventsFrom(address emitter) internal returns (uint256 n) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; i++) {
            if (logs[i].emitter == emitter) n++;
        }
    }

    function _didOf(address a) internal view returns (string memory) {
        return string.concat("did:pkh:eip155:", vm.toString(block.chainid), ":", vm.toLowercase(vm.toString(a)));
    }

    function _assertRecord(
        AttestationRegistry r,
        bytes32 dataHash,
        string memory did,
        uint32 origin,
        uint64 nonce,
        string memory uri,
        string memory license,
        uint64 time,
        bool revoked
    ) internal view {
        AttestationRegistry.Attestation memory a = r.record(dataHash);
        assertEq(a.dataHash, dataHash, "dataHash");
        assertEq(a.ownerDid, did, "ownerDid");
        assertEq(a.originChain, origin, "originChain");
        assertEq(a.originNonce, nonce, "originNonce");
        assertEq(a.uri, uri, "uri");
        assertEq(a.license, license, "license");
        assertEq(a.timestamp, time, "timestamp");
        assertEq(a.revoked, revoked, "revoked");
    }

    // ================================================================== owner DIDs (§7.1)

    function test_ownerDidIsTheCallersDidPkh() public {
        address mixed = 0xabCDeF0123456789AbcdEf0123456789aBCDEF01;
        assertEq(registry.ownerDidOf(mixed), "did:pkh:eip155:31337:0xabcdef0123456789abcdef0123456789abcdef01");
        vm.chainId(1);
        assertEq(registry.ownerDidOf(mixed), "did:pkh:eip155:1:0xabcdef0123456789abcdef0123456789abcdef01");
        assertEq(registry.ownerDidOf(address(0x1)), "did:pkh:eip155:1:0x0000000000000000000000000000000000000001");
        vm.chainId(type(uint64).max);
        assertEq(
            registry.ownerDidOf(mixed), "did:pkh:eip155:18446744073709551615:0xabcdef0123456789abcdef0123456789abcdef01"
        );
    }

    // ================================================================== source: attest

    function test_attestRecordsHereAndSendsOneRegisterPerDestination() public {
        vm.expectEmit(address(registry));
        emit AttestationRegistry.Attested(DATA, _didOf(alice), HOME, 0, URI, "CC-BY-4.0", T0);
        vm.prank(alice);
        bytes32[] memory ids = registry.attest(DATA, URI, "CC-BY-4.0", _dests(REMOTE, 10_003));

        _assertRecord(registry, DATA, _didOf(alice), HOME, 0, URI, "CC-BY-4.0", T0, false);
        assertTrue(registry.exists(DATA));
        assertEq(registry.recordCount(), 1);
        bytes[] memory sent = sentBy(bridge);
        assertEq(sent.length, 2);
        DataAttestation memory a = register(DATA, _didOf(alice), URI, "CC-BY-4.0", T0);
        bytes memory payload = MessageCodec.encodeDataAttestationPayload(a);
        assertEq(sent[0], MessageCodec.encodeMessage(MessageHeader(2, HOME, REMOTE, 1, b32(alice), 0), payload));
        assertEq(sent[1], MessageCodec.encodeMessage(MessageHeader(2, HOME, 10_003, 2, b32(alice), 0), payload));
        assertEq(ids[0], keccak256(sent[0]));
        assertEq(ids[1], keccak256(sent[1]));
        assertEq(bridge.outboundMessageId(1), ids[0]);
        assertEq(bridge.outboundMessageId(2), ids[1]);
    }

    function test_attestRefusalsChangeNothing() public {
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(InvalidField.selector, "dataHash"));
        registry.attest(bytes32(0), URI, "MIT", _dests(REMOTE));
        vm.expectRevert(abi.encodeWithSelector(InvalidField.selector, "uri"));
        registry.attest(DATA, string(new bytes(2049)), "MIT", _dests(REMOTE));
        vm.expectRevert(abi.encodeWithSelector(InvalidField.selector, "license"));
        registry.attest(DATA, URI, string(new bytes(257)), _dests(REMOTE));
        vm.expectRevert(abi.encodeWithSelector(InvalidField.selector, "uri"));
        registry.attest(DATA, string(bytes(hex"c080")), "MIT", _dests(REMOTE)); // overlong
        vm.expectRevert(abi.encodeWithSelector(InvalidField.selector, "uri"));
        registry.attest(DATA, string(bytes(hex"eda080")), "MIT", _dests(REMOTE)); // a surrogate
        vm.expectRevert(abi.encodeWithSelector(InvalidField.selector, "license"));
        registry.attest(DATA, URI, string(bytes(hex"4d4954ff")), _dests(REMOTE));
        vm.expectRevert(EmptyDestinations.selector);
        registry.attest(DATA, URI, "MIT", new uint32[](0));
        vm.expectRevert(abi.encodeWithSelector(InvalidDestination.selector, HOME));
        registry.attest(DATA, URI, "MIT", _dests(REMOTE, HOME));
        vm.expectRevert(abi.encodeWithSelector(InvalidDestination.selector, 0));
        registry.attest(DATA, URI, "MIT", _dests(0));
        vm.expectRevert(abi.encodeWithSelector(InvalidDestination.selector, 10_005));
        registry.attest(DATA, URI, "MIT", _dests(10_005));
        // listed twice: InvalidDestination too (§7.2), next to each other or not
        vm.expectRevert(abi.encodeWithSelector(InvalidDestination.selector, REMOTE));
        registry.attest(DATA, URI, "MIT", _dests(REMOTE, REMOTE));
        vm.expectRevert(abi.encodeWithSelector(InvalidDestination.selector, REMOTE));
        registry.attest(DATA, URI, "MIT", _dests(REMOTE, THIRD, REMOTE));
        vm.stopPrank();
        assertFalse(registry.exists(DATA));
        assertEq(registry.recordCount(), 0);
        assertEq(bridge.outboundNonce(), 0);
    }

    function test_attestAcceptsTheLimitsAndAnyUtf8() public {
        bytes memory longUri = new bytes(2048);
        for (uint256 i = 0; i < longUri.length; i++) {
            longUri[i] = "a";
        }
        // 2-, 3- and 4-byte characters and a leading byte-order mark, which is content
        longUri[0] = 0xef;
        longUri[1] = 0xbb;
        longUri[2] = 0xbf;
        (longUri[100], longUri[101]) = (0xc3, 0xa9); // é
        (longUri[200], longUri[201], longUri[202], longUri[203]) = (0xf0, 0x9f, 0x98, 0x80); // U+1F600
        (longUri[2045], longUri[2046], longUri[2047]) = (0xe2, 0x82, 0xac); // € at the very end
        bytes memory longLicense = new bytes(256);
        for (uint256 i = 0; i < longLicense.length; i++) {
            longLicense[i] = "L";
        }
        vm.prank(alice);
        registry.attest(DATA, string(longUri), string(longLicense), _dests(THIRD));
        AttestationRegistry.Attestation memory a = registry.record(DATA);
        assertEq(bytes(a.uri), longUri);
        assertEq(bytes(a.license), longLicense);
        // and the destination decodes what was sent
        deliverTo(bridgeB, attestationMessage(HOME, REMOTE, 1, register(DATA, _didOf(alice), string(longUri), "", T0)));
        assertEq(bytes(registryB.record(DATA).uri), longUri);
    }

    function test_reattestationBySameOwnerUpdatesTheRecord() public {
        vm.prank(alice);
        registry.attest(DATA, URI, "MIT", _dests(REMOTE));
        vm.warp(T0 + 100);
        vm.prank(alice);
        registry.attest(DATA, "https://mirror.example/data", "CC0-1.0", _dests(THIRD));
        _assertRecord(registry, DATA, _didOf(alice), HOME, 0, "https://mirror.example/data", "CC0-1.0", T0 + 100, false);
        assertEq(registry.recordCount(), 1);
        assertEq(registry.conflictCount(DATA), 0);
    }

    function test_attestByAnotherOwnerIsAConflictHereAndStillSent() public {
        vm.prank(alice);
        registry.attest(DATA, URI, "MIT", _dests(REMOTE));
        drainLogs();
        vm.expectEmit(address(registry));
        emit AttestationRegistry.ConflictRecorded(DATA, _didOf(bob), HOME, 0, T0, 1);
        vm.prank(bob);
        registry.attest(DATA, "ipfs://bob", "GPL-3.0", _dests(REMOTE));
        assertEq(sentBy(bridge).length, 1);
        _assertRecord(registry, DATA, _didOf(alice), HOME, 0, URI, "MIT", T0, false);
        AttestationRegistry.Conflict[] memory c = registry.conflicts(DATA);
        assertEq(c.length, 1);
        assertEq(c[0].dataHash, DATA);
        assertEq(c[0].ownerDid, _didOf(bob));
        assertEq(c[0].originChain, HOME);
        assertEq(c[0].nonce, 0);
        assertEq(c[0].timestamp, T0);
        assertEq(c[0].action, 1);
    }

    // ================================================================== source: revoke

    function test_revokeByTheOwnerMarksRevokedAndSendsRevokes() public {
        vm.prank(alice);
        registry.attest(DATA, URI, "MIT", _dests(REMOTE));
        drainLogs();
        vm.warp(T0 + 5);
        vm.expectEmit(address(registry));
        emit AttestationRegistry.Revoked(DATA, _didOf(alice), HOME, 0, T0 + 5);
        vm.prank(alice);
        registry.revoke(DATA, _dests(REMOTE, THIRD));
        // only `revoked` changes: origin, nonce, timestamp, uri and license stay the attest's (§7.2)
        _assertRecord(registry, DATA, _didOf(alice), HOME, 0, URI, "MIT", T0, true);
        bytes[] memory sent = sentBy(bridge);
        assertEq(sent.length, 2);
        bytes memory payload = MessageCodec.encodeDataAttestationPayload(revocation(DATA, _didOf(alice), T0 + 5));
        assertEq(sent[0], MessageCodec.encodeMessage(MessageHeader(2, HOME, REMOTE, 2, b32(alice), 0), payload));
        assertEq(sent[1], MessageCodec.encodeMessage(MessageHeader(2, HOME, THIRD, 3, b32(alice), 0), payload));
        // revoked already: may be revoked again (towards another chain), and nothing changes here
        vm.warp(T0 + 50);
        vm.prank(alice);
        registry.revoke(DATA, _dests(10_004));
        _assertRecord(registry, DATA, _didOf(alice), HOME, 0, URI, "MIT", T0, true);
    }

    /// Revoking again sends to the new destinations and changes nothing locally (no event, same record).
    function test_revokingAgainOnlySends() public {
        vm.prank(alice);
        registry.attest(DATA, URI, "MIT", _dests(REMOTE));
        vm.prank(alice);
        registry.revoke(DATA, _dests(REMOTE));
        drainLogs();
        vm.warp(T0 + 50);
        vm.prank(alice);
        bytes32[] memory ids = registry.revoke(DATA, _dests(THIRD, 10_004));
        assertEq(_eventsFrom(address(registry)), 0, "no registry event");
        _assertRecord(registry, DATA, _didOf(alice), HOME, 0, URI, "MIT", T0, true);
        assertEq(registry.conflictCount(DATA), 0);
        assertEq(ids.length, 2);
        assertEq(bridge.outboundNonce(), 4);
        bytes memory payload = MessageCodec.encodeDataAttestationPayload(revocation(DATA, _didOf(alice), T0 + 50));
        assertEq(
            bridge.outboundMessageId(3),
            keccak256(MessageCodec.encodeMessage(MessageHeader(2, HOME, THIRD, 3, b32(alice), 0), payload))
        );
    }

    /// Revocation is final at the source: its owner's attest of the hash is refused (AttestationRevoked) and
    /// changes nothing; another account's attest of it is still a conflict here and still sent.
    function test_attestOfTheCallersRevokedHashIsRefused() public {
        vm.prank(alice);
        registry.attest(DATA, URI, "MIT", _dests(REMOTE));
        vm.warp(T0 + 5);
        vm.prank(alice);
        registry.revoke(DATA, _dests(REMOTE));
        drainLogs();
        vm.warp(T0 + 10);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(AttestationRegistry.AttestationRevoked.selector, DATA));
        registry.attest(DATA, "ipfs://v2", "CC0-1.0", _dests(THIRD));
        _assertRecord(registry, DATA, _didOf(alice), HOME, 0, URI, "MIT", T0, true);
        assertEq(registry.conflictCount(DATA), 0);
        assertEq(bridge.outboundNonce(), 2);
        // the argument checks come first
        vm.prank(alice);
        vm.expectRevert(EmptyDestinations.selector);
        registry.attest(DATA, URI, "MIT", new uint32[](0));
        // another owner: a conflict, recorded, and the register still goes
        vm.prank(bob);
        registry.attest(DATA, "ipfs://bob", "MIT", _dests(REMOTE));
        assertEq(bridge.outboundNonce(), 3);
        assertEq(registry.conflictCount(DATA), 1);
        assertEq(registry.conflicts(DATA)[0].ownerDid, _didOf(bob));
        _assertRecord(registry, DATA, _didOf(alice), HOME, 0, URI, "MIT", T0, true);
        // and the owner's repeated revoke stays allowed
        vm.prank(alice);
        registry.revoke(DATA, _dests(THIRD));
        assertEq(bridge.outboundNonce(), 4);
    }

    function test_revokeByANonOwnerIsRefusedAtTheSource() public {
        vm.prank(alice);
        registry.attest(DATA, URI, "MIT", _dests(REMOTE));
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(AttestationRegistry.NotOwner.selector, DATA, _didOf(bob)));
        registry.revoke(DATA, _dests(REMOTE));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(AttestationRegistry.NotOwner.selector, keccak256("x"), _didOf(alice)));
        registry.revoke(keccak256("x"), _dests(REMOTE));
        // the owner's revoke checks its destinations too
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(InvalidDestination.selector, HOME));
        registry.revoke(DATA, _dests(HOME));
        vm.expectRevert(EmptyDestinations.selector);
        registry.revoke(DATA, new uint32[](0));
        vm.expectRevert(abi.encodeWithSelector(InvalidDestination.selector, THIRD));
        registry.revoke(DATA, _dests(THIRD, REMOTE, THIRD));
        vm.expectRevert(abi.encodeWithSelector(InvalidDestination.selector, 0));
        registry.revoke(DATA, _dests(0));
        vm.stopPrank();
        assertFalse(registry.record(DATA).revoked);
        assertEq(bridge.outboundNonce(), 1);
    }

    // ================================================================== destination

    function test_deliveredRegisterCreatesARecord() public {
        DataAttestation memory a = register(DATA, COSMOS_DID, URI, "CC-BY-4.0", T0 - 60);
        vm.expectEmit(address(registry));
        emit AttestationRegistry.Attested(DATA, COSMOS_DID, REMOTE, 7, URI, "CC-BY-4.0", T0 - 60);
        deliver(attestationMessage(REMOTE, HOME, 7, a));
        _assertRecord(registry, DATA, COSMOS_DID, REMOTE, 7, URI, "CC-BY-4.0", T0 - 60, false);
        assertEq(registry.recordCount(), 1);
        // the same owner re-attests from its chain
        deliver(attestationMessage(REMOTE, HOME, 9, register(DATA, COSMOS_DID, "ipfs://v2", "MIT", T0)));
        _assertRecord(registry, DATA, COSMOS_DID, REMOTE, 9, "ipfs://v2", "MIT", T0, false);
        // then revokes: only `revoked` changes (origin, nonce, timestamp, uri and license stay the register's);
        // the event carries the revoke's origin, nonce and time
        vm.expectEmit(address(registry));
        emit AttestationRegistry.Revoked(DATA, COSMOS_DID, REMOTE, 10, T0 + 1);
        deliver(attestationMessage(REMOTE, HOME, 10, revocation(DATA, COSMOS_DID, T0 + 1)));
        _assertRecord(registry, DATA, COSMOS_DID, REMOTE, 9, "ipfs://v2", "MIT", T0, true);
        assertEq(registry.conflictCount(DATA), 0);
    }

    /// Revocation is final on delivery: a later register by the record's owner is a Conflict (consumed,
    /// the record untouched), and a repeated revoke changes nothing.
    function test_aRegisterByTheOwnerOfARevokedRecordIsAConflict() public {
        deliver(attestationMessage(REMOTE, HOME, 9, register(DATA, COSMOS_DID, URI, "MIT", T0)));
        deliver(attestationMessage(REMOTE, HOME, 10, revocation(DATA, COSMOS_DID, T0 + 1)));
        vm.expectEmit(address(registry));
        emit AttestationRegistry.ConflictRecorded(DATA, COSMOS_DID, REMOTE, 11, T0 + 2, 1);
        bytes memory m = attestationMessage(REMOTE, HOME, 11, register(DATA, COSMOS_DID, "ipfs://v3", "MIT", T0 + 2));
        deliver(m);
        assertTrue(consumedOn(bridge, m));
        _assertRecord(registry, DATA, COSMOS_DID, REMOTE, 9, URI, "MIT", T0, true);
        AttestationRegistry.Conflict[] memory c = registry.conflicts(DATA);
        assertEq(c.length, 1);
        assertEq(c[0].ownerDid, COSMOS_DID);
        assertEq(c[0].originChain, REMOTE);
        assertEq(c[0].nonce, 11);
        assertEq(c[0].timestamp, T0 + 2);
        assertEq(c[0].action, 1);
        // a register of the same owner from another origin chain: a conflict too
        deliver(attestationMessage(THIRD, HOME, 1, register(DATA, COSMOS_DID, "ipfs://v4", "MIT", T0 + 3)));
        assertEq(registry.conflictCount(DATA), 2);
        // revoked again (a later or an earlier revoke): nothing changes, no event
        drainLogs();
        m = attestationMessage(REMOTE, HOME, 12, revocation(DATA, COSMOS_DID, T0 + 4));
        deliver(m);
        deliver(attestationMessage(REMOTE, HOME, 3, revocation(DATA, COSMOS_DID, T0 - 5)));
        assertEq(_eventsFrom(address(registry)), 0, "no registry event");
        assertTrue(consumedOn(bridge, m));
        _assertRecord(registry, DATA, COSMOS_DID, REMOTE, 9, URI, "MIT", T0, true);
        assertEq(registry.conflictCount(DATA), 2);
        assertEq(registry.recordCount(), 1);
    }

    /// Stale (§7.2): a register by the record's owner from the record's origin chain with a nonce below the
    /// record's originNonce changes nothing; from another origin, or with a nonce not below, it applies.
    function test_aStaleRegisterChangesNothing() public {
        deliver(attestationMessage(REMOTE, HOME, 9, register(DATA, COSMOS_DID, "ipfs://v9", "MIT", T0 + 9)));
        drainLogs();
        vm.expectEmit(address(registry));
        emit AttestationRegistry.StaleIgnored(DATA, REMOTE, 7, 1);
        bytes memory m = attestationMessage(REMOTE, HOME, 7, register(DATA, COSMOS_DID, "ipfs://v7", "GPL", T0 + 7));
        deliver(m);
        assertTrue(consumedOn(bridge, m));
        _assertRecord(registry, DATA, COSMOS_DID, REMOTE, 9, "ipfs://v9", "MIT", T0 + 9, false);
        assertEq(registry.conflictCount(DATA), 0);
        // the same owner DID from another origin chain is not stale: it re-attests (origin and nonce replaced)
        deliver(attestationMessage(THIRD, HOME, 5, register(DATA, COSMOS_DID, "ipfs://t5", "MIT", T0 + 10)));
        _assertRecord(registry, DATA, COSMOS_DID, THIRD, 5, "ipfs://t5", "MIT", T0 + 10, false);
        // the rule is for registers only: a revoke of the owner revokes, whatever its nonce, and keeps the
        // record's origin, nonce, timestamp, uri and license
        deliver(attestationMessage(THIRD, HOME, 1, revocation(DATA, COSMOS_DID, T0 + 11)));
        _assertRecord(registry, DATA, COSMOS_DID, THIRD, 5, "ipfs://t5", "MIT", T0 + 10, true);
        assertEq(registry.conflictCount(DATA), 0);
        // stale is checked first, revoked or not: an older register from the record's origin changes
        // nothing, not even a conflict
        drainLogs();
        vm.expectEmit(address(registry));
        emit AttestationRegistry.StaleIgnored(DATA, THIRD, 4, 1);
        deliver(attestationMessage(THIRD, HOME, 4, register(DATA, COSMOS_DID, "ipfs://t4", "GPL", T0 + 12)));
        assertEq(_eventsFrom(address(registry)), 1, "only StaleIgnored");
        _assertRecord(registry, DATA, COSMOS_DID, THIRD, 5, "ipfs://t5", "MIT", T0 + 10, true);
        assertEq(registry.conflictCount(DATA), 0);
        // from another origin chain it is not stale (even older than REMOTE's 9): revoked, so a conflict
        deliver(attestationMessage(REMOTE, HOME, 8, register(DATA, COSMOS_DID, "ipfs://v8", "GPL", T0 + 13)));
        _assertRecord(registry, DATA, COSMOS_DID, THIRD, 5, "ipfs://t5", "MIT", T0 + 10, true);
        assertEq(registry.conflictCount(DATA), 1);
        assertEq(registry.conflicts(DATA)[0].originChain, REMOTE);
        assertEq(registry.conflicts(DATA)[0].nonce, 8);
        assertEq(registry.recordCount(), 1);
    }

    function test_conflictsNeverOverwriteAndNeverFail() public {
        deliver(attestationMessage(REMOTE, HOME, 1, register(DATA, COSMOS_DID, URI, "MIT", T0)));
        bytes memory m2 = attestationMessage(THIRD, HOME, 1, register(DATA, OTHER_DID, "ipfs://theirs", "GPL", T0 + 1));
        deliver(m2);
        vm.expectEmit(address(registry));
        emit AttestationRegistry.ConflictRecorded(DATA, OTHER_DID, THIRD, 2, T0 + 2, 2);
        bytes memory m3 = attestationMessage(THIRD, HOME, 2, revocation(DATA, OTHER_DID, T0 + 2));
        deliver(m3);
        assertTrue(consumedOn(bridge, m2));
        assertTrue(consumedOn(bridge, m3));
        _assertRecord(registry, DATA, COSMOS_DID, REMOTE, 1, URI, "MIT", T0, false);
        AttestationRegistry.Conflict[] memory c = registry.conflicts(DATA);
        assertEq(c.length, 2);
        assertEq(c[0].ownerDid, OTHER_DID);
        assertEq(c[0].originChain, THIRD);
        assertEq(c[0].nonce, 1);
        assertEq(c[0].timestamp, T0 + 1);
        assertEq(c[0].action, 1);
        assertEq(c[1].nonce, 2);
        assertEq(c[1].action, 2);
        (AttestationRegistry.Attestation memory rec, AttestationRegistry.Conflict[] memory q) = registry.query(DATA);
        assertEq(rec.ownerDid, COSMOS_DID);
        assertEq(q.length, 2);
    }

    /// A revoke by a non-owner is refused at the source, and when another chain's owner of the same hash
    /// revokes, the destination records it as a conflict.
    function test_revokeByANonOwnerIsAConflictAtTheDestination() public {
        // alice owns DATA on A (HOME); carol attests the same hash on B (REMOTE) first
        vm.prank(alice);
        registry.attest(DATA, URI, "MIT", _dests(REMOTE));
        bytes memory aliceRegister = onlySentBy(bridge);
        vm.prank(carol);
        registryB.attest(DATA, "ipfs://carol", "MIT", _dests(HOME));
        bytes memory carolRegister = onlySentBy(bridgeB);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(AttestationRegistry.NotOwner.selector, DATA, _didOf(carol)));
        registry.revoke(DATA, _dests(REMOTE)); // not hers on A
        vm.prank(carol);
        registryB.revoke(DATA, _dests(HOME)); // hers on B
        bytes memory carolRevoke = onlySentBy(bridgeB);

        deliverTo(bridgeB, aliceRegister); // a conflict on B
        deliverTo(bridge, carolRegister); // a conflict on A
        deliverTo(bridge, carolRevoke); // a conflict on A, the record untouched
        _assertRecord(registry, DATA, _didOf(alice), HOME, 0, URI, "MIT", T0, false);
        AttestationRegistry.Conflict[] memory c = registry.conflicts(DATA);
        assertEq(c.length, 2);
        assertEq(c[1].ownerDid, _didOf(carol));
        assertEq(c[1].originChain, REMOTE);
        assertEq(c[1].nonce, 2);
        assertEq(c[1].action, 2);
        assertTrue(registryB.record(DATA).revoked);
        assertEq(registryB.record(DATA).ownerDid, _didOf(carol));
        assertEq(registryB.conflicts(DATA)[0].ownerDid, _didOf(alice));
    }

    function test_roundTripBetweenTwoBridges() public {
        vm.prank(alice);
        registry.attest(DATA, URI, "CC-BY-4.0", _dests(REMOTE));
        deliverTo(bridgeB, onlySentBy(bridge));
        _assertRecord(registryB, DATA, _didOf(alice), HOME, 1, URI, "CC-BY-4.0", T0, false);
        vm.warp(T0 + 9);
        vm.prank(alice);
        registry.revoke(DATA, _dests(REMOTE));
        deliverTo(bridgeB, onlySentBy(bridge));
        // both registries: only `revoked` changed; origin, nonce and timestamp stay the register's
        _assertRecord(registry, DATA, _didOf(alice), HOME, 0, URI, "CC-BY-4.0", T0, true);
        _assertRecord(registryB, DATA, _didOf(alice), HOME, 1, URI, "CC-BY-4.0", T0, true);
    }

    /// Delivery order is anyone's: a revoke that overtakes its register makes a revoked record, and the
    /// late register (an older nonce from the same origin) is ignored as stale, not a conflict; a register
    /// of the owner with a higher nonce is one (revocation is final).
    function test_aRevokeThatOvertakesItsRegisterWins() public {
        bytes memory reg = attestationMessage(REMOTE, HOME, 5, register(DATA, COSMOS_DID, URI, "MIT", T0));
        bytes memory rev = attestationMessage(REMOTE, HOME, 6, revocation(DATA, COSMOS_DID, T0 + 1));
        deliver(rev);
        _assertRecord(registry, DATA, COSMOS_DID, REMOTE, 6, "", "", T0 + 1, true);
        vm.expectEmit(address(registry));
        emit AttestationRegistry.StaleIgnored(DATA, REMOTE, 5, 1);
        deliver(reg);
        assertTrue(consumedOn(bridge, reg));
        _assertRecord(registry, DATA, COSMOS_DID, REMOTE, 6, "", "", T0 + 1, true);
        assertEq(registry.conflictCount(DATA), 0);
        deliver(attestationMessage(REMOTE, HOME, 7, register(DATA, COSMOS_DID, URI, "MIT", T0 + 2)));
        _assertRecord(registry, DATA, COSMOS_DID, REMOTE, 6, "", "", T0 + 1, true);
        assertEq(registry.conflictCount(DATA), 1);
    }

    /// Out of order (§7.2, as on the pallet and the CosmWasm bridge): register n5, register n6 and revoke n7
    /// of one owner from one origin, delivered 5, 7, 6. The revoke only marks the record of n5 revoked (its
    /// origin nonce stays 5); n6 is then not stale (6 is not below 5) and the owner's record is revoked, so
    /// n6 is a Conflict, consumed, and the record stays n5's.
    function test_registerRegisterRevokeDelivered5Then7Then6() public {
        bytes memory reg5 = attestationMessage(REMOTE, HOME, 5, register(DATA, COSMOS_DID, "ipfs://v5", "MIT", T0 + 5));
        bytes memory reg6 =
            attestationMessage(REMOTE, HOME, 6, register(DATA, COSMOS_DID, "ipfs://v6", "CC0-1.0", T0 + 6));
        bytes memory rev7 = attestationMessage(REMOTE, HOME, 7, revocation(DATA, COSMOS_DID, T0 + 7));
        deliver(reg5);
        _assertRecord(registry, DATA, COSMOS_DID, REMOTE, 5, "ipfs://v5", "MIT", T0 + 5, false);
        vm.expectEmit(address(registry));
        emit AttestationRegistry.Revoked(DATA, COSMOS_DID, REMOTE, 7, T0 + 7);
        deliver(rev7);
        _assertRecord(registry, DATA, COSMOS_DID, REMOTE, 5, "ipfs://v5", "MIT", T0 + 5, true);
        drainLogs();
        vm.expectEmit(address(registry));
        emit AttestationRegistry.ConflictRecorded(DATA, COSMOS_DID, REMOTE, 6, T0 + 6, 1);
        deliver(reg6);
        assertEq(_eventsFrom(address(registry)), 1, "only ConflictRecorded");
        assertTrue(consumedOn(bridge, reg6));
        _assertRecord(registry, DATA, COSMOS_DID, REMOTE, 5, "ipfs://v5", "MIT", T0 + 5, true);
        AttestationRegistry.Conflict[] memory c = registry.conflicts(DATA);
        assertEq(c.length, 1);
        assertEq(c[0].dataHash, DATA);
        assertEq(c[0].ownerDid, COSMOS_DID);
        assertEq(c[0].originChain, REMOTE);
        assertEq(c[0].nonce, 6);
        assertEq(c[0].timestamp, T0 + 6);
        assertEq(c[0].action, 1);
        assertEq(registry.recordCount(), 1);
    }

    /// The same three messages in each of the six delivery orders, each on its own hash and its own nonces (5, 6, 7
    /// plus 10 per order: a source never reuses a nonce): the record and the conflicts §7.2 gives for each (the
    /// revoke never moves the record's origin nonce; stale checked first).
    function test_everyDeliveryOrderOfRegisterRegisterRevoke() public {
        // order as digits of indexes into (n5, n6, n7); expected record nonce; n6 a conflict
        uint16[6] memory orders = [uint16(12), 21, 102, 120, 201, 210];
        uint64[6] memory recordNonce = [uint64(6), 5, 6, 6, 7, 7];
        for (uint256 k = 0; k < orders.length; k++) {
            bytes32 h = keccak256(abi.encode("order", k));
            uint64 base = uint64(10 * k);
            bytes[3] memory m = [
                attestationMessage(REMOTE, HOME, base + 5, register(h, COSMOS_DID, "ipfs://v5", "MIT", T0 + 5)),
                attestationMessage(REMOTE, HOME, base + 6, register(h, COSMOS_DID, "ipfs://v6", "CC0-1.0", T0 + 6)),
                attestationMessage(REMOTE, HOME, base + 7, revocation(h, COSMOS_DID, T0 + 7))
            ];
            uint256 o = orders[k];
            deliver(m[o / 100]);
            assertTrue(consumedOn(bridge, m[o / 100]));
            deliver(m[(o / 10) % 10]);
            assertTrue(consumedOn(bridge, m[(o / 10) % 10]));
            deliver(m[o % 10]);
            assertTrue(consumedOn(bridge, m[o % 10]));
            uint64 n = recordNonce[k];
            string memory uri = n == 5 ? "ipfs://v5" : n == 6 ? "ipfs://v6" : "";
            string memory license = n == 5 ? "MIT" : n == 6 ? "CC0-1.0" : "";
            _assertRecord(registry, h, COSMOS_DID, REMOTE, base + n, uri, license, T0 + n, true);
            if (o == 21) {
                assertEq(registry.conflictCount(h), 1);
                assertEq(registry.conflicts(h)[0].nonce, base + 6);
                assertEq(registry.conflicts(h)[0].action, 1);
            } else {
                assertEq(registry.conflictCount(h), 0);
            }
        }
        assertEq(registry.recordCount(), 6);
    }

    function test_malformedAttestationsAreRefusedAndNotConsumed() public {
        DataAttestation memory a = register(DATA, "did:x", URI, "MIT", T0);
        a.ownerDid = hex"ff";
        bytes memory m = attestationMessage(REMOTE, HOME, 1, a);
        bytes memory sig = sign(key, 1, m);
        vm.expectRevert(abi.encodeWithSelector(InvalidField.selector, "ownerDid"));
        bridge.receiveMessage(m, 1, sig);
        a = revocation(DATA, COSMOS_DID, T0);
        a.uri = "x";
        m = attestationMessage(REMOTE, HOME, 2, a);
        sig = sign(key, 1, m);
        vm.expectRevert(abi.encodeWithSelector(InvalidField.selector, "uri"));
        bridge.receiveMessage(m, 1, sig);
        assertFalse(consumedOn(bridge, m));
        assertFalse(registry.exists(DATA));
    }

    function test_replayOfAnAttestationIsRejected() public {
        bytes memory m = attestationMessage(REMOTE, HOME, 1, register(DATA, COSMOS_DID, URI, "MIT", T0));
        bytes memory sig = sign(key, 1, m);
        bytes32 id = bridge.receiveMessage(m, 1, sig);
        vm.expectRevert(abi.encodeWithSelector(Bridge.MessageAlreadyConsumed.selector, id));
        bridge.receiveMessage(m, 1, sig);
    }

    function test_aPausedBridgeRefusesAttestationsBothWays() public {
        vm.prank(guardian);
        bridge.pause();
        vm.prank(alice);
        vm.expectRevert(Bridge.BridgePaused.selector);
        registry.attest(DATA, URI, "MIT", _dests(REMOTE));
        bytes memory m = attestationMessage(REMOTE, HOME, 1, register(DATA, COSMOS_DID, URI, "MIT", T0));
        bytes memory sig = sign(key, 1, m);
        vm.expectRevert(Bridge.BridgePaused.selector);
        bridge.receiveMessage(m, 1, sig);
        assertFalse(registry.exists(DATA));
    }

    /// The same check order as the CosmWasm contract and the pallet (docs/PROTOCOL.md §8.3): the pause before
    /// anything else, and a revoke's destinations before its owner.
    function test_checkOrder_pauseFirstAndRevokeDestinationsBeforeOwner() public {
        // not the owner of a record that does not exist, to no destination at all: the destinations speak first
        vm.prank(bob);
        vm.expectRevert(EmptyDestinations.selector);
        registry.revoke(DATA, new uint32[](0));
        vm.prank(guardian);
        bridge.pause();
        // paused: a bad hash, a bad destination, a stranger's revoke all report the pause
        vm.startPrank(alice);
        vm.expectRevert(BridgeModule.BridgePaused.selector);
        registry.attest(bytes32(0), URI, "MIT", _dests(HOME));
        vm.expectRevert(BridgeModule.BridgePaused.selector);
        registry.revoke(DATA, new uint32[](0));
        vm.stopPrank();
    }

    function test_onlyTheBridgeDelivers() public {
        vm.expectRevert(abi.encodeWithSelector(BridgeModule.OnlyBridge.selector, address(this)));
        registry.onMessage(attestationMessage(REMOTE, HOME, 1, register(DATA, COSMOS_DID, URI, "MIT", T0)));
    }

    // ================================================================== bridge: module registration and sending

    function test_withoutModulesKinds2To4AreUnsupported() public {
        Bridge bare = new Bridge(HOME, 1, key.x, key.parity, guardian);
        bytes memory m = attestationMessage(REMOTE, HOME, 1, register(DATA, COSMOS_DID, URI, "MIT", T0));
        bytes memory sig = signMessage(key, bare, 1, m);
        vm.expectRevert(abi.encodeWithSelector(Bridge.UnsupportedKind.selector, 2));
        bare.receiveMessage(m, 1, sig);
        assertFalse(consumedOn(bare, m));
    }

    function test_modulesAreSetOnceByTheDeployer() public {
        Bridge fresh = new Bridge(HOME, 1, key.x, key.parity, guardian);
        AttestationRegistry r = new AttestationRegistry(address(fresh));
        JobBoard j = new JobBoard(address(fresh));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Bridge.Unauthorized.selector, alice));
        fresh.setModules(address(r), address(j));
        vm.expectRevert(abi.encodeWithSelector(Bridge.Unauthorized.selector, address(this)));
        fresh.setModules(address(0), address(j));
        vm.expectEmit(address(fresh));
        emit Bridge.ModulesSet(address(r), address(j));
        fresh.setModules(address(r), address(j));
        assertEq(fresh.attestations(), address(r));
        assertEq(fresh.jobBoard(), address(j));
        vm.expectRevert(abi.encodeWithSelector(Bridge.Unauthorized.selector, address(this)));
        fresh.setModules(address(j), address(r));
        assertEq(r.chainId(), HOME);
        assertEq(address(r.bridge()), address(fresh));
    }

    function test_onlyModulesSendAndOnlyTheirKinds() public {
        vm.expectRevert(abi.encodeWithSelector(Bridge.Unauthorized.selector, address(this)));
        bridge.sendFromModule(2, REMOTE, bytes32(0), "");
        vm.startPrank(address(registry));
        vm.expectRevert(abi.encodeWithSelector(Bridge.Unauthorized.selector, address(registry)));
        bridge.sendFromModule(3, REMOTE, bytes32(0), "");
        vm.expectRevert(abi.encodeWithSelector(Bridge.Unauthorized.selector, address(registry)));
        bridge.sendFromModule(1, REMOTE, bytes32(0), "");
        vm.stopPrank();
        vm.startPrank(address(board));
        vm.expectRevert(abi.encodeWithSelector(Bridge.Unauthorized.selector, address(board)));
        bridge.sendFromModule(5, REMOTE, bytes32(0), "");
        vm.expectRevert(abi.encodeWithSelector(Bridge.Unauthorized.selector, address(board)));
        bridge.sendFromModule(2, REMOTE, bytes32(0), "");
        vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidDestination.selector, HOME));
        bridge.sendFromModule(4, HOME, bytes32(0), "");
        vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidDestination.selector, 0));
        bridge.sendFromModule(4, 0, bytes32(0), "");
        (uint64 nonce, bytes32 id) = bridge.sendFromModule(4, REMOTE, bytes32(uint256(7)), hex"beef");
        vm.stopPrank();
        assertEq(nonce, 1);
        bytes memory expected =
            abi.encodePacked(uint8(1), uint8(4), HOME, REMOTE, uint64(1), bytes32(uint256(7)), bytes32(0), hex"beef");
        assertEq(id, keccak256(expected));
        assertEq(onlySentBy(bridge), expected);
        // module messages and transfers share one nonce sequence
        vm.prank(alice);
        (uint64 lockNonce,) = bridge.lock(address(sah), 1, REMOTE, b32(bob));
        assertEq(lockNonce, 2);
    }

    function test_batchDeliveryRoutesAttestations() public {
        bytes[] memory batch = new bytes[](2);
        batch[0] = attestationMessage(REMOTE, HOME, nextInboundNonce++, register(DATA, COSMOS_DID, URI, "MIT", T0));
        batch[1] = remoteTransfer(bob, 5);
        bytes memory sig = signRoot(key, bridge, 1, ProtocolRef.root(ProtocolRef.ids(batch)));
        assertEq(bridge.receiveBatch(batch, 1, sig), 2);
        assertTrue(registry.exists(DATA));
    }

    // ================================================================== fuzz

    /// The §7.2 state machine as a model.
    struct Model {
        bool exists;
        uint256 owner;
        uint32 originChain;
        uint64 originNonce;
        uint64 timestamp;
        string uri;
        string license;
        bool revoked;
        uint256 conflicts;
    }

    /// Any sequence of registers and revokes by three owners from three origin chains, with nonces in any
    /// order (so late, stale messages too; a repeated (origin, nonce) is another message, which the Bridge refuses as
    /// consumed and deliverAttestation hands to the registry directly): after every delivery the record (every
    /// field) and the conflicts are the model's. The first message creates the record (a revoke: created revoked,
    /// empty uri and license); another owner's message is a conflict; the owner's revoke only marks it revoked
    /// (origin, nonce, timestamp, uri and license kept; again: nothing); the owner's register is ignored if stale
    /// (same origin, nonce below the record's: checked first, revoked or not), a conflict if the record is
    /// revoked, and otherwise replaces origin, nonce, timestamp, uri and license. Every delivery succeeds.
    function testFuzz_conflictsNeverOverwrite(uint256 seed, uint8 count) public {
        count = uint8(bound(count, 1, 24));
        Model memory m;
        for (uint256 i = 0; i < count; i++) {
            _fuzzStep(m, uint256(keccak256(abi.encode(seed, i))), i);
        }
        assertEq(registry.recordCount(), 1);
    }

    function _fuzzDid(uint256 who) internal pure returns (string memory) {
        return
            who == 0 ? COSMOS_DID : who == 1 ? OTHER_DID : "did:pkh:eip155:1:0x000000000000000000000000000000000000da7a";
    }

    function _fuzzChain(uint256 i) internal pure returns (uint32) {
        return i == 0 ? REMOTE : i == 1 ? THIRD : uint32(10_001);
    }

    /// One random message: applied to the model `m`, delivered, and the registry checked against `m`.
    function _fuzzStep(Model memory m, uint256 r, uint256 i) internal {
        uint256 who = r % 5 < 3 ? 0 : r % 5 - 2; // mostly one owner, to reach its re-attests and revokes
        // mostly the owner's own chain, sometimes another one
        uint32 origin = _fuzzChain((r >> 8) % 3 == 0 ? (who + 1 + (r >> 16) % 2) % 3 : who);
        uint64 nonce = uint64((r >> 24) % 12) + 1; // any order, repeats included
        bool isRevoke = (r >> 32) % 3 == 0;
        uint64 time = T0 + uint64(i);
        DataAttestation memory a = isRevoke
            ? revocation(DATA, _fuzzDid(who), time)
            : register(
                DATA, _fuzzDid(who), string.concat("ipfs://", vm.toString(i)), string.concat("L-", vm.toString(i)), time
            );
        bool conflict;
        if (!m.exists) {
            m.exists = true;
            m.owner = who;
            m.revoked = isRevoke;
            _fuzzReplace(m, origin, nonce, a);
        } else if (who != m.owner) {
            conflict = true;
        } else if (isRevoke) {
            m.revoked = true;
        } else if (origin == m.originChain && nonce < m.originNonce) {
            // stale: nothing
        } else if (m.revoked) {
            conflict = true;
        } else {
            _fuzzReplace(m, origin, nonce, a);
        }
        if (conflict) m.conflicts++;

        deliverAttestation(attestationMessage(origin, HOME, nonce, a));
        _assertModel(m);
        if (conflict) _assertLastConflict(m.conflicts, who, origin, nonce, a);
    }

    function _assertModel(Model memory m) internal view {
        _assertRecord(
            registry, DATA, _fuzzDid(m.owner), m.originChain, m.originNonce, m.uri, m.license, m.timestamp, m.revoked
        );
        assertEq(registry.conflictCount(DATA), m.conflicts);
    }

    function _assertLastConflict(uint256 n, uint256 who, uint32 origin, uint64 nonce, DataAttestation memory a)
        internal
        view
    {
        AttestationRegistry.Conflict memory c = registry.conflicts(DATA)[n - 1];
        assertEq(c.dataHash, DATA);
        assertEq(c.ownerDid, _fuzzDid(who));
        assertEq(c.originChain, origin);
        assertEq(c.nonce, nonce);
        assertEq(c.timestamp, a.timestamp);
        assertEq(c.action, a.action);
    }

    function _fuzzReplace(Model memory m, uint32 origin, uint64 nonce, DataAttestation memory a) internal pure {
        m.originChain = origin;
        m.originNonce = nonce;
        m.timestamp = a.timestamp;
        m.uri = string(a.uri);
        m.license = string(a.license);
    }
}
