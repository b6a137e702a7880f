/** Message kinds (byte 1 of every message). */
export const MessageKind = {
  TokenTransfer: 1,
  DataAttestation: 2,
  ComputeJob: 3,
  ComputeResult: 4,
  Governance: 5,
} as const;

export type MessageKindName = keyof typeof MessageKind;
export type MessageKindCode = (typeof MessageKind)[MessageKindName];

export const PROTOCOL_VERSION = 1;
/** Length of the fixed header that precedes every payload. */
export const HEADER_LENGTH = 82;
