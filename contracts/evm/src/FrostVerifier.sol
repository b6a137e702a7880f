// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title FROST(secp256k1, SHA-256) signature verification (RFC 9591)
/// @notice A FROST signature (R, z) on message m under group key PK satisfies z*G = R + c*PK with
/// c = H2(R || PK || m). Instead of two scalar multiplications we ask the ecrecover precompile for
/// Q = r^-1 (s*X - h*G) with X = PK (r = PK.x, v = PK's parity), h = -z*PK.x and s = -c*PK.x, which
/// gives Q = z*G - c*PK, and compare Q with R. Cost does not depend on how many parties hold the key.
library FrostVerifier {
    /// @dev secp256k1 group order n and field prime p.
    uint256 internal constant N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    uint256 internal constant P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F;
    /// @dev (p + 1) / 4: square roots mod p are a single exponentiation since p = 3 mod 4.
    uint256 private constant SQRT_EXPONENT = 0x3FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFBFFFFF0C;
    /// @dev RFC 9591 section 6.5 contextString || "chal", then its length byte (RFC 9380 DST_prime).
    bytes internal constant DST_PRIME = "FROST-secp256k1-SHA256-v1chal\x1d";

    /// @notice The group key is not a valid secp256k1 x coordinate below n.
    error InvalidGroupKey();
    /// @notice z is zero or not below n.
    error ScalarOutOfRange();
    /// @notice R is not a valid compressed point, or the supplied R.y does not belong to it.
    error InvalidCommitment();
    /// @notice The signature is neither 65 (RFC 9591) nor 97 (RFC 9591 || R.y) bytes long.
    error InvalidSignatureLength(uint256 length);

    /// @notice Whether x is a usable group key: on the curve and below n (ecrecover takes it as r).
    function isValidGroupKey(uint256 x) internal view returns (bool) {
        if (x == 0 || x >= N) return false;
        (, bool onCurve) = _liftX(x);
        return onCurve;
    }

    /// @notice Verifies a signature over a 32-byte digest. `signature` is the RFC 9591 encoding
    /// R (33, compressed) || z (32), optionally followed by R.y (32): with R.y the contract checks it
    /// against the curve equation instead of computing a square root (cheaper by ~1,500 gas).
    /// @return true iff the signature is valid; malformed inputs revert with a named error.
    function verifyDigest(uint256 keyX, uint8 keyParity, bytes32 digest, bytes calldata signature)
        internal
        view
        returns (bool)
    {
        uint256 prefix;
        uint256 rx;
        uint256 z;
        uint256 ry;
        assembly ("memory-safe") {
            prefix := byte(0, calldataload(signature.offset))
            rx := calldataload(add(signature.offset, 1))
            z := calldataload(add(signature.offset, 33))
        }
        if (signature.length == 97) {
            assembly ("memory-safe") {
                ry := calldataload(add(signature.offset, 65))
            }
            if (!_isPointWithY(prefix, rx, ry)) revert InvalidCommitment();
        } else if (signature.length == 65) {
            ry = _decompress(uint8(prefix), rx);
        } else {
            revert InvalidSignatureLength(signature.length);
        }
        if (z == 0 || z >= N) revert ScalarOutOfRange();
        uint256 c = _challengeDigest(prefix, rx, keyX, keyParity, digest);
        return _recoverMatches(keyX, keyParity, z, c, rx, ry);
    }

    /// @notice RFC 9591 verification of an arbitrary message with a 65-byte signature.
    function verify(uint256 keyX, uint8 keyParity, bytes memory message, bytes memory signature)
        internal
        view
        returns (bool)
    {
        if (signature.length != 65) revert InvalidSignatureLength(signature.length);
        uint8 prefix = uint8(signature[0]);
        uint256 rx;
        uint256 z;
        assembly {
            rx := mload(add(signature, 33))
            z := mload(add(signature, 65))
        }
        uint256 ry = _decompress(prefix, rx);
        if (z == 0 || z >= N) revert ScalarOutOfRange();
        uint256 c = challenge(prefix, rx, keyX, keyParity, message);
        return _recoverMatches(keyX, keyParity, z, c, rx, ry);
    }

    /// @notice c = H2(R || PK || message) mod n, with H2 = expand_message_xmd(SHA-256), 48 bytes.
    function challenge(uint8 rPrefix, uint256 rx, uint256 keyX, uint8 keyParity, bytes memory message)
        internal
        view
        returns (uint256)
    {
        bytes32 b0 = sha256(
            abi.encodePacked(
                bytes32(0),
                bytes32(0),
                rPrefix,
                rx,
                uint8(2 + keyParity),
                keyX,
                message,
                uint16(48),
                uint8(0),
                DST_PRIME
            )
        );
        return _finishChallenge(b0);
    }

    /// @dev The same challenge for a 32-byte message, with the 195-byte preimage built in scratch memory.
    function _challengeDigest(uint256 rPrefix, uint256 rx, uint256 keyX, uint8 keyParity, bytes32 digest)
        private
        view
        returns (uint256 c)
    {
        bytes32 b0;
        assembly ("memory-safe") {
            let m := mload(0x40)
            // Z_pad: 64 zero bytes
            mstore(m, 0)
            mstore(add(m, 0x20), 0)
            // R (33) at 64, PK (33) at 97, digest at 130
            mstore8(add(m, 64), rPrefix)
            mstore(add(m, 65), rx)
            mstore8(add(m, 97), add(2, keyParity))
            mstore(add(m, 98), keyX)
            mstore(add(m, 130), digest)
            // l_i_b_str = 0x0030, then 0x00, then DST_prime (30 bytes) at 165
            mstore(add(m, 162), 0x0030000000000000000000000000000000000000000000000000000000000000)
            // "FROST-secp256k1-SHA256-v1chal" || 0x1d
            mstore(add(m, 165), 0x46524f53542d736563703235366b312d5348413235362d76316368616c1d0000)
            if iszero(staticcall(gas(), 0x02, m, 195, 0x00, 0x20)) { revert(0, 0) }
            b0 := mload(0x00)
        }
        c = _finishChallenge(b0);
    }

    /// @dev b1 = H(b0 || 1 || DST'), b2 = H((b0 ^ b1) || 2 || DST'); c = (b1 || b2[0:16]) mod n.
    function _finishChallenge(bytes32 b0) private view returns (uint256 c) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, b0)
            mstore8(add(m, 32), 1)
            mstore(add(m, 33), 0x46524f53542d736563703235366b312d5348413235362d76316368616c1d0000)
            if iszero(staticcall(gas(), 0x02, m, 63, 0x00, 0x20)) { revert(0, 0) }
            let b1 := mload(0x00)
            mstore(m, xor(b0, b1))
            mstore8(add(m, 32), 2)
            if iszero(staticcall(gas(), 0x02, m, 63, 0x00, 0x20)) { revert(0, 0) }
            let b2 := mload(0x00)
            // b1 * 2^128 + (b2 >> 128), reduced mod n
            c := addmod(mulmod(b1, 0x100000000000000000000000000000000, N), shr(128, b2), N)
        }
    }

    /// @dev ecrecover(h = -z*x, v = 27 + parity, r = x, s = -c*x) must be R's address. z, x in [1, n)
    /// so h is never 0; s is 0 only if c is (probability 2^-256), which fails the check.
    function _recoverMatches(uint256 keyX, uint8 keyParity, uint256 z, uint256 c, uint256 rx, uint256 ry)
        private
        view
        returns (bool ok)
    {
        assembly ("memory-safe") {
            let m := mload(0x40)
            let s := mulmod(c, keyX, N)
            mstore(m, sub(N, mulmod(z, keyX, N)))
            mstore(add(m, 0x20), add(27, keyParity))
            mstore(add(m, 0x40), keyX)
            mstore(add(m, 0x60), sub(N, s))
            mstore(0x00, 0)
            let success := staticcall(gas(), 0x01, m, 0x80, 0x00, 0x20)
            let q := mload(0x00)
            mstore(0x00, rx)
            mstore(0x20, ry)
            let r := and(keccak256(0x00, 0x40), 0xffffffffffffffffffffffffffffffffffffffff)
            ok := and(and(success, iszero(iszero(s))), and(iszero(iszero(q)), eq(q, r)))
        }
    }

    /// @dev R.y supplied with the signature: prefix 02/03, coordinates below p, on the curve, parity as
    /// the prefix says.
    function _isPointWithY(uint256 prefix, uint256 rx, uint256 ry) private pure returns (bool ok) {
        assembly ("memory-safe") {
            let wellFormed := and(lt(sub(prefix, 2), 2), and(lt(rx, P), lt(ry, P)))
            let parityMatches := eq(and(ry, 1), and(prefix, 1))
            let onCurve := eq(mulmod(ry, ry, P), addmod(mulmod(mulmod(rx, rx, P), rx, P), 7, P))
            ok := and(wellFormed, and(parityMatches, onCurve))
        }
    }

    /// @dev SEC1 decompression with the modexp precompile.
    function _decompress(uint8 prefix, uint256 rx) private view returns (uint256 ry) {
        if ((prefix != 2 && prefix != 3) || rx >= P) revert InvalidCommitment();
        bool onCurve;
        (ry, onCurve) = _liftX(rx);
        if (!onCurve) revert InvalidCommitment();
        if (ry & 1 != prefix - 2) ry = P - ry;
    }

    /// @dev y with y^2 = x^3 + 7 (either root), and whether one exists.
    function _liftX(uint256 x) private view returns (uint256 y, bool onCurve) {
        uint256 rhs = addmod(mulmod(mulmod(x, x, P), x, P), 7, P);
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, 0x20)
            mstore(add(m, 0x20), 0x20)
            mstore(add(m, 0x40), 0x20)
            mstore(add(m, 0x60), rhs)
            mstore(add(m, 0x80), SQRT_EXPONENT)
            mstore(add(m, 0xa0), P)
            if iszero(staticcall(gas(), 0x05, m, 0xc0, 0x00, 0x20)) { revert(0, 0) }
            y := mload(0x00)
        }
        onCurve = mulmod(y, y, P) == rhs;
    }
}
