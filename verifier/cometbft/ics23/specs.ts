/**
 * The two ICS23 proof specs a Cosmos SDK query proof uses: IAVL for the key inside a module store, and
 * "tendermint" (CometBFT's simple Merkle tree) for the store's root inside the app hash. The verifier checks
 * every op of a proof against these, so a proof cannot choose its own hash functions or tree shape.
 */
import { HashOp, LengthOp } from 'cosmjs-types/cosmos/ics23/v1/proofs';

export interface LeafSpec {
  hash: HashOp;
  prehashKey: HashOp;
  prehashValue: HashOp;
  length: LengthOp;
  /** Every leaf preimage starts with this (domain separation from inner nodes). */
  prefix: Uint8Array;
}

export interface InnerSpec {
  /** Order of the children in a node's preimage; [0, 1] for both binary trees here. */
  childOrder: readonly number[];
  /** Bytes one child takes in the preimage (IAVL: a length byte + 32-byte hash). */
  childSize: number;
  /** Prefix bytes before the first child, bounds (node header). */
  minPrefixLength: number;
  maxPrefixLength: number;
  hash: HashOp;
}

export interface ProofSpec {
  name: string;
  leaf: LeafSpec;
  inner: InnerSpec;
  /** IAVL prefixes encode height, size and version as varints; checked on top of the generic rules. */
  iavl: boolean;
}

/** The leaf op both specs share (ics23 go/proof.go): sha256(0x00 || varint len || key || varint len || sha256(value)). */
const SHA256_LEAF: LeafSpec = {
  hash: HashOp.SHA256,
  prehashKey: HashOp.NO_HASH,
  prehashValue: HashOp.SHA256,
  length: LengthOp.VAR_PROTO,
  prefix: Uint8Array.of(0),
};

/** ics23 IavlSpec (cosmos/ics23 go/proof.go). */
export const IAVL_SPEC: ProofSpec = {
  name: 'iavl',
  leaf: SHA256_LEAF,
  inner: { childOrder: [0, 1], childSize: 33, minPrefixLength: 4, maxPrefixLength: 12, hash: HashOp.SHA256 },
  iavl: true,
};

/** ics23 TendermintSpec: RFC 6962 leaves (0x00) and inner nodes (0x01) over sha256. */
export const TENDERMINT_SPEC: ProofSpec = {
  name: 'tendermint',
  leaf: SHA256_LEAF,
  inner: { childOrder: [0, 1], childSize: 32, minPrefixLength: 1, maxPrefixLength: 1, hash: HashOp.SHA256 },
  iavl: false,
};
