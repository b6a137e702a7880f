// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Vm} from "forge-std/Test.sol";
import {AttestationRegistry} from "../src/AttestationRegistry.sol";
import {Bridge} from "../src/Bridge.sol";
import {JobBoard} from "../src/JobBoard.sol";
import {ComputeJob, ComputeResult, DataAttestation, InvalidField} from "../src/MessageCodec.sol";
import {ModulesTestBase} from "./utils/ModulesTestBase.sol";

/// @notice The rules' golden vectors (test/vectors/flows.json, docs/PROTOCOL.md §8) replayed on the real
/// contracts: token keys on the Bridge, the key for an epoch through governance rotations and deliveries,
/// the rate limit through deliveries, the registry through delivered attestations, and the job boards
/// through postJob/cancel/claim/submitResult/expire and delivered messages. A step's decision is read from
/// what the contracts do: the revert's error name, or the state and events after it.
contract FlowVectorsTest is ModulesTestBase {
    string internal json;
    /// Nonces of the hand-built messages delivered here (each message needs its own id).
    uint64 internal nextNonce = 1000;

    function setUp() public override {
        super.setUp();
        json = vm.readFile("../../test/vectors/flows.json");
    }

    // ------------------------------------------------------------------ reading the vectors

    function _at(string memory list, uint256 i, string memory field) internal pure returns (string memory) {
        return string.concat(".", list, "[", vm.toString(i), "]", field);
    }

    function _step(string memory list, uint256 i, uint256 j, string memory field)
        internal
        pure
        returns (string memory)
    {
        return _at(list, i, string.concat(".steps[", vm.toString(j), "]", field));
    }

    function _has(string memory path) internal view returns (bool) {
        return vm.keyExistsJson(json, path);
    }

    function _str(string memory path) internal view returns (string memory) {
        return vm.parseJsonString(json, path);
    }

    /// The string at `path`, or "" when the vectors leave it out (a step with no effect).
    function _strOrEmpty(string memory path) internal view returns (string memory out) {
        if (_has(path)) out = _str(path);
    }

    function _uint(string memory path) internal view returns (uint256) {
        return vm.parseJsonUint(json, path);
    }

    function _is(string memory path, string memory value) internal view returns (bool) {
        return keccak256(bytes(_str(path))) == keccak256(bytes(value));
    }

    /// The name the vectors give a refusal, from the revert data of the contract that refused.
    function _errorName(bytes memory data) internal pure returns (string memory) {
        if (data.length < 4) return "(no error)";
        bytes4 s = bytes4(data);
        if (s == Bridge.UnknownEpoch.selector) return "UnknownEpoch";
        if (s == Bridge.EpochExpired.selector) return "EpochExpired";
        if (s == Bridge.RateLimitExceeded.selector) return "RateLimitExceeded";
        if (s == JobBoard.UnknownJob.selector) return "UnknownJob";
        if (s == JobBoard.JobAlreadyExists.selector) return "JobAlreadyExists";
        if (s == JobBoard.JobNotOpen.selector) return "JobNotOpen";
        if (s == JobBoard.NotClaimer.selector) return "NotClaimer";
        if (s == JobBoard.DeadlinePassed.selector) return "DeadlinePassed";
        if (s == JobBoard.DeadlineNotPassed.selector) return "DeadlineNotPassed";
        if (s == JobBoard.NotPayer.selector) return "NotPayer";
        if (s == JobBoard.JobNotCancellable.selector) return "JobNotCancellable";
        if (s == JobBoard.UnexpectedResult.selector) return "UnexpectedResult";
        if (s == JobBoard.InvalidExecutor.selector) return "InvalidExecutor";
        if (s == InvalidField.selector) return "InvalidField";
        return vm.toString(data);
    }

    /// The error's arguments (the revert data without its selector).
    function _args(bytes memory data) internal pure returns (bytes memory out) {
        out = new bytes(data.length - 4);
        for (uint256 i = 0; i < out.length; i++) {
            out[i] = data[i + 4];
        }
    }

    function _callAs(address who, address target, bytes memory data) internal returns (bool ok, bytes memory ret) {
        vm.prank(who);
        (ok, ret) = target.call(data);
    }

    function _deliver(Bridge b, uint32 epoch, TestKey memory k, bytes memory message)
        internal
        returns (bool ok, bytes memory ret)
    {
        bytes memory sig = signMessage(k, b, epoch, message);
        return _callAs(alice, address(b), abi.encodeCall(Bridge.receiveMessage, (message, epoch, sig)));
    }

    /// Events of one kind an emitter logged among `logs`.
    function _count(Vm.Log[] memory logs, address emitter, bytes32 topic) internal pure returns (uint256 n) {
        for (uint256 i = 0; i < logs.length; i++) {
            if (logs[i].emitter == emitter && logs[i].topics[0] == topic) n++;
        }
    }

    // ------------------------------------------------------------------ token keys

    function test_tokenKeys() public view {
        uint256 n;
        for (uint256 i = 0; _has(_at("tokenKeys", i, "")); i++) {
            bytes32 got = bridge.tokenKey(
                uint32(_uint(_at("tokenKeys", i, ".originChain"))),
                vm.parseJsonBytes32(json, _at("tokenKeys", i, ".originToken"))
            );
            assertEq(
                got, vm.parseJsonBytes32(json, _at("tokenKeys", i, ".tokenKey")), _str(_at("tokenKeys", i, ".name"))
            );
            n++;
        }
        assertEq(n, 5);
    }

    // ------------------------------------------------------------------ the key for an epoch

    function _epochKey(uint32 epoch) internal returns (TestKey memory) {
        if (epoch == 1) return key;
        return makeKey(uint256(keccak256(abi.encode("flow vectors epoch key", epoch))));
    }

    /// A fresh bridge at `current`: rotated from epoch 1, the last rotation leaving the previous key until
    /// `expiry` (0: retired at once).
    function _bridgeAtEpoch(uint32 current, uint64 expiry) internal {
        bridge = new Bridge(HOME, 1, key.x, key.parity, guardian);
        nextGovernanceNonce = 1;
        for (uint32 e = 2; e <= current; e++) {
            uint32 grace = 0;
            if (e == current && expiry != 0) {
                vm.warp(expiry - 1);
                grace = 1;
            }
            bytes memory rotate = governance(rotatePayload(e, _epochKey(e), grace));
            bridge.receiveMessage(rotate, e - 1, sign(_epochKey(e - 1), e - 1, rotate));
        }
        (uint32 epoch,,, uint64 previousKeyExpiry,,) = bridge.config();
        assertEq(epoch, current);
        assertEq(previousKeyExpiry, expiry);
    }

    function test_epochKeys() public {
        uint256 n;
        for (uint256 i = 0; _has(_at("epochKeys", i, "")); i++) {
            string memory name = _str(_at("epochKeys", i, ".name"));
            uint32 current = uint32(_uint(_at("epochKeys", i, ".currentEpoch")));
            uint64 expiry = uint64(_uint(_at("epochKeys", i, ".previousKeyExpiry")));
            uint32 epoch = uint32(_uint(_at("epochKeys", i, ".epoch")));
            _bridgeAtEpoch(current, expiry);
            vm.warp(_uint(_at("epochKeys", i, ".now")));
            // signed with the key the epoch had (if it had one): only the key the bridge picks verifies it
            TestKey memory k = epoch >= 1 && epoch <= current ? _epochKey(epoch) : key;
            bytes memory m = transferMessage(REMOTE, HOME, REMOTE, keccak256("epoch vectors token"), alice, 1);
            (bool ok, bytes memory ret) = _deliver(bridge, epoch, k, m);
            string memory got;
            if (ok && epoch == current) {
                got = "Current";
            } else if (ok) {
                got = "Previous";
            } else {
                got = _errorName(ret);
                if (bytes4(ret) == Bridge.EpochExpired.selector) {
                    (, uint64 expiredAt) = abi.decode(_args(ret), (uint32, uint64));
                    assertEq(expiredAt, expiry, name);
                }
            }
            assertEq(got, _str(_at("epochKeys", i, ".expect")), name);
            n++;
        }
        assertEq(n, 13);
    }

    // ------------------------------------------------------------------ the rate limit

    function _label(string memory list, uint256 i, uint256 j) internal view returns (string memory) {
        return string.concat(_str(_at(list, i, ".name")), " step ", vm.toString(j));
    }

    /// One transfer of a rate-limit sequence: delivered at its time, then the bucket or the refusal checked.
    function _rateLimitStep(uint256 i, uint256 j, bytes32 token, bool unlimited) internal {
        vm.warp(_uint(_step("rateLimits", i, j, ".now")));
        uint128 amount = uint128(_uint(_step("rateLimits", i, j, ".amount")));
        (bool ok, bytes memory ret) =
            _deliver(bridge, 1, key, transferMessage(REMOTE, HOME, REMOTE, token, alice, amount));
        if (ok) {
            _checkBucket(i, j, token, unlimited);
            // burned home again at once: the inbound bucket is what is tested, and the wrapped supply stays
            // below its 2^128 - 1 cap across the vectors' near-maximal amounts (burning leaves the bucket alone)
            if (amount > 0) {
                address wrapped = bridge.predictWrappedToken(REMOTE, token);
                vm.prank(alice);
                bridge.burn(wrapped, amount, REMOTE, bytes32(uint256(1)));
            }
        } else {
            _checkRateLimitRefusal(i, j, ret);
        }
    }

    function _checkBucket(uint256 i, uint256 j, bytes32 token, bool unlimited) internal view {
        string memory label = _label("rateLimits", i, j);
        string memory expect = _str(_step("rateLimits", i, j, ".expect"));
        if (unlimited) {
            assertEq("NoLimit", expect, label);
            return;
        }
        assertEq("Ok", expect, label);
        (, uint128 available, uint64 lastRefill) = bridge.rateLimits(bridge.tokenKey(REMOTE, token));
        assertEq(available, _uint(_step("rateLimits", i, j, ".available")), label);
        assertEq(lastRefill, block.timestamp, label);
    }

    function _checkRateLimitRefusal(uint256 i, uint256 j, bytes memory ret) internal view {
        string memory label = _label("rateLimits", i, j);
        assertEq(_errorName(ret), _str(_step("rateLimits", i, j, ".expect")), label);
        (,, uint256 reported) = abi.decode(_args(ret), (bytes32, uint256, uint256));
        assertEq(reported, _uint(_step("rateLimits", i, j, ".available")), label);
    }

    function test_rateLimits() public {
        uint256 n;
        for (uint256 i = 0; _has(_at("rateLimits", i, "")); i++) {
            bytes32 token = keccak256(bytes(_str(_at("rateLimits", i, ".name"))));
            vm.warp(_uint(_at("rateLimits", i, ".setAt")));
            uint128 capacity = uint128(_uint(_at("rateLimits", i, ".capacity")));
            deliver(governance(abi.encodePacked(uint8(4), REMOTE, token, capacity)));
            for (uint256 j = 0; _has(_step("rateLimits", i, j, "")); j++) {
                _rateLimitStep(i, j, token, capacity == 0);
            }
            n++;
        }
        assertEq(n, 6);
    }

    // ------------------------------------------------------------------ the attestation registry (§7.2)

    /// The decision the registry took, from its events and whether the record existed before.
    function _registryDecision(bool existed) internal returns (string memory) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        address r = address(registry);
        bool attested = _count(logs, r, AttestationRegistry.Attested.selector) == 1;
        bool revoked = _count(logs, r, AttestationRegistry.Revoked.selector) == 1;
        if (attested && existed) return "Update";
        if (attested) return "Create";
        if (revoked && existed) return "Revoke";
        if (revoked) return "CreateRevoked";
        if (_count(logs, r, AttestationRegistry.ConflictRecorded.selector) == 1) return "Conflict";
        if (_count(logs, r, AttestationRegistry.StaleIgnored.selector) == 1) return "IgnoredStale";
        // a revoke of a revoked record by its owner: no event, nothing changes
        return "IgnoredRevoked";
    }

    /// The attestation message of a registry step (from its origin chain and nonce, to HOME).
    function _registryMessage(uint256 i, uint256 j, bytes32 dataHash) internal view returns (bytes memory) {
        bool register = _is(_step("registry", i, j, ".action"), "Register");
        DataAttestation memory a = DataAttestation({
            action: register ? 1 : 2,
            dataHash: dataHash,
            timestamp: uint64(1000 + j),
            ownerDid: bytes(_str(_step("registry", i, j, ".ownerDid"))),
            uri: register ? bytes(string.concat("ipfs://step-", vm.toString(j))) : bytes(""),
            license: register ? bytes("CC-BY-4.0") : bytes("")
        });
        return attestationMessage(
            uint32(_uint(_step("registry", i, j, ".originChain"))),
            HOME,
            uint64(_uint(_step("registry", i, j, ".nonce"))),
            a
        );
    }

    /// The record after a step, as the vectors show it.
    function _checkRecord(uint256 i, uint256 j, bytes32 dataHash, string memory label) internal view {
        AttestationRegistry.Attestation memory rec = registry.record(dataHash);
        assertEq(rec.ownerDid, _str(_step("registry", i, j, ".record.ownerDid")), label);
        assertEq(rec.originChain, _uint(_step("registry", i, j, ".record.originChain")), label);
        assertEq(rec.originNonce, _uint(_step("registry", i, j, ".record.originNonce")), label);
        assertEq(rec.revoked, vm.parseJsonBool(json, _step("registry", i, j, ".record.revoked")), label);
    }

    /// Each sequence on a clean bridge (sequences reuse origin nonces). A step whose (origin chain, nonce) an
    /// earlier step of its sequence used is another message under a consumed pair: the Bridge refuses it
    /// (MessageAlreadyConsumed, docs/PROTOCOL.md §2), and the registry's rule is checked by handing it over as the
    /// Bridge does.
    function test_registry() public {
        uint256 n;
        for (uint256 i = 0; _has(_at("registry", i, "")); i++) {
            uint256 clean = vm.snapshotState();
            string memory name = _str(_at("registry", i, ".name"));
            bytes32 dataHash = keccak256(bytes(name));
            for (uint256 j = 0; _has(_step("registry", i, j, "")); j++) {
                string memory label = string.concat(name, " step ", vm.toString(j));
                bytes memory m = _registryMessage(i, j, dataHash);
                bool existed = registry.exists(dataHash);
                bool reused = consumedOn(bridge, m);
                drainLogs();
                (bool ok, bytes memory ret) = _deliver(bridge, 1, key, m);
                if (reused) {
                    assertFalse(ok, label);
                    assertEq(ret, abi.encodeWithSelector(Bridge.MessageAlreadyConsumed.selector, keccak256(m)), label);
                    drainLogs();
                    vm.prank(address(bridge));
                    registry.onMessage(m);
                } else {
                    assertTrue(ok, label); // the registry never refuses a delivery
                }
                assertTrue(consumedOn(bridge, m), label);
                assertEq(_registryDecision(existed), _str(_step("registry", i, j, ".expect")), label);
                _checkRecord(i, j, dataHash, label);
            }
            n++;
            vm.revertToState(clean);
        }
        assertEq(n, 7);
    }

    // ------------------------------------------------------------------ jobs on chain A (escrow)

    function _escrowStateName(JobBoard.EscrowState s) internal pure returns (string memory) {
        if (s == JobBoard.EscrowState.Posted) return "Posted";
        if (s == JobBoard.EscrowState.CancelRequested) return "CancelRequested";
        if (s == JobBoard.EscrowState.Paid) return "Paid";
        if (s == JobBoard.EscrowState.Refunded) return "Refunded";
        return "None";
    }

    function _escrowEffect() internal returns (string memory) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        if (_count(logs, address(board), JobBoard.JobPaid.selector) == 1) return "Pay";
        if (_count(logs, address(board), JobBoard.JobRefunded.selector) == 1) return "Refund";
        if (_count(logs, address(board), JobBoard.JobPosted.selector) == 1) return "SendPost";
        if (_count(logs, address(board), JobBoard.JobCancelRequested.selector) == 1) return "SendCancel";
        return "";
    }

    /// One step of an escrow sequence on A (HOME, executor chain REMOTE); returns the job id after it.
    function _escrowStep(uint256 i, uint256 j, bytes32 jobId) internal returns (bytes32) {
        string memory ev = _str(_step("escrowJobs", i, j, ".event"));
        bool ok;
        bytes memory ret;
        drainLogs();
        if (keccak256(bytes(ev)) == keccak256("Post")) {
            vm.warp(_uint(_step("escrowJobs", i, j, ".now")));
            uint64 deadline = uint64(_uint(_step("escrowJobs", i, j, ".deadline")));
            (ok, ret) = _callAs(
                alice, address(board), abi.encodeCall(JobBoard.postJob, (address(sah), 1 ether, SPEC, REMOTE, deadline))
            );
            if (ok) jobId = abi.decode(ret, (bytes32));
        } else if (keccak256(bytes(ev)) == keccak256("Cancel")) {
            address caller = vm.parseJsonBool(json, _step("escrowJobs", i, j, ".byPayer")) ? alice : bob;
            (ok, ret) = _callAs(caller, address(board), abi.encodeCall(JobBoard.cancel, (jobId)));
        } else {
            string memory outcome = _str(_step("escrowJobs", i, j, ".outcome"));
            bool completed = keccak256(bytes(outcome)) == keccak256("Completed");
            uint8 code = completed ? 1 : keccak256(bytes(outcome)) == keccak256("Expired") ? 2 : 3;
            bool fromExecutorChain = vm.parseJsonBool(json, _step("escrowJobs", i, j, ".fromExecutorChain"));
            ComputeResult memory r = ComputeResult(
                code,
                jobId,
                completed ? RESULT : bytes32(0),
                completed ? b32(executor) : bytes32(0),
                uint64(block.timestamp)
            );
            (ok, ret) =
                _deliver(bridge, 1, key, resultMessage(fromExecutorChain ? REMOTE : THIRD, HOME, nextNonce++, r));
        }
        string memory label = string.concat(_str(_at("escrowJobs", i, ".name")), " step ", vm.toString(j));
        string memory expect = _str(_step("escrowJobs", i, j, ".expect"));
        string memory effect = _strOrEmpty(_step("escrowJobs", i, j, ".effect"));
        if (ok) {
            assertEq(_escrowStateName(board.escrowJob(jobId).state), expect, label);
            assertEq(_escrowEffect(), effect, label);
        } else {
            assertEq(_errorName(ret), expect, label);
            assertEq("", effect, label);
        }
        return jobId;
    }

    function test_escrowJobs() public {
        uint256 n;
        for (uint256 i = 0; _has(_at("escrowJobs", i, "")); i++) {
            // the id the next post gets (a step before it names a job not posted yet)
            bytes32 jobId = board.jobIdOf(board.jobCount() + 1);
            for (uint256 j = 0; _has(_step("escrowJobs", i, j, "")); j++) {
                jobId = _escrowStep(i, j, jobId);
            }
            n++;
        }
        assertEq(n, 6);
    }

    // ------------------------------------------------------------------ jobs on chain B (executor)

    function _executionStateName(JobBoard.ExecutionState s) internal pure returns (string memory) {
        if (s == JobBoard.ExecutionState.Open) return "Open";
        if (s == JobBoard.ExecutionState.Claimed) return "Claimed";
        if (s == JobBoard.ExecutionState.Completed) return "Completed";
        if (s == JobBoard.ExecutionState.Expired) return "Expired";
        if (s == JobBoard.ExecutionState.Cancelled) return "Cancelled";
        return "None";
    }

    /// What B did besides its state: the result it sent (by outcome), or a CancelIgnored.
    function _executorEffect() internal returns (string memory) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        if (_count(logs, address(boardB), JobBoard.CancelIgnored.selector) == 1) return "CancelIgnored";
        for (uint256 i = 0; i < logs.length; i++) {
            if (logs[i].emitter == address(bridgeB) && logs[i].topics[0] == Bridge.MessageSent.selector) {
                bytes memory m = abi.decode(logs[i].data, (bytes));
                // a result (kind 4): its outcome is the payload's first byte
                assertEq(uint8(m[1]), 4);
                uint8 outcome = uint8(m[82]);
                if (outcome == 1) return "SendCompleted";
                if (outcome == 2) return "SendExpired";
                return "SendCancelled";
            }
        }
        return "";
    }

    /// A delivered post or cancel for `jobId` from chain A `escrowChain` to B (REMOTE).
    function _jobMessage(uint256 i, bytes32 jobId, bool post, bool fromPayer) internal returns (bytes memory) {
        uint32 escrowChain = uint32(_uint(_at("executorJobs", i, ".escrowChain")));
        ComputeJob memory j =
            post ? postOf(jobId, 1 ether, uint64(_uint(_at("executorJobs", i, ".deadline"))), alice) : cancelOf(jobId);
        // the header's sender: the payer (a cancel from anyone else is NotPayer)
        if (!post) j.payer = fromPayer ? b32(alice) : b32(bob);
        return jobMessage(escrowChain, REMOTE, nextNonce++, j);
    }

    function _executorCall(uint256 i, uint256 j, bytes32 jobId) internal returns (bool ok, bytes memory ret) {
        string memory ev = _str(_step("executorJobs", i, j, ".event"));
        bytes32 e = keccak256(bytes(ev));
        if (_has(_step("executorJobs", i, j, ".now"))) vm.warp(_uint(_step("executorJobs", i, j, ".now")));
        if (e == keccak256("Post")) return _deliver(bridgeB, 1, key, _jobMessage(i, jobId, true, true));
        if (e == keccak256("Cancel")) {
            bool fromPayer = vm.parseJsonBool(json, _step("executorJobs", i, j, ".fromPayer"));
            return _deliver(bridgeB, 1, key, _jobMessage(i, jobId, false, fromPayer));
        }
        if (e == keccak256("Expire")) return _callAs(carol, address(boardB), abi.encodeCall(JobBoard.expire, (jobId)));
        address by = makeAddr(_str(_step("executorJobs", i, j, ".by")));
        if (e == keccak256("Claim")) return _callAs(by, address(boardB), abi.encodeCall(JobBoard.claim, (jobId)));
        bytes32 resultHash = vm.parseJsonBytes32(json, _step("executorJobs", i, j, ".resultHash"));
        bytes32 payTo = vm.parseJsonBytes32(json, _step("executorJobs", i, j, ".payTo"));
        return _callAs(by, address(boardB), abi.encodeCall(JobBoard.submitResult, (jobId, resultHash, payTo)));
    }

    function test_executorJobs() public {
        uint256 n;
        for (uint256 i = 0; _has(_at("executorJobs", i, "")); i++) {
            string memory name = _str(_at("executorJobs", i, ".name"));
            bytes32 jobId = keccak256(bytes(name));
            for (uint256 j = 0; _has(_step("executorJobs", i, j, "")); j++) {
                string memory label = string.concat(name, " step ", vm.toString(j));
                drainLogs();
                (bool ok, bytes memory ret) = _executorCall(i, j, jobId);
                string memory expect = _str(_step("executorJobs", i, j, ".expect"));
                string memory effect = _strOrEmpty(_step("executorJobs", i, j, ".effect"));
                if (ok) {
                    assertEq(_executionStateName(boardB.executionJob(jobId).state), expect, label);
                    assertEq(_executorEffect(), effect, label);
                } else {
                    assertEq(_errorName(ret), expect, label);
                    assertEq("", effect, label);
                }
            }
            n++;
        }
        assertEq(n, 10);
    }
}
