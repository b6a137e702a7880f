// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {HashingHarness} from "./utils/HashingHarness.sol";
import {ProtocolRef} from "./utils/ProtocolRef.sol";

/// @notice BatchMerkle (docs/PROTOCOL.md §2, "Batches") against the golden batch vector and against ProtocolRef,
/// the same tree written the plain way.
contract BatchMerkleTest is Test {
    HashingHarness internal h;
    string internal json;

    function setUp() public {
        h = new HashingHarness();
        json = vm.readFile("../../test/vectors/messages.json");
    }

    function _idsOf(uint256 n, bytes32 seed) internal pure returns (bytes32[] memory ids) {
        ids = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) {
            ids[i] = keccak256(abi.encode(seed, i));
        }
    }

    function _slice(bytes32[] memory a, uint256 from, uint256 to) internal pure returns (bytes32[] memory out) {
        out = new bytes32[](to - from);
        for (uint256 i = from; i < to; i++) {
            out[i - from] = a[i];
        }
    }

    // ------------------------------------------------------------------ the vectors

    /// The batch's ids, leaves, root, every proof and the inner node, byte for byte.
    function test_batchVector() public view {
        bytes32[] memory ids = vm.parseJsonBytes32Array(json, ".batch.messageIds");
        bytes32[] memory leaves = vm.parseJsonBytes32Array(json, ".batch.leaves");
        bytes32 root = vm.parseJsonBytes32(json, ".batch.root");
        assertEq(ids.length, 3);
        assertEq(leaves.length, 3);
        for (uint256 i = 0; i < 3; i++) {
            bytes memory m = vm.parseJsonBytes(json, string.concat(".batch.encodings[", vm.toString(i), "]"));
            assertEq(keccak256(m), ids[i]);
            assertEq(h.leaf(ids[i]), leaves[i]);
            assertEq(ProtocolRef.leaf(ids[i]), leaves[i]);
            bytes32[] memory proof =
                vm.parseJsonBytes32Array(json, string.concat(".batch.proofs[", vm.toString(i), "]"));
            assertEq(abi.encode(ProtocolRef.proof(ids, i)), abi.encode(proof));
            assertEq(h.rootFromProof(ids[i], proof), root);
        }
        assertEq(h.rootOfIds(ids), root);
        assertEq(ProtocolRef.root(ids), root);
        // the inner node: the first two leaves' parent, the third message's whole path
        bytes32 inner = vm.parseJsonBytes32(json, ".batch.innerNode");
        assertEq(h.node(leaves[0], leaves[1]), inner);
        assertEq(h.node(leaves[1], leaves[0]), inner);
        assertEq(ProtocolRef.node(leaves[0], leaves[1]), inner);
        assertEq(vm.parseJsonBytes32(json, ".batch.proofs[2][0]"), inner);
        assertEq(h.node(inner, leaves[2]), root);
    }

    /// Every valid vector's leaf; a single message is a batch of one (root = leaf, empty path).
    function test_validVectorLeaves() public view {
        uint256 n;
        for (uint256 i = 0; vm.keyExistsJson(json, string.concat(".valid[", vm.toString(i), "]")); i++) {
            string memory p = string.concat(".valid[", vm.toString(i), "]");
            bytes32 id = keccak256(vm.parseJsonBytes(json, string.concat(p, ".encoding")));
            assertEq(id, vm.parseJsonBytes32(json, string.concat(p, ".messageId")));
            bytes32 leaf = vm.parseJsonBytes32(json, string.concat(p, ".leaf"));
            assertEq(h.leaf(id), leaf);
            assertEq(h.rootFromProof(id, new bytes32[](0)), leaf);
            bytes32[] memory one = new bytes32[](1);
            one[0] = id;
            assertEq(h.rootOfIds(one), leaf);
            n++;
        }
        assertEq(n, 17);
    }

    // ------------------------------------------------------------------ the hashing

    function testFuzz_leafAndNodeAreThePrefixedHashes(bytes32 id, bytes32 a, bytes32 b) public view {
        assertEq(h.leaf(id), keccak256(abi.encodePacked(uint8(0), id)));
        assertNotEq(h.leaf(id), keccak256(abi.encodePacked(id)));
        (bytes32 lo, bytes32 hi) = uint256(a) < uint256(b) ? (a, b) : (b, a);
        assertEq(h.node(a, b), keccak256(abi.encodePacked(uint8(1), lo, hi)));
        assertEq(h.node(b, a), h.node(a, b));
        assertNotEq(h.node(a, b), keccak256(abi.encodePacked(lo, hi)));
    }

    /// Any batch size: the root and every message's path as the reference builds them, odd nodes moving up.
    function testFuzz_rootAndProofsMatchTheReference(bytes32 seed, uint256 n) public view {
        n = bound(n, 1, 33);
        bytes32[] memory ids = _idsOf(n, seed);
        bytes32 root = ProtocolRef.root(ids);
        assertEq(h.rootOfIds(ids), root);
        for (uint256 i = 0; i < n; i++) {
            assertEq(h.rootFromProof(ids[i], ProtocolRef.proof(ids, i)), root);
        }
    }

    /// BatchMerkle.root works in place and uses the memory past the free pointer as scratch only.
    function testFuzz_rootKeepsOtherMemory(bytes32 seed, uint256 n) public view {
        n = bound(n, 1, 9);
        bytes32[] memory ids = _idsOf(n, seed);
        bytes32[] memory leaves = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) {
            leaves[i] = ProtocolRef.leaf(ids[i]);
        }
        (bytes32 root, bytes32 sentinel) = h.root(leaves);
        assertEq(root, ProtocolRef.root(ids));
        assertEq(sentinel, keccak256("sentinel"));
    }

    function test_emptyBatchHasTheZeroRoot() public view {
        (bytes32 root,) = h.root(new bytes32[](0));
        assertEq(root, bytes32(0));
    }

    // ------------------------------------------------------------------ attack: an inner node as a message

    /// v1 hashed ids as leaves: the 65-byte preimage of an inner node, presented as a message, had that node as
    /// its id and the rest of the path led to the root (only the 82-byte minimum message length refused it).
    /// The vector's inner node, presented so, leads elsewhere now: the hashing itself refuses it.
    function test_attack_vectorInnerNodeIsNoMessage() public view {
        bytes32[] memory leaves = vm.parseJsonBytes32Array(json, ".batch.leaves");
        bytes32 root = vm.parseJsonBytes32(json, ".batch.root");
        bytes32 inner = vm.parseJsonBytes32(json, ".batch.innerNode");
        (bytes32 lo, bytes32 hi) = leaves[0] < leaves[1] ? (leaves[0], leaves[1]) : (leaves[1], leaves[0]);
        bytes memory forged = abi.encodePacked(uint8(1), lo, hi);
        assertEq(keccak256(forged), inner); // the forged "message" has the inner node as its id
        bytes32[] memory rest = new bytes32[](1);
        rest[0] = leaves[2];
        assertEq(ProtocolRef.rootFromLeaf(inner, rest), root); // taken as a leaf, it would reach the root
        assertNotEq(h.rootFromProof(keccak256(forged), rest), root); // taken as a message id, it does not
        assertEq(h.rootFromProof(keccak256(forged), rest), ProtocolRef.node(ProtocolRef.leaf(inner), leaves[2]));
    }

    /// Any batch, any inner node (or the root itself) with the rest of its path: never a message's root.
    function testFuzz_attack_innerNodeNeverPassesForAMessage(bytes32 seed, uint256 n, uint256 at, uint256 k)
        public
        view
    {
        n = bound(n, 2, 24);
        bytes32[] memory ids = _idsOf(n, seed);
        at = bound(at, 0, n - 1);
        bytes32 root = ProtocolRef.root(ids);
        bytes32[] memory path = ProtocolRef.proof(ids, at);
        k = bound(k, 1, path.length); // a batch of two or more: every path has a step
        bytes32 below = ProtocolRef.rootFromLeaf(ProtocolRef.leaf(ids[at]), _slice(path, 0, k - 1));
        bytes32 inner = ProtocolRef.node(below, path[k - 1]);
        bytes32[] memory rest = _slice(path, k, path.length);
        (bytes32 lo, bytes32 hi) = below < path[k - 1] ? (below, path[k - 1]) : (path[k - 1], below);
        bytes32 forgedId = keccak256(abi.encodePacked(uint8(1), lo, hi));
        assertEq(forgedId, inner);
        assertEq(ProtocolRef.rootFromLeaf(inner, rest), root);
        assertNotEq(h.rootFromProof(forgedId, rest), root);
    }
}
