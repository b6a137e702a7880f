// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Test, Vm} from "forge-std/Test.sol";
import {Bridge} from "../../src/Bridge.sol";
import {FrostVerifier} from "../../src/FrostVerifier.sol";
import {ProtocolRef} from "./ProtocolRef.sol";

/// @notice External wrapper so tests can pass calldata to the library and catch its reverts.
contract FrostVerifierHarness {
    function verifyDigest(uint256 keyX, uint8 keyParity, bytes32 digest, bytes calldata signature)
        external
        view
        returns (bool)
    {
        return FrostVerifier.verifyDigest(keyX, keyParity, digest, signature);
    }

    /// @notice Gas of the library call alone (benchmarks).
    function verifyDigestGas(uint256 keyX, uint8 keyParity, bytes32 digest, bytes calldata signature)
        external
        view
        returns (bool ok, uint256 gasUsed)
    {
        uint256 before = gasleft();
        ok = FrostVerifier.verifyDigest(keyX, keyParity, digest, signature);
        gasUsed = before - gasleft();
    }

    function verify(uint256 keyX, uint8 keyParity, bytes memory message, bytes memory signature)
        external
        view
        returns (bool)
    {
        return FrostVerifier.verify(keyX, keyParity, message, signature);
    }

    function isValidGroupKey(uint256 x) external view returns (bool) {
        return FrostVerifier.isValidGroupKey(x);
    }
}

/// @notice A one-party Schnorr signer in the FROST format (t = 1). Verification cannot tell it from a
/// t-of-n signature: both satisfy z*G = R + c*PK. Threshold signatures come from the TypeScript signer in the
/// golden vectors and the end-to-end tests (noble-curves).
abstract contract FrostTestBase is Test {
    uint256 internal constant N = FrostVerifier.N;

    struct TestKey {
        uint256 secret;
        uint256 x;
        uint8 parity;
    }

    function makeKey(uint256 seed) internal returns (TestKey memory k) {
        uint256 sk = bound(seed, 1, N - 1);
        while (true) {
            Vm.Wallet memory w = vm.createWallet(sk);
            if (w.publicKeyX < N) return TestKey(sk, w.publicKeyX, uint8(w.publicKeyY & 1));
            sk = sk == N - 1 ? 1 : sk + 1;
        }
    }

    /// @return sig 97-byte EVM form: R compressed || z || R.y
    function signDigest(TestKey memory k, bytes32 digest) internal returns (bytes memory sig) {
        uint256 nonce = uint256(keccak256(abi.encode(k.secret, digest, "nonce"))) % (N - 1) + 1;
        Vm.Wallet memory r = vm.createWallet(nonce);
        uint8 prefix = uint8(2 + (r.publicKeyY & 1));
        uint256 c = FrostVerifier.challenge(prefix, r.publicKeyX, k.x, k.parity, abi.encodePacked(digest));
        uint256 z = addmod(nonce, mulmod(c, k.secret, N), N);
        sig = abi.encodePacked(prefix, r.publicKeyX, z, r.publicKeyY);
    }

    /// The digest a bridge at `bridgeAddress` verifies on this EVM chain (docs/PROTOCOL.md §2): its instance is
    /// block.chainid and its address. Built with ProtocolRef, not the codec under test.
    function digestFor(address bridgeAddress, uint32 destination, uint32 epoch, bytes32 root)
        internal
        view
        returns (bytes32)
    {
        return ProtocolRef.digest(
            epoch, destination, bytes32(block.chainid), bytes32(uint256(uint160(bridgeAddress))), root
        );
    }

    /// A signature by `k` under `epoch` over one message (a batch of one: root = its leaf), for bridge `b`.
    function signMessage(TestKey memory k, Bridge b, uint32 epoch, bytes memory message)
        internal
        returns (bytes memory)
    {
        return signDigest(k, digestFor(address(b), b.chainId(), epoch, ProtocolRef.leaf(keccak256(message))));
    }

    /// A signature by `k` under `epoch` over a batch root, for bridge `b`.
    function signRoot(TestKey memory k, Bridge b, uint32 epoch, bytes32 root) internal returns (bytes memory) {
        return signDigest(k, digestFor(address(b), b.chainId(), epoch, root));
    }

    /// Whether bridge `b` consumed `message` (docs/PROTOCOL.md §2): `isConsumed` of the source chain and nonce its
    /// header names (bytes 2..5 and 10..17, read as zeros past the end of a shorter message), which must agree with
    /// the nonce's bit in `consumedWord`.
    function consumedOn(Bridge b, bytes memory message) internal view returns (bool consumed) {
        bytes memory head = new bytes(18);
        for (uint256 i = 0; i < 18 && i < message.length; i++) {
            head[i] = message[i];
        }
        uint256 w = uint256(bytes32(head));
        (uint32 source, uint64 nonce) = (uint32(w >> 208), uint64(w >> 112));
        consumed = b.isConsumed(source, nonce);
        assertEq(consumed, (b.consumedWord(source, nonce >> 8) >> (nonce & 0xff)) & 1 == 1, "isConsumed vs word");
    }

    function rfcForm(bytes memory sig97) internal pure returns (bytes memory out) {
        out = new bytes(65);
        for (uint256 i = 0; i < 65; i++) {
            out[i] = sig97[i];
        }
    }
}
