// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {FrostVerifier} from "../src/FrostVerifier.sol";
import {FrostTestBase, FrostVerifierHarness} from "./utils/FrostTestBase.sol";
import {HashingHarness} from "./utils/HashingHarness.sol";

contract FrostVerifierTest is FrostTestBase {
    FrostVerifierHarness internal v;
    string internal json;
    uint256 internal vectorKeyX;
    uint8 internal vectorKeyParity;

    function setUp() public {
        v = new FrostVerifierHarness();
        json = vm.readFile("../../test/vectors/messages.json");
        vectorKeyX = vm.parseJsonUint(json, ".testKey.groupKeyX");
        vectorKeyParity = uint8(vm.parseJsonUint(json, ".testKey.groupKeyYParity"));
    }

    function _key(string memory compressed) internal pure returns (uint256 x, uint8 parity) {
        bytes memory k = vm.parseBytes(compressed);
        parity = uint8(k[0]) - 2;
        assembly {
            x := mload(add(k, 33))
        }
    }

    function test_rfc9591AppendixVector() public view {
        (uint256 x, uint8 parity) = _key(vm.parseJsonString(json, ".rfc9591.groupKey"));
        bytes memory message = vm.parseJsonBytes(json, ".rfc9591.message");
        bytes memory sig = vm.parseJsonBytes(json, ".rfc9591.signature");
        assertTrue(v.verify(x, parity, message, sig));
        message[0] = "T";
        assertFalse(v.verify(x, parity, message, sig));
    }

    /// One delivery of a vector for one family's instance: its digest, signature (both forms) and challenge.
    function _checkDelivery(string memory p, string memory family) internal view {
        string memory d = string.concat(p, ".deliveries.", family);
        bytes32 digest = vm.parseJsonBytes32(json, string.concat(d, ".signingDigest"));
        assertEq(keccak256(vm.parseJsonBytes(json, string.concat(d, ".preimage"))), digest, d);
        bytes memory sig = vm.parseJsonBytes(json, string.concat(d, ".signature"));
        bytes memory evm = vm.parseJsonBytes(json, string.concat(d, ".signatureEvm"));
        assertTrue(v.verifyDigest(vectorKeyX, vectorKeyParity, digest, sig), string.concat(d, " 65-byte form"));
        assertTrue(v.verifyDigest(vectorKeyX, vectorKeyParity, digest, evm), string.concat(d, " 97-byte form"));
        assertTrue(v.verify(vectorKeyX, vectorKeyParity, abi.encodePacked(digest), sig), string.concat(d, " generic"));
        uint256 rx;
        assembly {
            rx := mload(add(sig, 33))
        }
        assertEq(
            FrostVerifier.challenge(uint8(sig[0]), rx, vectorKeyX, vectorKeyParity, abi.encodePacked(digest)),
            vm.parseJsonUint(json, string.concat(d, ".challenge")),
            string.concat(d, " challenge")
        );
    }

    /// Every valid vector's signature for every family's instance verifies (FROST is the same on every chain;
    /// the EVM instance's digests are delivered through a Bridge in BridgeVectors.t.sol).
    function test_goldenVectorSignaturesVerify() public view {
        uint256 n;
        for (uint256 i = 0; vm.keyExistsJson(json, string.concat(".valid[", vm.toString(i), "]")); i++) {
            string memory p = string.concat(".valid[", vm.toString(i), "]");
            _checkDelivery(p, "evm");
            _checkDelivery(p, "cosmwasm");
            _checkDelivery(p, "substrate");
            n++;
        }
        assertEq(n, 17);
    }

    /// The batch: its root under the EVM instance's digest (byte for byte), signed for each family.
    function test_batchVector() public {
        HashingHarness hashing = new HashingHarness();
        bytes32[] memory ids = vm.parseJsonBytes32Array(json, ".batch.messageIds");
        bytes32 root = vm.parseJsonBytes32(json, ".batch.root");
        assertEq(hashing.rootOfIds(ids), root);
        uint32 dest = uint32(vm.parseJsonUint(json, ".batch.destinationChain"));
        uint32 epoch = uint32(vm.parseJsonUint(json, ".batch.epoch"));
        bytes32 binding = vm.parseJsonBytes32(json, ".instances.evm.chainBinding");
        bytes32 bridgeId = vm.parseJsonBytes32(json, ".instances.evm.bridge");
        assertEq(
            hashing.digestPreimage(epoch, dest, binding, bridgeId, root),
            vm.parseJsonBytes(json, ".batch.deliveries.evm.preimage")
        );
        assertEq(
            hashing.signingDigest(epoch, dest, binding, bridgeId, root),
            vm.parseJsonBytes32(json, ".batch.deliveries.evm.signingDigest")
        );
        _checkDelivery(".batch", "evm");
        _checkDelivery(".batch", "cosmwasm");
        _checkDelivery(".batch", "substrate");
    }

    function test_badSignatureVectorsAreRejected() public {
        uint256 n;
        for (uint256 i = 0; vm.keyExistsJson(json, string.concat(".badSignatures[", vm.toString(i), "]")); i++) {
            string memory p = string.concat(".badSignatures[", vm.toString(i), "]");
            bytes32 digest = vm.parseJsonBytes32(json, string.concat(p, ".digest"));
            bytes memory sig = vm.parseJsonBytes(json, string.concat(p, ".signature"));
            string memory err = vm.parseJsonString(json, string.concat(p, ".solidityError"));
            if (keccak256(bytes(err)) == keccak256("InvalidSignature()")) {
                assertFalse(
                    v.verifyDigest(vectorKeyX, vectorKeyParity, digest, sig),
                    vm.parseJsonString(json, string.concat(p, ".name"))
                );
            } else {
                vm.expectRevert(bytes4(keccak256(bytes(err))));
                v.verifyDigest(vectorKeyX, vectorKeyParity, digest, sig);
            }
            n++;
        }
        assertEq(n, 6);
    }

    function test_rejectsMalformedInputs() public {
        TestKey memory k = makeKey(7);
        bytes32 d = keccak256("d");
        bytes memory sig = signDigest(k, d);
        assertTrue(v.verifyDigest(k.x, k.parity, d, sig));

        vm.expectRevert(abi.encodeWithSelector(FrostVerifier.InvalidSignatureLength.selector, 64));
        v.verifyDigest(k.x, k.parity, d, new bytes(64));

        // z >= n, z == 0
        bytes memory bad = bytes.concat(_slice(sig, 0, 33), bytes32(N), _slice(sig, 65, 97));
        vm.expectRevert(FrostVerifier.ScalarOutOfRange.selector);
        v.verifyDigest(k.x, k.parity, d, bad);
        bad = bytes.concat(_slice(sig, 0, 33), bytes32(0), _slice(sig, 65, 97));
        vm.expectRevert(FrostVerifier.ScalarOutOfRange.selector);
        v.verifyDigest(k.x, k.parity, d, bad);

        // R.y of the other parity, R.y not on the curve, R.x >= p
        uint256 ry = uint256(bytes32(_slice(sig, 65, 97)));
        bad = bytes.concat(_slice(sig, 0, 65), bytes32(FrostVerifier.P - ry));
        vm.expectRevert(FrostVerifier.InvalidCommitment.selector);
        v.verifyDigest(k.x, k.parity, d, bad);
        bad = bytes.concat(_slice(sig, 0, 65), bytes32(ry ^ 2));
        vm.expectRevert(FrostVerifier.InvalidCommitment.selector);
        v.verifyDigest(k.x, k.parity, d, bad);
        bad = bytes.concat(bytes1(0x02), bytes32(FrostVerifier.P + 2), _slice(sig, 33, 65));
        vm.expectRevert(FrostVerifier.InvalidCommitment.selector);
        v.verifyDigest(k.x, k.parity, d, bad);
    }

    function test_groupKeyValidity() public view {
        assertTrue(v.isValidGroupKey(vectorKeyX));
        assertFalse(v.isValidGroupKey(0));
        assertFalse(v.isValidGroupKey(5)); // x = 5: x^3 + 7 is no square mod p
        assertFalse(v.isValidGroupKey(N)); // x >= n cannot serve as ecrecover's r
        assertFalse(v.isValidGroupKey(N + 1));
        assertFalse(v.isValidGroupKey(FrostVerifier.P + 1));
    }

    function testFuzz_validSignaturesVerifyAndBindEverything(uint256 seed, bytes32 digest, bytes32 other) public {
        vm.assume(digest != other);
        TestKey memory k = makeKey(seed);
        bytes memory sig = signDigest(k, digest);
        assertTrue(v.verifyDigest(k.x, k.parity, digest, sig));
        assertTrue(v.verifyDigest(k.x, k.parity, digest, rfcForm(sig)));
        assertFalse(v.verifyDigest(k.x, k.parity, other, sig));
        assertFalse(v.verifyDigest(k.x, 1 - k.parity, digest, sig));
    }

    function testFuzz_signatureByAnotherKeyNeverVerifies(uint256 seedA, uint256 seedB, bytes32 digest) public {
        TestKey memory a = makeKey(seedA);
        TestKey memory b = makeKey(seedB);
        vm.assume(a.x != b.x);
        assertFalse(v.verifyDigest(b.x, b.parity, digest, signDigest(a, digest)));
    }

    /// Random bytes in every field: never a valid signature (reverts on malformed, false otherwise).
    function testFuzz_randomSignaturesNeverVerify(bytes32 digest, uint8 prefix, uint256 rx, uint256 z, uint256 ry)
        public
        view
    {
        bytes memory sig = abi.encodePacked(prefix, rx, z, ry);
        try v.verifyDigest(vectorKeyX, vectorKeyParity, digest, sig) returns (bool ok) {
            assertFalse(ok);
        } catch {}
        try v.verifyDigest(vectorKeyX, vectorKeyParity, digest, rfcForm(sig)) returns (bool ok) {
            assertFalse(ok);
        } catch {}
    }

    /// A valid signature with one byte changed never verifies.
    function testFuzz_tamperedSignatureNeverVerifies(uint256 seed, bytes32 digest, uint256 at, uint8 flip) public {
        vm.assume(flip != 0);
        TestKey memory k = makeKey(seed);
        bytes memory sig = rfcForm(signDigest(k, digest));
        at = bound(at, 0, 64);
        sig[at] = bytes1(uint8(sig[at]) ^ flip);
        try v.verifyDigest(k.x, k.parity, digest, sig) returns (bool ok) {
            assertFalse(ok);
        } catch {}
    }

    function _slice(bytes memory b, uint256 from, uint256 to) internal pure returns (bytes memory out) {
        out = new bytes(to - from);
        for (uint256 i = from; i < to; i++) {
            out[i - from] = b[i];
        }
    }
}
