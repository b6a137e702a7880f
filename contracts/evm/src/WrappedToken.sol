// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice What the bridge hands a wrapped token while deploying it (see Bridge.wrappedTokenParameters).
interface IWrappedTokenDeployer {
    function wrappedTokenParameters()
        external
        view
        returns (uint32 originChain, bytes32 originToken, uint8 decimals, bytes32 symbol, bytes32 name);
}

/// @title A token whose home is another chain, minted and burned only by the bridge
/// @notice Deployed with CREATE2 from a constant init code, salted by (originChain, originToken), so its
/// address depends on its origin alone. Metadata is read back from the deployer in the constructor
/// and kept in immutables: no storage reads for name, symbol, decimals or origin.
contract WrappedToken is ERC20 {
    address public immutable bridge;
    uint32 public immutable originChain;
    bytes32 public immutable originToken;
    uint8 private immutable _decimals;
    bytes32 private immutable _symbol;
    bytes32 private immutable _name;

    error OnlyBridge(address caller);
    /// @notice The supply would pass 2^128 - 1, the protocol's amount range (the other chains' cap too).
    error AmountTooLarge(uint256 amount);

    constructor() ERC20("", "") {
        bridge = msg.sender;
        (uint32 chain, bytes32 token, uint8 dec, bytes32 sym, bytes32 nam) =
            IWrappedTokenDeployer(msg.sender).wrappedTokenParameters();
        originChain = chain;
        originToken = token;
        _decimals = dec;
        _symbol = sym;
        _name = nam;
    }

    modifier onlyBridge() {
        if (msg.sender != bridge) revert OnlyBridge(msg.sender);
        _;
    }

    function mint(address to, uint256 amount) external onlyBridge {
        // every amount the protocol carries is a u128: a supply past it could not be burned home in one piece
        // of accounting the other chains share (their wrapped supply is a u128, refused the same way)
        if (totalSupply() + amount > type(uint128).max) revert AmountTooLarge(amount);
        _mint(to, amount);
    }

    /// @notice The bridge burns from the account that asked it to (no allowance: the holder is the caller).
    function burn(address from, uint256 amount) external onlyBridge {
        _burn(from, amount);
    }

    /// @notice Everything a token transfer message carries about this token.
    function origin() external view returns (uint32, bytes32, uint8, bytes32, bytes32) {
        return (originChain, originToken, _decimals, _symbol, _name);
    }

    function name() public view override returns (string memory) {
        return _trim(_name);
    }

    function symbol() public view override returns (string memory) {
        return _trim(_symbol);
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    /// @dev bytes32 (UTF-8, zero-padded) to string without the padding.
    function _trim(bytes32 value) private pure returns (string memory out) {
        uint256 len;
        while (len < 32 && value[len] != 0) len++;
        out = new string(len);
        assembly ("memory-safe") {
            mstore(add(out, 32), value)
        }
    }
}
