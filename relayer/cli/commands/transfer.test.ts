import { describe, expect, it } from 'vitest';
import { FlowCallError, InvalidRequestError } from '../../sdk/flows.js';
import { ChainRefusalError, failureReport, UsageError } from '../errors.js';
import { cliError } from './transfer.js';

describe("the SDK's errors as the CLI says them", () => {
  it('a request it cannot carry out: a UsageError naming the option', () => {
    const e = cliError(new InvalidRequestError('amount', '1x is not a number'));
    expect(e).toBeInstanceOf(UsageError);
    expect(failureReport(e)).toEqual({ line: 'error: UsageError: --amount 1x is not a number', exitCode: 2 });
    expect(failureReport(cliError(new InvalidRequestError(undefined, 'no wrapped SAH on wasmd yet')))).toEqual({
      line: 'error: UsageError: no wrapped SAH on wasmd yet',
      exitCode: 2,
    });
  });

  it("a chain's refusal: named by the chain's error, the chain SDK's error as its cause", () => {
    const viem = new Error('The contract function "lock" reverted');
    const e = cliError(
      new FlowCallError('ERC20InsufficientBalance', 'ethereum-a refused the lock: sender 0x.. has 5 SAH', {
        cause: viem,
      }),
    );
    expect(e).toBeInstanceOf(ChainRefusalError);
    expect((e as ChainRefusalError).cause).toBe(viem);
    expect(failureReport(e)).toEqual({
      line: 'error: ERC20InsufficientBalance: ethereum-a refused the lock: sender 0x.. has 5 SAH',
      exitCode: 2,
    });
  });

  it('anything else is left as it is', () => {
    const e = new TypeError('x');
    expect(cliError(e)).toBe(e);
  });
});
