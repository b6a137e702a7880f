/**
 * The CometBFT data a light client checks, decoded from JSON-RPC into bytes and bigints once, so that hashing
 * and signature checks never touch strings. Field names follow the protobuf definitions.
 */

/** google.protobuf.Timestamp; CometBFT keeps nanoseconds, and they are signed over. */
export interface Timestamp {
  seconds: bigint;
  nanos: number;
}

export interface PartSetHeader {
  total: number;
  hash: Uint8Array;
}

export interface BlockId {
  hash: Uint8Array;
  partSetHeader: PartSetHeader;
}

export interface Header {
  version: { block: bigint; app: bigint };
  chainId: string;
  height: bigint;
  time: Timestamp;
  lastBlockId: BlockId;
  lastCommitHash: Uint8Array;
  dataHash: Uint8Array;
  validatorsHash: Uint8Array;
  nextValidatorsHash: Uint8Array;
  consensusHash: Uint8Array;
  appHash: Uint8Array;
  lastResultsHash: Uint8Array;
  evidenceHash: Uint8Array;
  proposerAddress: Uint8Array;
}

/** types.BlockIDFlag: which block, if any, a validator's precommit was for. */
export const BlockIdFlag = { Absent: 1, Commit: 2, Nil: 3 } as const;
export type BlockIdFlag = (typeof BlockIdFlag)[keyof typeof BlockIdFlag];

export interface CommitSig {
  blockIdFlag: BlockIdFlag;
  validatorAddress: Uint8Array;
  timestamp: Timestamp;
  signature: Uint8Array;
}

export interface Commit {
  height: bigint;
  round: number;
  blockId: BlockId;
  /** One entry per validator of the set at this height, in the set's order. */
  signatures: CommitSig[];
}

export interface SignedHeader {
  header: Header;
  commit: Commit;
}

/** Only ed25519 validators are supported: every CometBFT chain the bridge targets uses them. */
export interface Validator {
  address: Uint8Array;
  pubKey: Uint8Array;
  votingPower: bigint;
}

/** A signed header with the validator set that signed it (the set at its height, in the chain's order). */
export interface LightBlock {
  signedHeader: SignedHeader;
  validators: Validator[];
}
