// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice What the Bridge calls on a module: a received message of the module's kind, already checked
/// by the bridge (destination, key epoch, signature, consumed once, pause). A revert undoes the delivery
/// (the message stays unconsumed and can be delivered again).
interface IBridgeModule {
    function onMessage(bytes calldata message) external;
}

/// @notice The part of the Bridge its modules use.
interface IModuleBridge {
    function chainId() external view returns (uint32);
    function paused() external view returns (bool);
    function wrappedTokenKey(address token) external view returns (bytes32);
    function sendFromModule(uint8 kind, uint32 destinationChain, bytes32 sender, bytes calldata payload)
        external
        returns (uint64 nonce, bytes32 messageId);
}

/// @notice A destination that is this chain, the governance chain, not a chain of docs/PROTOCOL.md §1, or
/// (in a list) one listed twice.
error InvalidDestination(uint32 destinationChain);
/// @notice An empty destination list.
error EmptyDestinations();

/// @notice The chains of docs/PROTOCOL.md §1 and their families.
library Chains {
    /// @notice Whether `id` is a chain of the protocol's table (the governance pseudo-chain is not).
    function isKnown(uint32 id) internal pure returns (bool) {
        return (id >= 1 && id <= 3) || (id >= 10001 && id <= 10004);
    }

    /// @notice Whether `id` is an EVM chain, whose accounts are 20-byte addresses left-padded to 32.
    function isEvm(uint32 id) internal pure returns (bool) {
        return id == 1 || id == 10001 || id == 10002;
    }
}

/// @title Base of the Bridge's modules (AttestationRegistry, JobBoard)
/// @notice Bound to one Bridge at construction; only that Bridge delivers, and the module sends through it.
abstract contract BridgeModule is IBridgeModule {
    IModuleBridge public immutable bridge;
    /// @notice The bridge's SAH protocol chain id.
    uint32 public immutable chainId;

    error OnlyBridge(address caller);
    /// @notice The Bridge is paused (the same error the Bridge itself reverts with).
    error BridgePaused();

    constructor(address bridge_) {
        bridge = IModuleBridge(bridge_);
        chainId = IModuleBridge(bridge_).chainId();
    }

    /// @dev A call that sends through the Bridge checks the pause first, as the other chains' contracts do
    /// (docs/PROTOCOL.md §8.3): a paused bridge reports BridgePaused whatever else is wrong with the call.
    modifier whenBridgeOpen() {
        if (bridge.paused()) revert BridgePaused();
        _;
    }

    modifier onlyBridge() {
        if (msg.sender != address(bridge)) revert OnlyBridge(msg.sender);
        _;
    }

    /// @dev At least one (`EmptyDestinations`); each once, known, and not this chain (`InvalidDestination`).
    function _checkDestinations(uint32[] calldata destinations) internal view {
        uint256 n = destinations.length;
        if (n == 0) revert EmptyDestinations();
        for (uint256 i = 0; i < n; i++) {
            uint32 d = destinations[i];
            if (d == chainId || !Chains.isKnown(d)) revert InvalidDestination(d);
            for (uint256 j = 0; j < i; j++) {
                if (destinations[j] == d) revert InvalidDestination(d);
            }
        }
    }

    function _send(uint8 kind, uint32 destinationChain, bytes32 sender, bytes memory payload)
        internal
        returns (uint64 nonce, bytes32 messageId)
    {
        return bridge.sendFromModule(kind, destinationChain, sender, payload);
    }

    function _account(address a) internal pure returns (bytes32) {
        return bytes32(uint256(uint160(a)));
    }
}
