// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Vm} from "forge-std/Test.sol";
import {Bridge} from "../src/Bridge.sol";
import {FrostVerifier} from "../src/FrostVerifier.sol";
import {
    InvalidChainRoute,
    MessageCodec,
    MessageHeader,
    MessageTooShort,
    PayloadLength,
    TokenTransfer,
    ZeroAmount
} from "../src/MessageCodec.sol";
import {WrappedToken} from "../src/WrappedToken.sol";
import {BridgeTestBase, FeeToken, NoDecimalsToken} from "./utils/BridgeTestBase.sol";
import {HashingHarness} from "./utils/HashingHarness.sol";
import {ProtocolRef} from "./utils/ProtocolRef.sol";

contract BridgeTest is BridgeTestBase {
    // ------------------------------------------------------------------ lock

    function test_lockEmitsTheEncodedMessageAndStoresItsId() public {
        vm.recordLogs();
        vm.prank(alice);
        (uint64 nonce, bytes32 id) = bridge.lock(address(sah), 100 ether, REMOTE, keccak256("cosmos bob"));
        assertEq(nonce, 1);
        assertEq(bridge.outboundMessageId(1), id);
        assertEq(bridge.locked(address(sah)), 100 ether);
        assertEq(sah.balanceOf(address(bridge)), 100 ether);

        Vm.Log[] memory logs = vm.getRecordedLogs();
        bytes memory message = abi.decode(logs[logs.length - 1].data, (bytes));
        assertEq(keccak256(message), id);
        bytes memory expected = MessageCodec.encodeTokenTransfer(
            MessageHeader(1, HOME, REMOTE, 1, b32(alice), keccak256("cosmos bob")),
            TokenTransfer(HOME, b32(address(sah)), 100 ether, 18, bytes32("SAH"), bytes32("SAH Token"))
        );
        assertEq(message, expected);

        vm.prank(alice);
        (uint64 second,) = bridge.lock(address(sah), 1, THIRD, keccak256("dot bob"));
        assertEq(second, 2);
    }

    function test_lockRevertsOnBadArguments() public {
        vm.startPrank(alice);
        vm.expectRevert(ZeroAmount.selector);
        bridge.lock(address(sah), 0, REMOTE, keccak256("r"));
        vm.expectRevert(abi.encodeWithSelector(Bridge.AmountTooLarge.selector, uint256(type(uint128).max) + 1));
        bridge.lock(address(sah), uint256(type(uint128).max) + 1, REMOTE, keccak256("r"));
        vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidDestination.selector, HOME));
        bridge.lock(address(sah), 1, HOME, keccak256("r"));
        vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidDestination.selector, 0));
        bridge.lock(address(sah), 1, 0, keccak256("r"));
        vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidRecipient.selector, bytes32(0)));
        bridge.lock(address(sah), 1, REMOTE, bytes32(0));
        vm.stopPrank();
        assertEq(bridge.outboundNonce(), 0);
    }

    function test_lockAccountsForFeeOnTransferTokens() public {
        FeeToken fee = new FeeToken(alice);
        vm.startPrank(alice);
        fee.approve(address(bridge), type(uint256).max);
        bridge.lock(address(fee), 1000, REMOTE, keccak256("r"));
        vm.stopPrank();
        assertEq(bridge.locked(address(fee)), 990);
    }

    function test_lockRefusesTokensWithoutDecimals() public {
        NoDecimalsToken t = new NoDecimalsToken(alice);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Bridge.TokenMetadataUnavailable.selector, address(t)));
        bridge.lock(address(t), 1, REMOTE, keccak256("r"));
    }

    function test_lockRefusesWrappedTokens() public {
        deliver(remoteTransfer(alice, 10));
        address w = bridge.wrappedToken(bridge.tokenKey(REMOTE, keccak256("remote token")));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Bridge.CannotLockWrappedToken.selector, w));
        bridge.lock(w, 1, THIRD, keccak256("r"));
    }

    // ------------------------------------------------------------------ receive: mint and unlock

    function test_firstTransferDeploysTheWrappedTokenDeterministically() public {
        bytes32 origin = keccak256("remote token");
        address predicted = bridge.predictWrappedToken(REMOTE, origin);
        deliver(remoteTransfer(bob, 5_000_000));
        WrappedToken w = WrappedToken(predicted);
        assertEq(bridge.wrappedToken(bridge.tokenKey(REMOTE, origin)), predicted);
        assertEq(w.balanceOf(bob), 5_000_000);
        assertEq(w.name(), "Remote Token");
        assertEq(w.symbol(), "RMT");
        assertEq(w.decimals(), 6);
        assertEq(w.originChain(), REMOTE);
        assertEq(w.originToken(), origin);
        deliver(remoteTransfer(alice, 7));
        assertEq(w.totalSupply(), 5_000_007);
    }

    function test_unlockReleasesLockedHomeTokens() public {
        vm.prank(alice);
        bridge.lock(address(sah), 100 ether, REMOTE, keccak256("r"));
        deliver(transferMessage(REMOTE, HOME, HOME, b32(address(sah)), bob, 40 ether));
        assertEq(sah.balanceOf(bob), 40 ether);
        assertEq(bridge.locked(address(sah)), 60 ether);

        bytes memory tooMuch = transferMessage(REMOTE, HOME, HOME, b32(address(sah)), bob, 61 ether);
        bytes memory sig = sign(key, 1, tooMuch);
        vm.expectRevert(abi.encodeWithSelector(Bridge.InsufficientLocked.selector, address(sah), 60 ether, 61 ether));
        bridge.receiveMessage(tooMuch, 1, sig);
    }

    function test_burnSendsWrappedTokensOnAndBack() public {
        deliver(remoteTransfer(alice, 1000));
        address w = bridge.predictWrappedToken(REMOTE, keccak256("remote token"));
        vm.recordLogs();
        vm.prank(alice);
        (uint64 nonce, bytes32 id) = bridge.burn(w, 400, THIRD, keccak256("dot alice"));
        assertEq(WrappedToken(w).totalSupply(), 600);
        assertEq(bridge.outboundMessageId(nonce), id);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bytes memory message = abi.decode(logs[logs.length - 1].data, (bytes));
        bytes memory expected = MessageCodec.encodeTokenTransfer(
            MessageHeader(1, HOME, THIRD, nonce, b32(alice), keccak256("dot alice")),
            TokenTransfer(REMOTE, keccak256("remote token"), 400, 6, bytes32("RMT"), bytes32("Remote Token"))
        );
        assertEq(message, expected);

        vm.prank(alice);
        vm.expectRevert(); // ERC20InsufficientBalance
        bridge.burn(w, 601, REMOTE, keccak256("x"));
        vm.expectRevert(abi.encodeWithSelector(Bridge.UnknownWrappedToken.selector, address(sah)));
        bridge.burn(address(sah), 1, REMOTE, keccak256("x"));
    }

    function test_onlyTheBridgeMintsAndBurnsWrappedTokens() public {
        deliver(remoteTransfer(alice, 1000));
        WrappedToken w = WrappedToken(bridge.predictWrappedToken(REMOTE, keccak256("remote token")));
        vm.expectRevert(abi.encodeWithSelector(WrappedToken.OnlyBridge.selector, address(this)));
        w.mint(address(this), 1);
        vm.expectRevert(abi.encodeWithSelector(WrappedToken.OnlyBridge.selector, address(this)));
        w.burn(alice, 1);
    }

    function test_batchDeliveryWithMerkleProof() public {
        bytes[] memory batch = new bytes[](3);
        batch[0] = remoteTransfer(alice, 1);
        batch[1] = remoteTransfer(bob, 2);
        batch[2] = remoteTransfer(alice, 3);
        (bytes memory m1, bytes memory m2, bytes memory m3) = (batch[0], batch[1], batch[2]);
        bytes32[] memory ids = ProtocolRef.ids(batch);
        // leaves under the 0x00 prefix, the inner node under 0x01, the odd third leaf moving up
        bytes32 l1 = keccak256(abi.encodePacked(uint8(0), ids[0]));
        bytes32 l2 = keccak256(abi.encodePacked(uint8(0), ids[1]));
        bytes32 l3 = keccak256(abi.encodePacked(uint8(0), ids[2]));
        bytes32 n12 =
            l1 < l2 ? keccak256(abi.encodePacked(uint8(1), l1, l2)) : keccak256(abi.encodePacked(uint8(1), l2, l1));
        bytes32 root =
            n12 < l3 ? keccak256(abi.encodePacked(uint8(1), n12, l3)) : keccak256(abi.encodePacked(uint8(1), l3, n12));
        assertEq(ProtocolRef.root(ids), root);
        bytes memory sig = signRoot(key, bridge, 1, root);
        bytes32[] memory p1 = new bytes32[](2);
        (p1[0], p1[1]) = (l2, l3);
        bytes32[] memory p3 = new bytes32[](1);
        p3[0] = n12;
        assertEq(abi.encode(ProtocolRef.proof(ids, 0)), abi.encode(p1));
        assertEq(abi.encode(ProtocolRef.proof(ids, 2)), abi.encode(p3));
        bridge.receiveMessageInBatch(m1, p1, 1, sig);
        bridge.receiveMessageInBatch(m3, p3, 1, sig);
        vm.expectRevert(abi.encodeWithSelector(Bridge.MessageAlreadyConsumed.selector, ids[2]));
        bridge.receiveMessageInBatch(m3, p3, 1, sig);
        // m2 with a wrong proof computes another root: the signature does not cover it
        vm.expectRevert(Bridge.InvalidSignature.selector);
        bridge.receiveMessageInBatch(m2, p3, 1, sig);
        // a batch signature is no single-message signature
        vm.expectRevert(Bridge.InvalidSignature.selector);
        bridge.receiveMessage(m2, 1, sig);
    }

    function test_receiveBatchDeliversAllUnderOneSignature() public {
        bytes[] memory batch = new bytes[](3);
        batch[0] = remoteTransfer(alice, 1);
        batch[1] = remoteTransfer(bob, 2);
        batch[2] = remoteTransfer(alice, 3);
        bytes32[] memory ids = ProtocolRef.ids(batch);
        bytes32 root = ProtocolRef.root(ids);
        bytes memory sig = signRoot(key, bridge, 1, root);
        // one of them already delivered on its own with a proof: the batch skips it
        bridge.receiveMessageInBatch(batch[1], ProtocolRef.proof(ids, 1), 1, sig);
        assertEq(bridge.receiveBatch(batch, 1, sig), 2);
        WrappedToken w = WrappedToken(bridge.predictWrappedToken(REMOTE, keccak256("remote token")));
        assertEq(w.balanceOf(alice), 4);
        assertEq(w.balanceOf(bob), 2);
        vm.expectRevert(abi.encodeWithSelector(Bridge.BatchAlreadyDelivered.selector, root));
        bridge.receiveBatch(batch, 1, sig);
        // reordered: another root, the signature does not cover it
        (batch[0], batch[2]) = (batch[2], batch[0]);
        vm.expectRevert(Bridge.InvalidSignature.selector);
        bridge.receiveBatch(batch, 1, sig);
        vm.expectRevert(Bridge.EmptyBatch.selector);
        bridge.receiveBatch(new bytes[](0), 1, sig);
    }

    function test_receiveBatchRefusesGovernanceAndForeignMessages() public {
        bytes[] memory batch = new bytes[](2);
        batch[0] = remoteTransfer(alice, 1);
        batch[1] = governance(abi.encodePacked(uint8(2)));
        bytes memory sig = signRoot(key, bridge, 1, ProtocolRef.root(ProtocolRef.ids(batch)));
        vm.expectRevert(abi.encodeWithSelector(Bridge.GovernanceNotBatchable.selector, keccak256(batch[1])));
        bridge.receiveBatch(batch, 1, sig);
        batch[1] = transferMessage(REMOTE, THIRD, REMOTE, keccak256("remote token"), bob, 1);
        sig = signRoot(key, bridge, 1, ProtocolRef.root(ProtocolRef.ids(batch)));
        vm.expectRevert(abi.encodeWithSelector(Bridge.WrongDestination.selector, THIRD, HOME));
        bridge.receiveBatch(batch, 1, sig);
    }

    /// A governance message signed into a batch (the attacker's route around receiveBatch's refusal: its Merkle
    /// path to a root the set signed) is refused by receiveMessageInBatch too, and the bridge is not paused.
    function test_receiveMessageInBatchRefusesGovernance() public {
        bytes memory transfer = remoteTransfer(alice, 1);
        bytes memory pause = governance(abi.encodePacked(uint8(2)));
        bytes32[] memory ids = new bytes32[](2);
        (ids[0], ids[1]) = (keccak256(transfer), keccak256(pause));
        bytes memory sig = signRoot(key, bridge, 1, ProtocolRef.root(ids));
        vm.expectRevert(abi.encodeWithSelector(Bridge.GovernanceNotBatchable.selector, ids[1]));
        bridge.receiveMessageInBatch(pause, ProtocolRef.proof(ids, 1), 1, sig);
        assertFalse(consumedOn(bridge, pause));
        assertFalse(bridge.paused());
        // the transfer of the same batch is delivered as usual
        bridge.receiveMessageInBatch(transfer, ProtocolRef.proof(ids, 0), 1, sig);
        assertTrue(consumedOn(bridge, transfer));
    }

    /// The wrapped supply stops at 2^128 - 1, as on CosmWasm and the pallet: a delivery past it is refused and
    /// undone (nothing minted, the message not consumed).
    function test_wrappedSupplyIsCappedAtU128Max() public {
        deliver(remoteTransfer(alice, type(uint128).max));
        WrappedToken w = WrappedToken(bridge.predictWrappedToken(REMOTE, keccak256("remote token")));
        assertEq(w.totalSupply(), type(uint128).max);
        bytes memory one = remoteTransfer(bob, 1);
        bytes memory sig = sign(key, 1, one);
        vm.expectRevert(abi.encodeWithSelector(WrappedToken.AmountTooLarge.selector, 1));
        bridge.receiveMessage(one, 1, sig);
        assertFalse(consumedOn(bridge, one));
        assertEq(w.balanceOf(bob), 0);
        // once some is burned home, the same message fits
        vm.prank(alice);
        bridge.burn(address(w), 1, REMOTE, keccak256("home"));
        bridge.receiveMessage(one, 1, sig);
        assertEq(w.balanceOf(bob), 1);
    }

    // ------------------------------------------------------------------ receive: rejections

    function test_replayIsRejected() public {
        bytes memory m = remoteTransfer(bob, 1);
        bytes memory sig = sign(key, 1, m);
        bytes32 id = bridge.receiveMessage(m, 1, sig);
        assertTrue(consumedOn(bridge, m));
        vm.expectRevert(abi.encodeWithSelector(Bridge.MessageAlreadyConsumed.selector, id));
        bridge.receiveMessage(m, 1, sig);
        vm.expectRevert(abi.encodeWithSelector(Bridge.MessageAlreadyConsumed.selector, id));
        bridge.receiveMessage(m, 1, rfcForm(sig));
    }

    function test_wrongDestinationIsRejected() public {
        bytes memory m = transferMessage(REMOTE, THIRD, REMOTE, keccak256("remote token"), bob, 1);
        bytes memory sig = signDigest(key, digestFor(address(bridge), THIRD, 1, ProtocolRef.leaf(keccak256(m))));
        vm.expectRevert(abi.encodeWithSelector(Bridge.WrongDestination.selector, THIRD, HOME));
        bridge.receiveMessage(m, 1, sig);
    }

    function test_signatureForAnotherChainOrEpochIsRejected() public {
        bytes memory m = remoteTransfer(bob, 1);
        bytes memory otherChain = signDigest(key, digestFor(address(bridge), THIRD, 1, ProtocolRef.leaf(keccak256(m))));
        vm.expectRevert(Bridge.InvalidSignature.selector);
        bridge.receiveMessage(m, 1, otherChain);
        bytes memory epoch2 = sign(key, 2, m);
        vm.expectRevert(abi.encodeWithSelector(Bridge.UnknownEpoch.selector, 2, 1));
        bridge.receiveMessage(m, 2, epoch2);
        bytes memory epoch0 = sign(key, 0, m);
        vm.expectRevert(abi.encodeWithSelector(Bridge.UnknownEpoch.selector, 0, 1));
        bridge.receiveMessage(m, 0, epoch0);
    }

    function test_badSignaturesAreRejected() public {
        bytes memory m = remoteTransfer(bob, 1);
        TestKey memory stranger = makeKey(12345);
        bytes memory strangerSig = sign(stranger, 1, m);
        vm.expectRevert(Bridge.InvalidSignature.selector);
        bridge.receiveMessage(m, 1, strangerSig);
        bytes memory sig = sign(key, 1, m);
        sig[40] = bytes1(uint8(sig[40]) ^ 1);
        vm.expectRevert(Bridge.InvalidSignature.selector);
        bridge.receiveMessage(m, 1, sig);
        vm.expectRevert(abi.encodeWithSelector(FrostVerifier.InvalidSignatureLength.selector, 64));
        bridge.receiveMessage(m, 1, new bytes(64));
        assertFalse(consumedOn(bridge, m));
    }

    function test_malformedMessagesAreRejectedWithNamedErrors() public {
        bytes memory m = remoteTransfer(bob, 1);
        bytes memory shortPayload = new bytes(m.length - 1);
        for (uint256 i = 0; i < shortPayload.length; i++) {
            shortPayload[i] = m[i];
        }
        bytes memory sig = sign(key, 1, shortPayload);
        vm.expectRevert(abi.encodeWithSelector(PayloadLength.selector, 1, 116));
        bridge.receiveMessage(shortPayload, 1, sig);

        bytes memory governanceFromChain = remoteTransfer(bob, 1);
        governanceFromChain[1] = bytes1(uint8(5));
        sig = sign(key, 1, governanceFromChain);
        vm.expectRevert(abi.encodeWithSelector(InvalidChainRoute.selector, REMOTE, HOME));
        bridge.receiveMessage(governanceFromChain, 1, sig);
    }

    function test_recipientMustBeAnAddress() public {
        bytes memory m = remoteTransfer(bob, 1);
        m[50] = 0x01; // set a byte above the 20-byte address
        bytes memory sig = sign(key, 1, m);
        vm.expectPartialRevert(Bridge.InvalidRecipient.selector);
        bridge.receiveMessage(m, 1, sig);
    }

    function test_homeTokenMustBeAnAddress() public {
        bytes memory m = transferMessage(REMOTE, HOME, HOME, bytes32(type(uint256).max), bob, 1);
        bytes memory sig = sign(key, 1, m);
        vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidTokenAddress.selector, bytes32(type(uint256).max)));
        bridge.receiveMessage(m, 1, sig);
    }

    function test_kindsWithoutAHandlerAreRejected() public {
        bytes memory m = abi.encodePacked(
            uint8(1),
            uint8(4),
            REMOTE,
            HOME,
            uint64(1),
            bytes32(0),
            b32(bob),
            abi.encodePacked(uint8(2), keccak256("job"), bytes32(0), bytes32(0), uint64(1))
        );
        bytes memory sig = sign(key, 1, m);
        vm.expectRevert(abi.encodeWithSelector(Bridge.UnsupportedKind.selector, 4));
        bridge.receiveMessage(m, 1, sig);
    }

    // ------------------------------------------------------------------ governance

    function test_keyRotationWithGracePeriod() public {
        TestKey memory next = makeKey(uint256(keccak256("next key")));
        bytes memory inFlight = remoteTransfer(bob, 1); // signed under epoch 1, delivered later
        bytes memory inFlightSig = sign(key, 1, inFlight);
        bytes memory late = remoteTransfer(bob, 2);
        bytes memory lateSig = sign(key, 1, late);

        deliver(governance(rotatePayload(2, next, 1 hours)));
        (uint32 epoch,,, uint64 expiry,,) = bridge.config();
        assertEq(epoch, 2);
        assertEq(bridge.keyX(), next.x);
        assertEq(expiry, block.timestamp + 1 hours);

        // the old key still delivers inside the grace period
        bridge.receiveMessage(inFlight, 1, inFlightSig);
        // the new key works
        bytes memory fresh = remoteTransfer(bob, 3);
        bridge.receiveMessage(fresh, 2, sign(next, 2, fresh));
        // the old key may not govern
        bytes memory gov = governance(abi.encodePacked(uint8(2)));
        bytes memory govSig = sign(key, 1, gov);
        vm.expectRevert(abi.encodeWithSelector(Bridge.GovernanceRequiresCurrentEpoch.selector, 1, 2));
        bridge.receiveMessage(gov, 1, govSig);

        // after the grace period: never again
        vm.warp(block.timestamp + 1 hours + 1);
        vm.expectRevert(abi.encodeWithSelector(Bridge.EpochExpired.selector, 1, expiry));
        bridge.receiveMessage(late, 1, lateSig);
    }

    function test_rotationTwiceForgetsTheOldestKey() public {
        TestKey memory k2 = makeKey(2);
        TestKey memory k3 = makeKey(3);
        deliver(governance(rotatePayload(2, k2, 1 days)));
        bytes memory r2 = governance(rotatePayload(3, k3, 1 days));
        bridge.receiveMessage(r2, 2, sign(k2, 2, r2));
        bytes memory m = remoteTransfer(bob, 1);
        bytes memory sig = sign(key, 1, m);
        vm.expectRevert(abi.encodeWithSelector(Bridge.UnknownEpoch.selector, 1, 3));
        bridge.receiveMessage(m, 1, sig);
    }

    function test_zeroGraceRetiresTheOldKeyAtOnce() public {
        deliver(governance(rotatePayload(2, makeKey(9), 0)));
        bytes memory m = remoteTransfer(bob, 1);
        bytes memory sig = sign(key, 1, m);
        vm.expectRevert(abi.encodeWithSelector(Bridge.UnknownEpoch.selector, 1, 2));
        bridge.receiveMessage(m, 1, sig);
    }

    function test_rotationRules() public {
        TestKey memory next = makeKey(4);
        bytes memory skip = governance(rotatePayload(3, next, 0));
        bytes memory sig = sign(key, 1, skip);
        vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidEpochTransition.selector, 3, 1));
        bridge.receiveMessage(skip, 1, sig);

        bytes memory longGrace = governance(rotatePayload(2, next, 31 days));
        sig = sign(key, 1, longGrace);
        vm.expectRevert(abi.encodeWithSelector(Bridge.GracePeriodTooLong.selector, 31 days));
        bridge.receiveMessage(longGrace, 1, sig);

        bytes memory badKey = governance(abi.encodePacked(uint8(1), uint32(2), uint8(2), uint256(5), uint32(0)));
        sig = sign(key, 1, badKey);
        vm.expectRevert(FrostVerifier.InvalidGroupKey.selector);
        bridge.receiveMessage(badKey, 1, sig);
    }

    function test_governanceNonceOnlyMovesForward() public {
        bytes memory pause = governance(abi.encodePacked(uint8(2))); // nonce 1
        bytes memory unpause = governance(abi.encodePacked(uint8(3))); // nonce 2
        bytes memory pauseSig = sign(key, 1, pause);
        deliver(unpause);
        // the older pause, never delivered, cannot be played after the newer unpause
        vm.expectRevert(abi.encodeWithSelector(Bridge.StaleGovernanceNonce.selector, 1, 2));
        bridge.receiveMessage(pause, 1, pauseSig);
    }

    function test_governanceMustTargetThisBridge() public {
        bytes memory m =
            abi.encodePacked(uint8(1), uint8(5), uint32(0), HOME, uint64(1), bytes32(0), b32(address(0xb0b)), uint8(2));
        bytes memory sig = sign(key, 1, m);
        vm.expectRevert(abi.encodeWithSelector(Bridge.WrongGovernanceTarget.selector, b32(address(0xb0b))));
        bridge.receiveMessage(m, 1, sig);
    }

    function test_pauseStopsEverythingButGovernance() public {
        vm.prank(makeAddr("mallory"));
        vm.expectRevert(abi.encodeWithSelector(Bridge.NotPauser.selector, makeAddr("mallory")));
        bridge.pause();

        vm.prank(guardian);
        bridge.pause();
        vm.prank(alice);
        vm.expectRevert(Bridge.BridgePaused.selector);
        bridge.lock(address(sah), 1, REMOTE, keccak256("r"));
        bytes memory m = remoteTransfer(bob, 1);
        bytes memory sig = sign(key, 1, m);
        vm.expectRevert(Bridge.BridgePaused.selector);
        bridge.receiveMessage(m, 1, sig);
        assertFalse(consumedOn(bridge, m));

        // the pauser has no way to unpause; governance does
        deliver(governance(abi.encodePacked(uint8(3))));
        bridge.receiveMessage(m, 1, sig);
        assertTrue(consumedOn(bridge, m));

        deliver(governance(abi.encodePacked(uint8(2))));
        (,,,, bool paused,) = bridge.config();
        assertTrue(paused);
    }

    function test_setPauser() public {
        deliver(governance(abi.encodePacked(uint8(5), b32(bob))));
        assertEq(bridge.pauser(), bob);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Bridge.NotPauser.selector, guardian));
        bridge.pause();
        deliver(governance(abi.encodePacked(uint8(5), bytes32(0))));
        vm.prank(address(0));
        vm.expectRevert(abi.encodeWithSelector(Bridge.NotPauser.selector, address(0)));
        bridge.pause();
    }

    function test_inboundRateLimitIsATokenBucket() public {
        bytes32 origin = keccak256("remote token");
        bytes32 tokenKey = bridge.tokenKey(REMOTE, origin);
        deliver(governance(abi.encodePacked(uint8(4), REMOTE, origin, uint128(1000))));
        deliver(remoteTransfer(bob, 600));
        bytes memory m = remoteTransfer(bob, 500);
        bytes memory sig = sign(key, 1, m);
        vm.expectRevert(abi.encodeWithSelector(Bridge.RateLimitExceeded.selector, tokenKey, 500, 400));
        bridge.receiveMessage(m, 1, sig);
        // a quarter of a day refills a quarter of the capacity
        vm.warp(block.timestamp + 6 hours);
        bridge.receiveMessage(m, 1, sig);
        (uint128 capacity, uint128 available,) = bridge.rateLimits(tokenKey);
        assertEq(capacity, 1000);
        assertEq(available, 150);
        // never refills past capacity
        vm.warp(block.timestamp + 10 days);
        deliver(remoteTransfer(bob, 1000));
        // capacity 0 lifts the limit
        deliver(governance(abi.encodePacked(uint8(4), REMOTE, origin, uint128(0))));
        deliver(remoteTransfer(bob, 1_000_000));
    }

    function test_constructorRejectsBadKeys() public {
        vm.expectRevert(FrostVerifier.InvalidGroupKey.selector);
        new Bridge(HOME, 1, FrostVerifier.N + 1, 0, address(0));
        vm.expectRevert(FrostVerifier.InvalidGroupKey.selector);
        new Bridge(HOME, 1, key.x, 2, address(0));
        vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidDestination.selector, 0));
        new Bridge(0, 1, key.x, key.parity, address(0));
    }

    /// Epoch 0 is no epoch, and 2^32 - 1 could never rotate: both refused by name; anything between starts there.
    function test_constructorRejectsUnusableStartingEpochs() public {
        vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidStartingEpoch.selector, 0));
        new Bridge(HOME, 0, key.x, key.parity, address(0));
        vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidStartingEpoch.selector, type(uint32).max));
        new Bridge(HOME, type(uint32).max, key.x, key.parity, address(0));
        vm.expectEmit();
        emit Bridge.KeyRotated(type(uint32).max - 1, key.x, key.parity, 0);
        Bridge last = new Bridge(HOME, type(uint32).max - 1, key.x, key.parity, address(0));
        (uint32 epoch,,,,,) = last.config();
        assertEq(epoch, type(uint32).max - 1);
    }

    // ------------------------------------------------------------------ attacks: the verifying instance, epochs

    /// (a) Replay across instances: a second Bridge with the same protocol chain id, epoch and key (a redeployment
    /// or a parallel deployment) refuses every message signed for the first: alone, governance, in a batch.
    function test_attack_secondInstanceRefusesEverySignatureForTheFirst() public {
        Bridge second = new Bridge(HOME, 1, key.x, key.parity, guardian);
        bytes memory m = remoteTransfer(bob, 1);
        bytes memory sig = sign(key, 1, m);
        vm.expectRevert(Bridge.InvalidSignature.selector);
        second.receiveMessage(m, 1, sig);
        bridge.receiveMessage(m, 1, sig);
        vm.expectRevert(Bridge.InvalidSignature.selector);
        second.receiveMessage(m, 1, sig);
        vm.expectRevert(Bridge.InvalidSignature.selector);
        second.receiveMessage(m, 1, rfcForm(sig));
        assertFalse(consumedOn(second, m));
        // signed for the second, it delivers there: the instance is all that differed
        second.receiveMessage(m, 1, signMessage(key, second, 1, m));

        // governance naming the second as its target, signed for the first
        bytes memory pause = abi.encodePacked(
            uint8(1), uint8(5), uint32(0), HOME, uint64(1), bytes32(0), b32(address(second)), uint8(2)
        );
        bytes memory pauseSig = sign(key, 1, pause);
        vm.expectRevert(Bridge.InvalidSignature.selector);
        second.receiveMessage(pause, 1, pauseSig);
        assertFalse(second.paused());

        // a batch signed for the first: whole, and message by message
        bytes[] memory batch = new bytes[](3);
        batch[0] = remoteTransfer(alice, 2);
        batch[1] = remoteTransfer(bob, 3);
        batch[2] = remoteTransfer(alice, 4);
        bytes32[] memory ids = ProtocolRef.ids(batch);
        bytes memory batchSig = signRoot(key, bridge, 1, ProtocolRef.root(ids));
        vm.expectRevert(Bridge.InvalidSignature.selector);
        second.receiveBatch(batch, 1, batchSig);
        for (uint256 i = 0; i < 3; i++) {
            vm.expectRevert(Bridge.InvalidSignature.selector);
            second.receiveMessageInBatch(batch[i], ProtocolRef.proof(ids, i), 1, batchSig);
        }
        assertEq(bridge.receiveBatch(batch, 1, batchSig), 3);
    }

    /// (a) A signature made for another EVM chain id with this bridge's address (a fork keeping the address, or
    /// a deployment at the same address elsewhere) is refused; on the chain it was made for, it delivers.
    function test_attack_signatureForAnotherEvmChainIdIsRefused() public {
        uint256 here = block.chainid;
        bytes memory m = remoteTransfer(bob, 1);
        bytes32 leaf = ProtocolRef.leaf(keccak256(m));
        bytes memory elsewhere =
            signDigest(key, ProtocolRef.digest(1, HOME, bytes32(here + 1), b32(address(bridge)), leaf));
        vm.expectRevert(Bridge.InvalidSignature.selector);
        bridge.receiveMessage(m, 1, elsewhere);
        vm.expectRevert(Bridge.InvalidSignature.selector);
        bridge.receiveMessage(m, 1, rfcForm(elsewhere));
        uint256 s = vm.snapshotState();
        vm.chainId(here + 1);
        bridge.receiveMessage(m, 1, elsewhere);
        assertTrue(consumedOn(bridge, m));
        vm.revertToState(s);

        // the fork: the same contract and state, block.chainid changed under it
        bytes memory m2 = remoteTransfer(bob, 2);
        bytes memory sig2 = sign(key, 1, m2);
        vm.chainId(here + 1);
        vm.expectRevert(Bridge.InvalidSignature.selector);
        bridge.receiveMessage(m2, 1, sig2);
        vm.chainId(here);
        bridge.receiveMessage(m2, 1, sig2);
    }

    /// (b) An inner node of a signed batch presented as a message with the rest of its path: its 65-byte preimage
    /// (whose id the node is) is refused by name, and taken as a message id the node is hashed as a leaf, so the
    /// path leads to another root (the hashing alone refuses it: BatchMerkle.t.sol for any batch).
    function test_attack_innerNodeAsAMessageIsRefused() public {
        bytes[] memory batch = new bytes[](4);
        for (uint256 i = 0; i < 4; i++) {
            batch[i] = remoteTransfer(alice, uint128(i + 1));
        }
        bytes32[] memory ids = ProtocolRef.ids(batch);
        bytes32 root = ProtocolRef.root(ids);
        bytes memory sig = signRoot(key, bridge, 1, root);
        (bytes32 l0, bytes32 l1) = (ProtocolRef.leaf(ids[0]), ProtocolRef.leaf(ids[1]));
        bytes32 inner = ProtocolRef.node(l0, l1);
        bytes32[] memory rest = new bytes32[](1);
        rest[0] = ProtocolRef.node(ProtocolRef.leaf(ids[2]), ProtocolRef.leaf(ids[3]));
        assertEq(ProtocolRef.rootFromLeaf(inner, rest), root); // a real path from the node
        bytes memory forged = l0 < l1 ? abi.encodePacked(uint8(1), l0, l1) : abi.encodePacked(uint8(1), l1, l0);
        assertEq(keccak256(forged), inner);
        vm.expectRevert(abi.encodeWithSelector(MessageTooShort.selector, 65));
        bridge.receiveMessageInBatch(forged, rest, 1, sig);
        // the Bridge's hashing (BatchMerkle): the node's leaf leads elsewhere, whatever the message length
        HashingHarness h = new HashingHarness();
        assertNotEq(h.rootFromProof(inner, rest), root);
        assertEq(h.rootFromProof(ids[0], ProtocolRef.proof(ids, 0)), root);
        // and the batch's own messages still deliver under the signature
        assertEq(bridge.receiveBatch(batch, 1, sig), 4);
    }

    /// (c) A bridge deployed at starting epoch 5 (a redeployment continuing the set's epochs): older epochs'
    /// signatures are unknown there whatever key made them, epoch 5 delivers, and rotation continues to 6.
    function test_attack_startingEpochRefusesOlderEpochs() public {
        bridge = new Bridge(HOME, 5, key.x, key.parity, guardian);
        (uint32 epoch,,,,,) = bridge.config();
        assertEq(epoch, 5);
        bytes memory m = remoteTransfer(bob, 1);
        bytes memory sig4 = sign(key, 4, m);
        vm.expectRevert(abi.encodeWithSelector(Bridge.UnknownEpoch.selector, 4, 5));
        bridge.receiveMessage(m, 4, sig4);
        bytes memory sig1 = sign(key, 1, m);
        vm.expectRevert(abi.encodeWithSelector(Bridge.UnknownEpoch.selector, 1, 5));
        bridge.receiveMessage(m, 1, sig1);
        // an epoch-4 signature claimed as epoch 5: the digest binds the epoch
        vm.expectRevert(Bridge.InvalidSignature.selector);
        bridge.receiveMessage(m, 5, sig4);
        bridge.receiveMessage(m, 5, sign(key, 5, m));
        assertTrue(consumedOn(bridge, m));
        _rotationsContinueFrom5();
    }

    function _rotationsContinueFrom5() internal {
        // rotations continue from 5: not to 7, not back to 2, to 6
        TestKey memory k6 = makeKey(uint256(keccak256("epoch 6 key")));
        bytes memory skip = governance(rotatePayload(7, k6, 1 hours));
        bytes memory skipSig = sign(key, 5, skip);
        vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidEpochTransition.selector, 7, 5));
        bridge.receiveMessage(skip, 5, skipSig);
        bytes memory back = governance(rotatePayload(2, k6, 1 hours));
        bytes memory backSig = sign(key, 5, back);
        vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidEpochTransition.selector, 2, 5));
        bridge.receiveMessage(back, 5, backSig);
        deliver(governance(rotatePayload(6, k6, 1 hours)));
        (uint32 epoch,,,,,) = bridge.config();
        assertEq(epoch, 6);
        assertEq(bridge.keyX(), k6.x);

        // epoch 5 within its grace, 4 still unknown, 6 current
        bytes memory m2 = remoteTransfer(bob, 2);
        bridge.receiveMessage(m2, 5, sign(key, 5, m2));
        bytes memory m3 = remoteTransfer(bob, 3);
        bytes memory m3sig4 = sign(key, 4, m3);
        vm.expectRevert(abi.encodeWithSelector(Bridge.UnknownEpoch.selector, 4, 6));
        bridge.receiveMessage(m3, 4, m3sig4);
        bridge.receiveMessage(m3, 6, sign(k6, 6, m3));
    }

    /// The last epoch has no successor: a rotation from it is refused by name (no overflow panic). The codec
    /// refuses a new epoch 0 itself (InvalidField), so the wrap-around is tried as 1 and as the same epoch again.
    function test_rotationFromTheLastEpochIsRefusedByName() public {
        uint32 last = type(uint32).max;
        bridge = new Bridge(HOME, last - 1, key.x, key.parity, guardian);
        TestKey memory k = makeKey(uint256(keccak256("last key")));
        deliver(governance(rotatePayload(last, k, 0)));
        (uint32 epoch,,,,,) = bridge.config();
        assertEq(epoch, last);
        bytes memory wrap = governance(rotatePayload(1, makeKey(5), 0));
        bytes memory sig = sign(k, last, wrap);
        vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidEpochTransition.selector, 1, last));
        bridge.receiveMessage(wrap, last, sig);
        bytes memory again = governance(rotatePayload(last, makeKey(5), 0));
        sig = sign(k, last, again);
        vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidEpochTransition.selector, last, last));
        bridge.receiveMessage(again, last, sig);
        // the last epoch's key still delivers
        bytes memory m = remoteTransfer(bob, 1);
        bridge.receiveMessage(m, last, sign(k, last, m));
    }

    // ------------------------------------------------------------------ fuzz

    function testFuzz_randomMessagesNeverDeliver(bytes memory message, bytes memory signature, uint32 epoch) public {
        try bridge.receiveMessage(message, epoch, signature) {
            fail();
        } catch {}
        assertFalse(consumedOn(bridge, message));
    }

    function testFuzz_validTransfersMintExactly(address to, uint128 amount) public {
        vm.assume(to != address(0) && amount != 0);
        deliver(remoteTransfer(to, amount));
        WrappedToken w = WrappedToken(bridge.predictWrappedToken(REMOTE, keccak256("remote token")));
        assertEq(w.balanceOf(to), amount);
        assertEq(w.totalSupply(), amount);
    }
}
