// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {
    GovernanceAction, MessageCodec, MessageHeader, TokenTransfer
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

    /// @notice Everything this chain's codec checks: the header, and the payloads the EVM bridge acts on.
    function decode(bytes calldata m) external view {
        MessageHeader memory h = MessageCodec.decodeHeader(m);
        if (h.kind == MessageCodec.KIND_TOKEN_TRANSFER) MessageCodec.decodeTokenTransfer(m, h);
        if (h.kind == MessageCodec.KIND_GOVERNANCE) MessageCodec.decodeGovernance(m);
    }

    function encodeTokenTransfer(MessageHeader memory h, TokenTransfer memory t) external pure returns (bytes memory) {
        return MessageCodec.encodeTokenTransfer(h, t);
    }

    function signingDigest(uint32 epoch, uint32 destinationChain, bytes32 root) external pure returns (bytes32) {
        return MessageCodec.signingDigest(epoch, destinationChain, root);
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
            assertEq(
                c.signingDigest(epoch, h.destinationChain, id),
                vm.parseJsonBytes32(json, _at("valid", i, ".signingDigest"))
            );
            if (h.kind == 1) _checkTokenTransfer(i, enc, h);
            if (h.kind == 5) _checkGovernance(i, enc);
            count++;
        }
        assertEq(count, 17);
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

    /// Every malformation in scope of this chain's codec reverts with the vector's named error.
    function test_invalidVectors() public {
        uint256 checked;
        for (uint256 i = 0; vm.keyExistsJson(json, _at("invalid", i, "")); i++) {
            bytes32 scope = keccak256(bytes(vm.parseJsonString(json, _at("invalid", i, ".scope"))));
            if (scope != keccak256("header") && scope != keccak256("TokenTransfer") && scope != keccak256("Governance")) {
                continue; // payloads the EVM bridge does not act on yet (attestations, jobs)
            }
            bytes memory enc = vm.parseJsonBytes(json, _at("invalid", i, ".encoding"));
            string memory err = vm.parseJsonString(json, _at("invalid", i, ".solidityError"));
            vm.expectPartialRevert(bytes4(keccak256(bytes(err))));
            c.decode(enc);
            checked++;
        }
        assertEq(checked, 32);
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
        for (uint256 i = 0; i < cut; i++) shorter[i] = enc[i];
        vm.expectRevert();
        c.decode(shorter);
        vm.assume(extra.length > 0);
        vm.expectRevert();
        c.decode(bytes.concat(enc, extra));
    }
}
