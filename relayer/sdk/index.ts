/**
 * The SAH bridge SDK (`@sah-bridge/sdk`, packages/sdk): token transfers, data attestations and compute jobs on
 * the devnet's chains, as one account per chain, and their messages followed through the relayers to delivery.
 *
 *   const info = readDevnetInfo('.devnet/devnet.json');
 *   const t = await transfer(info, { from: 'ethereum-a', to: 'wasmd', amount: '10' });
 *   await followMessages(info.nodes[0].api, [t.messageId], (e) => console.log(e.stage));
 *
 * Each chain family's client (`chains/<family>/client.ts`) is loaded on first use, through the registry.
 */
export type { Asset, AssetId } from '../chains/family.js';
export {
  type DevnetSigner,
  devnetAsset,
  devnetAssets,
  devnetSah,
  findDevnetChain,
  flowClientFor,
} from './devnet.js';
export {
  chainsOf,
  type DevnetAccounts,
  type DevnetChainInfo,
  type DevnetChainInfoOf,
  type DevnetInfo,
  type DevnetInfoBase,
  DevnetInfoError,
  type DevnetNodeInfo,
  devnetChain,
  type FamilyName,
  parseDevnetInfo,
  readDevnetInfo,
} from './devnetInfo.js';
export {
  type ChainJob,
  FlowCallError,
  type FlowClient,
  InvalidRequestError,
  type PostedJob,
  type PostJobRequest,
  parseAmount,
  type RegistryRecord,
  type Submitted,
  type TransferRequest,
  type TransferResult,
} from './flows.js';
export {
  followMessages,
  MessageNotDeliveredError,
  type MessageStage,
  type ProgressEvent,
} from './progress.js';
export {
  addressToBytes32,
  bytes32ToAddress,
  resolveAsset,
  type Transfer,
  type TransferOptions,
  transfer,
} from './transfer.js';
