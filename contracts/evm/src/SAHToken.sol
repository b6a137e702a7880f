// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title SAH, the token of the SAH AI platform; its home chain is Ethereum
/// @notice A plain fixed-supply ERC-20 for devnets and tests.
contract SAHToken is ERC20 {
    constructor(address holder, uint256 supply) ERC20("SAH Token", "SAH") {
        _mint(holder, supply);
    }
}
