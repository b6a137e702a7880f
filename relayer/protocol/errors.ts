/**
 * Named decoding and validation errors of the SAH message protocol.
 *
 * Every malformation has its own class. `code` is the language-neutral name that the Solidity
 * custom errors and the Rust error enum use too; the golden vectors in `test/vectors/` refer to it.
 */
export abstract class ProtocolError extends Error {
  abstract readonly code: string;
  override get name(): string {
    return `${this.code}Error`;
  }
}

export class MessageTooShortError extends ProtocolError {
  readonly code = 'MessageTooShort';
  constructor(readonly length: number) {
    super(`message is ${length} bytes, the header alone is 82`);
  }
}

export class UnsupportedVersionError extends ProtocolError {
  readonly code = 'UnsupportedVersion';
  constructor(readonly version: number) {
    super(`message version ${version} is not supported (expected 1)`);
  }
}

export class UnknownKindError extends ProtocolError {
  readonly code = 'UnknownKind';
  constructor(readonly kind: number) {
    super(`message kind ${kind} is unknown (expected 1..5)`);
  }
}

export class InvalidChainRouteError extends ProtocolError {
  readonly code = 'InvalidChainRoute';
  constructor(
    readonly sourceChain: number,
    readonly destinationChain: number,
    readonly reason: string,
  ) {
    super(`route ${sourceChain} -> ${destinationChain} is invalid: ${reason}`);
  }
}

export class PayloadLengthError extends ProtocolError {
  readonly code = 'PayloadLength';
  constructor(
    readonly kind: number,
    readonly length: number,
    readonly expected: string,
  ) {
    super(`payload of kind ${kind} is ${length} bytes, expected ${expected}`);
  }
}

export class UnknownActionError extends ProtocolError {
  readonly code = 'UnknownAction';
  constructor(
    readonly kind: number,
    readonly action: number,
  ) {
    super(`action ${action} is unknown for message kind ${kind}`);
  }
}

export class ZeroAmountError extends ProtocolError {
  readonly code = 'ZeroAmount';
  constructor() {
    super('token transfer amount is zero');
  }
}

export class InvalidFieldError extends ProtocolError {
  readonly code = 'InvalidField';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`field ${field} is invalid: ${reason}`);
  }
}

export class InvalidGroupKeyError extends ProtocolError {
  readonly code = 'InvalidGroupKey';
  constructor(readonly reason: string) {
    super(`group public key is invalid: ${reason}`);
  }
}

/** Raised while building a message from fields that cannot be encoded (out of range, too long). */
export class EncodeError extends ProtocolError {
  readonly code = 'Encode';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`cannot encode ${field}: ${reason}`);
  }
}
