// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {
    ComputeJob,
    ComputeResult,
    DataAttestation,
    GovernanceAction,
    MessageCodec,
    MessageHeader,
    TokenTransfer
} from "../src/MessageCodec.sol";

contract CodecHarness {
    function decodeHeader(bytes calldata m) external pure returns (MessageHeader memory) {
        return MessageCodec.decodeHeader(m);
    }

    function decodeTokenTransfer(bytes calldata m) external pure returns (TokenTransfer memory) {
        return MessageCodec.decodeTokenTransfer(m, MessageCodec.decodeHeader(m));
    }

    function decodeGovernance(bytes calldata m) external view returns (GovernanceAction memory) {
        MessageCodec.decodeHeader(m);
        return MessageCodec.decodeGovernance(m);
    }

    function decodeDataAttestation(bytes calldata m) external pure returns (DataAttestation memory) {
        MessageCodec.decodeHeader(m);
        return MessageCodec.decodeDataAttestation(m);
    }

    function decodeComputeJob(bytes calldata m) external pure returns (ComputeJob memory) {
        MessageCodec.decodeHeader(m);
        return MessageCodec.decodeComputeJob(m);
    }

    function decodeComputeResult(bytes calldata m) external pure returns (ComputeResult memory) {
        MessageCodec.decodeHeader(m);
        return MessageCodec.decodeComputeResult(m);
    }

    function isValidUtf8(bytes memory s) external pure returns (bool) {
        return MessageCodec.isValidUtf8(s);
    }

    /// @notice Everything this chain's codec checks: the header and every kind's payload.
    function decode(bytes calldata m) external view {
        MessageHeader memory h = MessageCodec.decodeHeader(m);
        if (h.kind == MessageCodec.KIND_TOKEN_TRANSFER) MessageCodec.decodeTokenTransfer(m, h);
        if (h.kind == MessageCodec.KIND_DATA_ATTESTATION) MessageCodec.decodeDataAttestation(m);
        if (h.kind == MessageCodec.KIND_COMPUTE_JOB) MessageCodec.decodeComputeJob(m);
        if (h.kind == MessageCodec.KIND_COMPUTE_RESULT) MessageCodec.decodeComputeResult(m);
        if (h.kind == MessageCodec.KIND_GOVERNANCE) MessageCodec.decodeGovernance(m);
    }

    function encodeTokenTransfer(MessageHeader memory h, TokenTransfer memory t) external pure returns (bytes memory) {
        return MessageCodec.encodeTokenTransfer(h, t);
    }

    function signingDigest(uint32 epoch, uint32 destinationChain, bytes32 chainBinding, bytes32 bridge, bytes32 root)
        external
        pure
        returns (bytes32)
    {
        return MessageCodec.signingDigest(epoch, destinationChain, chainBinding, bridge, root);
    }

    function digestPreimage(uint32 epoch, uint32 destinationChain, bytes32 chainBinding, bytes32 bridge, bytes32 root)
        external
        pure
        returns (bytes memory)
    {
        return MessageCodec.digestPreimage(epoch, destinationChain, chainBinding, bridge, root);
    }
}

contract MessageCodecTest is Test {
    CodecHarness internal c;
    string internal json;

    function setUp() public {
        c = new CodecHarness();
        json = vm.readFile("../../test/vectors/messages.json");
    }

    function _at(string memory list, uint256 i, string memory field) internal pure returns (string memory) {
        return string.concat(".", list, "[", vm.toString(i), "]", field);
    }

    function _kind(string memory name) internal pure returns (uint8) {
        bytes32 h = keccak256(bytes(name));
        if (h == keccak256("TokenTransfer")) return 1;
        if (h == keccak256("DataAttestation")) return 2;
        if (h == keccak256("ComputeJob")) return 3;
        if (h == keccak256("ComputeResult")) return 4;
        if (h == keccak256("Governance")) return 5;
        revert("unknown kind name");
    }

    function test_validVectors() public view {
        uint256 count;
        for (uint256 i = 0; vm.keyExistsJson(json, _at("valid", i, "")); i++) {
            bytes memory enc = vm.parseJsonBytes(json, _at("valid", i, ".encoding"));
            MessageHeader memory h = c.decodeHeader(enc);
            assertEq(h.kind, _kind(vm.parseJsonString(json, _at("valid", i, ".kind"))));
            assertEq(h.sourceChain, vm.parseJsonUint(json, _at("valid", i, ".header.sourceChain")));
            assertEq(h.destinationChain, vm.parseJsonUint(json, _at("valid", i, ".header.destinationChain")));
            assertEq(h.nonce, vm.parseJsonUint(json, _at("valid", i, ".header.nonce")));
            assertEq(h.sender, vm.parseJsonBytes32(json, _at("valid", i, ".header.sender")));
            assertEq(h.recipient, vm.parseJsonBytes32(json, _at("valid", i, ".header.recipient")));
            bytes32 id = keccak256(enc);
            assertEq(id, vm.parseJsonBytes32(json, _at("valid", i, ".messageId")));
            uint32 epoch = uint32(vm.parseJsonUint(json, _at("valid", i, ".epoch")));
            bytes32 leaf = vm.parseJsonBytes32(json, _at("valid", i, ".leaf"));
            assertEq(leaf, keccak256(abi.encodePacked(uint8(0), id)));
            _checkDigest(i, "evm", epoch, h.destinationChain, leaf);
            _checkDigest(i, "cosmwasm", epoch, h.destinationChain, leaf);
            _checkDigest(i, "substrate", epoch, h.destinationChain, leaf);
            if (h.kind == 1) _checkTokenTransfer(i, enc, h);
            if (h.kind == 2) _checkDataAttestation(i, enc, h);
            if (h.kind == 3) _checkComputeJob(i, enc, h);
            if (h.kind == 4) _checkComputeResult(i, enc, h);
            if (h.kind == 5) _checkGovernance(i, enc);
            count++;
        }
        assertEq(count, 17);
    }

    /// The digest for one family's instance: the codec's 117-byte preimage byte for byte, and its hash.
    function _checkDigest(uint256 i, string memory family, uint32 epoch, uint32 destination, bytes32 leaf)
        internal
        view
    {
        bytes32 binding = vm.parseJsonBytes32(json, string.concat(".instances.", family, ".chainBinding"));
        bytes32 bridge = vm.parseJsonBytes32(json, string.concat(".instances.", family, ".bridge"));
        string memory d = _at("valid", i, string.concat(".deliveries.", family));
        bytes memory preimage = c.digestPreimage(epoch, destination, binding, bridge, leaf);
        assertEq(preimage.length, 117);
        assertEq(preimage, vm.parseJsonBytes(json, string.concat(d, ".preimage")), d);
        assertEq(c.signingDigest(epoch, destination, binding, bridge, leaf), keccak256(preimage), d);
        assertEq(keccak256(preimage), vm.parseJsonBytes32(json, string.concat(d, ".signingDigest")), d);
    }

    /// The EVM instance of the vectors is Foundry's default chain and the vectors' Bridge address.
    function test_evmInstanceOfTheVectors() public view {
        assertEq(vm.parseJsonUint(json, ".instances.evm.evmChainId"), 31337);
        assertEq(block.chainid, 31337);
        assertEq(vm.parseJsonBytes32(json, ".instances.evm.chainBinding"), bytes32(uint256(31337)));
        address at = vm.parseJsonAddress(json, ".instances.evm.bridgeAddress");
        assertEq(at, 0x5a4B000000000000000000000000000000000B1D);
        assertEq(vm.parseJsonBytes32(json, ".instances.evm.bridge"), bytes32(uint256(uint160(at))));
    }

    /// Every field lands at its offset (docs/PROTOCOL.md §2), whatever the inputs, and the digest is its hash.
    function testFuzz_digestPreimageLayout(
        uint32 epoch,
        uint32 destination,
        bytes32 binding,
        bytes32 bridge,
        bytes32 root
    ) public view {
        bytes memory p = c.digestPreimage(epoch, destination, binding, bridge, root);
        assertEq(p, abi.encodePacked("SAH-BRIDGE-V2", epoch, destination, binding, bridge, root));
        assertEq(c.signingDigest(epoch, destination, binding, bridge, root), keccak256(p));
    }

    function _checkTokenTransfer(uint256 i, bytes memory enc, MessageHeader memory h) internal view {
        TokenTransfer memory t = c.decodeTokenTransfer(enc);
        assertEq(t.originChain, vm.parseJsonUint(json, _at("valid", i, ".payload.originChain")));
        assertEq(t.originToken, vm.parseJsonBytes32(json, _at("valid", i, ".payload.originToken")));
        assertEq(t.amount, vm.parseJsonUint(json, _at("valid", i, ".payload.amount")));
        assertEq(t.decimals, vm.parseJsonUint(json, _at("valid", i, ".payload.decimals")));
        assertEq(t.symbol, vm.parseJsonBytes32(json, _at("valid", i, ".payload.symbol")));
        assertEq(t.name, vm.parseJsonBytes32(json, _at("valid", i, ".payload.name")));
        // what this chain emits is byte for byte the vector
        assertEq(c.encodeTokenTransfer(h, t), enc);
    }

    function _action(uint256 i, string memory field) internal view returns (bytes32) {
        return keccak256(bytes(vm.parseJsonString(json, _at("valid", i, string.concat(".payload.", field)))));
    }

    function _checkDataAttestation(uint256 i, bytes memory enc, MessageHeader memory h) internal view {
        DataAttestation memory a = c.decodeDataAttestation(enc);
        assertEq(a.action, _action(i, "action") == keccak256("Register") ? 1 : 2);
        assertEq(a.dataHash, vm.parseJsonBytes32(json, _at("valid", i, ".payload.dataHash")));
        assertEq(a.timestamp, vm.parseJsonUint(json, _at("valid", i, ".payload.timestamp")));
        assertEq(string(a.ownerDid), vm.parseJsonString(json, _at("valid", i, ".payload.ownerDid")));
        assertEq(string(a.uri), vm.parseJsonString(json, _at("valid", i, ".payload.uri")));
        assertEq(string(a.license), vm.parseJsonString(json, _at("valid", i, ".payload.license")));
        assertEq(MessageCodec.encodeMessage(h, MessageCodec.encodeDataAttestationPayload(a)), enc);
    }

    function _checkComputeJob(uint256 i, bytes memory enc, MessageHeader memory h) internal view {
        ComputeJob memory j = c.decodeComputeJob(enc);
        assertEq(j.jobId, vm.parseJsonBytes32(json, _at("valid", i, ".payload.jobId")));
        if (_action(i, "action") == keccak256("Post")) {
            assertEq(j.action, 1);
            assertEq(j.specHash, vm.parseJsonBytes32(json, _at("valid", i, ".payload.specHash")));
            assertEq(j.paymentOriginChain, vm.parseJsonUint(json, _at("valid", i, ".payload.paymentOriginChain")));
            assertEq(j.paymentOriginToken, vm.parseJsonBytes32(json, _at("valid", i, ".payload.paymentOriginToken")));
            assertEq(j.paymentAmount, vm.parseJsonUint(json, _at("valid", i, ".payload.paymentAmount")));
            assertEq(j.deadline, vm.parseJsonUint(json, _at("valid", i, ".payload.deadline")));
            assertEq(j.payer, vm.parseJsonBytes32(json, _at("valid", i, ".payload.payer")));
        } else {
            assertEq(j.action, 2);
        }
        assertEq(MessageCodec.encodeMessage(h, MessageCodec.encodeComputeJobPayload(j)), enc);
    }

    function _checkComputeResult(uint256 i, bytes memory enc, MessageHeader memory h) internal view {
        ComputeResult memory r = c.decodeComputeResult(enc);
        bytes32 outcome = _action(i, "outcome");
        assertEq(r.outcome, outcome == keccak256("Completed") ? 1 : outcome == keccak256("Expired") ? 2 : 3);
        assertEq(r.jobId, vm.parseJsonBytes32(json, _at("valid", i, ".payload.jobId")));
        assertEq(r.resultHash, vm.parseJsonBytes32(json, _at("valid", i, ".payload.resultHash")));
        assertEq(r.executor, vm.parseJsonBytes32(json, _at("valid", i, ".payload.executor")));
        assertEq(r.timestamp, vm.parseJsonUint(json, _at("valid", i, ".payload.timestamp")));
        assertEq(MessageCodec.encodeMessage(h, MessageCodec.encodeComputeResultPayload(r)), enc);
    }

    function _checkGovernance(uint256 i, bytes memory enc) internal view {
        GovernanceAction memory g = c.decodeGovernance(enc);
        bytes32 action = keccak256(bytes(vm.parseJsonString(json, _at("valid", i, ".payload.action"))));
        if (action == keccak256("RotateKey")) {
            assertEq(g.action, 1);
            assertEq(g.newEpoch, vm.parseJsonUint(json, _at("valid", i, ".payload.newEpoch")));
            bytes memory key = vm.parseJsonBytes(json, _at("valid", i, ".payload.newGroupKey"));
            uint256 x;
            assembly {
                x := mload(add(key, 33))
            }
            assertEq(g.newKeyX, x);
            assertEq(g.newKeyParity, uint8(key[0]) - 2);
            assertEq(g.graceSeconds, vm.parseJsonUint(json, _at("valid", i, ".payload.graceSeconds")));
        } else if (action == keccak256("Pause")) {
            assertEq(g.action, 2);
        } else if (action == keccak256("Unpause")) {
            assertEq(g.action, 3);
        } else if (action == keccak256("SetRateLimit")) {
            assertEq(g.action, 4);
            assertEq(g.originChain, vm.parseJsonUint(json, _at("valid", i, ".payload.originChain")));
            assertEq(g.originToken, vm.parseJsonBytes32(json, _at("valid", i, ".payload.originToken")));
            assertEq(g.capacity, vm.parseJsonUint(json, _at("valid", i, ".payload.capacity")));
        } else {
            assertEq(g.action, 5);
            assertEq(g.pauser, vm.parseJsonBytes32(json, _at("valid", i, ".payload.pauser")));
        }
    }

    /// The custom error's signature for a protocol error code (the vectors leave `solidityError` empty
    /// for the kinds the EVM codec did not decode when they were generated).
    function _signatureOf(string memory code) internal pure returns (string memory) {
        bytes32 h = keccak256(bytes(code));
        if (h == keccak256("PayloadLength")) return "PayloadLength(uint8,uint256)";
        if (h == keccak256("UnknownAction")) return "UnknownAction(uint8,uint8)";
        if (h == keccak256("ZeroAmount")) return "ZeroAmount()";
        if (h == keccak256("InvalidField")) return "InvalidField(string)";
        revert(string.concat("no signature for ", code));
    }

    /// Every malformation, whatever its scope, reverts with the vector's named error.
    function test_invalidVectors() public {
        uint256 checked;
        for (uint256 i = 0; vm.keyExistsJson(json, _at("invalid", i, "")); i++) {
            bytes memory enc = vm.parseJsonBytes(json, _at("invalid", i, ".encoding"));
            string memory err = vm.parseJsonString(json, _at("invalid", i, ".solidityError"));
            if (bytes(err).length == 0) err = _signatureOf(vm.parseJsonString(json, _at("invalid", i, ".error")));
            vm.expectPartialRevert(bytes4(keccak256(bytes(err))));
            c.decode(enc);
            checked++;
        }
        assertEq(checked, 44);
    }

    /// The field an InvalidField names, for the attestation, job and result vectors (as the TypeScript
    /// and Rust codecs name it).
    function test_invalidVectorsNameTheirField() public {
        string[5] memory names = [
            "attestation with invalid UTF-8 in the DID",
            "attestation revoke carrying a uri",
            "attestation revoke carrying a license",
            "compute job post payment origin chain zero",
            "compute result expired with an executor"
        ];
        string[5] memory fields = ["ownerDid", "uri", "license", "paymentOriginChain", "resultHash"];
        for (uint256 i = 0; i < 5; i++) {
            vm.expectRevert(abi.encodeWithSignature("InvalidField(string)", fields[i]));
            c.decode(_invalidByName(names[i]));
        }
        vm.expectRevert(abi.encodeWithSignature("InvalidField(string)", "paymentOriginToken"));
        c.decode(_invalidByName("compute job post payment origin token zero"));
    }

    /// isValidUtf8 against a decoder written the other way round: assemble each code point, then check
    /// its length is the shortest (no overlong form), it is no surrogate and at most U+10FFFF.
    function testFuzz_utf8MatchesAReferenceDecoder(bytes memory s, uint256 seed) public view {
        // bias towards multi-byte forms: replace some bytes with lead and continuation bytes
        for (uint256 i = 0; i < s.length; i++) {
            uint256 r = uint256(keccak256(abi.encode(seed, i))) % 8;
            if (r == 0) s[i] = bytes1(uint8(0x80 + (uint8(s[i]) % 0x40)));
            else if (r == 1) s[i] = bytes1(uint8(0xc0 + (uint8(s[i]) % 0x38)));
        }
        assertEq(c.isValidUtf8(s), _referenceUtf8(s));
    }

    function test_utf8Edges() public view {
        assertTrue(c.isValidUtf8(""));
        assertTrue(c.isValidUtf8(hex"efbbbf")); // a byte-order mark alone
        assertTrue(c.isValidUtf8(hex"f48fbfbf")); // U+10FFFF
        assertTrue(c.isValidUtf8(hex"ed9fbf")); // U+D7FF
        assertTrue(c.isValidUtf8(hex"ee8080")); // U+E000
        assertFalse(c.isValidUtf8(hex"f4908080")); // U+110000
        assertFalse(c.isValidUtf8(hex"eda080")); // U+D800
        assertFalse(c.isValidUtf8(hex"c0af")); // overlong '/'
        assertFalse(c.isValidUtf8(hex"e080af"));
        assertFalse(c.isValidUtf8(hex"f08080af"));
        assertFalse(c.isValidUtf8(hex"e282")); // truncated
        assertFalse(c.isValidUtf8(hex"80"));
        assertFalse(c.isValidUtf8(hex"fe"));
        // a non-ASCII byte right after a 32-byte ASCII run, and inside one
        assertFalse(c.isValidUtf8(bytes.concat(bytes32("0123456789abcdef0123456789abcdef"), hex"ff")));
        assertFalse(c.isValidUtf8(bytes.concat(hex"ff", bytes32("0123456789abcdef0123456789abcdef"))));
    }

    function _referenceUtf8(bytes memory s) internal pure returns (bool) {
        uint256 i = 0;
        while (i < s.length) {
            uint8 b = uint8(s[i]);
            uint256 len;
            uint256 cp;
            if (b < 0x80) (len, cp) = (1, b);
            else if (b >> 5 == 6) (len, cp) = (2, b & 0x1f);
            else if (b >> 4 == 14) (len, cp) = (3, b & 0x0f);
            else if (b >> 3 == 30) (len, cp) = (4, b & 0x07);
            else return false;
            if (i + len > s.length) return false;
            for (uint256 k = 1; k < len; k++) {
                uint8 cb = uint8(s[i + k]);
                if (cb >> 6 != 2) return false;
                cp = (cp << 6) | (cb & 0x3f);
            }
            uint256 min = len == 1 ? 0 : len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
            i += len;
        }
        return true;
    }

    function _invalidByName(string memory name) internal view returns (bytes memory) {
        for (uint256 i = 0; vm.keyExistsJson(json, _at("invalid", i, "")); i++) {
            if (keccak256(bytes(vm.parseJsonString(json, _at("invalid", i, ".name")))) == keccak256(bytes(name))) {
                return vm.parseJsonBytes(json, _at("invalid", i, ".encoding"));
            }
        }
        revert(string.concat("no invalid vector ", name));
    }

    /// PROTOCOL.md 3.1: the recipient is checked last, so with another fault the other fault is named
    /// (full revert data, so InvalidField's field name counts too).
    function test_tokenTransferChecksRecipientLast() public {
        vm.expectRevert(abi.encodeWithSignature("InvalidField(string)", "recipient"));
        c.decode(_invalidByName("token transfer recipient zero"));
        vm.expectRevert(abi.encodeWithSignature("PayloadLength(uint8,uint256)", uint8(1), uint256(116)));
        c.decode(_invalidByName("token transfer recipient zero and payload one byte short"));
        vm.expectRevert(abi.encodeWithSignature("InvalidField(string)", "originChain"));
        c.decode(_invalidByName("token transfer recipient zero and origin chain zero"));
        vm.expectRevert(abi.encodeWithSignature("InvalidField(string)", "originToken"));
        c.decode(_invalidByName("token transfer recipient zero and origin token zero"));
        vm.expectRevert(abi.encodeWithSignature("ZeroAmount()"));
        c.decode(_invalidByName("token transfer recipient zero and amount zero"));
    }

    function testFuzz_tokenTransferRoundTrip(
        uint32 source,
        uint32 destination,
        uint64 nonce,
        bytes32 sender,
        bytes32 recipient,
        TokenTransfer memory t
    ) public view {
        vm.assume(source != 0 && destination != 0 && source != destination);
        vm.assume(recipient != 0 && t.originChain != 0 && t.originToken != 0 && t.amount != 0);
        MessageHeader memory h = MessageHeader(1, source, destination, nonce, sender, recipient);
        bytes memory enc = c.encodeTokenTransfer(h, t);
        assertEq(enc.length, 199);
        MessageHeader memory h2 = c.decodeHeader(enc);
        assertEq(abi.encode(h2), abi.encode(h));
        assertEq(abi.encode(c.decodeTokenTransfer(enc)), abi.encode(t));
    }

    /// Truncating or extending a valid message by any amount never decodes.
    function testFuzz_lengthChangesAreRejected(uint256 cut, bytes memory extra) public {
        bytes memory enc = vm.parseJsonBytes(json, _at("valid", 0, ".encoding"));
        cut = bound(cut, 0, enc.length - 1);
        bytes memory shorter = new bytes(cut);
        for (uint256 i = 0; i < cut; i++) {
            shorter[i] = enc[i];
        }
        vm.expectRevert();
        c.decode(shorter);
        vm.assume(extra.length > 0);
        vm.expectRevert();
        c.decode(bytes.concat(enc, extra));
    }
}
