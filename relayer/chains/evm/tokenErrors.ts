/**
 * Custom errors of the ERC-20 tokens the Bridge moves, for naming a revert that comes from inside a token.
 * A lock's `safeTransferFrom` and a burn revert in the token, and the Bridge passes the token's revert data
 * up unchanged: decoded with the Bridge ABI alone it is an unknown selector (0xe450d38c for a balance too
 * small). SAHToken and WrappedToken are OpenZeppelin 5 ERC20s, which revert with IERC20Errors
 * (@openzeppelin/contracts/interfaces/draft-IERC6093.sol); WrappedToken adds OnlyBridge for mint and burn and
 * AmountTooLarge for a mint past the supply cap.
 */
import { parseAbi } from 'viem';

/** OpenZeppelin's IERC20Errors (ERC-6093), as SAHToken and WrappedToken declare them. */
export const erc20ErrorsAbi = parseAbi([
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
  'error ERC20InvalidSender(address sender)',
  'error ERC20InvalidReceiver(address receiver)',
  'error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)',
  'error ERC20InvalidApprover(address approver)',
  'error ERC20InvalidSpender(address spender)',
]);

/**
 * WrappedToken's own errors: only the Bridge that deployed it mints and burns; its supply stops at 2^128 - 1
 * (a mint past it reverts inside the token, and the Bridge's delivery with it).
 */
export const wrappedTokenErrorsAbi = parseAbi([
  'error OnlyBridge(address caller)',
  'error AmountTooLarge(uint256 amount)',
]);

/** Every token error the Bridge can pass up: add it to the ABI that decodes a Bridge call's revert. */
export const tokenErrorsAbi = [...erc20ErrorsAbi, ...wrappedTokenErrorsAbi] as const;
