/** CometBFT light client, ICS23 state proofs, and the SourceVerifier built on them. */
export {
  CommitSignatures,
  checkTrustLevel,
  DEFAULT_TRUST_LEVEL,
  InsufficientTrustError,
  type TrustLevel,
  verifyCommitLight,
  verifyCommitLightTrusting,
} from './commit.js';
export { encodeBlockId, encodeTimestamp, hashCommit, hashHeader, headerLeaves } from './header.js';
export { IAVL_SPEC, type ProofSpec, TENDERMINT_SPEC } from './ics23/specs.js';
export {
  existenceRoot,
  type ProofOp,
  type StoreProofResult,
  verifyExistence,
  verifyNonExistence,
  verifyStoreProof,
} from './ics23/verify.js';
export type {
  BlockId,
  Commit,
  CommitSig,
  Header,
  LightBlock,
  SignedHeader,
  Timestamp,
  Validator,
} from './lightBlock.js';
export {
  checkLightBlock,
  checkNotExpired,
  type TrustedBlock,
  type VerifyOptions,
  verifyAdjacent,
  verifyCheckpoint,
  verifyLightBlock,
  verifySkipping,
} from './lightClient.js';
export { merkleRoot, rootFromAunts, verifyMerkleProof } from './merkle.js';
export { CometRpc } from './rpc.js';
export { parseCommit, parseHeader, parseSignedHeader, parseValidators } from './rpcJson.js';
export {
  COMETBFT_LIGHT_CLIENT_MODE,
  CometbftSourceVerifier,
  type CometbftVerifierOptions,
  fetchTrustedCheckpoint,
  type TrustedCheckpoint,
} from './sourceVerifier.js';
export { hashValidatorSet, validatorAddress } from './validatorSet.js';
export { voteSignBytes } from './voteSignBytes.js';
export { outboundStoreKey } from './wasmStoreKey.js';
