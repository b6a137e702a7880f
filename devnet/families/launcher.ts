/**
 * What the devnet needs of a chain family: start its chains, describe them to the nodes, deploy the bridge
 * under the group key once the operators' DKG made it. One module per family (evm.ts, cosmwasm.ts,
 * substrate.ts) and the registry (index.ts); devnet.ts composes them and names no family.
 */
import type { Hex } from 'viem';
import type { DevnetAccounts, DevnetChainInfoOf, FamilyName } from '../../relayer/chains/registry.js';
import type { DevnetChainOf } from '../../relayer/config/devnetConfig.js';
import type { parseGroupKey } from '../../relayer/protocol/groupKey.js';

export interface LaunchContext {
  /** The devnet's folder; each chain keeps its data in `<dir>/<chain name>`. */
  dir: string;
  /** Free ports instead of the configured ones (tests). */
  freePorts: boolean;
  /** How many operators (each has a delivery account on every chain). */
  operators: number;
  /** Operator `id`'s secp256k1 delivery key (the same on every chain). */
  operatorWallet(id: number): Hex;
  say(line: string): void;
}

export interface DeployContext extends LaunchContext {
  groupKey: ReturnType<typeof parseGroupKey>;
  /** The group key as the group file holds it (SEC1 compressed). */
  groupKeyHex: Hex;
}

/** A chain the devnet started (or will start once the group key exists). */
export interface LaunchedChain<F extends FamilyName> {
  /** What users, tests and the SDK see of it (.devnet/devnet.json); deploy() fills in the bridge. */
  info: DevnetChainInfoOf<F>;
  /** Its entry in each node's config, scanning from `startBlock`. */
  nodeChain(startBlock: bigint): Record<string, unknown>;
  /** Deploys the bridge under the group key (SAH too on its home); returns the block the nodes scan from. */
  deploy(ctx: DeployContext): Promise<bigint>;
  /** One line for the devnet's summary: where it is. */
  describe(): string;
  stop(): Promise<void>;
}

export interface DevnetFamily<F extends FamilyName> {
  /** Whether its chains start only after the DKG (their genesis holds the group key); said in the progress. */
  startsAfterDkg: boolean;
  /** A launcher for one devnet: its chains share what it builds or funds once (artifacts, accounts). */
  launcher(ctx: LaunchContext): { start(chain: DevnetChainOf<F>): Promise<LaunchedChain<F>> };
  /** The family's dev accounts in the devnet description (empty lists when it has no chain there). */
  devAccounts(present: boolean): Partial<DevnetAccounts>;
}

/**
 * The fields every devnet chain's node config entry shares: the devnet flag (which allows its weaker finality
 * and verifier modes), instant finality (the devnet's chains reorg only when a test makes them) and fast polling.
 */
export function devnetNodeChain(c: { name: string; family: FamilyName; protocolChainId: number }, startBlock: bigint) {
  return {
    name: c.name,
    devnet: true,
    family: c.family,
    protocolChainId: c.protocolChainId,
    finality: { confirmations: 0 },
    startBlock: Number(startBlock),
    pollIntervalMs: 100,
  };
}
