/** Ethereum source verification: execution-layer proofs and the sync-committee light client. */
export { BeaconApi, type LightClientSource } from './beacon/api.js';
export { type BeaconChainConfig, currentSlot, MAINNET, periodAtSlot } from './beacon/config.js';
export { parseBootstrap, parseUpdate } from './beacon/json.js';
export { SyncCommitteeLightClient } from './beacon/lightClient.js';
export type * from './beacon/types.js';
export { OUTBOUND_MESSAGE_ID_SLOT, outboundMessageIdSlot } from './bridgeSlot.js';
export { headerFork, headerHash, headerRlp, type RpcHeader, verifyHeader } from './header.js';
export { EMPTY_TRIE_ROOT, verifyMptProof } from './mpt.js';
export { encodeReceipt, findLog, receiptsRoot, verifyReceipt, verifyReceiptProof } from './receipts.js';
export {
  type ConfirmationsOptions,
  EthereumSourceVerifier,
  type EthereumVerifierOptions,
  type SyncCommitteeOptions,
} from './sourceVerifier.js';
export { type RpcProof, verifyAccountProof, verifyEthGetProof, verifyStorageProof } from './stateProof.js';
