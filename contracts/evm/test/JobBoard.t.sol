// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Bridge} from "../src/Bridge.sol";
import {BridgeModule, InvalidDestination} from "../src/BridgeModule.sol";
import {JobBoard} from "../src/JobBoard.sol";
import {
    ComputeJob,
    ComputeResult,
    InvalidField,
    MessageCodec,
    MessageHeader,
    ZeroAmount
} from "../src/MessageCodec.sol";
import {WrappedToken} from "../src/WrappedToken.sol";
import {FeeToken} from "./utils/BridgeTestBase.sol";
import {ModulesTestBase, WithSender} from "./utils/ModulesTestBase.sol";
import {ProtocolRef} from "./utils/ProtocolRef.sol";

using WithSender for bytes;

contract JobBoardTest is ModulesTestBase {
    uint64 internal constant T0 = 1_767_225_600;
    uint64 internal deadline;

    function setUp() public override {
        super.setUp();
        vm.warp(T0);
        deadline = T0 + 1 hours;
    }

    function _jobId(uint32 chain, uint64 counter) internal pure returns (bytes32) {
        return sha256(bytes.concat(bytes7("SAH-JOB"), bytes4(chain), bytes8(counter)));
    }

    // ================================================================== A: postJob

    function test_postJobEscrowsAndSendsThePost() public {
        uint256 before = sah.balanceOf(alice);
        bytes32 expectedId = _jobId(HOME, 1);
        vm.expectEmit(address(board));
        emit JobBoard.JobPosted(
            expectedId, alice, address(sah), 25 ether, REMOTE, deadline, SPEC, HOME, b32(address(sah))
        );
        (bytes32 jobId, bytes memory post) = postOnA(25 ether, deadline);

        assertEq(jobId, expectedId);
        assertEq(board.jobIdOf(1), expectedId);
        assertEq(board.jobCount(), 1);
        assertEq(sah.balanceOf(alice), before - 25 ether);
        assertEq(sah.balanceOf(address(board)), 25 ether);
        assertEq(board.escrowed(address(sah)), 25 ether);
        JobBoard.EscrowJob memory j = board.escrowJob(jobId);
        assertEq(j.payer, alice);
        assertEq(j.deadline, deadline);
        assertEq(j.executorChain, REMOTE);
        assertEq(j.token, address(sah));
        assertEq(uint8(j.state), uint8(JobBoard.EscrowState.Posted));
        assertEq(j.amount, 25 ether);
        assertEq(j.specHash, SPEC);

        // the post, byte for byte: kind 3, recipient zero, sender the payer, stored by nonce like a lock
        bytes memory expected = MessageCodec.encodeMessage(
            MessageHeader(3, HOME, REMOTE, 1, b32(alice), bytes32(0)),
            abi.encodePacked(uint8(1), jobId, SPEC, HOME, b32(address(sah)), uint128(25 ether), deadline, b32(alice))
        );
        assertEq(post, expected);
        assertEq(bridge.outboundNonce(), 1);
        assertEq(bridge.outboundMessageId(1), keccak256(expected));

        vm.prank(alice);
        bytes32 second = board.postJob(address(sah), 1, SPEC, THIRD, deadline);
        assertEq(second, _jobId(HOME, 2));
        assertEq(board.jobCount(), 2);
    }

    function test_postJobRefusalsChangeNothing() public {
        uint256 before = sah.balanceOf(alice);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(InvalidField.selector, "specHash"));
        board.postJob(address(sah), 1, bytes32(0), REMOTE, deadline);
        vm.expectRevert(ZeroAmount.selector);
        board.postJob(address(sah), 0, SPEC, REMOTE, deadline);
        uint256 tooLarge = uint256(type(uint128).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(JobBoard.AmountTooLarge.selector, tooLarge));
        board.postJob(address(sah), tooLarge, SPEC, REMOTE, deadline);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.DeadlinePassed.selector, T0, T0));
        board.postJob(address(sah), 1, SPEC, REMOTE, T0);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.DeadlinePassed.selector, T0 - 1, T0));
        board.postJob(address(sah), 1, SPEC, REMOTE, T0 - 1);
        vm.expectRevert(abi.encodeWithSelector(InvalidDestination.selector, HOME));
        board.postJob(address(sah), 1, SPEC, HOME, deadline);
        vm.expectRevert(abi.encodeWithSelector(InvalidDestination.selector, 0));
        board.postJob(address(sah), 1, SPEC, 0, deadline);
        vm.expectRevert(abi.encodeWithSelector(InvalidDestination.selector, 7));
        board.postJob(address(sah), 1, SPEC, 7, deadline);
        vm.expectRevert(); // ERC20InsufficientBalance
        board.postJob(address(sah), 2_000_000 ether, SPEC, REMOTE, deadline);
        vm.stopPrank();
        vm.prank(bob); // no allowance
        vm.expectRevert();
        board.postJob(address(sah), 1, SPEC, REMOTE, deadline);

        assertEq(board.jobCount(), 0);
        assertEq(bridge.outboundNonce(), 0);
        assertEq(sah.balanceOf(alice), before);
        assertEq(sah.balanceOf(address(board)), 0);
        assertEq(sentBy(bridge).length, 0);
    }

    function test_postJobAcceptsADeadlineOneSecondAhead() public {
        vm.prank(alice);
        bytes32 jobId = board.postJob(address(sah), 1, SPEC, 10_004, T0 + 1);
        assertEq(board.escrowJob(jobId).executorChain, 10_004);
    }

    function test_postJobWithAWrappedTokenNamesItsOrigin() public {
        deliver(remoteTransfer(alice, 1000));
        address w = bridge.predictWrappedToken(REMOTE, keccak256("remote token"));
        (uint32 originChain, bytes32 originToken) = board.paymentOrigin(w);
        assertEq(originChain, REMOTE);
        assertEq(originToken, keccak256("remote token"));
        (originChain, originToken) = board.paymentOrigin(address(sah));
        assertEq(originChain, HOME);
        assertEq(originToken, b32(address(sah)));

        drainLogs();
        vm.startPrank(alice);
        WrappedToken(w).approve(address(board), 400);
        bytes32 jobId = board.postJob(w, 400, SPEC, THIRD, deadline);
        vm.stopPrank();
        ComputeJob memory j = ComputeJob(1, jobId, SPEC, REMOTE, keccak256("remote token"), 400, deadline, b32(alice));
        bytes memory post = onlySentBy(bridge);
        assertEq(post, jobMessage(HOME, THIRD, bridge.outboundNonce(), j));
        assertEq(WrappedToken(w).balanceOf(address(board)), 400);
        assertEq(board.escrowed(w), 400);
    }

    function test_postJobEscrowsWhatAFeeTokenDelivers() public {
        FeeToken fee = new FeeToken(alice);
        vm.startPrank(alice);
        fee.approve(address(board), type(uint256).max);
        bytes32 jobId = board.postJob(address(fee), 1000, SPEC, REMOTE, deadline);
        vm.stopPrank();
        assertEq(board.escrowJob(jobId).amount, 990);
        assertEq(board.escrowed(address(fee)), 990);
        assertEq(fee.balanceOf(address(board)), 990);
    }

    // ================================================================== A: cancel

    function test_cancelByThePayerSendsCancel() public {
        (bytes32 jobId,) = postOnA(10 ether, deadline);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.NotPayer.selector, jobId, b32(bob)));
        board.cancel(jobId);
        assertEq(uint8(escrowState(jobId)), uint8(JobBoard.EscrowState.Posted));
        assertEq(bridge.outboundNonce(), 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.UnknownJob.selector, keccak256("nope")));
        board.cancel(keccak256("nope"));

        vm.expectEmit(address(board));
        emit JobBoard.JobCancelRequested(jobId);
        vm.prank(alice);
        board.cancel(jobId);
        assertEq(uint8(escrowState(jobId)), uint8(JobBoard.EscrowState.CancelRequested));
        assertEq(onlySentBy(bridge), jobMessage(HOME, REMOTE, 2, cancelOf(jobId)).withSender(b32(alice)));
        assertEq(sah.balanceOf(address(board)), 10 ether); // the escrow waits for B's result

        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(JobBoard.JobNotCancellable.selector, jobId, JobBoard.EscrowState.CancelRequested)
        );
        board.cancel(jobId);
    }

    // ================================================================== round trips

    function test_completedResultPaysTheExecutor() public {
        uint256 aliceBefore = sah.balanceOf(alice);
        bytes32 jobId = openOnB(25 ether, deadline);
        claimOnB(jobId);
        bytes memory result = submitOnB(jobId);
        assertEq(
            result,
            resultMessage(REMOTE, HOME, 1, ComputeResult(1, jobId, RESULT, b32(executor), T0)).withSender(b32(executor))
        );
        vm.expectEmit(address(board));
        emit JobBoard.JobPaid(jobId, executor, 25 ether, RESULT);
        deliverTo(bridge, result);
        JobBoard.EscrowJob memory j = board.escrowJob(jobId);
        assertEq(uint8(j.state), uint8(JobBoard.EscrowState.Paid));
        assertEq(j.resultHash, RESULT);
        assertEq(j.executor, b32(executor));
        assertEq(sah.balanceOf(executor), 25 ether);
        assertEq(sah.balanceOf(alice), aliceBefore - 25 ether);
        assertEq(sah.balanceOf(address(board)), 0);
        assertEq(board.escrowed(address(sah)), 0);
    }

    function test_expiredResultRefundsThePayer() public {
        uint256 aliceBefore = sah.balanceOf(alice);
        bytes32 jobId = openOnB(25 ether, deadline);
        claimOnB(jobId);
        vm.warp(deadline + 1);
        drainLogs();
        vm.expectEmit(address(boardB));
        emit JobBoard.JobExpired(jobId);
        vm.prank(carol);
        boardB.expire(jobId);
        bytes memory result = onlySentBy(bridgeB);
        assertEq(
            result, resultMessage(REMOTE, HOME, 1, ComputeResult(2, jobId, 0, 0, deadline + 1)).withSender(b32(carol))
        );
        vm.expectEmit(address(board));
        emit JobBoard.JobRefunded(jobId, alice, 25 ether, 2);
        deliverTo(bridge, result);
        assertEq(uint8(escrowState(jobId)), uint8(JobBoard.EscrowState.Refunded));
        assertEq(sah.balanceOf(alice), aliceBefore);
        assertEq(sah.balanceOf(address(board)), 0);
    }

    function test_cancelWhileOpenCancelsOnBAndRefundsOnA() public {
        uint256 aliceBefore = sah.balanceOf(alice);
        bytes32 jobId = openOnB(5 ether, deadline);
        vm.prank(alice);
        board.cancel(jobId);
        bytes memory cancelMessage = onlySentBy(bridge);
        vm.expectEmit(address(boardB));
        emit JobBoard.JobCancelled(jobId);
        deliverTo(bridgeB, cancelMessage);
        assertEq(uint8(executionState(jobId)), uint8(JobBoard.ExecutionState.Cancelled));
        bytes memory result = onlySentBy(bridgeB);
        // the cancelled result names the payer as the account that caused it
        assertEq(result, resultMessage(REMOTE, HOME, 1, ComputeResult(3, jobId, 0, 0, T0)).withSender(b32(alice)));
        deliverTo(bridge, result);
        assertEq(uint8(escrowState(jobId)), uint8(JobBoard.EscrowState.Refunded));
        assertEq(sah.balanceOf(alice), aliceBefore);
        // a cancelled job can be neither claimed nor expired on B
        vm.expectRevert(abi.encodeWithSelector(JobBoard.JobNotOpen.selector, jobId, JobBoard.ExecutionState.Cancelled));
        boardB.claim(jobId);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.JobNotOpen.selector, jobId, JobBoard.ExecutionState.Cancelled));
        boardB.expire(jobId);
    }

    function test_cancelAfterAClaimIsIgnoredAndTheJobRuns() public {
        bytes32 jobId = openOnB(5 ether, deadline);
        claimOnB(jobId);
        vm.prank(alice);
        board.cancel(jobId);
        bytes memory cancelMessage = onlySentBy(bridge);
        vm.expectEmit(address(boardB));
        emit JobBoard.CancelIgnored(jobId, JobBoard.ExecutionState.Claimed);
        deliverTo(bridgeB, cancelMessage);
        assertEq(sentBy(bridgeB).length, 0); // nothing sent
        assertEq(uint8(executionState(jobId)), uint8(JobBoard.ExecutionState.Claimed));
        assertTrue(consumedOn(bridgeB, cancelMessage));
        // A stays CancelRequested until B's result: completed pays the executor
        deliverTo(bridge, submitOnB(jobId));
        assertEq(uint8(escrowState(jobId)), uint8(JobBoard.EscrowState.Paid));
        assertEq(sah.balanceOf(executor), 5 ether);
    }

    function test_cancelRequestedThenExpiredIsRefunded() public {
        uint256 aliceBefore = sah.balanceOf(alice);
        bytes32 jobId = openOnB(5 ether, deadline);
        claimOnB(jobId);
        vm.prank(alice);
        board.cancel(jobId);
        deliverTo(bridgeB, onlySentBy(bridge));
        vm.warp(deadline + 1);
        boardB.expire(jobId);
        deliverTo(bridge, onlySentBy(bridgeB));
        assertEq(uint8(escrowState(jobId)), uint8(JobBoard.EscrowState.Refunded));
        assertEq(sah.balanceOf(alice), aliceBefore);
    }

    function test_cancelLateOnAFinishedJobIsIgnored() public {
        bytes32 jobId = openOnB(5 ether, deadline);
        vm.prank(alice);
        board.cancel(jobId);
        bytes memory cancelMessage = onlySentBy(bridge);
        vm.warp(deadline + 1);
        boardB.expire(jobId); // expired before the cancel arrived
        bytes memory expired = onlySentBy(bridgeB);
        vm.expectEmit(address(boardB));
        emit JobBoard.CancelIgnored(jobId, JobBoard.ExecutionState.Expired);
        deliverTo(bridgeB, cancelMessage);
        assertEq(sentBy(bridgeB).length, 0);
        deliverTo(bridge, expired);
        assertEq(uint8(escrowState(jobId)), uint8(JobBoard.EscrowState.Refunded));
    }

    // ================================================================== A: results it refuses

    function test_unexpectedResultsAreRefused() public {
        (bytes32 jobId,) = postOnA(5 ether, deadline);
        // cancelled for a job A holds Posted (never cancelled here)
        bytes memory cancelled = resultMessage(REMOTE, HOME, 40, ComputeResult(3, jobId, 0, 0, T0));
        bytes memory sig = signFor(bridge, cancelled);
        vm.expectRevert(
            abi.encodeWithSelector(JobBoard.UnexpectedResult.selector, jobId, JobBoard.EscrowState.Posted, uint8(3))
        );
        bridge.receiveMessage(cancelled, 1, sig);
        assertFalse(consumedOn(bridge, cancelled));

        deliverTo(bridge, resultMessage(REMOTE, HOME, 41, ComputeResult(1, jobId, RESULT, b32(executor), T0)));
        assertEq(sah.balanceOf(executor), 5 ether);
        // a second, different result for a paid job
        bytes memory second = resultMessage(REMOTE, HOME, 42, ComputeResult(2, jobId, 0, 0, T0));
        sig = signFor(bridge, second);
        vm.expectRevert(
            abi.encodeWithSelector(JobBoard.UnexpectedResult.selector, jobId, JobBoard.EscrowState.Paid, uint8(2))
        );
        bridge.receiveMessage(second, 1, sig);
        bytes memory third = resultMessage(REMOTE, HOME, 43, ComputeResult(1, jobId, RESULT, b32(bob), T0));
        sig = signFor(bridge, third);
        vm.expectRevert(
            abi.encodeWithSelector(JobBoard.UnexpectedResult.selector, jobId, JobBoard.EscrowState.Paid, uint8(1))
        );
        bridge.receiveMessage(third, 1, sig);
        assertEq(sah.balanceOf(bob), 0);
    }

    /// A result for a job A never posted is UnknownJob; one from another chain than the job's executor
    /// chain is UnexpectedResult (§7.3: only the executor chain settles); both unconsumed, nothing paid.
    function test_resultForAnUnknownJobIsUnknownFromAnotherChainUnexpected() public {
        bytes memory unknown = resultMessage(REMOTE, HOME, 1, ComputeResult(2, keccak256("no job"), 0, 0, T0));
        bytes memory sig = signFor(bridge, unknown);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.UnknownJob.selector, keccak256("no job")));
        bridge.receiveMessage(unknown, 1, sig);
        assertFalse(consumedOn(bridge, unknown));

        (bytes32 jobId,) = postOnA(5 ether, deadline); // sent to REMOTE
        bytes memory fromThird = resultMessage(THIRD, HOME, 1, ComputeResult(1, jobId, RESULT, b32(bob), T0));
        sig = signFor(bridge, fromThird);
        vm.expectRevert(
            abi.encodeWithSelector(JobBoard.UnexpectedResult.selector, jobId, JobBoard.EscrowState.Posted, uint8(1))
        );
        bridge.receiveMessage(fromThird, 1, sig);
        bytes memory expiredFromThird = resultMessage(THIRD, HOME, 2, ComputeResult(2, jobId, 0, 0, T0));
        sig = signFor(bridge, expiredFromThird);
        vm.expectRevert(
            abi.encodeWithSelector(JobBoard.UnexpectedResult.selector, jobId, JobBoard.EscrowState.Posted, uint8(2))
        );
        bridge.receiveMessage(expiredFromThird, 1, sig);
        assertFalse(consumedOn(bridge, fromThird));
        assertFalse(consumedOn(bridge, expiredFromThird));
        assertEq(uint8(escrowState(jobId)), uint8(JobBoard.EscrowState.Posted));
        assertEq(sah.balanceOf(address(board)), 5 ether);
        assertEq(sah.balanceOf(bob), 0);
        assertEq(board.escrowed(address(sah)), 5 ether);
    }

    /// An executor in a non-address 32-byte form cannot be paid on this EVM chain: the delivery reverts
    /// (InvalidExecutor), the result stays unconsumed and the job keeps its escrow (see the report: no
    /// other result will come, so the escrow stays locked; this board as B refuses such a payTo upfront).
    function test_executorThatIsNotAnAddressIsRefusedOnA() public {
        (bytes32 jobId,) = postOnA(5 ether, deadline);
        bytes32 wide = bytes32(uint256(1) << 160 | uint160(executor));
        bytes memory result = resultMessage(REMOTE, HOME, 1, ComputeResult(1, jobId, RESULT, wide, T0));
        bytes memory sig = signFor(bridge, result);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.InvalidExecutor.selector, wide));
        bridge.receiveMessage(result, 1, sig);
        assertFalse(consumedOn(bridge, result));
        assertEq(uint8(escrowState(jobId)), uint8(JobBoard.EscrowState.Posted));
        assertEq(sah.balanceOf(address(board)), 5 ether);
    }

    function test_replayOfAResultIsRejected() public {
        bytes32 jobId = openOnB(5 ether, deadline);
        claimOnB(jobId);
        bytes memory result = submitOnB(jobId);
        bytes memory sig = signFor(bridge, result);
        bytes32 id = bridge.receiveMessage(result, 1, sig);
        vm.expectRevert(abi.encodeWithSelector(Bridge.MessageAlreadyConsumed.selector, id));
        bridge.receiveMessage(result, 1, sig);
        assertEq(sah.balanceOf(executor), 5 ether);
    }

    // ================================================================== B: delivery of posts

    function test_postDeliveredOpensTheJob() public {
        (bytes32 jobId, bytes memory post) = postOnA(7 ether, deadline);
        vm.expectEmit(address(boardB));
        emit JobBoard.JobOpened(jobId, HOME, b32(alice), SPEC, deadline, HOME, b32(address(sah)), 7 ether);
        deliverTo(bridgeB, post);
        JobBoard.ExecutionJob memory e = boardB.executionJob(jobId);
        assertEq(uint8(e.state), uint8(JobBoard.ExecutionState.Open));
        assertEq(e.sourceChain, HOME);
        assertEq(e.deadline, deadline);
        assertEq(e.specHash, SPEC);
        assertEq(e.paymentOriginChain, HOME);
        assertEq(e.paymentOriginToken, b32(address(sah)));
        assertEq(e.paymentAmount, 7 ether);
        assertEq(e.payer, b32(alice));
        assertEq(e.claimer, address(0));
        // B holds no escrow and A's view of the job is separate
        assertEq(uint8(boardB.escrowJob(jobId).state), 0);
        assertEq(uint8(board.executionJob(jobId).state), 0);
    }

    function test_replayOfAPostIsRejected() public {
        (, bytes memory post) = postOnA(7 ether, deadline);
        bytes memory sig = signFor(bridgeB, post);
        bytes32 id = bridgeB.receiveMessage(post, 1, sig);
        vm.expectRevert(abi.encodeWithSelector(Bridge.MessageAlreadyConsumed.selector, id));
        bridgeB.receiveMessage(post, 1, sig);
    }

    function test_aSecondPostForAKnownJobIsRefused() public {
        bytes32 jobId = openOnB(7 ether, deadline);
        // another message (another nonce) with the same id
        bytes memory again = jobMessage(HOME, REMOTE, 99, postOf(jobId, 1, deadline, bob));
        bytes memory sig = signFor(bridgeB, again);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.JobAlreadyExists.selector, jobId));
        bridgeB.receiveMessage(again, 1, sig);
        assertFalse(consumedOn(bridgeB, again));
        assertEq(boardB.executionJob(jobId).paymentAmount, 7 ether);
    }

    function test_cancelBeforeItsPostIsUnknownAndStaysDeliverable() public {
        (bytes32 jobId, bytes memory post) = postOnA(7 ether, deadline);
        vm.prank(alice);
        board.cancel(jobId);
        bytes memory cancelMessage = onlySentBy(bridge);
        bytes memory sig = signFor(bridgeB, cancelMessage);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.UnknownJob.selector, jobId));
        bridgeB.receiveMessage(cancelMessage, 1, sig);
        deliverTo(bridgeB, post);
        bridgeB.receiveMessage(cancelMessage, 1, sig);
        assertEq(uint8(executionState(jobId)), uint8(JobBoard.ExecutionState.Cancelled));
    }

    /// Only the job's chain A cancels it on B, for its payer (§7.3: NotPayer); unconsumed, nothing sent.
    function test_aCancelFromAnotherChainOrAccountIsNotPayer() public {
        bytes32 jobId = openOnB(7 ether, deadline);
        drainLogs();
        // from another chain, even naming the payer
        bytes memory forged = jobMessage(THIRD, REMOTE, 1, cancelOf(jobId)).withSender(b32(alice));
        bytes memory sig = signFor(bridgeB, forged);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.NotPayer.selector, jobId, b32(alice)));
        bridgeB.receiveMessage(forged, 1, sig);
        // from the job's chain A, by another account
        bytes memory byBob = jobMessage(HOME, REMOTE, 50, cancelOf(jobId)).withSender(b32(bob));
        sig = signFor(bridgeB, byBob);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.NotPayer.selector, jobId, b32(bob)));
        bridgeB.receiveMessage(byBob, 1, sig);
        assertFalse(consumedOn(bridgeB, forged));
        assertFalse(consumedOn(bridgeB, byBob));
        assertEq(uint8(executionState(jobId)), uint8(JobBoard.ExecutionState.Open));
        assertEq(bridgeB.outboundNonce(), 0);
        // the payer's own cancel from A still works
        bytes memory real = jobMessage(HOME, REMOTE, 51, cancelOf(jobId)).withSender(b32(alice));
        deliverTo(bridgeB, real);
        assertEq(uint8(executionState(jobId)), uint8(JobBoard.ExecutionState.Cancelled));
    }

    // ================================================================== B: claim, result, expire

    function test_claimRules() public {
        vm.expectRevert(abi.encodeWithSelector(JobBoard.UnknownJob.selector, bytes32(uint256(1))));
        boardB.claim(bytes32(uint256(1)));
        bytes32 jobId = openOnB(1 ether, deadline);
        vm.warp(deadline); // inclusive
        vm.expectEmit(address(boardB));
        emit JobBoard.JobClaimed(jobId, executor);
        claimOnB(jobId);
        JobBoard.ExecutionJob memory e = boardB.executionJob(jobId);
        assertEq(uint8(e.state), uint8(JobBoard.ExecutionState.Claimed));
        assertEq(e.claimer, executor);
        // a double claim, by anyone
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.JobNotOpen.selector, jobId, JobBoard.ExecutionState.Claimed));
        boardB.claim(jobId);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.JobNotOpen.selector, jobId, JobBoard.ExecutionState.Claimed));
        claimOnB(jobId);

        vm.warp(T0);
        bytes32 late = openOnB(1 ether, deadline);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.DeadlinePassed.selector, deadline, deadline + 1));
        claimOnB(late);
        assertEq(uint8(executionState(late)), uint8(JobBoard.ExecutionState.Open));
    }

    function test_submitResultRules() public {
        vm.prank(executor);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.UnknownJob.selector, bytes32(uint256(1))));
        boardB.submitResult(bytes32(uint256(1)), RESULT, b32(executor));
        bytes32 jobId = openOnB(1 ether, deadline);
        // nobody claimed it yet
        vm.prank(executor);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.NotClaimer.selector, jobId, executor));
        boardB.submitResult(jobId, RESULT, b32(executor));
        claimOnB(jobId);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.NotClaimer.selector, jobId, carol));
        boardB.submitResult(jobId, RESULT, b32(carol));
        vm.startPrank(executor);
        vm.expectRevert(abi.encodeWithSelector(InvalidField.selector, "resultHash"));
        boardB.submitResult(jobId, bytes32(0), b32(executor));
        vm.expectRevert(abi.encodeWithSelector(JobBoard.InvalidExecutor.selector, bytes32(0)));
        boardB.submitResult(jobId, RESULT, bytes32(0));
        // A (HOME) is an EVM chain: a payTo that is no address would never be paid there
        bytes32 wide = bytes32(uint256(1) << 160 | uint160(executor));
        vm.expectRevert(abi.encodeWithSelector(JobBoard.InvalidExecutor.selector, wide));
        boardB.submitResult(jobId, RESULT, wide);
        assertEq(bridgeB.outboundNonce(), 0);

        vm.expectEmit(address(boardB));
        emit JobBoard.JobCompleted(jobId, RESULT, b32(bob));
        boardB.submitResult(jobId, RESULT, b32(bob)); // pay someone else on A
        vm.expectRevert(abi.encodeWithSelector(JobBoard.JobNotOpen.selector, jobId, JobBoard.ExecutionState.Completed));
        boardB.submitResult(jobId, RESULT, b32(executor));
        vm.stopPrank();
        JobBoard.ExecutionJob memory e = boardB.executionJob(jobId);
        assertEq(uint8(e.state), uint8(JobBoard.ExecutionState.Completed));
        assertEq(e.resultHash, RESULT);
        assertEq(e.payTo, b32(bob));
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.JobNotOpen.selector, jobId, JobBoard.ExecutionState.Completed));
        boardB.expire(jobId);
    }

    /// Deadline boundary for results: at `deadline` on time, one second later refused.
    function test_resultAtTheDeadlineIsAcceptedOneSecondLaterRefused() public {
        bytes32 onTime = openOnB(1 ether, deadline);
        bytes32 late = openOnB(1 ether, deadline);
        claimOnB(onTime);
        claimOnB(late);
        vm.warp(deadline);
        submitOnB(onTime);
        assertEq(uint8(executionState(onTime)), uint8(JobBoard.ExecutionState.Completed));
        vm.warp(deadline + 1);
        vm.prank(executor);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.DeadlinePassed.selector, deadline, deadline + 1));
        boardB.submitResult(late, RESULT, b32(executor));
        assertEq(uint8(executionState(late)), uint8(JobBoard.ExecutionState.Claimed));
    }

    /// Deadline boundary for expiry: at `deadline` too early, one second later accepted (Open or Claimed).
    function test_expireAtTheDeadlineIsRefusedOneSecondLaterAccepted() public {
        bytes32 open = openOnB(1 ether, deadline);
        bytes32 claimed = openOnB(1 ether, deadline);
        claimOnB(claimed);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.UnknownJob.selector, bytes32(uint256(1))));
        boardB.expire(bytes32(uint256(1)));
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.DeadlineNotPassed.selector, deadline, deadline));
        boardB.expire(open);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.DeadlineNotPassed.selector, deadline, deadline));
        boardB.expire(claimed);
        vm.warp(deadline + 1);
        drainLogs();
        boardB.expire(open);
        boardB.expire(claimed);
        assertEq(sentBy(bridgeB).length, 2);
        assertEq(uint8(executionState(open)), uint8(JobBoard.ExecutionState.Expired));
        assertEq(uint8(executionState(claimed)), uint8(JobBoard.ExecutionState.Expired));
        vm.expectRevert(abi.encodeWithSelector(JobBoard.JobNotOpen.selector, open, JobBoard.ExecutionState.Expired));
        boardB.expire(open);
        vm.prank(executor);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.JobNotOpen.selector, claimed, JobBoard.ExecutionState.Expired));
        boardB.submitResult(claimed, RESULT, b32(executor));
    }

    /// A job from a non-EVM escrow chain (here Polkadot, 3) is paid to a full 32-byte account.
    function test_aNonEvmEscrowChainTakesA32BytePayTo() public {
        bytes32 jobId = keccak256("a Polkadot job");
        ComputeJob memory j = ComputeJob(1, jobId, SPEC, 3, keccak256("native"), 9, deadline, keccak256("dot payer"));
        deliverTo(bridgeB, jobMessage(THIRD, REMOTE, 1, j));
        claimOnB(jobId);
        drainLogs();
        bytes32 payTo = keccak256("dot executor");
        // a zero payTo is refused whatever A's family
        vm.prank(executor);
        vm.expectRevert(abi.encodeWithSelector(JobBoard.InvalidExecutor.selector, bytes32(0)));
        boardB.submitResult(jobId, RESULT, bytes32(0));
        assertEq(uint8(executionState(jobId)), uint8(JobBoard.ExecutionState.Claimed));
        vm.prank(executor);
        boardB.submitResult(jobId, RESULT, payTo);
        assertEq(
            onlySentBy(bridgeB),
            resultMessage(REMOTE, THIRD, 1, ComputeResult(1, jobId, RESULT, payTo, T0)).withSender(b32(executor))
        );
    }

    // ================================================================== bridge plumbing

    function test_onlyTheBridgeDelivers() public {
        vm.expectRevert(abi.encodeWithSelector(BridgeModule.OnlyBridge.selector, address(this)));
        board.onMessage(jobMessage(REMOTE, HOME, 1, cancelOf(keccak256("x"))));
    }

    function test_malformedJobMessagesAreRefusedAndNotConsumed() public {
        ComputeJob memory j = postOf(keccak256("job"), 0, deadline, alice); // amount zero
        bytes memory m = jobMessage(HOME, REMOTE, 1, j);
        bytes memory sig = signFor(bridgeB, m);
        vm.expectRevert(ZeroAmount.selector);
        bridgeB.receiveMessage(m, 1, sig);
        assertFalse(consumedOn(bridgeB, m));
    }

    function test_batchesRouteJobsAndResults() public {
        (bytes32 j1, bytes memory p1) = postOnA(1 ether, deadline);
        (bytes32 j2, bytes memory p2) = postOnA(2 ether, deadline);
        bytes[] memory batch = new bytes[](2);
        (batch[0], batch[1]) = (p1, p2);
        bytes memory sig = signRoot(key, bridgeB, 1, ProtocolRef.root(ProtocolRef.ids(batch)));
        assertEq(bridgeB.receiveBatch(batch, 1, sig), 2);
        assertEq(uint8(executionState(j1)), uint8(JobBoard.ExecutionState.Open));
        assertEq(uint8(executionState(j2)), uint8(JobBoard.ExecutionState.Open));

        claimOnB(j1);
        bytes memory r1 = submitOnB(j1);
        bytes32[] memory proof = new bytes32[](0);
        bridge.receiveMessageInBatch(r1, proof, 1, signFor(bridge, r1));
        assertEq(uint8(escrowState(j1)), uint8(JobBoard.EscrowState.Paid));
    }

    function test_aPausedBridgeRefusesJobsBothWays() public {
        (, bytes memory post) = postOnA(1 ether, deadline);
        vm.prank(guardian);
        bridge.pause();
        vm.prank(alice);
        vm.expectRevert(Bridge.BridgePaused.selector);
        board.postJob(address(sah), 1, SPEC, REMOTE, deadline);
        vm.prank(guardian);
        bridgeB.pause();
        bytes memory sig = signFor(bridgeB, post);
        vm.expectRevert(Bridge.BridgePaused.selector);
        bridgeB.receiveMessage(post, 1, sig);
    }

    /// The pause is checked before anything else on every call that sends (docs/PROTOCOL.md §8.3), as on the
    /// CosmWasm contract and the pallet: an unknown job, a zero spec or a past deadline still reports the pause.
    function test_checkOrder_aPausedBridgeIsReportedFirst() public {
        vm.prank(guardian);
        bridge.pause();
        vm.startPrank(alice);
        vm.expectRevert(BridgeModule.BridgePaused.selector);
        board.postJob(address(sah), 0, bytes32(0), REMOTE, 1);
        vm.expectRevert(BridgeModule.BridgePaused.selector);
        board.cancel(keccak256("no such job"));
        vm.expectRevert(BridgeModule.BridgePaused.selector);
        board.submitResult(keccak256("no such job"), bytes32(0), bytes32(0));
        vm.expectRevert(BridgeModule.BridgePaused.selector);
        board.expire(keccak256("no such job"));
        vm.stopPrank();
    }

    // ================================================================== the race, fuzzed

    /// The executor's result and someone's expiry, at random times around the deadline and in either
    /// order on a tie: B ends Completed or Expired, never both, with exactly one result message; A ends
    /// Paid or Refunded accordingly, balances exact to the unit.
    function testFuzz_resultOrExpiryRace(uint128 amount, uint256 submitAt, uint256 expireAt, bool submitFirstOnTie)
        public
    {
        amount = uint128(bound(amount, 1, 1_000_000 ether));
        submitAt = bound(submitAt, deadline - 3, deadline + 3);
        expireAt = bound(expireAt, deadline - 3, deadline + 3);
        uint256 aliceBefore = sah.balanceOf(alice);
        bytes32 jobId = openOnB(amount, deadline);
        claimOnB(jobId);
        drainLogs();

        bool submitFirst = submitAt < expireAt || (submitAt == expireAt && submitFirstOnTie);
        bool completed;
        bool expired;
        for (uint256 step = 0; step < 2; step++) {
            if ((step == 0) == submitFirst) {
                vm.warp(submitAt);
                vm.prank(executor);
                try boardB.submitResult(jobId, RESULT, b32(executor)) {
                    completed = true;
                } catch {}
            } else {
                vm.warp(expireAt);
                vm.prank(carol);
                try boardB.expire(jobId) {
                    expired = true;
                } catch {}
            }
        }
        if (!completed && !expired) {
            // nobody won yet (result late, expiry early): the keeper expires after the deadline
            vm.warp(deadline + 1);
            boardB.expire(jobId);
            expired = true;
        }
        assertTrue(completed != expired, "exactly one outcome");
        assertEq(completed, submitAt <= deadline, "on time iff completed");
        JobBoard.ExecutionState s = executionState(jobId);
        assertEq(uint8(s), uint8(completed ? JobBoard.ExecutionState.Completed : JobBoard.ExecutionState.Expired));

        bytes[] memory results = sentBy(bridgeB);
        assertEq(results.length, 1, "exactly one result message");
        deliverTo(bridge, results[0]);
        JobBoard.EscrowState a = escrowState(jobId);
        if (completed) {
            assertEq(uint8(a), uint8(JobBoard.EscrowState.Paid));
            assertEq(sah.balanceOf(executor), amount);
            assertEq(sah.balanceOf(alice), aliceBefore - amount);
        } else {
            assertEq(uint8(a), uint8(JobBoard.EscrowState.Refunded));
            assertEq(sah.balanceOf(executor), 0);
            assertEq(sah.balanceOf(alice), aliceBefore);
        }
        assertEq(sah.balanceOf(address(board)), 0);
        assertEq(board.escrowed(address(sah)), 0);
    }
}
