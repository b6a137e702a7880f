// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Vm} from "forge-std/Test.sol";
import {AttestationRegistry} from "../../src/AttestationRegistry.sol";
import {Bridge} from "../../src/Bridge.sol";
import {JobBoard} from "../../src/JobBoard.sol";
import {ComputeJob, ComputeResult, DataAttestation, MessageCodec, MessageHeader} from "../../src/MessageCodec.sol";
import {BridgeTestBase} from "./BridgeTestBase.sol";

/// @notice Two bridges with their modules under one signing key: A is BridgeTestBase's bridge on HOME (1,
/// SAH's home, EVM), B a second bridge on REMOTE (2). Messages one emits are read from its MessageSent
/// logs and delivered to the other, signed like every test message (one-party FROST key).
abstract contract ModulesTestBase is BridgeTestBase {
    AttestationRegistry internal registry;
    JobBoard internal board;
    Bridge internal bridgeB;
    AttestationRegistry internal registryB;
    JobBoard internal boardB;

    address internal executor = makeAddr("executor");
    address internal carol = makeAddr("carol");
    bytes32 internal constant SPEC = keccak256("model and data references");
    bytes32 internal constant RESULT = keccak256("the result");

    function setUp() public virtual override {
        super.setUp();
        registry = new AttestationRegistry(address(bridge));
        board = new JobBoard(address(bridge));
        bridge.setModules(address(registry), address(board));
        bridgeB = new Bridge(REMOTE, 1, key.x, key.parity, guardian);
        registryB = new AttestationRegistry(address(bridgeB));
        boardB = new JobBoard(address(bridgeB));
        bridgeB.setModules(address(registryB), address(boardB));
        vm.prank(alice);
        sah.approve(address(board), type(uint256).max);
        vm.recordLogs();
    }

    // ------------------------------------------------------------------ signing and delivery

    /// A signature over `message` alone for bridge `b` (A or B: its protocol chain id and instance), epoch 1.
    function signFor(Bridge b, bytes memory message) internal returns (bytes memory) {
        return signMessage(key, b, 1, message);
    }

    /// Delivers `message` to the bridge of its destination (A or B), signed for it.
    function deliverTo(Bridge b, bytes memory message) internal returns (bytes32) {
        return b.receiveMessage(message, 1, signFor(b, message));
    }

    /// Delivers an attestation to A's registry: through the Bridge, or, when its (source chain, nonce) names a
    /// message delivered before (a hand-built sequence reusing a nonce to reach the registry's equal-nonce rule), as
    /// the Bridge would hand it over, after checking that the Bridge refuses it: the pair names one message
    /// (docs/PROTOCOL.md §2), so a second message under it is consumed already. Either way it is consumed after.
    function deliverAttestation(bytes memory message) internal {
        if (consumedOn(bridge, message)) {
            bytes memory sig = sign(key, 1, message);
            vm.expectRevert(abi.encodeWithSelector(Bridge.MessageAlreadyConsumed.selector, keccak256(message)));
            bridge.receiveMessage(message, 1, sig);
            vm.prank(address(bridge));
            registry.onMessage(message);
        } else {
            deliver(message);
        }
        assertTrue(consumedOn(bridge, message));
    }

    /// The messages `b` sent since the logs were last read (drains the recorded logs).
    function sentBy(Bridge b) internal returns (bytes[] memory out) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 n;
        for (uint256 i = 0; i < logs.length; i++) {
            if (logs[i].emitter == address(b) && logs[i].topics[0] == Bridge.MessageSent.selector) n++;
        }
        out = new bytes[](n);
        n = 0;
        for (uint256 i = 0; i < logs.length; i++) {
            if (logs[i].emitter == address(b) && logs[i].topics[0] == Bridge.MessageSent.selector) {
                out[n++] = abi.decode(logs[i].data, (bytes));
            }
        }
    }

    /// The one message `b` sent since the logs were last read.
    function onlySentBy(Bridge b) internal returns (bytes memory) {
        bytes[] memory all = sentBy(b);
        assertEq(all.length, 1, "expected exactly one message");
        return all[0];
    }

    function drainLogs() internal {
        vm.getRecordedLogs();
    }

    // ------------------------------------------------------------------ messages built by hand

    function header(uint8 kind, uint32 source, uint32 destination, uint64 nonce, bytes32 sender)
        internal
        pure
        returns (MessageHeader memory)
    {
        return MessageHeader(kind, source, destination, nonce, sender, bytes32(0));
    }

    function attestationMessage(uint32 source, uint32 destination, uint64 nonce, DataAttestation memory a)
        internal
        pure
        returns (bytes memory)
    {
        return MessageCodec.encodeMessage(
            header(2, source, destination, nonce, keccak256("attester")), MessageCodec.encodeDataAttestationPayload(a)
        );
    }

    function register(bytes32 dataHash, string memory did, string memory uri, string memory license, uint64 time)
        internal
        pure
        returns (DataAttestation memory)
    {
        return DataAttestation(1, dataHash, time, bytes(did), bytes(uri), bytes(license));
    }

    function revocation(bytes32 dataHash, string memory did, uint64 time)
        internal
        pure
        returns (DataAttestation memory)
    {
        return DataAttestation(2, dataHash, time, bytes(did), "", "");
    }

    function jobMessage(uint32 source, uint32 destination, uint64 nonce, ComputeJob memory j)
        internal
        pure
        returns (bytes memory)
    {
        return MessageCodec.encodeMessage(
            header(3, source, destination, nonce, j.payer), MessageCodec.encodeComputeJobPayload(j)
        );
    }

    function postOf(bytes32 jobId, uint128 amount, uint64 deadline, address payer)
        internal
        view
        returns (ComputeJob memory)
    {
        return ComputeJob(1, jobId, SPEC, HOME, b32(address(sah)), amount, deadline, b32(payer));
    }

    function cancelOf(bytes32 jobId) internal pure returns (ComputeJob memory j) {
        j.action = 2;
        j.jobId = jobId;
    }

    function resultMessage(uint32 source, uint32 destination, uint64 nonce, ComputeResult memory r)
        internal
        pure
        returns (bytes memory)
    {
        return MessageCodec.encodeMessage(
            header(4, source, destination, nonce, keccak256("executor chain")),
            MessageCodec.encodeComputeResultPayload(r)
        );
    }

    // ------------------------------------------------------------------ job flows

    /// Alice posts a job on A for B; returns its id and the post message A emitted.
    function postOnA(uint256 amount, uint64 deadline) internal returns (bytes32 jobId, bytes memory post) {
        drainLogs();
        vm.prank(alice);
        jobId = board.postJob(address(sah), amount, SPEC, REMOTE, deadline);
        post = onlySentBy(bridge);
    }

    /// Posted on A and delivered to B (Open there).
    function openOnB(uint256 amount, uint64 deadline) internal returns (bytes32 jobId) {
        bytes memory post;
        (jobId, post) = postOnA(amount, deadline);
        deliverTo(bridgeB, post);
    }

    function claimOnB(bytes32 jobId) internal {
        vm.prank(executor);
        boardB.claim(jobId);
    }

    /// The executor submits its result on B; returns the result message B emitted.
    function submitOnB(bytes32 jobId) internal returns (bytes memory) {
        drainLogs();
        vm.prank(executor);
        boardB.submitResult(jobId, RESULT, b32(executor));
        return onlySentBy(bridgeB);
    }

    function escrowState(bytes32 jobId) internal view returns (JobBoard.EscrowState) {
        return board.escrowJob(jobId).state;
    }

    function executionState(bytes32 jobId) internal view returns (JobBoard.ExecutionState) {
        return boardB.executionJob(jobId).state;
    }
}

/// Replaces the sender field (bytes 18..50) of a message built by the helpers, for comparisons.
library WithSender {
    function withSender(bytes memory m, bytes32 sender) internal pure returns (bytes memory out) {
        out = bytes.concat(m);
        assembly ("memory-safe") {
            mstore(add(add(out, 32), 18), sender)
        }
    }
}
