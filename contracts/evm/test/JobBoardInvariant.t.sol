// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Vm} from "forge-std/Test.sol";
import {Bridge} from "../src/Bridge.sol";
import {AttestationRegistry} from "../src/AttestationRegistry.sol";
import {JobBoard} from "../src/JobBoard.sol";
import {SAHToken} from "../src/SAHToken.sol";
import {FrostTestBase} from "./utils/FrostTestBase.sol";

/// @notice Random interleavings of posts, cancels, claims, results, expiries, clock moves and deliveries in
/// any order (and replays) between chain A (1) and chain B (2). Messages are taken from the bridges'
/// MessageSent logs and delivered signed, in whatever order the fuzzer picks.
contract JobHandler is FrostTestBase {
    uint32 internal constant A = 1;
    uint32 internal constant B = 2;

    Bridge public bridgeA;
    Bridge public bridgeB;
    JobBoard public boardA;
    JobBoard public boardB;
    SAHToken public sah;
    TestKey internal key;
    address[3] internal payers;
    address[2] internal executors;

    bytes32[] public jobs;
    bytes[] internal toB;
    bytes[] internal toA;
    bytes[] internal delivered;
    mapping(bytes32 jobId => uint256) public resultsSent;

    uint256 public ghostViolations; // a replay that went through, or a second result for a job
    uint256 public ghostPaid;
    uint256 public ghostRefunded;
    uint256 public ghostPosted;

    constructor(SAHToken sah_, TestKey memory key_) {
        sah = sah_;
        key = key_;
        bridgeA = new Bridge(A, 1, key.x, key.parity, address(0));
        bridgeB = new Bridge(B, 1, key.x, key.parity, address(0));
        boardA = new JobBoard(address(bridgeA));
        boardB = new JobBoard(address(bridgeB));
        bridgeA.setModules(address(new AttestationRegistry(address(bridgeA))), address(boardA));
        bridgeB.setModules(address(new AttestationRegistry(address(bridgeB))), address(boardB));
        for (uint256 i = 0; i < 3; i++) {
            payers[i] = address(uint160(0x7000 + i));
            vm.prank(payers[i]);
            sah.approve(address(boardA), type(uint256).max);
        }
        executors[0] = address(uint160(0xe000));
        executors[1] = address(uint160(0xe001));
        vm.recordLogs();
    }

    function payer(uint256 i) external view returns (address) {
        return payers[i];
    }

    function executor(uint256 i) external view returns (address) {
        return executors[i];
    }

    function jobCount() external view returns (uint256) {
        return jobs.length;
    }

    /// Moves what the bridges sent into the delivery queues.
    function _route() internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; i++) {
            if (logs[i].topics[0] != Bridge.MessageSent.selector) continue;
            bytes memory m = abi.decode(logs[i].data, (bytes));
            if (logs[i].emitter == address(bridgeA)) {
                toB.push(m);
            } else if (logs[i].emitter == address(bridgeB)) {
                toA.push(m);
                bytes32 jobId;
                assembly ("memory-safe") {
                    jobId := mload(add(m, add(32, 83)))
                }
                if (++resultsSent[jobId] > 1) ghostViolations++;
            }
        }
    }

    /// The first job from `seed` on (cyclically) that `ok` admits, so actions rarely fall through.
    function _pick(uint256 seed, function(bytes32) internal view returns (bool) ok)
        internal
        view
        returns (bool found, bytes32 jobId)
    {
        uint256 n = jobs.length;
        for (uint256 k = 0; k < n; k++) {
            jobId = jobs[(seed % n + k) % n];
            if (ok(jobId)) return (true, jobId);
        }
    }

    function _cancellable(bytes32 jobId) internal view returns (bool) {
        return boardA.escrowJob(jobId).state == JobBoard.EscrowState.Posted;
    }

    function _claimable(bytes32 jobId) internal view returns (bool) {
        JobBoard.ExecutionJob memory e = boardB.executionJob(jobId);
        return e.state == JobBoard.ExecutionState.Open && block.timestamp <= e.deadline;
    }

    function _submittable(bytes32 jobId) internal view returns (bool) {
        JobBoard.ExecutionJob memory e = boardB.executionJob(jobId);
        return e.state == JobBoard.ExecutionState.Claimed && block.timestamp <= e.deadline;
    }

    function _expirable(bytes32 jobId) internal view returns (bool) {
        JobBoard.ExecutionJob memory e = boardB.executionJob(jobId);
        bool active = e.state == JobBoard.ExecutionState.Open || e.state == JobBoard.ExecutionState.Claimed;
        return active && block.timestamp > e.deadline;
    }

    // ------------------------------------------------------------------ actions

    function post(uint256 who, uint256 amount, uint256 ttl) external {
        address p = payers[who % 3];
        uint256 balance = sah.balanceOf(p);
        if (balance == 0) return;
        amount = bound(amount, 1, balance);
        uint64 deadline = uint64(block.timestamp + bound(ttl, 1, 2 hours));
        vm.prank(p);
        jobs.push(boardA.postJob(address(sah), amount, keccak256(abi.encode(ttl)), B, deadline));
        ghostPosted += amount;
        _route();
    }

    function cancel(uint256 seed) external {
        (bool found, bytes32 jobId) = _pick(seed, _cancellable);
        if (!found) return;
        vm.prank(boardA.escrowJob(jobId).payer);
        boardA.cancel(jobId);
        _route();
    }

    function claim(uint256 seed, uint256 who) external {
        (bool found, bytes32 jobId) = _pick(seed, _claimable);
        if (!found) return;
        vm.prank(executors[who % 2]);
        boardB.claim(jobId);
    }

    function submit(uint256 seed) external {
        (bool found, bytes32 jobId) = _pick(seed, _submittable);
        if (!found) return;
        JobBoard.ExecutionJob memory e = boardB.executionJob(jobId);
        vm.prank(e.claimer);
        boardB.submitResult(jobId, keccak256(abi.encode(jobId)), bytes32(uint256(uint160(e.claimer))));
        _route();
    }

    function expire(uint256 seed) external {
        (bool found, bytes32 jobId) = _pick(seed, _expirable);
        if (!found) return;
        boardB.expire(jobId);
        _route();
    }

    function warp(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 0, 40 minutes));
    }

    function _deliver(Bridge to, bytes[] storage queue, uint256 seed) internal {
        if (queue.length == 0) return;
        uint256 i = seed % queue.length;
        bytes memory m = queue[i];
        bytes memory sig = signMessage(key, to, 1, m);
        uint256 paidBefore = sah.balanceOf(executors[0]) + sah.balanceOf(executors[1]);
        uint256 refundedBefore = sah.balanceOf(payers[0]) + sah.balanceOf(payers[1]) + sah.balanceOf(payers[2]);
        // a cancel whose post is not there yet reverts UnknownJob and stays queued
        try to.receiveMessage(m, 1, sig) {
            queue[i] = queue[queue.length - 1];
            queue.pop();
            delivered.push(m);
            ghostPaid += sah.balanceOf(executors[0]) + sah.balanceOf(executors[1]) - paidBefore;
            ghostRefunded += sah.balanceOf(payers[0]) + sah.balanceOf(payers[1]) + sah.balanceOf(payers[2])
            - refundedBefore;
        } catch {}
        _route();
    }

    function deliverToB(uint256 seed) external {
        _deliver(bridgeB, toB, seed);
    }

    function deliverToA(uint256 seed) external {
        _deliver(bridgeA, toA, seed);
    }

    function replay(uint256 seed) external {
        if (delivered.length == 0) return;
        bytes memory m = delivered[seed % delivered.length];
        Bridge to = uint8(m[1]) == 4 ? bridgeA : bridgeB;
        bytes memory sig = signMessage(key, to, 1, m);
        try to.receiveMessage(m, 1, sig) {
            ghostViolations++;
        } catch {}
    }
}

contract JobBoardInvariantTest is FrostTestBase {
    JobHandler internal handler;
    SAHToken internal sah;
    uint256 internal constant SUPPLY = 3_000_000 ether;

    function setUp() public {
        TestKey memory key = makeKey(uint256(keccak256("job invariant key")));
        sah = new SAHToken(address(this), SUPPLY);
        handler = new JobHandler(sah, key);
        for (uint256 i = 0; i < 3; i++) {
            sah.transfer(handler.payer(i), SUPPLY / 3);
        }
        targetContract(address(handler));
        bytes4[] memory actions = new bytes4[](9);
        actions[0] = JobHandler.post.selector;
        actions[1] = JobHandler.cancel.selector;
        actions[2] = JobHandler.claim.selector;
        actions[3] = JobHandler.submit.selector;
        actions[4] = JobHandler.expire.selector;
        actions[5] = JobHandler.warp.selector;
        actions[6] = JobHandler.deliverToB.selector;
        actions[7] = JobHandler.deliverToA.selector;
        actions[8] = JobHandler.replay.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: actions}));
    }

    /// The escrow holds exactly the open jobs' payments (Posted or CancelRequested on A), to the unit.
    function invariant_escrowIsTheSumOfOpenJobs() public view {
        JobBoard boardA = handler.boardA();
        uint256 open;
        for (uint256 i = 0; i < handler.jobCount(); i++) {
            JobBoard.EscrowJob memory j = boardA.escrowJob(handler.jobs(i));
            if (j.state == JobBoard.EscrowState.Posted || j.state == JobBoard.EscrowState.CancelRequested) {
                open += j.amount;
            }
        }
        assertEq(sah.balanceOf(address(boardA)), open);
        assertEq(boardA.escrowed(address(sah)), open);
        assertEq(sah.balanceOf(address(handler.boardB())), 0);
    }

    /// Every unit is with a payer, an executor or in escrow; what left the escrow was paid or refunded once.
    function invariant_paymentsAreConserved() public view {
        uint256 held = sah.balanceOf(address(handler.boardA()));
        for (uint256 i = 0; i < 3; i++) {
            held += sah.balanceOf(handler.payer(i));
        }
        for (uint256 i = 0; i < 2; i++) {
            held += sah.balanceOf(handler.executor(i));
        }
        assertEq(held, SUPPLY);
        assertEq(
            handler.ghostPosted(),
            handler.ghostPaid() + handler.ghostRefunded() + sah.balanceOf(address(handler.boardA()))
        );
    }

    /// A job's state on A agrees with B's single outcome, and no job ever got two results or a replay.
    function invariant_oneOutcomePerJob() public view {
        assertEq(handler.ghostViolations(), 0);
        JobBoard boardA = handler.boardA();
        JobBoard boardB = handler.boardB();
        for (uint256 i = 0; i < handler.jobCount(); i++) {
            bytes32 jobId = handler.jobs(i);
            JobBoard.EscrowState a = boardA.escrowJob(jobId).state;
            JobBoard.ExecutionState b = boardB.executionJob(jobId).state;
            if (a == JobBoard.EscrowState.Paid) assertEq(uint8(b), uint8(JobBoard.ExecutionState.Completed));
            if (a == JobBoard.EscrowState.Refunded) {
                assertTrue(b == JobBoard.ExecutionState.Expired || b == JobBoard.ExecutionState.Cancelled);
            }
            assertLe(handler.resultsSent(jobId), 1);
        }
    }
}
