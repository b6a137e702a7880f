import { BaseError, ContractFunctionExecutionError, HttpRequestError, InsufficientFundsError, parseAbi } from 'viem';
import { describe, expect, it } from 'vitest';
import { ChainRefusalError, chainDetail, failureReport, UsageError } from './errors.js';

describe('failureReport: one line, error: <Name>: <what and why>', () => {
  it('a named error: its line, exit code 2', () => {
    expect(failureReport(new UsageError('transfer: --amount is required'))).toEqual({
      line: 'error: UsageError: transfer: --amount is required',
      exitCode: 2,
    });
    expect(failureReport(new ChainRefusalError('UnknownJob', 'wasmd refused: no job 0x01'))).toEqual({
      line: 'error: UnknownJob: wasmd refused: no job 0x01',
      exitCode: 2,
    });
  });

  it('an unexpected error: exit code 1 and where to find the stack; a message of many lines on one', () => {
    expect(failureReport(new Error('first\n  second\n\nthird'))).toEqual({
      line: 'error: Error: first second third (SAH_DEBUG=1 shows where)',
      exitCode: 1,
    });
    expect(failureReport(new TypeError('x is undefined'), true)).toEqual({
      line: 'error: TypeError: x is undefined',
      exitCode: 1,
    });
    expect(failureReport('thrown text').line).toBe('error: Error: thrown text (SAH_DEBUG=1 shows where)');
  });

  it("a viem error: the cause that says why, by its short message, not the call's wrapper", () => {
    const abi = parseAbi(['function lock(address token, uint256 amount)']);
    const call = (cause: Error) =>
      new ContractFunctionExecutionError(cause as HttpRequestError, { abi, functionName: 'lock', args: [] });
    const down = failureReport(
      call(new HttpRequestError({ url: 'http://127.0.0.1:9', cause: new TypeError('fetch failed') })),
    );
    expect(down).toEqual({
      line: 'error: HttpRequestError: HTTP request failed. fetch failed (http://127.0.0.1:9)',
      exitCode: 2,
    });
    const poor = failureReport(
      call(new InsufficientFundsError({ cause: new BaseError('insufficient funds for gas') })),
    );
    expect(poor.line).toMatch(/^error: InsufficientFundsError: The total cost \(gas \* gas fee \+ value\) .*\S$/);
    expect(poor.line).not.toMatch(/\n/);
  });
});

describe('chainDetail', () => {
  it("keeps only the contract's error of wasmd's wrapping", () => {
    expect(
      chainDetail(
        'Broadcasting transaction failed with code 5 (codespace: wasm). Log: failed to execute message; ' +
          'message index: 0: UnknownJob: 0xab: execute wasm contract failed',
      ),
    ).toBe('UnknownJob: 0xab');
    expect(
      chainDetail(
        'rpc error: code = Unknown desc = failed to execute message; message index: 0: Paused: the bridge is ' +
          'paused: execute wasm contract failed [CosmWasm/wasmd/x/wasm/keeper/keeper.go:436] With gas wanted: ...',
      ),
    ).toBe('Paused: the bridge is paused');
  });

  it('any other text, on one line', () => {
    expect(chainDetail('extrinsic 0x01 failed\n in block 5')).toBe('extrinsic 0x01 failed in block 5');
  });
});
