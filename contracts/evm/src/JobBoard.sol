// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {BridgeModule, Chains, InvalidDestination} from "./BridgeModule.sol";
import {ComputeJob, ComputeResult, InvalidField, MessageCodec, MessageHeader, ZeroAmount} from "./MessageCodec.sol";
import {WrappedToken} from "./WrappedToken.sol";

/// @title Compute jobs (docs/PROTOCOL.md §7.3): the Bridge's module for kinds 3 and 4
/// @notice Both sides of the flow. As chain A (escrow) for jobs posted here: `postJob` escrows the payment
/// and sends `post`, `cancel` sends `cancel`, and the executor chain's one result pays the executor or
/// refunds the payer. As chain B (executor) for jobs received: `claim`, `submitResult`, `expire`, and a
/// delivered `cancel`; each way out of Open/Claimed sends exactly one result back to A.
contract JobBoard is BridgeModule, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice A's states of a job posted here.
    enum EscrowState {
        None,
        Posted,
        CancelRequested,
        Paid,
        Refunded
    }

    /// @notice B's states of a job received here.
    enum ExecutionState {
        None,
        Open,
        Claimed,
        Completed,
        Expired,
        Cancelled
    }

    /// @notice A job posted on this chain (A side). `resultHash` and `executor` are set when paid.
    struct EscrowJob {
        address payer;
        uint64 deadline;
        uint32 executorChain;
        address token;
        EscrowState state;
        uint128 amount;
        bytes32 specHash;
        bytes32 resultHash;
        bytes32 executor;
    }

    /// @notice A job received from its escrow chain (B side). `resultHash` and `payTo` are set when completed.
    struct ExecutionJob {
        address claimer;
        uint64 deadline;
        uint32 sourceChain;
        ExecutionState state;
        uint32 paymentOriginChain;
        uint128 paymentAmount;
        bytes32 specHash;
        bytes32 paymentOriginToken;
        bytes32 payer;
        bytes32 resultHash;
        bytes32 payTo;
    }

    /// @notice Jobs posted here so far: the counter of the last job id (§7.3).
    uint64 public jobCount;
    /// @notice Payment held for open jobs (Posted or CancelRequested), by token.
    mapping(address token => uint256) public escrowed;
    mapping(bytes32 jobId => EscrowJob) private _escrow;
    mapping(bytes32 jobId => ExecutionJob) private _execution;

    // A side
    event JobPosted(
        bytes32 indexed jobId,
        address indexed payer,
        address indexed token,
        uint256 amount,
        uint32 executorChain,
        uint64 deadline,
        bytes32 specHash,
        uint32 paymentOriginChain,
        bytes32 paymentOriginToken
    );
    event JobCancelRequested(bytes32 indexed jobId);
    event JobPaid(bytes32 indexed jobId, address indexed executor, uint256 amount, bytes32 resultHash);
    event JobRefunded(bytes32 indexed jobId, address indexed payer, uint256 amount, uint8 outcome);
    // B side
    event JobOpened(
        bytes32 indexed jobId,
        uint32 indexed sourceChain,
        bytes32 payer,
        bytes32 specHash,
        uint64 deadline,
        uint32 paymentOriginChain,
        bytes32 paymentOriginToken,
        uint128 paymentAmount
    );
    event JobClaimed(bytes32 indexed jobId, address indexed claimer);
    event JobCompleted(bytes32 indexed jobId, bytes32 resultHash, bytes32 payTo);
    event JobExpired(bytes32 indexed jobId);
    event JobCancelled(bytes32 indexed jobId);
    /// @notice A cancel that arrived after the job left Open: the job runs on, nothing is sent.
    event CancelIgnored(bytes32 indexed jobId, ExecutionState state);

    // the named errors of §7.3
    error UnknownJob(bytes32 jobId);
    error JobNotOpen(bytes32 jobId, ExecutionState state);
    error NotClaimer(bytes32 jobId, address caller);
    error DeadlinePassed(uint64 deadline, uint256 time);
    error DeadlineNotPassed(uint64 deadline, uint256 time);
    /// @notice A cancel by another account than the payer (on A), or a delivered cancel that is not from the
    /// job's chain A and its payer (on B); `caller` in 32-byte form.
    error NotPayer(bytes32 jobId, bytes32 caller);
    error JobNotCancellable(bytes32 jobId, EscrowState state);
    error JobAlreadyExists(bytes32 jobId);
    error UnexpectedResult(bytes32 jobId, EscrowState state, uint8 outcome);
    // this chain's own
    /// @notice An executor (account to pay on an EVM chain A) that is not a left-padded 20-byte address.
    error InvalidExecutor(bytes32 executor);
    error AmountTooLarge(uint256 amount);

    constructor(address bridge_) BridgeModule(bridge_) {}

    // ------------------------------------------------------------------ A: escrow

    /// @notice Escrows `amount` of `paymentToken` (SAH at home or the bridge's wrapped SAH) and sends the
    /// job to `executorChain`. Fee-on-transfer tokens escrow what arrived.
    /// @param deadline unix seconds, compared with the executor chain's time, inclusive.
    function postJob(address paymentToken, uint256 amount, bytes32 specHash, uint32 executorChain, uint64 deadline)
        external
        nonReentrant
        whenBridgeOpen
        returns (bytes32 jobId)
    {
        if (specHash == bytes32(0)) revert InvalidField("specHash");
        if (amount == 0) revert ZeroAmount();
        if (amount > type(uint128).max) revert AmountTooLarge(amount);
        if (deadline <= block.timestamp) revert DeadlinePassed(deadline, block.timestamp);
        if (executorChain == chainId || !Chains.isKnown(executorChain)) revert InvalidDestination(executorChain);
        uint128 received = _take(paymentToken, amount);
        jobId = jobIdOf(++jobCount);
        _escrow[jobId] = EscrowJob({
            payer: msg.sender,
            deadline: deadline,
            executorChain: executorChain,
            token: paymentToken,
            state: EscrowState.Posted,
            amount: received,
            specHash: specHash,
            resultHash: bytes32(0),
            executor: bytes32(0)
        });
        escrowed[paymentToken] += received;
        ComputeJob memory j;
        j.action = MessageCodec.JOB_POST;
        j.jobId = jobId;
        j.specHash = specHash;
        (j.paymentOriginChain, j.paymentOriginToken) = paymentOrigin(paymentToken);
        j.paymentAmount = received;
        j.deadline = deadline;
        j.payer = _account(msg.sender);
        _send(MessageCodec.KIND_COMPUTE_JOB, executorChain, j.payer, MessageCodec.encodeComputeJobPayload(j));
        emit JobPosted(
            jobId,
            msg.sender,
            paymentToken,
            received,
            executorChain,
            deadline,
            specHash,
            j.paymentOriginChain,
            j.paymentOriginToken
        );
    }

    function _take(address token, uint256 amount) private returns (uint128) {
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received == 0) revert ZeroAmount();
        if (received > type(uint128).max) revert AmountTooLarge(received);
        return uint128(received);
    }

    /// @notice Asks the executor chain to cancel: only the payer, only while Posted. The escrow stays until
    /// B's result (cancelled, or completed/expired if the job was already claimed there).
    function cancel(bytes32 jobId) external nonReentrant whenBridgeOpen {
        EscrowJob storage j = _escrow[jobId];
        if (j.state == EscrowState.None) revert UnknownJob(jobId);
        if (j.payer != msg.sender) revert NotPayer(jobId, _account(msg.sender));
        if (j.state != EscrowState.Posted) revert JobNotCancellable(jobId, j.state);
        j.state = EscrowState.CancelRequested;
        ComputeJob memory c;
        c.action = MessageCodec.JOB_CANCEL;
        c.jobId = jobId;
        _send(
            MessageCodec.KIND_COMPUTE_JOB,
            j.executorChain,
            _account(msg.sender),
            MessageCodec.encodeComputeJobPayload(c)
        );
        emit JobCancelRequested(jobId);
    }

    /// @dev completed: Posted | CancelRequested -> Paid; expired: Posted | CancelRequested -> Refunded;
    /// cancelled: CancelRequested -> Refunded; anything else, or a result from another chain than the job's
    /// executor chain: UnexpectedResult.
    function _onResult(MessageHeader memory h, ComputeResult memory r) private {
        EscrowJob storage j = _escrow[r.jobId];
        EscrowState s = j.state;
        if (s == EscrowState.None) revert UnknownJob(r.jobId);
        // a result counts only from the chain the job was sent to
        if (j.executorChain != h.sourceChain) revert UnexpectedResult(r.jobId, s, r.outcome);
        bool open = s == EscrowState.Posted || s == EscrowState.CancelRequested;
        uint256 amount = j.amount;
        address token = j.token;
        if (r.outcome == MessageCodec.OUTCOME_COMPLETED && open) {
            if (uint256(r.executor) >> 160 != 0) revert InvalidExecutor(r.executor);
            address executor = address(uint160(uint256(r.executor)));
            j.state = EscrowState.Paid;
            j.resultHash = r.resultHash;
            j.executor = r.executor;
            escrowed[token] -= amount;
            IERC20(token).safeTransfer(executor, amount);
            emit JobPaid(r.jobId, executor, amount, r.resultHash);
        } else if (
            (r.outcome == MessageCodec.OUTCOME_EXPIRED && open)
                || (r.outcome == MessageCodec.OUTCOME_CANCELLED && s == EscrowState.CancelRequested)
        ) {
            j.state = EscrowState.Refunded;
            escrowed[token] -= amount;
            IERC20(token).safeTransfer(j.payer, amount);
            emit JobRefunded(r.jobId, j.payer, amount, r.outcome);
        } else {
            revert UnexpectedResult(r.jobId, s, r.outcome);
        }
    }

    // ------------------------------------------------------------------ B: execution

    /// @notice Takes an Open job (any account), on time: `now <= deadline`.
    function claim(bytes32 jobId) external nonReentrant {
        ExecutionJob storage e = _executionJob(jobId);
        if (e.state != ExecutionState.Open) revert JobNotOpen(jobId, e.state);
        if (block.timestamp > e.deadline) revert DeadlinePassed(e.deadline, block.timestamp);
        e.claimer = msg.sender;
        e.state = ExecutionState.Claimed;
        emit JobClaimed(jobId, msg.sender);
    }

    /// @notice The claimer's result, on time (`now <= deadline`): Completed, and a `completed` result goes to A.
    /// @param payTo the account to pay on A, 32-byte form (§2); on an EVM chain A a left-padded address.
    function submitResult(bytes32 jobId, bytes32 resultHash, bytes32 payTo) external nonReentrant whenBridgeOpen {
        ExecutionJob storage e = _executionJob(jobId);
        if (e.state == ExecutionState.Open) revert NotClaimer(jobId, msg.sender);
        if (e.state != ExecutionState.Claimed) revert JobNotOpen(jobId, e.state);
        if (e.claimer != msg.sender) revert NotClaimer(jobId, msg.sender);
        if (block.timestamp > e.deadline) revert DeadlinePassed(e.deadline, block.timestamp);
        if (resultHash == bytes32(0)) revert InvalidField("resultHash");
        // A would refuse to pay it, and B sends one result only: the escrow would stay locked
        if (payTo == bytes32(0) || (Chains.isEvm(e.sourceChain) && uint256(payTo) >> 160 != 0)) {
            revert InvalidExecutor(payTo);
        }
        e.state = ExecutionState.Completed;
        e.resultHash = resultHash;
        e.payTo = payTo;
        emit JobCompleted(jobId, resultHash, payTo);
        _sendResult(e, jobId, MessageCodec.OUTCOME_COMPLETED, resultHash, payTo, _account(msg.sender));
    }

    /// @notice Anyone, once `now > deadline`, for an Open or Claimed job: Expired, and `expired` goes to A.
    function expire(bytes32 jobId) external nonReentrant whenBridgeOpen {
        ExecutionJob storage e = _executionJob(jobId);
        if (e.state != ExecutionState.Open && e.state != ExecutionState.Claimed) revert JobNotOpen(jobId, e.state);
        if (block.timestamp <= e.deadline) revert DeadlineNotPassed(e.deadline, block.timestamp);
        e.state = ExecutionState.Expired;
        emit JobExpired(jobId);
        _sendResult(e, jobId, MessageCodec.OUTCOME_EXPIRED, bytes32(0), bytes32(0), _account(msg.sender));
    }

    /// @dev post: (none) -> Open (JobAlreadyExists for a known id); cancel while Open -> Cancelled and a
    /// `cancelled` result; cancel in any later state: CancelIgnored, nothing sent. A cancel for a job
    /// this chain does not hold (its post not delivered yet) reverts UnknownJob and stays deliverable; one
    /// not from the job's chain A and its payer reverts NotPayer.
    function _onJob(MessageHeader memory h, ComputeJob memory j) private {
        ExecutionJob storage e = _execution[j.jobId];
        if (j.action == MessageCodec.JOB_POST) {
            if (e.state != ExecutionState.None) revert JobAlreadyExists(j.jobId);
            e.deadline = j.deadline;
            e.sourceChain = h.sourceChain;
            e.state = ExecutionState.Open;
            e.paymentOriginChain = j.paymentOriginChain;
            e.paymentAmount = j.paymentAmount;
            e.specHash = j.specHash;
            e.paymentOriginToken = j.paymentOriginToken;
            e.payer = j.payer;
            emit JobOpened(
                j.jobId,
                h.sourceChain,
                j.payer,
                j.specHash,
                j.deadline,
                j.paymentOriginChain,
                j.paymentOriginToken,
                j.paymentAmount
            );
        } else {
            if (e.state == ExecutionState.None) revert UnknownJob(j.jobId);
            // only the payer, through the job's own chain A
            if (e.sourceChain != h.sourceChain || e.payer != h.sender) revert NotPayer(j.jobId, h.sender);
            if (e.state != ExecutionState.Open) {
                emit CancelIgnored(j.jobId, e.state);
                return;
            }
            e.state = ExecutionState.Cancelled;
            emit JobCancelled(j.jobId);
            // the account that caused it: the payer, who cancelled on A
            _sendResult(e, j.jobId, MessageCodec.OUTCOME_CANCELLED, bytes32(0), bytes32(0), e.payer);
        }
    }

    function _sendResult(
        ExecutionJob storage e,
        bytes32 jobId,
        uint8 outcome,
        bytes32 resultHash,
        bytes32 executor,
        bytes32 sender
    ) private {
        bytes memory payload = MessageCodec.encodeComputeResultPayload(
            ComputeResult(outcome, jobId, resultHash, executor, uint64(block.timestamp))
        );
        _send(MessageCodec.KIND_COMPUTE_RESULT, e.sourceChain, sender, payload);
    }

    function _executionJob(bytes32 jobId) private view returns (ExecutionJob storage e) {
        e = _execution[jobId];
        if (e.state == ExecutionState.None) revert UnknownJob(jobId);
    }

    // ------------------------------------------------------------------ delivery

    /// @notice A `post`/`cancel` (kind 3, this chain as B) or a result (kind 4, this chain as A), delivered
    /// by the Bridge. A revert leaves the message unconsumed.
    function onMessage(bytes calldata message) external override onlyBridge nonReentrant {
        MessageHeader memory h = MessageCodec.decodeHeader(message);
        if (h.kind == MessageCodec.KIND_COMPUTE_JOB) _onJob(h, MessageCodec.decodeComputeJob(message));
        else _onResult(h, MessageCodec.decodeComputeResult(message));
    }

    // ------------------------------------------------------------------ views

    /// @notice `sha256("SAH-JOB" || chainId u32 BE || counter u64 BE)` (§7.3), for a job posted here.
    function jobIdOf(uint64 counter) public view returns (bytes32) {
        return sha256(abi.encodePacked("SAH-JOB", chainId, counter));
    }

    /// @notice What a job paid in `token` carries as payment: a bridge-wrapped token its origin
    /// (chain, token id), any other token (this chain, its address).
    function paymentOrigin(address token) public view returns (uint32 originChain, bytes32 originToken) {
        if (bridge.wrappedTokenKey(token) == bytes32(0)) return (chainId, _account(token));
        return (WrappedToken(token).originChain(), WrappedToken(token).originToken());
    }

    /// @notice A job posted here (state None if unknown).
    function escrowJob(bytes32 jobId) external view returns (EscrowJob memory) {
        return _escrow[jobId];
    }

    /// @notice A job received here (state None if unknown).
    function executionJob(bytes32 jobId) external view returns (ExecutionJob memory) {
        return _execution[jobId];
    }
}
