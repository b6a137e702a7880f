// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AttestationRegistry} from "../src/AttestationRegistry.sol";
import {Bridge} from "../src/Bridge.sol";
import {JobBoard} from "../src/JobBoard.sol";
import {MessageCodec, MessageTooShort} from "../src/MessageCodec.sol";
import {FrostTestBase} from "./utils/FrostTestBase.sol";

/// @notice The golden vectors (test/vectors/messages.json) delivered through a Bridge that is the vectors' EVM
/// instance (`instances.evm`): EVM chain id 31337, deployed at `bridgeAddress`, for the vector's destination and
/// starting at its epoch, under the vectors' 2-of-3 FROST key. Every signature is the TypeScript signer's
/// (`deliveries.evm`): the Bridge computes the digest from what it knows about itself, so a delivery passing the
/// signature step shows it computes the vectors' digest byte for byte. The same signatures on a second instance
/// (same protocol chain id, epoch and key, another address) or on a fork (same address, another EVM chain id)
/// are refused.
contract BridgeVectorsTest is FrostTestBase {
    string internal json;
    address internal at;
    uint256 internal vectorKeyX;
    uint8 internal vectorKeyParity;

    /// An outcome: delivered (selector 0) or the refusal's selector. Every refusal expected here is a step after
    /// `signature` (docs/PROTOCOL.md §8.2): reaching it means the signature verified.
    struct Outcome {
        bytes4 refusal;
        string why;
    }

    function setUp() public {
        json = vm.readFile("../../test/vectors/messages.json");
        vm.chainId(vm.parseJsonUint(json, ".instances.evm.evmChainId"));
        at = vm.parseJsonAddress(json, ".instances.evm.bridgeAddress");
        vectorKeyX = vm.parseJsonUint(json, ".testKey.groupKeyX");
        vectorKeyParity = uint8(vm.parseJsonUint(json, ".testKey.groupKeyYParity"));
        assertEq(bytes32(block.chainid), vm.parseJsonBytes32(json, ".instances.evm.chainBinding"));
        assertEq(bytes32(uint256(uint160(at))), vm.parseJsonBytes32(json, ".instances.evm.bridge"));
    }

    // ------------------------------------------------------------------ instances

    function _withModules(Bridge b) internal returns (Bridge) {
        b.setModules(address(new AttestationRegistry(address(b))), address(new JobBoard(address(b))));
        return b;
    }

    /// The vectors' instance for `destination` at `epoch`, with its modules. Run under a state snapshot: the
    /// address keeps its storage across deployCodeTo.
    function _instance(uint32 destination, uint32 epoch) internal returns (Bridge) {
        deployCodeTo("Bridge.sol:Bridge", abi.encode(destination, epoch, vectorKeyX, vectorKeyParity, address(0)), at);
        return _withModules(Bridge(at));
    }

    /// Another bridge with the same protocol chain id, epoch and key: only its address differs.
    function _secondInstance(uint32 destination, uint32 epoch) internal returns (Bridge) {
        return _withModules(new Bridge(destination, epoch, vectorKeyX, vectorKeyParity, address(0)));
    }

    // ------------------------------------------------------------------ reading the vectors

    function _v(uint256 i, string memory field) internal pure returns (string memory) {
        return string.concat(".valid[", vm.toString(i), "]", field);
    }

    function _is(string memory path, string memory value) internal view returns (bool) {
        return keccak256(bytes(vm.parseJsonString(json, path))) == keccak256(bytes(value));
    }

    function _count() internal view returns (uint256 n) {
        while (vm.keyExistsJson(json, _v(n, ""))) n++;
    }

    /// What delivering valid vector `i` on its instance does. Derived from the vector's fields:
    function _outcome(uint256 i) internal view returns (Outcome memory) {
        string memory kind = vm.parseJsonString(json, _v(i, ".kind"));
        bytes32 k = keccak256(bytes(kind));
        if (k == keccak256("TokenTransfer")) {
            // an EVM recipient is a left-padded address; the vectors also carry 32-byte accounts of other chains
            if (uint256(vm.parseJsonBytes32(json, _v(i, ".header.recipient"))) >> 160 != 0) {
                return Outcome(Bridge.InvalidRecipient.selector, "recipient is no EVM address");
            }
            return Outcome(0, "");
        }
        if (k == keccak256("DataAttestation")) return Outcome(0, "");
        if (k == keccak256("ComputeJob")) return Outcome(0, ""); // a cancel after its post (_prelude)
        if (k == keccak256("ComputeResult")) {
            // chain A's job ids come from its own JobBoard's counter: no vector job is escrowed here
            return Outcome(JobBoard.UnknownJob.selector, "no such job escrowed on this chain");
        }
        // governance targets a bridge account of the vectors' own choosing, not this address
        if (vm.parseJsonBytes32(json, _v(i, ".header.recipient")) != bytes32(uint256(uint160(at)))) {
            return Outcome(Bridge.WrongGovernanceTarget.selector, "governance targets another bridge");
        }
        return Outcome(0, "");
    }

    /// What the instance holds before vector `i` can execute: the locked tokens an unlock releases, the post a
    /// cancel cancels.
    function _prelude(Bridge b, uint256 i) internal {
        bytes memory enc = vm.parseJsonBytes(json, _v(i, ".encoding"));
        if (_is(_v(i, ".kind"), "TokenTransfer")) {
            uint32 origin = uint32(vm.parseJsonUint(json, _v(i, ".payload.originChain")));
            if (origin != b.chainId()) return;
            // an unlock: the home token, deployed at the vector's address, locked here beforehand
            address token = address(uint160(uint256(vm.parseJsonBytes32(json, _v(i, ".payload.originToken")))));
            uint256 amount = vm.parseJsonUint(json, _v(i, ".payload.amount"));
            deployCodeTo("SAHToken.sol:SAHToken", abi.encode(address(this), amount), token);
            IERC20(token).approve(address(b), amount);
            b.lock(token, amount, b.chainId() == 1 ? 2 : 1, bytes32(uint256(0xa11ce)));
            assertEq(b.locked(token), amount);
        } else if (_is(_v(i, ".kind"), "ComputeJob") && _is(_v(i, ".payload.action"), "Cancel")) {
            bytes32 jobId = vm.parseJsonBytes32(json, _v(i, ".payload.jobId"));
            uint256 n = _count();
            for (uint256 j = 0; j < n; j++) {
                if (
                    _is(_v(j, ".kind"), "ComputeJob") && _is(_v(j, ".payload.action"), "Post")
                        && vm.parseJsonBytes32(json, _v(j, ".payload.jobId")) == jobId
                ) {
                    b.receiveMessage(
                        vm.parseJsonBytes(json, _v(j, ".encoding")),
                        uint32(vm.parseJsonUint(json, _v(j, ".epoch"))),
                        vm.parseJsonBytes(json, _v(j, ".deliveries.evm.signatureEvm"))
                    );
                    assertEq(uint8(JobBoard(b.jobBoard()).executionJob(jobId).state), 1); // Open
                    return;
                }
            }
            revert(string.concat("no post for the cancel ", vm.toString(enc)));
        }
    }

    /// Delivers and checks the outcome: delivered (consumed, MessageReceived) or refused by name (not consumed).
    function _deliverAndCheck(Bridge b, bytes memory enc, uint32 epoch, bytes memory sig, Outcome memory o) internal {
        (bool ok, bytes memory ret) = address(b).call(abi.encodeCall(Bridge.receiveMessage, (enc, epoch, sig)));
        if (o.refusal == 0) {
            assertTrue(ok, string.concat("refused: ", vm.toString(ret)));
            assertTrue(consumedOn(b, enc));
        } else {
            assertFalse(ok, o.why);
            assertEq(bytes4(ret), o.refusal, o.why);
            assertFalse(consumedOn(b, enc));
        }
    }

    // ------------------------------------------------------------------ every valid vector

    function test_validVectorsDeliverThroughTheVectorInstance() public {
        uint256 n = _count();
        uint256 delivered;
        for (uint256 i = 0; i < n; i++) {
            uint256 clean = vm.snapshotState();
            if (_deliverVector(i)) delivered++;
            vm.revertToState(clean);
        }
        assertEq(n, 17);
        // transfers to EVM addresses (a mint and an unlock), attestations, the job post and its cancel
        assertEq(delivered, 8);
    }

    /// Vector `i` on its instance: the preimage, then both signature forms from the same state.
    function _deliverVector(uint256 i) internal returns (bool delivered) {
        bytes memory enc = vm.parseJsonBytes(json, _v(i, ".encoding"));
        uint32 epoch = uint32(vm.parseJsonUint(json, _v(i, ".epoch")));
        Bridge b = _instance(uint32(vm.parseJsonUint(json, _v(i, ".header.destinationChain"))), epoch);

        // the digest the Bridge verifies is built from its own instance: byte for byte the vector's preimage
        bytes memory preimage = MessageCodec.digestPreimage(
            epoch,
            b.chainId(),
            bytes32(block.chainid),
            bytes32(uint256(uint160(address(b)))),
            keccak256(abi.encodePacked(uint8(0), keccak256(enc)))
        );
        assertEq(preimage, vm.parseJsonBytes(json, _v(i, ".deliveries.evm.preimage")));
        assertEq(keccak256(preimage), vm.parseJsonBytes32(json, _v(i, ".deliveries.evm.signingDigest")));

        _prelude(b, i);
        Outcome memory o = _outcome(i);
        delivered = o.refusal == 0;
        uint256 ready = vm.snapshotState();
        if (delivered) {
            vm.expectEmit(address(b));
            emit Bridge.MessageReceived(
                keccak256(enc),
                uint32(vm.parseJsonUint(json, _v(i, ".header.sourceChain"))),
                uint64(vm.parseJsonUint(json, _v(i, ".header.nonce")))
            );
        }
        _deliverAndCheck(b, enc, epoch, vm.parseJsonBytes(json, _v(i, ".deliveries.evm.signature")), o);
        vm.revertToState(ready);
        _deliverAndCheck(b, enc, epoch, vm.parseJsonBytes(json, _v(i, ".deliveries.evm.signatureEvm")), o);
    }

    /// A token transfer vector executes exactly: the unlock pays the vector's recipient from what was locked.
    function test_unlockVectorPaysTheRecipient() public {
        uint256 n = _count();
        bool seen;
        for (uint256 i = 0; i < n; i++) {
            if (!_is(_v(i, ".kind"), "TokenTransfer")) continue;
            uint32 dest = uint32(vm.parseJsonUint(json, _v(i, ".header.destinationChain")));
            if (vm.parseJsonUint(json, _v(i, ".payload.originChain")) != dest) continue;
            if (_outcome(i).refusal != 0) continue;
            Bridge b = _instance(dest, uint32(vm.parseJsonUint(json, _v(i, ".epoch"))));
            _prelude(b, i);
            address token = address(uint160(uint256(vm.parseJsonBytes32(json, _v(i, ".payload.originToken")))));
            address to = address(uint160(uint256(vm.parseJsonBytes32(json, _v(i, ".header.recipient")))));
            uint256 amount = vm.parseJsonUint(json, _v(i, ".payload.amount"));
            b.receiveMessage(
                vm.parseJsonBytes(json, _v(i, ".encoding")),
                uint32(vm.parseJsonUint(json, _v(i, ".epoch"))),
                vm.parseJsonBytes(json, _v(i, ".deliveries.evm.signatureEvm"))
            );
            assertEq(IERC20(token).balanceOf(to), amount);
            assertEq(b.locked(token), 0);
            seen = true;
            break;
        }
        assertTrue(seen, "no unlock vector");
    }

    // ------------------------------------------------------------------ the batch

    function _batch() internal view returns (bytes[] memory messages, uint32 dest, uint32 epoch) {
        dest = uint32(vm.parseJsonUint(json, ".batch.destinationChain"));
        epoch = uint32(vm.parseJsonUint(json, ".batch.epoch"));
        messages = new bytes[](3);
        for (uint256 i = 0; i < 3; i++) {
            messages[i] = vm.parseJsonBytes(json, string.concat(".batch.encodings[", vm.toString(i), "]"));
        }
        assertFalse(vm.keyExistsJson(json, ".batch.encodings[3]"));
    }

    function _proof(uint256 i) internal view returns (bytes32[] memory) {
        return vm.parseJsonBytes32Array(json, string.concat(".batch.proofs[", vm.toString(i), "]"));
    }

    /// Each message with its path under the one batch signature; the whole batch in one call. The first
    /// message's recipient is a 32-byte account (no EVM address): it and the whole batch (all or nothing) are
    /// refused by InvalidRecipient, after the signature over the root verified.
    function test_batchVectorDeliversThroughTheVectorInstance() public {
        (bytes[] memory messages, uint32 dest, uint32 epoch) = _batch();
        Bridge b = _instance(dest, epoch);
        bytes32 root = vm.parseJsonBytes32(json, ".batch.root");
        assertEq(
            MessageCodec.digestPreimage(
                epoch, b.chainId(), bytes32(block.chainid), bytes32(uint256(uint160(address(b)))), root
            ),
            vm.parseJsonBytes(json, ".batch.deliveries.evm.preimage")
        );
        uint256 clean = vm.snapshotState();
        for (uint256 f = 0; f < 2; f++) {
            bytes memory sig = vm.parseJsonBytes(
                json, f == 0 ? ".batch.deliveries.evm.signature" : ".batch.deliveries.evm.signatureEvm"
            );
            bytes32 recipient0;
            bytes memory m0 = messages[0];
            assembly {
                recipient0 := mload(add(m0, 82)) // bytes 50..82 of the message
            }
            vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidRecipient.selector, recipient0));
            b.receiveBatch(messages, epoch, sig);
            vm.expectRevert(abi.encodeWithSelector(Bridge.InvalidRecipient.selector, recipient0));
            b.receiveMessageInBatch(messages[0], _proof(0), epoch, sig);
            assertEq(b.receiveMessageInBatch(messages[1], _proof(1), epoch, sig), keccak256(messages[1]));
            assertEq(b.receiveMessageInBatch(messages[2], _proof(2), epoch, sig), keccak256(messages[2]));
            assertTrue(consumedOn(b, messages[1]) && consumedOn(b, messages[2]));
            vm.expectRevert(abi.encodeWithSelector(Bridge.MessageAlreadyConsumed.selector, keccak256(messages[2])));
            b.receiveMessageInBatch(messages[2], _proof(2), epoch, sig);
            // the message delivered alone under the batch signature: another root, refused
            vm.expectRevert(Bridge.InvalidSignature.selector);
            b.receiveMessage(messages[0], epoch, sig);
            vm.revertToState(clean);
        }
    }

    // ------------------------------------------------------------------ attacks

    /// (a) Replay across instances: a second Bridge with the same protocol chain id, epoch and key (a
    /// redeployment, or a parallel deployment) refuses every vector signed for the first, before and after the
    /// first delivered it, and the batch too.
    function test_attack_vectorsReplayedOnASecondInstanceAreRefused() public {
        uint256 n = _count();
        for (uint256 i = 0; i < n; i++) {
            uint256 clean = vm.snapshotState();
            _replayOnSecondInstance(i);
            vm.revertToState(clean);
        }

        (bytes[] memory messages, uint32 dest, uint32 epoch) = _batch();
        bytes memory sig = vm.parseJsonBytes(json, ".batch.deliveries.evm.signatureEvm");
        Bridge other = _secondInstance(dest, epoch);
        vm.expectRevert(Bridge.InvalidSignature.selector);
        other.receiveBatch(messages, epoch, sig);
        for (uint256 i = 0; i < 3; i++) {
            vm.expectRevert(Bridge.InvalidSignature.selector);
            other.receiveMessageInBatch(messages[i], _proof(i), epoch, sig);
        }
    }

    function _replayOnSecondInstance(uint256 i) internal {
        bytes memory enc = vm.parseJsonBytes(json, _v(i, ".encoding"));
        uint32 dest = uint32(vm.parseJsonUint(json, _v(i, ".header.destinationChain")));
        uint32 epoch = uint32(vm.parseJsonUint(json, _v(i, ".epoch")));
        bytes memory sig = vm.parseJsonBytes(json, _v(i, ".deliveries.evm.signatureEvm"));
        Bridge first = _instance(dest, epoch);
        Bridge second = _secondInstance(dest, epoch);
        _prelude(first, i);
        vm.expectRevert(Bridge.InvalidSignature.selector);
        second.receiveMessage(enc, epoch, sig);
        vm.expectRevert(Bridge.InvalidSignature.selector);
        second.receiveMessage(enc, epoch, vm.parseJsonBytes(json, _v(i, ".deliveries.evm.signature")));
        _deliverAndCheck(first, enc, epoch, sig, _outcome(i));
        vm.expectRevert(Bridge.InvalidSignature.selector);
        second.receiveMessage(enc, epoch, sig);
        assertFalse(consumedOn(second, enc));
    }

    /// (a) A fork that keeps the address but not the EVM chain id: the vectors' instance, with block.chainid
    /// changed under it, refuses every vector and the batch.
    function test_attack_vectorsOnAForkWithAnotherEvmChainIdAreRefused() public {
        uint256 n = _count();
        for (uint256 i = 0; i < n; i++) {
            uint256 clean = vm.snapshotState();
            bytes memory enc = vm.parseJsonBytes(json, _v(i, ".encoding"));
            uint32 epoch = uint32(vm.parseJsonUint(json, _v(i, ".epoch")));
            Bridge b = _instance(uint32(vm.parseJsonUint(json, _v(i, ".header.destinationChain"))), epoch);
            _prelude(b, i);
            vm.chainId(1); // Ethereum: the same address, another chain
            vm.expectRevert(Bridge.InvalidSignature.selector);
            b.receiveMessage(enc, epoch, vm.parseJsonBytes(json, _v(i, ".deliveries.evm.signatureEvm")));
            vm.chainId(31337);
            _deliverAndCheck(b, enc, epoch, vm.parseJsonBytes(json, _v(i, ".deliveries.evm.signatureEvm")), _outcome(i));
            vm.revertToState(clean);
        }
        (bytes[] memory messages, uint32 dest, uint32 bepoch) = _batch();
        Bridge fork = _instance(dest, bepoch);
        vm.chainId(31338);
        bytes memory bsig = vm.parseJsonBytes(json, ".batch.deliveries.evm.signatureEvm");
        vm.expectRevert(Bridge.InvalidSignature.selector);
        fork.receiveBatch(messages, bepoch, bsig);
        vm.expectRevert(Bridge.InvalidSignature.selector);
        fork.receiveMessageInBatch(messages[1], _proof(1), bepoch, bsig);
    }

    /// (b) The batch's inner node presented as a message with the rest of its path. The message the attack
    /// needs is the node's own 65-byte preimage (its id is the inner node): the Bridge refuses it at decode
    /// (MessageTooShort), and the hashing refuses it too (BatchMerkle.t.sol: its leaf leads to another root).
    function test_attack_vectorInnerNodeAsAMessageIsRefused() public {
        (, uint32 dest, uint32 epoch) = _batch();
        Bridge b = _instance(dest, epoch);
        bytes32[] memory leaves = vm.parseJsonBytes32Array(json, ".batch.leaves");
        bytes32 inner = vm.parseJsonBytes32(json, ".batch.innerNode");
        (bytes32 lo, bytes32 hi) = leaves[0] < leaves[1] ? (leaves[0], leaves[1]) : (leaves[1], leaves[0]);
        bytes memory forged = abi.encodePacked(uint8(1), lo, hi);
        assertEq(keccak256(forged), inner);
        bytes32[] memory rest = new bytes32[](1);
        rest[0] = leaves[2];
        bytes memory sig = vm.parseJsonBytes(json, ".batch.deliveries.evm.signatureEvm");
        vm.expectRevert(abi.encodeWithSelector(MessageTooShort.selector, 65));
        b.receiveMessageInBatch(forged, rest, epoch, sig);
        assertFalse(consumedOn(b, forged));
    }
}
