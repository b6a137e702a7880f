/**
 * How the command line fails: one line on stderr, `error: <Name>: <what and why>`, no stack trace unless
 * SAH_DEBUG=1 asks for it. Loaded by main.js at start, so it imports nothing heavy (no viem, no chain SDK).
 */

/** Wrong usage: an unknown or missing option, a malformed value. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * A chain refused a call, named by the chain's own error: a contract's custom error (ERC20InsufficientBalance,
 * InvalidRecipient), a CosmWasm bridge error (UnknownJob), a pallet or dispatch error (InsufficientBalance).
 * Exit code 2, like every named error.
 */
export class ChainRefusalError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = errorName;
  }
}

/** The text on one line: lines trimmed and joined, blank ones dropped. */
export function oneLine(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}

/**
 * A chain's refusal as the chain said it, in one line: of wasmd's wrapping (`... failed to execute message;
 * message index: 0: <error>: execute wasm contract failed [file:line] With gas wanted ...`) only <error>.
 */
export function chainDetail(text: string): string {
  const line = oneLine(text);
  return /message index: \d+: (.*?)(?:: execute wasm contract failed| \[| With gas wanted|$)/.exec(line)?.[1] ?? line;
}

/** viem's errors carry a one-line `shortMessage` beside the long message (call, args, docs link, version). */
interface ShortMessageError extends Error {
  shortMessage: string;
  details?: string;
  url?: string;
}

function hasShortMessage(e: unknown): e is ShortMessageError {
  return e instanceof Error && typeof (e as Partial<ShortMessageError>).shortMessage === 'string';
}

/**
 * The error that says why: of a viem error and its causes, the first that is not a wrapper naming the call
 * (ContractFunctionExecutionError, CallExecutionError, ...): a contract call that failed because the RPC is
 * down is an HttpRequestError, one without gas money an InsufficientFundsError.
 */
function reasonOf(e: ShortMessageError): ShortMessageError {
  let reason = e;
  for (let c: unknown = e; hasShortMessage(c); c = c.cause) {
    reason = c;
    if (!c.name.endsWith('ExecutionError')) break;
  }
  return reason;
}

/** What a failure prints and the exit code it gives. */
export interface FailureReport {
  line: string;
  exitCode: number;
}

/**
 * A named error (UsageError, ConfigError, a chain's refusal, ...) says what and why: its line, exit code 2.
 * A plain Error or TypeError is unexpected: its line, exit code 1, and a pointer to SAH_DEBUG=1 for the stack.
 */
export function failureReport(e: unknown, debug = false): FailureReport {
  const hint = debug ? '' : ' (SAH_DEBUG=1 shows where)';
  if (!(e instanceof Error)) return { line: `error: Error: ${oneLine(String(e))}${hint}`, exitCode: 1 };
  const reason = hasShortMessage(e) ? reasonOf(e) : e;
  let message = reason.message;
  if (hasShortMessage(reason)) {
    const details = reason.details ? oneLine(reason.details) : '';
    message =
      details && !reason.shortMessage.includes(details) ? `${reason.shortMessage} ${details}` : reason.shortMessage;
    if (typeof reason.url === 'string') message += ` (${reason.url})`;
  }
  const named = e.name !== 'Error' && e.name !== 'TypeError';
  const line = `error: ${reason.name}: ${oneLine(message) || '(no message)'}`;
  return named ? { line, exitCode: 2 } : { line: `${line}${hint}`, exitCode: 1 };
}
