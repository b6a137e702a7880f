/** Errors the command line reports as one line (no stack): wrong usage, and anything else named. */
export class UsageError extends Error {
  override name = 'UsageError';
}
