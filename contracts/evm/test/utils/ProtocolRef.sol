// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice docs/PROTOCOL.md §2 written the plain way (abi.encodePacked, Solidity loops), independent of the
/// contracts' assembly (MessageCodec.signingDigest, BatchMerkle): tests sign and build batches with it, so every
/// delivery also checks the contracts' hashing against it, and the golden vectors check both.
library ProtocolRef {
    /// keccak256(0x00 || id)
    function leaf(bytes32 id) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(bytes1(0x00), id));
    }

    /// keccak256(0x01 || min(a, b) || max(a, b))
    function node(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encodePacked(bytes1(0x01), a, b)) : keccak256(abi.encodePacked(bytes1(0x01), b, a));
    }

    function ids(bytes[] memory messages) internal pure returns (bytes32[] memory out) {
        out = new bytes32[](messages.length);
        for (uint256 i = 0; i < messages.length; i++) {
            out[i] = keccak256(messages[i]);
        }
    }

    function _up(bytes32[] memory level) private pure returns (bytes32[] memory next) {
        next = new bytes32[]((level.length + 1) / 2);
        for (uint256 i = 0; i < next.length; i++) {
            next[i] = 2 * i + 1 < level.length ? node(level[2 * i], level[2 * i + 1]) : level[2 * i];
        }
    }

    function _leaves(bytes32[] memory messageIds) private pure returns (bytes32[] memory level) {
        level = new bytes32[](messageIds.length);
        for (uint256 i = 0; i < level.length; i++) {
            level[i] = leaf(messageIds[i]);
        }
    }

    /// The root over the leaves of `messageIds`, in their order (an odd node moves up unchanged).
    function root(bytes32[] memory messageIds) internal pure returns (bytes32) {
        require(messageIds.length > 0, "empty batch");
        bytes32[] memory level = _leaves(messageIds);
        while (level.length > 1) {
            level = _up(level);
        }
        return level[0];
    }

    /// The sibling path from the leaf of `messageIds[index]` to the root.
    function proof(bytes32[] memory messageIds, uint256 index) internal pure returns (bytes32[] memory path) {
        bytes32[] memory level = _leaves(messageIds);
        bytes32[] memory tmp = new bytes32[](64);
        uint256 n;
        while (level.length > 1) {
            if ((index ^ 1) < level.length) tmp[n++] = level[index ^ 1];
            level = _up(level);
            index /= 2;
        }
        path = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) {
            path[i] = tmp[i];
        }
    }

    /// The root a path leads to from a 32-byte value taken as the leaf itself (what v1 did with a message id).
    function rootFromLeaf(bytes32 h, bytes32[] memory path) internal pure returns (bytes32) {
        for (uint256 i = 0; i < path.length; i++) {
            h = node(h, path[i]);
        }
        return h;
    }

    /// "SAH-BRIDGE-V2" || epoch || destinationChain || chainBinding || bridge || root (117 bytes)
    function preimage(uint32 epoch, uint32 destinationChain, bytes32 chainBinding, bytes32 bridge, bytes32 root_)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodePacked("SAH-BRIDGE-V2", epoch, destinationChain, chainBinding, bridge, root_);
    }

    function digest(uint32 epoch, uint32 destinationChain, bytes32 chainBinding, bytes32 bridge, bytes32 root_)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(preimage(epoch, destinationChain, chainBinding, bridge, root_));
    }
}
