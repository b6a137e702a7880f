// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Bridge} from "../src/Bridge.sol";
import {MessageCodec, MessageHeader, TokenTransfer} from "../src/MessageCodec.sol";
import {SAHToken} from "../src/SAHToken.sol";
import {WrappedToken} from "../src/WrappedToken.sol";
import {FrostTestBase} from "./utils/FrostTestBase.sol";
import {ProtocolRef} from "./utils/ProtocolRef.sol";

/// @notice Random sequences of valid deliveries, burns, locks and unlocks, mixed with replays, forgeries,
/// misrouted messages and signatures made for another bridge instance. The ghost counters are what valid messages allowed; the invariants compare
/// the chain's state with them.
contract BridgeHandler is FrostTestBase {
    uint32 internal constant HOME = 1;
    uint32 internal constant REMOTE = 2;
    bytes32 internal constant REMOTE_TOKEN = keccak256("remote token");

    Bridge public bridge;
    SAHToken public sah;
    TestKey internal key;
    TestKey internal stranger;
    address[3] internal actors;
    uint64 internal inboundNonce;

    bytes[] internal deliveredMessages;
    bytes[] internal deliveredSignatures;

    uint256 public ghostMinted;
    uint256 public ghostBurned;
    uint256 public ghostLocked;
    uint256 public ghostUnlocked;
    uint256 public ghostDeliveries;
    uint256 public ghostViolations; // replays, forgeries, misroutes, other instances or over-unlocks that went through

    constructor(Bridge bridge_, SAHToken sah_, TestKey memory key_) {
        bridge = bridge_;
        sah = sah_;
        key = key_;
        stranger = makeKey(uint256(keccak256("stranger")));
        for (uint256 i = 0; i < 3; i++) {
            actors[i] = address(uint160(0x1000 + i));
            vm.prank(actors[i]);
            sah.approve(address(bridge), type(uint256).max);
        }
    }

    function wrapped() public view returns (WrappedToken) {
        return WrappedToken(bridge.predictWrappedToken(REMOTE, REMOTE_TOKEN));
    }

    function _message(uint32 destination, uint32 originChain, bytes32 originToken, address to, uint128 amount)
        internal
        returns (bytes memory)
    {
        return MessageCodec.encodeTokenTransfer(
            MessageHeader(1, REMOTE, destination, ++inboundNonce, bytes32(uint256(1)), bytes32(uint256(uint160(to)))),
            TokenTransfer(originChain, originToken, amount, 18, bytes32("W"), bytes32("Wrapped"))
        );
    }

    /// Signed for `destination` as this bridge's instance (this EVM chain, its address) sees it.
    function _sign(TestKey memory k, uint32 destination, bytes memory m) internal returns (bytes memory) {
        return signDigest(k, digestFor(address(bridge), destination, 1, ProtocolRef.leaf(keccak256(m))));
    }

    function mintRemote(uint256 actor, uint128 amount) external {
        amount = uint128(bound(amount, 1, 1e27));
        bytes memory m = _message(HOME, REMOTE, REMOTE_TOKEN, actors[actor % 3], amount);
        bytes memory sig = _sign(key, HOME, m);
        bridge.receiveMessage(m, 1, sig);
        ghostMinted += amount;
        ghostDeliveries++;
        deliveredMessages.push(m);
        deliveredSignatures.push(sig);
    }

    function burnWrapped(uint256 actor, uint256 amount) external {
        address a = actors[actor % 3];
        WrappedToken w = wrapped();
        if (address(w).code.length == 0) return;
        uint256 balance = w.balanceOf(a);
        if (balance == 0) return;
        amount = bound(amount, 1, balance);
        vm.prank(a);
        bridge.burn(address(w), amount, REMOTE, bytes32(uint256(7)));
        ghostBurned += amount;
    }

    function lockSah(uint256 actor, uint256 amount) external {
        address a = actors[actor % 3];
        amount = bound(amount, 1, 1e24);
        deal(address(sah), a, sah.balanceOf(a) + amount);
        vm.prank(a);
        bridge.lock(address(sah), amount, REMOTE, bytes32(uint256(9)));
        ghostLocked += amount;
    }

    /// Sometimes asks for more than is locked: that must fail.
    function unlockSah(uint256 actor, uint128 amount) external {
        amount = uint128(bound(amount, 1, ghostLocked - ghostUnlocked + 10));
        bytes memory m = _message(HOME, HOME, bytes32(uint256(uint160(address(sah)))), actors[actor % 3], amount);
        bytes memory sig = _sign(key, HOME, m);
        bool allowed = amount <= ghostLocked - ghostUnlocked;
        try bridge.receiveMessage(m, 1, sig) {
            if (!allowed) ghostViolations++;
            ghostUnlocked += amount;
            ghostDeliveries++;
            deliveredMessages.push(m);
            deliveredSignatures.push(sig);
        } catch {
            if (allowed) ghostViolations++;
        }
    }

    function replay(uint256 index) external {
        if (deliveredMessages.length == 0) return;
        index = index % deliveredMessages.length;
        try bridge.receiveMessage(deliveredMessages[index], 1, deliveredSignatures[index]) {
            ghostViolations++;
        } catch {}
    }

    function forge(uint256 actor, uint128 amount) external {
        amount = uint128(bound(amount, 1, 1e27));
        bytes memory m = _message(HOME, REMOTE, REMOTE_TOKEN, actors[actor % 3], amount);
        try bridge.receiveMessage(m, 1, _sign(stranger, HOME, m)) {
            ghostViolations++;
        } catch {}
    }

    function misroute(uint256 actor, uint128 amount) external {
        amount = uint128(bound(amount, 1, 1e27));
        bytes memory m = _message(3, REMOTE, REMOTE_TOKEN, actors[actor % 3], amount);
        bytes memory sig = _sign(key, 3, m);
        try bridge.receiveMessage(m, 1, sig) {
            ghostViolations++;
        } catch {}
    }

    /// The right key, chain id and epoch, but signed for another instance: another bridge address on this
    /// chain, or this address on another EVM chain (a fork keeping the address).
    function wrongInstance(uint256 actor, uint128 amount, bool otherAddress) external {
        amount = uint128(bound(amount, 1, 1e27));
        bytes memory m = _message(HOME, REMOTE, REMOTE_TOKEN, actors[actor % 3], amount);
        bytes32 leaf = ProtocolRef.leaf(keccak256(m));
        bytes32 b = bytes32(uint256(uint160(address(bridge))));
        bytes32 d = otherAddress
            ? ProtocolRef.digest(1, HOME, bytes32(block.chainid), bytes32(uint256(b) ^ 1), leaf)
            : ProtocolRef.digest(1, HOME, bytes32(block.chainid + 1), b, leaf);
        try bridge.receiveMessage(m, 1, signDigest(key, d)) {
            ghostViolations++;
        } catch {}
    }

    function allDeliveredConsumed() external view returns (bool) {
        for (uint256 i = 0; i < deliveredMessages.length; i++) {
            if (!consumedOn(bridge, deliveredMessages[i])) return false;
        }
        return true;
    }
}

contract BridgeInvariantTest is FrostTestBase {
    BridgeHandler internal handler;
    Bridge internal bridge;
    SAHToken internal sah;

    function setUp() public {
        TestKey memory key = makeKey(uint256(keccak256("invariant key")));
        bridge = new Bridge(1, 1, key.x, key.parity, address(0));
        sah = new SAHToken(address(this), 0);
        handler = new BridgeHandler(bridge, sah, key);
        targetContract(address(handler));
        bytes4[] memory actions = new bytes4[](8);
        actions[0] = BridgeHandler.mintRemote.selector;
        actions[1] = BridgeHandler.burnWrapped.selector;
        actions[2] = BridgeHandler.lockSah.selector;
        actions[3] = BridgeHandler.unlockSah.selector;
        actions[4] = BridgeHandler.replay.selector;
        actions[5] = BridgeHandler.forge.selector;
        actions[6] = BridgeHandler.misroute.selector;
        actions[7] = BridgeHandler.wrongInstance.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: actions}));
    }

    /// Wrapped supply is exactly what valid messages minted minus what was burned: never more.
    function invariant_wrappedSupplyMatchesValidMints() public view {
        uint256 supply = address(handler.wrapped()).code.length == 0 ? 0 : handler.wrapped().totalSupply();
        assertEq(supply, handler.ghostMinted() - handler.ghostBurned());
        assertLe(supply, handler.ghostMinted());
    }

    /// Home tokens held equal locked minus unlocked; unlocks never exceed locks.
    function invariant_lockedHomeTokensBackEveryUnlock() public view {
        assertEq(bridge.locked(address(sah)), handler.ghostLocked() - handler.ghostUnlocked());
        assertEq(sah.balanceOf(address(bridge)), bridge.locked(address(sah)));
    }

    /// No replay, forgery, misrouted message, other instance's signature or over-unlock ever went through; no
    /// message id twice.
    function invariant_noMessageConsumedTwiceAndNoForgery() public view {
        assertEq(handler.ghostViolations(), 0);
        assertTrue(handler.allDeliveredConsumed());
    }
}
