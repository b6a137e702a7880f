// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {BatchMerkle} from "./BatchMerkle.sol";
import {IBridgeModule} from "./BridgeModule.sol";
import {FrostVerifier} from "./FrostVerifier.sol";
import {GovernanceAction, MessageCodec, MessageHeader, TokenTransfer, ZeroAmount} from "./MessageCodec.sol";
import {IWrappedTokenDeployer, WrappedToken} from "./WrappedToken.sol";

/// @title The SAH bridge on an EVM chain
/// @notice Outbound: `lock` home tokens or `burn` wrapped tokens; each emits the encoded message and
/// stores its id by nonce (so a storage proof can show it). Inbound: anyone delivers a message with
/// the relayer set's FROST signature; the bridge checks destination, key epoch and signature,
/// consumes the message once (its bit under source chain and nonce), then unlocks, mints, applies governance,
/// or hands kinds 2, 3 and 4 to its modules (AttestationRegistry, JobBoard), which send their messages through
/// `sendFromModule`.
contract Bridge is IWrappedTokenDeployer, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Longest time an outgoing key may stay valid after a rotation.
    uint32 public constant MAX_GRACE_SECONDS = 30 days;
    /// @notice Window of the inbound rate limit: `capacity` per this many seconds, refilled linearly.
    uint256 public constant RATE_LIMIT_WINDOW = 1 days;

    /// @notice This chain's SAH protocol chain id (docs/PROTOCOL.md), not the EVM chain id.
    uint32 public immutable chainId;

    /// @dev One slot: everything receiveMessage reads besides the key's x.
    struct Config {
        uint32 epoch;
        uint8 keyParity;
        uint8 previousKeyParity;
        uint64 previousKeyExpiry;
        bool paused;
        uint64 governanceNonce;
    }

    /// @dev capacity and available share a slot; lastRefill is read only for limited tokens.
    struct RateLimit {
        uint128 capacity;
        uint128 available;
        uint64 lastRefill;
    }

    Config public config;
    uint256 public keyX;
    uint256 public previousKeyX;
    address public pauser;
    uint64 public outboundNonce;

    /// @notice Outbound message id by nonce.
    mapping(uint64 nonce => bytes32 messageId) public outboundMessageId;
    /// @dev Delivered inbound messages (docs/PROTOCOL.md §2, consumed bitmaps): a message is bit `nonce & 0xff`
    /// of word `nonce >> 8` of its source chain (governance: source 0 and its nonce). A bit is never cleared.
    /// Read through `isConsumed` and `consumedWord`.
    mapping(uint32 sourceChain => mapping(uint64 wordIndex => uint256 bits)) private _consumed;
    /// @notice Home tokens held for other chains, by token. Unlocks can never exceed it.
    mapping(address token => uint256) public locked;
    mapping(bytes32 tokenKey => address) public wrappedToken;
    mapping(address token => bytes32 tokenKey) public wrappedTokenKey;
    mapping(bytes32 tokenKey => RateLimit) public rateLimits;
    /// @notice Module executing kind 2 (data attestations); set once by the deployer (`setModules`).
    address public attestations;
    /// @notice Module executing kinds 3 and 4 (compute jobs and results); set with `attestations`.
    address public jobBoard;
    address private immutable _deployer;

    // Parameters of the wrapped token being deployed, read back by its constructor.
    uint32 private transient _deployOriginChain;
    bytes32 private transient _deployOriginToken;
    uint8 private transient _deployDecimals;
    bytes32 private transient _deploySymbol;
    bytes32 private transient _deployName;

    event MessageSent(uint64 indexed nonce, uint32 indexed destinationChain, bytes32 indexed messageId, bytes message);
    event MessageReceived(bytes32 indexed messageId, uint32 indexed sourceChain, uint64 nonce);
    event WrappedTokenDeployed(uint32 indexed originChain, bytes32 indexed originToken, address token);
    event KeyRotated(uint32 indexed epoch, uint256 keyX, uint8 keyParity, uint64 previousKeyExpiry);
    event Paused(address indexed by);
    event Unpaused();
    event RateLimitSet(bytes32 indexed tokenKey, uint128 capacity);
    event PauserSet(address indexed pauser);
    event ModulesSet(address attestations, address jobBoard);

    error WrongDestination(uint32 destinationChain, uint32 thisChain);
    error MessageAlreadyConsumed(bytes32 messageId);
    error UnknownEpoch(uint32 epoch, uint32 currentEpoch);
    error EpochExpired(uint32 epoch, uint64 expiredAt);
    error InvalidSignature();
    error BridgePaused();
    error UnsupportedKind(uint8 kind);
    error InvalidRecipient(bytes32 recipient);
    error InvalidTokenAddress(bytes32 originToken);
    error InsufficientLocked(address token, uint256 locked, uint256 amount);
    error RateLimitExceeded(bytes32 tokenKey, uint256 amount, uint256 available);
    error WrongGovernanceTarget(bytes32 recipient);
    error StaleGovernanceNonce(uint64 nonce, uint64 lastNonce);
    error GovernanceRequiresCurrentEpoch(uint32 epoch, uint32 currentEpoch);
    error InvalidEpochTransition(uint32 newEpoch, uint32 currentEpoch);
    error GracePeriodTooLong(uint32 graceSeconds);
    error NotPauser(address caller);
    error InvalidDestination(uint32 destinationChain);
    error CannotLockWrappedToken(address token);
    error UnknownWrappedToken(address token);
    error AmountTooLarge(uint256 amount);
    error TokenMetadataUnavailable(address token);
    error EmptyBatch();
    error BatchAlreadyDelivered(bytes32 root);
    error GovernanceNotBatchable(bytes32 messageId);
    error Unauthorized(address caller);
    error InvalidStartingEpoch(uint32 epoch);

    /// @param chainId_ SAH chain id of this chain.
    /// @param initialEpoch key epoch of `groupKeyX` (docs/PROTOCOL.md §2): 1 for a first deployment, the relayer
    /// set's current epoch for a redeployment (signatures of older epochs are not current here); rotations
    /// continue from it. Neither 0 nor 2^32 - 1 (no epoch could follow it).
    /// @param groupKeyX x of the relayer set's FROST group key (must be < n and on the curve).
    /// @param groupKeyParity parity of its y (0 even, 1 odd).
    /// @param pauser_ account allowed to pause (never to unpause); zero for none.
    constructor(uint32 chainId_, uint32 initialEpoch, uint256 groupKeyX, uint8 groupKeyParity, address pauser_) {
        if (chainId_ == MessageCodec.GOVERNANCE_CHAIN) revert InvalidDestination(chainId_);
        if (initialEpoch == 0 || initialEpoch == type(uint32).max) revert InvalidStartingEpoch(initialEpoch);
        if (groupKeyParity > 1 || !FrostVerifier.isValidGroupKey(groupKeyX)) revert FrostVerifier.InvalidGroupKey();
        chainId = chainId_;
        keyX = groupKeyX;
        config.epoch = initialEpoch;
        config.keyParity = groupKeyParity;
        pauser = pauser_;
        _deployer = msg.sender;
        emit KeyRotated(initialEpoch, groupKeyX, groupKeyParity, 0);
        emit PauserSet(pauser_);
    }

    // ------------------------------------------------------------------ outbound

    /// @notice Locks `amount` of a token whose home is this chain and sends it to `recipient` on
    /// `destinationChain`. Fee-on-transfer tokens send what actually arrived.
    function lock(address token, uint256 amount, uint32 destinationChain, bytes32 recipient)
        external
        nonReentrant
        returns (uint64 nonce, bytes32 messageId)
    {
        _checkOutbound(amount, destinationChain, recipient);
        if (wrappedTokenKey[token] != bytes32(0)) revert CannotLockWrappedToken(token);
        uint8 decimals = _decimalsOf(token);
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received == 0) revert ZeroAmount();
        uint256 total = locked[token] + received;
        // every chain holds wrapped amounts as u128: the total ever outstanding must fit
        if (total > type(uint128).max) revert AmountTooLarge(total);
        locked[token] = total;
        TokenTransfer memory t = TokenTransfer({
            originChain: chainId,
            originToken: bytes32(uint256(uint160(token))),
            amount: uint128(received),
            decimals: decimals,
            symbol: _string32(token, 0x95d89b41), // symbol()
            name: _string32(token, 0x06fdde03) // name()
        });
        return _send(destinationChain, recipient, t);
    }

    /// @notice Burns wrapped tokens of the caller and sends them to `recipient` on `destinationChain`
    /// (their home chain unlocks; any other chain mints its own wrapped token).
    function burn(address token, uint256 amount, uint32 destinationChain, bytes32 recipient)
        external
        nonReentrant
        returns (uint64 nonce, bytes32 messageId)
    {
        _checkOutbound(amount, destinationChain, recipient);
        if (wrappedTokenKey[token] == bytes32(0)) revert UnknownWrappedToken(token);
        WrappedToken(token).burn(msg.sender, amount);
        TokenTransfer memory t;
        (t.originChain, t.originToken, t.decimals, t.symbol, t.name) = WrappedToken(token).origin();
        t.amount = uint128(amount);
        return _send(destinationChain, recipient, t);
    }

    function _checkOutbound(uint256 amount, uint32 destinationChain, bytes32 recipient) private view {
        if (config.paused) revert BridgePaused();
        if (amount == 0) revert ZeroAmount();
        if (amount > type(uint128).max) revert AmountTooLarge(amount);
        if (destinationChain == chainId || destinationChain == MessageCodec.GOVERNANCE_CHAIN) {
            revert InvalidDestination(destinationChain);
        }
        if (recipient == bytes32(0)) revert InvalidRecipient(recipient);
    }

    function _send(uint32 destinationChain, bytes32 recipient, TokenTransfer memory t)
        private
        returns (uint64 nonce, bytes32 messageId)
    {
        nonce = ++outboundNonce;
        bytes memory message = MessageCodec.encodeTokenTransfer(
            MessageHeader({
                kind: MessageCodec.KIND_TOKEN_TRANSFER,
                sourceChain: chainId,
                destinationChain: destinationChain,
                nonce: nonce,
                sender: bytes32(uint256(uint160(msg.sender))),
                recipient: recipient
            }),
            t
        );
        messageId = _record(nonce, destinationChain, message);
    }

    function _record(uint64 nonce, uint32 destinationChain, bytes memory message) private returns (bytes32 messageId) {
        messageId = keccak256(message);
        outboundMessageId[nonce] = messageId;
        emit MessageSent(nonce, destinationChain, messageId, message);
    }

    /// @notice Registers the modules, once, by the deployer. Until then kinds 2, 3 and 4 are refused
    /// (`UnsupportedKind`, the message stays deliverable).
    function setModules(address attestations_, address jobBoard_) external {
        bool unset = attestations == address(0) && attestations_ != address(0) && jobBoard_ != address(0);
        if (msg.sender != _deployer || !unset) revert Unauthorized(msg.sender);
        attestations = attestations_;
        jobBoard = jobBoard_;
        emit ModulesSet(attestations_, jobBoard_);
    }

    /// @notice Whether the bridge is paused: its modules check it before anything else (docs/PROTOCOL.md §8.3).
    function paused() external view returns (bool) {
        return config.paused;
    }

    /// @notice Sends a module's message like `lock` and `burn` send theirs (next nonce, id stored under it,
    /// `MessageSent`): kind 2 from `attestations`, 3 and 4 from `jobBoard`; the recipient is zero and
    /// `sender` the account that called the module (docs/PROTOCOL.md §7). Refused while paused.
    function sendFromModule(uint8 kind, uint32 destinationChain, bytes32 sender, bytes calldata payload)
        external
        returns (uint64 nonce, bytes32 messageId)
    {
        if (kind < 2 || kind > 4 || msg.sender != (kind == 2 ? attestations : jobBoard)) {
            revert Unauthorized(msg.sender);
        }
        if (config.paused) revert BridgePaused();
        if (destinationChain == chainId || destinationChain == 0) revert InvalidDestination(destinationChain);
        nonce = ++outboundNonce;
        messageId = _record(
            nonce,
            destinationChain,
            abi.encodePacked(MessageCodec.VERSION, kind, chainId, destinationChain, nonce, sender, bytes32(0), payload)
        );
    }

    // ------------------------------------------------------------------ inbound

    /// @notice Delivers one message signed on its own (a batch of one: the signed root is its leaf).
    /// @param epoch key epoch the signature was made under.
    /// @param signature FROST signature, 65 bytes (RFC 9591) or 97 (RFC 9591 || R.y, cheaper).
    function receiveMessage(bytes calldata message, uint32 epoch, bytes calldata signature)
        external
        nonReentrant
        returns (bytes32 messageId)
    {
        messageId = keccak256(message);
        _receive(message, messageId, BatchMerkle.leaf(messageId), epoch, signature, false);
    }

    /// @notice Delivers one message of a batch: the signature covers the Merkle root over the leaves of the
    /// batch's message ids (BatchMerkle; docs/PROTOCOL.md §2), `proof` leads from this id's leaf to it.
    function receiveMessageInBatch(
        bytes calldata message,
        bytes32[] calldata proof,
        uint32 epoch,
        bytes calldata signature
    ) external nonReentrant returns (bytes32 messageId) {
        messageId = keccak256(message);
        _receive(message, messageId, BatchMerkle.rootFromProof(messageId, proof), epoch, signature, true);
    }

    /// @notice Delivers a whole batch in one transaction: the signature covers the Merkle root over the leaves
    /// of the messages' ids in this order (docs/PROTOCOL.md §2). Messages already consumed (delivered one by one
    /// with a proof, or earlier in this batch) are skipped; a batch with nothing new reverts. Governance is never
    /// batched. The consumed bits are gathered in memory and each word touched is written once, at the end: the
    /// batch is all or nothing, and `nonReentrant` keeps every delivery out until then (a view of `isConsumed`
    /// made from inside the batch, by a token or a module, does not see the batch's own messages yet).
    function receiveBatch(bytes[] calldata messages, uint32 epoch, bytes calldata signature)
        external
        nonReentrant
        returns (uint256 delivered)
    {
        uint256 n = messages.length;
        if (n == 0) revert EmptyBatch();
        bytes32 root;
        {
            bytes32[] memory level = new bytes32[](n);
            for (uint256 i = 0; i < n; i++) {
                level[i] = BatchMerkle.leaf(keccak256(messages[i]));
            }
            root = BatchMerkle.root(level);
            Config memory c = config;
            (uint256 x, uint8 parity) = _keyFor(c, epoch);
            if (!FrostVerifier.verifyDigest(x, parity, _signingDigest(epoch, root), signature)) {
                revert InvalidSignature();
            }
            if (c.paused) revert BridgePaused();
        }
        // the consumed words this batch touched: their count, then one entry of 3 per word (key, slot, bits)
        uint256[] memory t = new uint256[](3 * n + 1);
        for (uint256 i = 0; i < n; i++) {
            bytes32 messageId = keccak256(messages[i]);
            MessageHeader memory h = MessageCodec.decodeHeader(messages[i]);
            if (h.destinationChain != chainId) revert WrongDestination(h.destinationChain, chainId);
            if (!_consumeInBatch(t, h)) continue;
            // a refusal reverts the whole batch, the bit just set in memory with it
            if (h.kind == MessageCodec.KIND_GOVERNANCE) revert GovernanceNotBatchable(messageId);
            if (h.kind == MessageCodec.KIND_TOKEN_TRANSFER) _completeTransfer(messages[i], h);
            else _toModule(messages[i], h.kind);
            emit MessageReceived(messageId, h.sourceChain, h.nonce);
            delivered++;
        }
        if (delivered == 0) revert BatchAlreadyDelivered(root);
        assembly ("memory-safe") {
            // each word touched, written once
            let e := add(t, 0x40)
            for { let end := add(e, mul(mload(add(t, 0x20)), 0x60)) } lt(e, end) { e := add(e, 0x60) } {
                sstore(mload(add(e, 0x20)), mload(add(e, 0x40)))
            }
        }
    }

    /// @dev Sets the message's bit in the batch's copy of its consumed word and returns true, or false if it was
    /// set already (delivered before, or earlier in this batch). `t` (from receiveBatch): t[0] the number of
    /// words touched, then per word `sourceChain << 64 | wordIndex`, its storage slot, and its stored bits with the
    /// batch's own; a word is read from storage the first time a message of the batch touches it.
    function _consumeInBatch(uint256[] memory t, MessageHeader memory h) private view returns (bool fresh) {
        uint256 key = (uint256(h.sourceChain) << 64) | (h.nonce >> 8);
        uint256 bit = 1 << (h.nonce & 0xff);
        assembly ("memory-safe") {
            let base := add(t, 0x40)
            let end := add(base, mul(mload(add(t, 0x20)), 0x60))
            let e := 0
            // newest first: a batch of consecutive nonces finds its word at once
            for { let q := end } gt(q, base) {} {
                q := sub(q, 0x60)
                if eq(mload(q), key) {
                    e := q
                    break
                }
            }
            if iszero(e) {
                e := end
                mstore(add(t, 0x20), add(mload(add(t, 0x20)), 1))
                mstore(e, key)
                // _consumed[sourceChain][wordIndex]: keccak256(wordIndex . keccak256(sourceChain . slot))
                mstore(0x00, shr(64, key))
                mstore(0x20, _consumed.slot)
                mstore(0x20, keccak256(0x00, 0x40))
                mstore(0x00, and(key, 0xffffffffffffffff))
                let slot := keccak256(0x00, 0x40)
                mstore(add(e, 0x20), slot)
                mstore(add(e, 0x40), sload(slot))
            }
            let bits := mload(add(e, 0x40))
            if iszero(and(bits, bit)) {
                mstore(add(e, 0x40), or(bits, bit))
                fresh := 1
            }
        }
    }

    /// @dev The digest the group key signs for this bridge (docs/PROTOCOL.md §2): the verifying instance is
    /// what the contract knows about itself, the EVM chain id and its own address (a proxy's, under delegatecall),
    /// so a signature made for another bridge, or for a fork under another chain id, never verifies here.
    function _signingDigest(uint32 epoch, bytes32 root) private view returns (bytes32) {
        return MessageCodec.signingDigest(
            epoch, chainId, bytes32(block.chainid), bytes32(uint256(uint160(address(this)))), root
        );
    }

    /// @param inBatch a message of a batch, proved by its Merkle path: governance is never batched (as in
    /// `receiveBatch` and on the other chains), so a governance message signed alone cannot ride in a batch
    function _receive(
        bytes calldata message,
        bytes32 messageId,
        bytes32 root,
        uint32 epoch,
        bytes calldata signature,
        bool inBatch
    ) private {
        MessageHeader memory h = MessageCodec.decodeHeader(message);
        if (h.destinationChain != chainId) revert WrongDestination(h.destinationChain, chainId);
        uint256 word = _unconsumedWord(h, messageId);
        if (inBatch && h.kind == MessageCodec.KIND_GOVERNANCE) revert GovernanceNotBatchable(messageId);
        Config memory c = config;
        {
            (uint256 x, uint8 parity) = _keyFor(c, epoch);
            if (!FrostVerifier.verifyDigest(x, parity, _signingDigest(epoch, root), signature)) {
                revert InvalidSignature();
            }
        }
        _consumed[h.sourceChain][h.nonce >> 8] = word;

        if (h.kind == MessageCodec.KIND_GOVERNANCE) {
            if (epoch != c.epoch) revert GovernanceRequiresCurrentEpoch(epoch, c.epoch);
            _governance(message, h, c);
        } else {
            if (c.paused) revert BridgePaused();
            if (h.kind == MessageCodec.KIND_TOKEN_TRANSFER) _completeTransfer(message, h);
            else _toModule(message, h.kind);
        }
        emit MessageReceived(messageId, h.sourceChain, h.nonce);
    }

    /// @dev The message's consumed word with its bit set, to store once delivered; MessageAlreadyConsumed if set.
    function _unconsumedWord(MessageHeader memory h, bytes32 messageId) private view returns (uint256) {
        uint256 word = _consumed[h.sourceChain][h.nonce >> 8];
        uint256 bit = 1 << (h.nonce & 0xff);
        if (word & bit != 0) revert MessageAlreadyConsumed(messageId);
        return word | bit;
    }

    /// @dev Kinds 2, 3, 4 (governance is handled before): the module's own checks may revert the delivery.
    function _toModule(bytes calldata message, uint8 kind) private {
        address module = kind == MessageCodec.KIND_DATA_ATTESTATION ? attestations : jobBoard;
        if (module == address(0)) revert UnsupportedKind(kind);
        IBridgeModule(module).onMessage(message);
    }

    /// @dev The current key, or the previous one until its grace period ends; then never again.
    function _keyFor(Config memory c, uint32 epoch) private view returns (uint256, uint8) {
        if (epoch == c.epoch) return (keyX, c.keyParity);
        if (c.previousKeyExpiry != 0 && epoch == c.epoch - 1) {
            if (block.timestamp > c.previousKeyExpiry) revert EpochExpired(epoch, c.previousKeyExpiry);
            return (previousKeyX, c.previousKeyParity);
        }
        revert UnknownEpoch(epoch, c.epoch);
    }

    function _completeTransfer(bytes calldata message, MessageHeader memory h) private {
        TokenTransfer memory t = MessageCodec.decodeTokenTransfer(message, h);
        if (uint256(h.recipient) >> 160 != 0) revert InvalidRecipient(h.recipient);
        address to = address(uint160(uint256(h.recipient)));
        bytes32 key = tokenKey(t.originChain, t.originToken);
        _consumeRateLimit(key, t.amount);
        if (t.originChain == chainId) {
            if (uint256(t.originToken) >> 160 != 0) revert InvalidTokenAddress(t.originToken);
            address token = address(uint160(uint256(t.originToken)));
            uint256 held = locked[token];
            if (held < t.amount) revert InsufficientLocked(token, held, t.amount);
            locked[token] = held - t.amount;
            IERC20(token).safeTransfer(to, t.amount);
        } else {
            address token = wrappedToken[key];
            if (token == address(0)) token = _deployWrapped(key, t);
            WrappedToken(token).mint(to, t.amount);
        }
    }

    /// @dev Token bucket: `capacity` per RATE_LIMIT_WINDOW, refilled linearly. Capacity 0: no limit.
    function _consumeRateLimit(bytes32 key, uint256 amount) private {
        RateLimit storage r = rateLimits[key];
        uint256 capacity = r.capacity;
        if (capacity == 0) return;
        uint256 refill = (block.timestamp - r.lastRefill) * capacity / RATE_LIMIT_WINDOW;
        uint256 available = r.available + refill;
        if (available > capacity) available = capacity;
        if (amount > available) revert RateLimitExceeded(key, amount, available);
        r.available = uint128(available - amount);
        r.lastRefill = uint64(block.timestamp);
    }

    function _deployWrapped(bytes32 key, TokenTransfer memory t) private returns (address token) {
        _deployOriginChain = t.originChain;
        _deployOriginToken = t.originToken;
        _deployDecimals = t.decimals;
        _deploySymbol = t.symbol;
        _deployName = t.name;
        token = address(new WrappedToken{salt: key}());
        wrappedToken[key] = token;
        wrappedTokenKey[token] = key;
        emit WrappedTokenDeployed(t.originChain, t.originToken, token);
    }

    /// @inheritdoc IWrappedTokenDeployer
    function wrappedTokenParameters() external view returns (uint32, bytes32, uint8, bytes32, bytes32) {
        return (_deployOriginChain, _deployOriginToken, _deployDecimals, _deploySymbol, _deployName);
    }

    // ------------------------------------------------------------------ governance

    function _governance(bytes calldata message, MessageHeader memory h, Config memory c) private {
        if (h.recipient != bytes32(uint256(uint160(address(this))))) revert WrongGovernanceTarget(h.recipient);
        if (h.nonce <= c.governanceNonce) revert StaleGovernanceNonce(h.nonce, c.governanceNonce);
        GovernanceAction memory g = MessageCodec.decodeGovernance(message);
        c.governanceNonce = h.nonce;
        if (g.action == MessageCodec.GOV_ROTATE_KEY) {
            // widened: an epoch at 2^32 - 1 has no successor (InvalidEpochTransition, not an overflow panic)
            if (g.newEpoch != uint256(c.epoch) + 1) revert InvalidEpochTransition(g.newEpoch, c.epoch);
            if (g.graceSeconds > MAX_GRACE_SECONDS) revert GracePeriodTooLong(g.graceSeconds);
            previousKeyX = keyX;
            c.previousKeyParity = c.keyParity;
            // a zero grace retires the old key at once: expiry "now" still admits this block, so use 0
            c.previousKeyExpiry = g.graceSeconds == 0 ? 0 : uint64(block.timestamp) + g.graceSeconds;
            keyX = g.newKeyX;
            c.keyParity = g.newKeyParity;
            c.epoch = g.newEpoch;
            emit KeyRotated(g.newEpoch, g.newKeyX, g.newKeyParity, c.previousKeyExpiry);
        } else if (g.action == MessageCodec.GOV_PAUSE) {
            c.paused = true;
            emit Paused(address(0));
        } else if (g.action == MessageCodec.GOV_UNPAUSE) {
            c.paused = false;
            emit Unpaused();
        } else if (g.action == MessageCodec.GOV_SET_RATE_LIMIT) {
            bytes32 key = tokenKey(g.originChain, g.originToken);
            rateLimits[key] = RateLimit(g.capacity, g.capacity, uint64(block.timestamp));
            emit RateLimitSet(key, g.capacity);
        } else {
            // GOV_SET_PAUSER (decodeGovernance admits no other action)
            if (uint256(g.pauser) >> 160 != 0) revert InvalidRecipient(g.pauser);
            pauser = address(uint160(uint256(g.pauser)));
            emit PauserSet(pauser);
        }
        config = c;
    }

    /// @notice Emergency stop by the pauser role. Only a governance message can unpause.
    function pause() external {
        if (msg.sender != pauser || msg.sender == address(0)) revert NotPauser(msg.sender);
        config.paused = true;
        emit Paused(msg.sender);
    }

    // ------------------------------------------------------------------ views

    /// @notice Whether the message `nonce` of `sourceChain` was delivered here (governance: source 0 and its
    /// nonce). Its bit is set once and never cleared; messages may be delivered in any order.
    function isConsumed(uint32 sourceChain, uint64 nonce) external view returns (bool) {
        return (_consumed[sourceChain][nonce >> 8] >> (nonce & 0xff)) & 1 != 0;
    }

    /// @notice The consumed bits of nonces `256 * wordIndex` to `256 * wordIndex + 255` of `sourceChain`:
    /// bit i (`(word >> i) & 1`) is nonce `256 * wordIndex + i`, so a relayer checks 256 nonces with one read.
    function consumedWord(uint32 sourceChain, uint64 wordIndex) external view returns (uint256) {
        return _consumed[sourceChain][wordIndex];
    }

    /// @notice The id under which a token's wrapped form and rate limit are kept.
    function tokenKey(uint32 originChain, bytes32 originToken) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(originChain, originToken));
    }

    /// @notice Where the wrapped form of (originChain, originToken) lives or will live on this chain.
    function predictWrappedToken(uint32 originChain, bytes32 originToken) external view returns (address) {
        bytes32 hash = keccak256(
            abi.encodePacked(
                bytes1(0xff),
                address(this),
                tokenKey(originChain, originToken),
                keccak256(type(WrappedToken).creationCode)
            )
        );
        return address(uint160(uint256(hash)));
    }

    // ------------------------------------------------------------------ token metadata

    function _decimalsOf(address token) private view returns (uint8) {
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSelector(0x313ce567)); // decimals()
        if (!ok || ret.length < 32) revert TokenMetadataUnavailable(token);
        uint256 d = abi.decode(ret, (uint256));
        if (d > type(uint8).max) revert TokenMetadataUnavailable(token);
        return uint8(d);
    }

    /// @dev name()/symbol() as bytes32: ABI string (first 32 bytes) or a bytes32 return; empty if absent.
    function _string32(address token, bytes4 selector) private view returns (bytes32 out) {
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSelector(selector));
        if (!ok) return bytes32(0);
        if (ret.length == 32) return bytes32(ret);
        if (ret.length < 64) return bytes32(0);
        uint256 offset;
        uint256 len;
        assembly ("memory-safe") {
            offset := mload(add(ret, 32))
        }
        if (offset > ret.length - 32) return bytes32(0);
        assembly ("memory-safe") {
            len := mload(add(add(ret, 32), offset))
        }
        if (len > ret.length - 32 - offset) return bytes32(0);
        assembly ("memory-safe") {
            out := mload(add(add(ret, 64), offset))
        }
        if (len < 32) out &= bytes32(~(type(uint256).max >> (len * 8)));
    }
}
