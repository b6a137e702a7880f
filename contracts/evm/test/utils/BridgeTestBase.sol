// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Bridge} from "../../src/Bridge.sol";
import {MessageCodec, MessageHeader, TokenTransfer} from "../../src/MessageCodec.sol";
import {SAHToken} from "../../src/SAHToken.sol";
import {FrostTestBase} from "./FrostTestBase.sol";

/// @notice A bridge on chain 1 (SAH's home), a signing key, and helpers to build signed messages.
abstract contract BridgeTestBase is FrostTestBase {
    uint32 internal constant HOME = 1;
    uint32 internal constant REMOTE = 2;
    uint32 internal constant THIRD = 3;

    Bridge internal bridge;
    SAHToken internal sah;
    TestKey internal key;
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal guardian = makeAddr("guardian");
    uint64 internal nextInboundNonce = 1;
    uint64 internal nextGovernanceNonce = 1;

    function setUp() public virtual {
        key = makeKey(uint256(keccak256("bridge test key")));
        bridge = new Bridge(HOME, 1, key.x, key.parity, guardian);
        sah = new SAHToken(alice, 1_000_000 ether);
        vm.prank(alice);
        sah.approve(address(bridge), type(uint256).max);
    }

    function b32(address a) internal pure returns (bytes32) {
        return bytes32(uint256(uint160(a)));
    }

    /// A transfer of a token native to REMOTE (wrapped here), from REMOTE to `to`.
    function remoteTransfer(address to, uint128 amount) internal returns (bytes memory) {
        return transferMessage(REMOTE, HOME, REMOTE, keccak256("remote token"), to, amount);
    }

    function transferMessage(
        uint32 source,
        uint32 destination,
        uint32 originChain,
        bytes32 originToken,
        address to,
        uint128 amount
    ) internal returns (bytes memory) {
        return MessageCodec.encodeTokenTransfer(
            MessageHeader(1, source, destination, nextInboundNonce++, keccak256("remote sender"), b32(to)),
            TokenTransfer(originChain, originToken, amount, 6, bytes32("RMT"), bytes32("Remote Token"))
        );
    }

    function governance(bytes memory payload) internal returns (bytes memory) {
        return abi.encodePacked(
            uint8(1), uint8(5), uint32(0), HOME, nextGovernanceNonce++, bytes32(0), b32(address(bridge)), payload
        );
    }

    function rotatePayload(uint32 newEpoch, TestKey memory k, uint32 grace) internal pure returns (bytes memory) {
        return abi.encodePacked(uint8(1), newEpoch, uint8(2 + k.parity), k.x, grace);
    }

    /// A signature over `message` alone for `bridge` (its instance: this EVM chain, its address).
    function sign(TestKey memory k, uint32 epoch, bytes memory message) internal returns (bytes memory) {
        return signMessage(k, bridge, epoch, message);
    }

    function deliver(bytes memory message) internal returns (bytes32) {
        (uint32 epoch,,,,,) = bridge.config();
        return bridge.receiveMessage(message, epoch, sign(key, epoch, message));
    }
}

/// @notice Takes a 1% fee on every transfer (to check lock accounts for what arrived).
contract FeeToken is ERC20 {
    constructor(address holder) ERC20("Fee", "FEE") {
        _mint(holder, 1e24);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = value / 100;
            super._update(from, address(0xdead), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}

/// @notice A token without decimals().
contract NoDecimalsToken {
    mapping(address => uint256) public balanceOf;

    constructor(address holder) {
        balanceOf[holder] = 1e24;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        balanceOf[from] -= value;
        balanceOf[to] += value;
        return true;
    }
}
