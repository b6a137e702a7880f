// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BatchMerkle} from "../../src/BatchMerkle.sol";
import {MessageCodec} from "../../src/MessageCodec.sol";

/// @notice External wrapper of BatchMerkle and the codec's digest, so tests call them with calldata proofs and
/// arguments as the Bridge does.
contract HashingHarness {
    function leaf(bytes32 id) external pure returns (bytes32) {
        return BatchMerkle.leaf(id);
    }

    function node(bytes32 a, bytes32 b) external pure returns (bytes32) {
        return BatchMerkle.node(a, b);
    }

    function rootFromProof(bytes32 id, bytes32[] calldata proof) external pure returns (bytes32) {
        return BatchMerkle.rootFromProof(id, proof);
    }

    /// The root over the leaves of `ids`, hashed as the Bridge's receiveBatch does.
    function rootOfIds(bytes32[] memory ids) external pure returns (bytes32) {
        for (uint256 i = 0; i < ids.length; i++) {
            ids[i] = BatchMerkle.leaf(ids[i]);
        }
        return BatchMerkle.root(ids);
    }

    /// The root over leaves already hashed, and the memory around the array untouched (the words after the
    /// free memory pointer are scratch only).
    function root(bytes32[] memory leaves) external pure returns (bytes32 r, bytes32 sentinel) {
        bytes32[] memory after_ = new bytes32[](1);
        after_[0] = keccak256("sentinel");
        r = BatchMerkle.root(leaves);
        sentinel = after_[0];
    }

    function signingDigest(uint32 epoch, uint32 destinationChain, bytes32 chainBinding, bytes32 bridge, bytes32 root_)
        external
        pure
        returns (bytes32)
    {
        return MessageCodec.signingDigest(epoch, destinationChain, chainBinding, bridge, root_);
    }

    function digestPreimage(uint32 epoch, uint32 destinationChain, bytes32 chainBinding, bytes32 bridge, bytes32 root_)
        external
        pure
        returns (bytes memory)
    {
        return MessageCodec.digestPreimage(epoch, destinationChain, chainBinding, bridge, root_);
    }
}
