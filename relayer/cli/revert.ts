/**
 * An EVM call's revert, named: the custom error decoded with the Bridge's ABI plus the token errors it passes
 * up (relayer/chains/evm/tokenErrors.ts), and said in one line, e.g.
 * `ERC20InsufficientBalance: ethereum-a refused the lock: sender 0x.. has 5 SAH of the 10 SAH needed`.
 * Loaded only when a command fails with a viem error.
 */
import {
  type Abi,
  type AbiParameter,
  BaseError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  formatUnits,
  type Hex,
} from 'viem';
import { bridgeAbi } from '../chains/evm/abi/bridge.js';
import { tokenErrorsAbi } from '../chains/evm/tokenErrors.js';
import { ChainRefusalError } from './errors.js';

/** The Bridge's ABI and the errors of the tokens it calls: what a Bridge call can revert with. */
export const bridgeCallAbi = [...bridgeAbi, ...tokenErrorsAbi] as const;

/** The token moved, to show its amounts in units (5 SAH) rather than base units. */
export interface TokenUnits {
  decimals: number;
  symbol: string;
}

interface DecodedRevert {
  name: string;
  args: readonly unknown[];
  inputs: readonly AbiParameter[];
}

type Describe = (args: readonly unknown[], amount: (v: unknown) => string) => string;

/** What a revert means, for the errors a transfer meets; any other error shows its arguments by name. */
const DESCRIBE: Record<string, Describe> = {
  ERC20InsufficientBalance: ([sender, balance, needed], amount) =>
    `sender ${sender} has ${amount(balance)} of the ${amount(needed)} needed`,
  ERC20InsufficientAllowance: ([spender, allowance, needed], amount) =>
    `spender ${spender} is allowed ${amount(allowance)} of the ${amount(needed)} needed`,
  ERC20InvalidSender: ([sender]) => `the token refuses ${sender} as a sender`,
  ERC20InvalidReceiver: ([receiver]) => `the token refuses ${receiver} as a receiver`,
  ERC20InvalidApprover: ([approver]) => `the token refuses ${approver} as an approver`,
  ERC20InvalidSpender: ([spender]) => `the token refuses ${spender} as a spender`,
  OnlyBridge: ([caller]) => `only the bridge may do this, not ${caller}`,
  BridgePaused: () => 'the bridge is paused',
  ZeroAmount: () => 'the amount is zero',
  AmountTooLarge: ([amount]) => `${amount} is more than the bridge can carry (a wrapped amount is a u128)`,
  InvalidDestination: ([chain]) => `chain ${chain} is not a destination from here`,
  InvalidRecipient: ([recipient]) => `${recipient} is not a recipient`,
  CannotLockWrappedToken: ([token]) => `${token} is a wrapped token: it is burned, not locked`,
  UnknownWrappedToken: ([token]) => `${token} is not a token this bridge wrapped`,
  TokenMetadataUnavailable: ([token]) => `${token} does not answer decimals()`,
  SafeERC20FailedOperation: ([token]) => `the token ${token} refused the transfer`,
  RateLimitExceeded: ([tokenKey, amount, available]) =>
    `${amount} is over the ${available} the rate limit allows now (token key ${tokenKey})`,
};

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

function decode(
  e: BaseError,
  abi: Abi,
): DecodedRevert | { selector: Hex } | { name: string; reason: string } | undefined {
  const reverted = e.walk((x) => x instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
  // viem decoded it with the ABI of the call; else the raw data is decoded here with the wider ABI
  let decoded = reverted.data?.abiItem ? reverted.data : undefined;
  if (!decoded && reverted.raw && reverted.raw !== '0x') {
    try {
      decoded = decodeErrorResult({ abi, data: reverted.raw });
    } catch {
      return { selector: reverted.raw.slice(0, 10) as Hex };
    }
  }
  // Error(string) and Panic(uint256): a require message or a panic, as viem says it
  if (!decoded || decoded.errorName === 'Error' || decoded.errorName === 'Panic')
    return {
      name: decoded?.errorName === 'Panic' ? 'Panic' : 'Reverted',
      reason: reverted.reason ?? (decoded ? show(decoded.args?.[0]) : 'no reason given'),
    };
  const inputs = decoded.abiItem && 'inputs' in decoded.abiItem ? decoded.abiItem.inputs : [];
  return { name: decoded.errorName, args: decoded.args ?? [], inputs };
}

/**
 * The chain's refusal named by its error, if `e` is a contract revert (else undefined). `what` says what was
 * refused (`ethereum-a refused the lock`); `units`, if given, shows ERC-20 amounts in that token's units.
 */
export function namedRevert(
  e: unknown,
  o: { what?: string; abi?: Abi; units?: TokenUnits } = {},
): ChainRefusalError | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const revert = decode(e, o.abi ?? bridgeCallAbi);
  if (!revert) return undefined;
  const call = e.walk((x) => x instanceof ContractFunctionExecutionError);
  const what =
    o.what ??
    (call instanceof ContractFunctionExecutionError
      ? `${call.functionName}() on ${call.contractAddress ?? 'the contract'} reverted`
      : 'the call reverted');
  const cause = { cause: e };
  if ('selector' in revert)
    return new ChainRefusalError(
      'UnknownContractError',
      `${what}: error selector ${revert.selector} is in neither the Bridge's nor the token's ABI`,
      cause,
    );
  if ('reason' in revert) return new ChainRefusalError(revert.name, `${what}: ${revert.reason}`, cause);
  const { name, args, inputs } = revert;
  const units = o.units;
  const amount = (v: unknown) =>
    units && typeof v === 'bigint' ? `${formatUnits(v, units.decimals)} ${units.symbol}` : show(v);
  const detail =
    DESCRIBE[name]?.(args, amount) ?? inputs.map((p, i) => `${p.name || `arg${i}`}=${show(args[i])}`).join(', ');
  return new ChainRefusalError(name, detail ? `${what}: ${detail}` : what, cause);
}
