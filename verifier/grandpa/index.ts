/** GRANDPA finality and Substrate storage proofs for Polkadot-side messages (verifier/grandpa). */
export {
  type Authority,
  type AuthoritySet,
  type AuthoritySetInput,
  decodeVersionedAuthorityList,
  encodeVersionedAuthorityList,
  GRANDPA_AUTHORITIES_KEY,
  isAuthoritySet,
  supermajority,
  toAuthoritySet,
  totalWeight,
} from './authoritySet.js';
export { AuthoritySetTracker, type PendingChange } from './authorityTracker.js';
export {
  consensusDigest,
  type DigestItem,
  decodeGrandpaLog,
  encodeGrandpaLog,
  GRANDPA_ENGINE_ID,
  type GrandpaConsensusLog,
  grandpaLogs,
} from './digest.js';
export { decodeFinalityProof, encodeFinalityProof, type FinalityProof } from './finalityProof.js';
export {
  decodeHeader,
  encodeHeader,
  type Header,
  headerFromRpc,
  headerHash,
  headerToRpc,
  type RpcHeader,
} from './header.js';
export {
  checkJustification,
  decodeJustification,
  encodeJustification,
  type Justification,
  type JustificationExpectation,
  precommitMessage,
  type SignedPrecommit,
  type VerifiedJustification,
  verifyJustification,
} from './justification.js';
export { type GrandpaRpc, httpJsonRpc } from './rpc.js';
export { outboundMessageKey, storagePrefix, twox64, twox128 } from './storageKey.js';
export { type BuildOptions, type BuiltTrie, buildTrie, proveRead, type TrieVersion } from './trie/build.js';
export { decodeNode, encodeNode, type TrieNode } from './trie/nodeCodec.js';
export { lookup, verifyReadProof } from './trie/readProof.js';
export { GrandpaSourceVerifier, type GrandpaVerifierOptions } from './verifier.js';
