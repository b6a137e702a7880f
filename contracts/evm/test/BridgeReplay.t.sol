// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {stdStorage, StdStorage, Vm} from "forge-std/Test.sol";
import {Bridge} from "../src/Bridge.sol";
import {MessageCodec, MessageHeader, TokenTransfer} from "../src/MessageCodec.sol";
import {WrappedToken} from "../src/WrappedToken.sol";
import {BridgeTestBase} from "./utils/BridgeTestBase.sol";
import {ProtocolRef} from "./utils/ProtocolRef.sol";

/// @notice Replay protection by consumed bitmaps (docs/PROTOCOL.md §2): a message is bit `nonce & 0xff` of word
/// `nonce >> 8` of its source chain; bits are set once, in any order, and a set bit refuses (alone) or skips (in a
/// batch) every message under that (source chain, nonce).
contract BridgeReplayTest is BridgeTestBase {
    using stdStorage for StdStorage;

    uint64 internal constant MAX = type(uint64).max;
    uint32 internal constant DEVNET = 10_001;
    address internal constant BOB = address(0xb0b);

    /// A transfer of the REMOTE token to bob from `source` under `nonce` (any nonce, 2^64 - 1 included).
    function transferAt(uint32 source, uint64 nonce, uint128 amount) internal pure returns (bytes memory) {
        return MessageCodec.encodeTokenTransfer(
            MessageHeader(1, source, HOME, nonce, keccak256("remote sender"), bytes32(uint256(uint160(BOB)))),
            TokenTransfer(REMOTE, keccak256("remote token"), amount, 6, bytes32("RMT"), bytes32("Remote Token"))
        );
    }

    function wrapped() internal view returns (WrappedToken) {
        return WrappedToken(bridge.predictWrappedToken(REMOTE, keccak256("remote token")));
    }

    function signBatch(bytes[] memory batch) internal returns (bytes memory) {
        return signRoot(key, bridge, 1, ProtocolRef.root(ProtocolRef.ids(batch)));
    }

    function expectReplayRefused(bytes memory m) internal {
        bytes memory sig = sign(key, 1, m);
        vm.expectRevert(abi.encodeWithSelector(Bridge.MessageAlreadyConsumed.selector, keccak256(m)));
        bridge.receiveMessage(m, 1, sig);
    }

    function bit(uint64 nonce) internal pure returns (uint256) {
        return uint256(1) << (nonce & 0xff);
    }

    // ------------------------------------------------------------------ order and words

    /// Nonces delivered out of order all go through; the word holds exactly their bits.
    function test_outOfOrderNoncesAreEachDeliveredOnce() public {
        uint64[6] memory order = [uint64(5), 2, 9, 1, 3, 200];
        uint256 expected;
        for (uint256 i = 0; i < order.length; i++) {
            assertFalse(bridge.isConsumed(REMOTE, order[i]));
            deliver(transferAt(REMOTE, order[i], 1));
            assertTrue(bridge.isConsumed(REMOTE, order[i]));
            expected |= bit(order[i]);
            assertEq(bridge.consumedWord(REMOTE, 0), expected);
        }
        assertEq(expected, (1 << 1) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 9) | (1 << 200));
        for (uint64 n = 0; n < 256; n++) {
            assertEq(bridge.isConsumed(REMOTE, n), expected & bit(n) != 0);
        }
        // a nonce skipped so far still delivers after higher ones
        deliver(transferAt(REMOTE, 4, 1));
        assertEq(bridge.consumedWord(REMOTE, 0), expected | bit(4));
        for (uint256 i = 0; i < order.length; i++) {
            expectReplayRefused(transferAt(REMOTE, order[i], 1));
        }
        assertEq(wrapped().balanceOf(BOB), 7);
    }

    /// Nonces 255 | 256 and 511 | 512 sit on either side of a word boundary, 2^64 - 1 is the last bit of the last
    /// word (2^56 - 1); delivered alone in a mixed order, each lands on its own bit and nothing else.
    function test_wordBoundaries() public {
        uint64[5] memory nonces = [uint64(256), 255, 512, MAX, 511];
        for (uint256 i = 0; i < nonces.length; i++) {
            deliver(transferAt(REMOTE, nonces[i], 1));
        }
        _checkBoundaryWords(REMOTE);
        for (uint256 i = 0; i < nonces.length; i++) {
            expectReplayRefused(transferAt(REMOTE, nonces[i], 1));
        }
        assertEq(wrapped().balanceOf(BOB), 5);
    }

    /// The same nonces in one batch (four words, one slot each) on a fresh bridge: the same words.
    function test_wordBoundariesInOneBatch() public {
        bytes[] memory batch = new bytes[](5);
        uint64[5] memory nonces = [uint64(255), 256, 511, 512, MAX];
        for (uint256 i = 0; i < 5; i++) {
            batch[i] = transferAt(REMOTE, nonces[i], 1);
        }
        bytes memory sig = signBatch(batch);
        assertEq(bridge.receiveBatch(batch, 1, sig), 5);
        _checkBoundaryWords(REMOTE);
        vm.expectRevert(
            abi.encodeWithSelector(Bridge.BatchAlreadyDelivered.selector, ProtocolRef.root(ProtocolRef.ids(batch)))
        );
        bridge.receiveBatch(batch, 1, sig);
        for (uint256 i = 0; i < 5; i++) {
            expectReplayRefused(batch[i]);
        }
    }

    function _checkBoundaryWords(uint32 source) internal view {
        assertEq(bridge.consumedWord(source, 0), 1 << 255);
        assertEq(bridge.consumedWord(source, 1), 1 | (1 << 255));
        assertEq(bridge.consumedWord(source, 2), 1);
        assertEq(bridge.consumedWord(source, 3), 0);
        assertEq(bridge.consumedWord(source, MAX >> 8), 1 << 255);
        assertEq(bridge.consumedWord(source, (MAX >> 8) - 1), 0);
        assertEq(bridge.consumedWord(source, MAX), 0); // no nonce has this word
        uint64[5] memory set = [uint64(255), 256, 511, 512, MAX];
        uint64[8] memory unset = [uint64(0), 1, 254, 257, 510, 513, MAX - 1, MAX - 255];
        for (uint256 i = 0; i < set.length; i++) {
            assertTrue(bridge.isConsumed(source, set[i]));
            assertFalse(bridge.isConsumed(source == REMOTE ? THIRD : REMOTE, set[i]));
        }
        for (uint256 i = 0; i < unset.length; i++) {
            assertFalse(bridge.isConsumed(source, unset[i]));
        }
    }

    // ------------------------------------------------------------------ replays

    /// Replays within a word, across words (another slot) and across sources: (source, nonce) names one message,
    /// so the same nonce from two sources, or the same bit of another word, are other messages.
    function test_replaysWithinAndAcrossWordsAndSources() public {
        bytes memory a = transferAt(REMOTE, 7, 1);
        bytes memory sameBitNextWord = transferAt(REMOTE, 7 + 256, 2);
        bytes memory sameNonceOtherSource = transferAt(THIRD, 7, 4);
        bytes memory sameNonceThirdSource = transferAt(DEVNET, 7, 8);
        deliver(a);
        expectReplayRefused(a); // within its word
        deliver(sameBitNextWord);
        deliver(sameNonceOtherSource);
        deliver(sameNonceThirdSource);
        assertEq(wrapped().balanceOf(BOB), 15);
        assertEq(bridge.consumedWord(REMOTE, 0), bit(7));
        assertEq(bridge.consumedWord(REMOTE, 1), bit(7));
        assertEq(bridge.consumedWord(THIRD, 0), bit(7));
        assertEq(bridge.consumedWord(DEVNET, 0), bit(7));
        assertEq(bridge.consumedWord(THIRD, 1), 0);
        assertFalse(bridge.isConsumed(THIRD, 7 + 256));
        assertFalse(bridge.isConsumed(0, 7)); // governance is its own source
        // the words are separate slots
        uint256 s1 = stdstore.target(address(bridge)).sig(Bridge.consumedWord.selector).with_key(uint256(REMOTE))
            .with_key(uint256(0)).find();
        uint256 s2 = stdstore.target(address(bridge)).sig(Bridge.consumedWord.selector).with_key(uint256(REMOTE))
            .with_key(uint256(1)).find();
        uint256 s3 = stdstore.target(address(bridge)).sig(Bridge.consumedWord.selector).with_key(uint256(THIRD))
            .with_key(uint256(0)).find();
        assertTrue(s1 != s2 && s1 != s3 && s2 != s3);
        assertEq(uint256(vm.load(address(bridge), bytes32(s2))), bit(7));

        // every one replayed, through every entry point
        bytes[4] memory all = [a, sameBitNextWord, sameNonceOtherSource, sameNonceThirdSource];
        for (uint256 i = 0; i < 4; i++) {
            expectReplayRefused(all[i]);
            bytes[] memory batch = new bytes[](2);
            batch[0] = all[i];
            batch[1] = all[(i + 1) % 4];
            bytes32[] memory ids = ProtocolRef.ids(batch);
            bytes memory sig = signBatch(batch);
            vm.expectRevert(abi.encodeWithSelector(Bridge.MessageAlreadyConsumed.selector, ids[0]));
            bridge.receiveMessageInBatch(batch[0], ProtocolRef.proof(ids, 0), 1, sig);
            vm.expectRevert(abi.encodeWithSelector(Bridge.BatchAlreadyDelivered.selector, ProtocolRef.root(ids)));
            bridge.receiveBatch(batch, 1, sig);
        }
        assertEq(wrapped().balanceOf(BOB), 15);
    }

    /// Another message under a consumed (source, nonce) is refused as consumed (the source assigns each nonce
    /// once, docs/PROTOCOL.md §2), with its own id, alone or in a batch (skipped).
    function test_anotherMessageUnderAConsumedNonceIsRefused() public {
        deliver(transferAt(REMOTE, 3, 1));
        bytes memory other = transferAt(REMOTE, 3, 1000);
        expectReplayRefused(other);
        bytes[] memory batch = new bytes[](2);
        batch[0] = other;
        batch[1] = transferAt(REMOTE, 4, 10);
        assertEq(bridge.receiveBatch(batch, 1, signBatch(batch)), 1);
        assertEq(wrapped().balanceOf(BOB), 11);
    }

    /// A duplicate inside one batch is delivered once and skipped after (as a message consumed before the batch);
    /// two messages of one batch under the same (source, nonce): the first only.
    function test_duplicateInsideOneBatch() public {
        bytes memory a = transferAt(REMOTE, 1, 1);
        bytes memory b = transferAt(REMOTE, 2, 2);
        bytes[] memory batch = new bytes[](4);
        (batch[0], batch[1], batch[2], batch[3]) = (a, b, a, b);
        vm.recordLogs();
        assertEq(bridge.receiveBatch(batch, 1, signBatch(batch)), 2);
        assertEq(_received(), 2);
        assertEq(wrapped().balanceOf(BOB), 3);
        assertEq(bridge.consumedWord(REMOTE, 0), bit(1) | bit(2));

        // only duplicates of one message: delivered once
        bytes memory c = transferAt(REMOTE, 300, 4);
        bytes[] memory twice = new bytes[](2);
        (twice[0], twice[1]) = (c, c);
        bytes memory sig = signBatch(twice);
        assertEq(bridge.receiveBatch(twice, 1, sig), 1);
        vm.expectRevert(
            abi.encodeWithSelector(Bridge.BatchAlreadyDelivered.selector, ProtocolRef.root(ProtocolRef.ids(twice)))
        );
        bridge.receiveBatch(twice, 1, sig);

        // one (source, nonce), two messages
        bytes[] memory pair = new bytes[](2);
        (pair[0], pair[1]) = (transferAt(THIRD, 9, 8), transferAt(THIRD, 9, 16));
        vm.recordLogs();
        assertEq(bridge.receiveBatch(pair, 1, signBatch(pair)), 1);
        assertEq(_received(), 1);
        assertEq(wrapped().balanceOf(BOB), 15);
        expectReplayRefused(pair[1]);
    }

    /// The MessageReceived events of the bridge since the logs were last read.
    function _received() internal returns (uint256 n) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; i++) {
            if (logs[i].emitter == address(bridge) && logs[i].topics[0] == Bridge.MessageReceived.selector) n++;
        }
    }

    /// A batch mixing sources and words (A, B, A patterns), with a message consumed before it: each word is
    /// written once, with the stored bits kept; the batch skips what was consumed.
    function test_batchAcrossSourcesAndWordsWritesEachWordOnce() public {
        deliver(transferAt(REMOTE, 254, 1)); // consumed before the batch
        uint32[8] memory sources = [REMOTE, THIRD, REMOTE, REMOTE, THIRD, REMOTE, DEVNET, REMOTE];
        uint64[8] memory nonces = [uint64(255), 255, 256, 254, 256, 1, MAX, 253];
        bytes[] memory batch = new bytes[](8);
        for (uint256 i = 0; i < 8; i++) {
            batch[i] = transferAt(sources[i], nonces[i], uint128(1 << i));
        }
        bytes memory sig = signBatch(batch);
        vm.record();
        assertEq(bridge.receiveBatch(batch, 1, sig), 7);
        (, bytes32[] memory writes) = vm.accesses(address(bridge));
        // the words touched: REMOTE 0 and 1, THIRD 0 and 1, DEVNET 2^56 - 1; nothing else of the Bridge is written
        assertEq(writes.length, 5);
        for (uint256 i = 0; i < writes.length; i++) {
            for (uint256 j = i + 1; j < writes.length; j++) {
                assertTrue(writes[i] != writes[j], "a word written twice");
            }
        }
        assertEq(bridge.consumedWord(REMOTE, 0), bit(1) | bit(253) | bit(254) | bit(255));
        assertEq(bridge.consumedWord(REMOTE, 1), bit(256));
        assertEq(bridge.consumedWord(THIRD, 0), bit(255));
        assertEq(bridge.consumedWord(THIRD, 1), bit(256));
        assertEq(bridge.consumedWord(DEVNET, MAX >> 8), bit(MAX));
        // everything but the message consumed before (amount 1 << 3) minted, plus that one's 1
        assertEq(wrapped().balanceOf(BOB), 1 + 0xff - (1 << 3));
        for (uint256 i = 0; i < 8; i++) {
            expectReplayRefused(batch[i]);
        }
    }

    /// All or nothing: a batch whose last message is refused consumes none of them, in any word.
    function test_aRefusedBatchConsumesNothing() public {
        vm.prank(alice);
        bridge.lock(address(sah), 10, REMOTE, keccak256("r"));
        bytes[] memory batch = new bytes[](3);
        batch[0] = transferAt(REMOTE, 1, 1);
        batch[1] = transferAt(THIRD, 600, 1);
        // an unlock of more than is locked
        batch[2] = MessageCodec.encodeTokenTransfer(
            MessageHeader(1, REMOTE, HOME, 2, keccak256("remote sender"), b32(bob)),
            TokenTransfer(HOME, b32(address(sah)), 11, 18, bytes32("SAH"), bytes32("SAH Token"))
        );
        bytes memory sig = signBatch(batch);
        vm.expectRevert(abi.encodeWithSelector(Bridge.InsufficientLocked.selector, address(sah), 10, 11));
        bridge.receiveBatch(batch, 1, sig);
        assertEq(bridge.consumedWord(REMOTE, 0), 0);
        assertEq(bridge.consumedWord(THIRD, 2), 0);
        // the first two, consumed on their own, are skipped in the batch; it still fails on the third
        bytes32[] memory ids = ProtocolRef.ids(batch);
        bridge.receiveMessageInBatch(batch[0], ProtocolRef.proof(ids, 0), 1, sig);
        bridge.receiveMessageInBatch(batch[1], ProtocolRef.proof(ids, 1), 1, sig);
        vm.expectRevert(abi.encodeWithSelector(Bridge.InsufficientLocked.selector, address(sah), 10, 11));
        bridge.receiveBatch(batch, 1, sig);
        assertFalse(bridge.isConsumed(REMOTE, 2));
    }

    // ------------------------------------------------------------------ governance

    /// Governance is consumed under source 0 and its nonce: a replay is refused as consumed; another governance
    /// message under a used nonce too (the consumed step comes before the nonce order, docs/PROTOCOL.md §8.2);
    /// transfers under the same nonces from other sources are other messages.
    function test_governanceReplay() public {
        bytes memory pause = governance(abi.encodePacked(uint8(2))); // nonce 1
        bytes memory unpause = governance(abi.encodePacked(uint8(3))); // nonce 2
        deliver(pause);
        assertTrue(bridge.isConsumed(0, 1));
        assertFalse(bridge.isConsumed(0, 2));
        expectReplayRefused(pause);
        deliver(unpause);
        expectReplayRefused(unpause);
        expectReplayRefused(pause);
        assertEq(bridge.consumedWord(0, 0), bit(1) | bit(2));
        assertFalse(bridge.paused());
        // another action under nonce 2
        bytes memory other = abi.encodePacked(
            uint8(1), uint8(5), uint32(0), HOME, uint64(2), bytes32(0), b32(address(bridge)), uint8(2)
        );
        expectReplayRefused(other);
        assertFalse(bridge.paused());
        // transfers under nonces 1 and 2
        deliver(transferAt(REMOTE, 1, 1));
        deliver(transferAt(REMOTE, 2, 1));
        assertEq(bridge.consumedWord(0, 0), bit(1) | bit(2));
        assertEq(bridge.consumedWord(REMOTE, 0), bit(1) | bit(2));
        // a governance message refused after the consumed step leaves its bit clear
        bytes memory stale = abi.encodePacked(
            uint8(1), uint8(5), uint32(0), HOME, uint64(300), bytes32(0), b32(address(0xdead)), uint8(2)
        );
        bytes memory sig = sign(key, 1, stale);
        vm.expectRevert(abi.encodeWithSelector(Bridge.WrongGovernanceTarget.selector, b32(address(0xdead))));
        bridge.receiveMessage(stale, 1, sig);
        assertFalse(bridge.isConsumed(0, 300));
    }

    // ------------------------------------------------------------------ fuzz

    /// Random (source, nonce) pairs, near word boundaries, the ends of the range or anywhere, delivered in random
    /// order alone or in batches (duplicates included): each is accepted once, every replay is refused (alone) or
    /// skipped (in a batch), and isConsumed and the words match a reference set.
    function testFuzz_randomNoncesInRandomOrder(uint256 seed, uint8 count) public {
        count = uint8(bound(count, 1, 24));
        uint32[] memory src = new uint32[](count);
        uint64[] memory non = new uint64[](count);
        for (uint256 i = 0; i < count; i++) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            src[i] = [REMOTE, THIRD, DEVNET][r % 3];
            uint256 kind = (r >> 8) % 5;
            uint64 x = uint64(r >> 64);
            if (kind == 0) non[i] = x % 600; // the first words
            else if (kind == 1) non[i] = MAX - x % 600; // the last words
            else if (kind == 2) non[i] = 256 * (x % 8 + 1) + uint64((r >> 16) % 4) - 2; // 254 to 257 around a boundary
            else if (kind == 3 && i > 0) (src[i], non[i]) = (src[(r >> 24) % i], non[(r >> 24) % i]); // a repeat
            else non[i] = x;
        }
        // deliver in chunks: alone, or a batch of up to 4
        bool[] memory done = new bool[](count);
        uint256 from = 0;
        while (from < count) {
            uint256 r = uint256(keccak256(abi.encode(seed, "chunk", from)));
            uint256 size = r % 3 == 0 ? 1 : 1 + (r >> 8) % 4;
            if (from + size > count) size = count - from;
            _deliverChunk(src, non, done, from, size, r % 3 == 0);
            from += size;
        }
        _checkReference(src, non, done);
        for (uint256 k = 0; k < count; k++) {
            expectReplayRefused(transferAt(src[k], non[k], 1));
        }
    }

    /// Delivers messages [from, from + size): alone (receiveMessage) or as one batch; `done` marks the first of
    /// each (source, nonce), the reference set.
    function _deliverChunk(
        uint32[] memory src,
        uint64[] memory non,
        bool[] memory done,
        uint256 from,
        uint256 size,
        bool alone
    ) internal {
        bytes[] memory batch = new bytes[](size);
        uint256 fresh;
        for (uint256 k = 0; k < size; k++) {
            batch[k] = transferAt(src[from + k], non[from + k], 1);
            bool seen = _seen(src, non, done, from + k);
            if (!seen) {
                done[from + k] = true;
                fresh++;
            }
            if (alone) {
                if (seen) {
                    expectReplayRefused(batch[k]);
                } else {
                    deliver(batch[k]);
                }
            }
        }
        if (alone) return;
        bytes memory sig = signBatch(batch);
        if (fresh == 0) {
            vm.expectRevert(
                abi.encodeWithSelector(Bridge.BatchAlreadyDelivered.selector, ProtocolRef.root(ProtocolRef.ids(batch)))
            );
            bridge.receiveBatch(batch, 1, sig);
        } else {
            assertEq(bridge.receiveBatch(batch, 1, sig), fresh);
        }
    }

    /// Whether an earlier entry (marked done) has the same (source, nonce) as entry `k`.
    function _seen(uint32[] memory src, uint64[] memory non, bool[] memory done, uint256 k)
        internal
        pure
        returns (bool)
    {
        for (uint256 j = 0; j < k; j++) {
            if (done[j] && src[j] == src[k] && non[j] == non[k]) return true;
        }
        return false;
    }

    /// isConsumed of every pair and its neighbours, and every word touched, against the reference set.
    function _checkReference(uint32[] memory src, uint64[] memory non, bool[] memory done) internal view {
        uint256 delivered;
        for (uint256 k = 0; k < src.length; k++) {
            if (done[k]) delivered++;
            uint256 word;
            for (uint256 j = 0; j < src.length; j++) {
                if (done[j] && src[j] == src[k] && non[j] >> 8 == non[k] >> 8) word |= bit(non[j]);
            }
            assertEq(bridge.consumedWord(src[k], non[k] >> 8), word);
            assertTrue(bridge.isConsumed(src[k], non[k]));
            for (uint256 d = 0; d < 3; d++) {
                uint32 s = [REMOTE, THIRD, DEVNET][d];
                assertEq(bridge.isConsumed(s, non[k]), _inSet(src, non, done, s, non[k]));
                if (non[k] > 0) assertEq(bridge.isConsumed(s, non[k] - 1), _inSet(src, non, done, s, non[k] - 1));
                if (non[k] < MAX) assertEq(bridge.isConsumed(s, non[k] + 1), _inSet(src, non, done, s, non[k] + 1));
            }
        }
        assertEq(wrapped().balanceOf(BOB), delivered);
    }

    function _inSet(uint32[] memory src, uint64[] memory non, bool[] memory done, uint32 s, uint64 n)
        internal
        pure
        returns (bool)
    {
        for (uint256 j = 0; j < src.length; j++) {
            if (done[j] && src[j] == s && non[j] == n) return true;
        }
        return false;
    }
}
