// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Test, Vm} from "forge-std/Test.sol";
import {FrostVerifier} from "../../src/FrostVerifier.sol";

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

    function rfcForm(bytes memory sig97) internal pure returns (bytes memory out) {
        out = new bytes(65);
        for (uint256 i = 0; i < 65; i++) {
            out[i] = sig97[i];
        }
    }
}
