/**
 * An EVM chain in a node config: its JSON-RPC endpoints and quorum, the Bridge's address, and finality that
 * cannot be configured away (outside a devnet: the `finalized` block and the sync-committee light client).
 */
import type { Address } from 'viem';
import type { FieldReader, Json } from '../../config/validate.js';
import { type EvmVerifierConfig, parseVerifierConfig } from '../../config/verifierConfig.js';
import type { ChainBase } from '../family.js';

export interface EvmChainConfig extends ChainBase {
  family: 'evm';
  evmChainId: number;
  /** The first of rpcUrls: the chain's verifier and tools that talk to one endpoint use it. */
  rpcUrl: string;
  /**
   * Every JSON-RPC endpoint of the chain (distinct providers, ideally). The parser always fills it (from
   * `rpcUrl` alone, a list of one); a config built in code may leave it out for `[rpcUrl]`.
   */
  rpcUrls?: string[];
  /**
   * How many of rpcUrls must give the same answer before the node acts on a read that decides what it signs
   * or skips (1..rpcUrls.length; the parser's default: a majority). Left out in code: a majority.
   */
  rpcQuorum?: number;
  bridge: Address;
  /** Most blocks one eth_getLogs call covers. */
  maxBlockRange: number;
  /** How the node proves an event final before signing it. */
  verifier: EvmVerifierConfig;
}

/** Ethereum networks with a beacon chain: mainnet, Sepolia, Holesky, Hoodi. Their finality is provable. */
export const BEACON_EVM_CHAIN_IDS: ReadonlySet<number> = new Set([1, 11_155_111, 17_000, 560_048]);
/** Fewest confirmations the unsafe opt-in accepts (counting, not proving: keep it deep). */
export const MIN_UNSAFE_CONFIRMATIONS = 64;
/** Most RPC URLs one EVM chain may list: every quorum read goes to each of them. */
export const MAX_RPC_URLS = 16;

export function parseEvmChain(r: FieldReader, c: Json, base: ChainBase, at: string): EvmChainConfig {
  const chain: EvmChainConfig = {
    ...base,
    ...parseEvmRpc(r, c, at),
    family: 'evm',
    evmChainId: r.int(c.evmChainId, `${at}.evmChainId`, 1, 2 ** 53 - 1),
    bridge: r.hex(c.bridge, `${at}.bridge`, 20),
    maxBlockRange: r.optionalInt(c.maxBlockRange, `${at}.maxBlockRange`, 1, 100_000, 2_000),
    verifier: parseVerifierConfig(r, c.verifier, `${at}.verifier`, 'evm', [
      'confirmations',
      'sync-committee',
    ]) as EvmVerifierConfig,
  };
  checkEvmFinality(r, chain, c, at);
  return chain;
}

/**
 * An EVM chain's JSON-RPC endpoints: `rpcUrl` (one) or `rpcUrls` (several, distinct), and `rpcQuorum`, how
 * many of them must agree on a read the node acts on (default: a majority, so two disjoint groups of
 * endpoints can never both be believed).
 */
function parseEvmRpc(r: FieldReader, c: Json, at: string): Pick<EvmChainConfig, 'rpcUrl' | 'rpcUrls' | 'rpcQuorum'> {
  if (c.rpcUrl !== undefined && c.rpcUrls !== undefined)
    r.fail(`${at}.rpcUrls`, 'give rpcUrl (one endpoint) or rpcUrls (several), not both');
  const listed = c.rpcUrls !== undefined;
  const raw = listed ? r.array(c.rpcUrls, `${at}.rpcUrls`, 1) : [c.rpcUrl];
  if (raw.length > MAX_RPC_URLS) r.fail(`${at}.rpcUrls`, `lists ${raw.length} URLs; at most ${MAX_RPC_URLS}`);
  const seen = new Map<string, number>();
  const rpcUrls = raw.map((value, i) => {
    const path = listed ? `${at}.rpcUrls[${i}]` : `${at}.rpcUrl`;
    const url = r.url(value, path);
    const parsed = new URL(url);
    // the EVM adapter speaks JSON-RPC over HTTP
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      r.fail(path, `must be an http:// or https:// URL, got ${parsed.protocol}//`);
    // the same endpoint twice would count one provider's answer twice towards the quorum
    const twin = seen.get(parsed.href);
    if (twin !== undefined) r.fail(path, `the same endpoint as rpcUrls[${twin}]`);
    seen.set(parsed.href, i);
    return url;
  });
  return {
    rpcUrl: rpcUrls[0] as string,
    rpcUrls,
    rpcQuorum: r.optionalInt(c.rpcQuorum, `${at}.rpcQuorum`, 1, rpcUrls.length, Math.floor(rpcUrls.length / 2) + 1),
  };
}

/**
 * Finality that cannot be configured away: outside a devnet, an EVM chain waits for its `finalized`
 * block and proves events with the sync-committee light client; `confirmations` mode needs the loudly
 * named opt-in, many confirmations, and is never allowed where a beacon chain exists.
 */
function checkEvmFinality(r: FieldReader, chain: EvmChainConfig, raw: Json, at: string): void {
  const beacon = BEACON_EVM_CHAIN_IDS.has(chain.evmChainId);
  if (chain.devnet) {
    if (beacon) r.fail(`${at}.devnet`, `evmChainId ${chain.evmChainId} is a public Ethereum network, not a devnet`);
    return;
  }
  if (chain.verifier.mode === 'confirmations') {
    if (beacon)
      r.fail(
        `${at}.verifier.mode`,
        `"confirmations" on evmChainId ${chain.evmChainId} (a network with a beacon chain): use "sync-committee"`,
      );
    if (!chain.unsafeConfirmationsFinality)
      r.fail(
        `${at}.verifier.mode`,
        '"confirmations" takes finality on the RPC\'s word: only on a devnet chain ("devnet": true) or with "unsafeConfirmationsFinality": true',
      );
    const v = (raw.verifier ?? {}) as Record<string, unknown>;
    if (v.confirmations === undefined || chain.verifier.confirmations < MIN_UNSAFE_CONFIRMATIONS)
      r.fail(
        `${at}.verifier.confirmations`,
        `must be set explicitly and >= ${MIN_UNSAFE_CONFIRMATIONS} outside a devnet (got ${JSON.stringify(v.confirmations ?? 'nothing: 0')})`,
      );
  } else if (chain.unsafeConfirmationsFinality)
    r.fail(`${at}.unsafeConfirmationsFinality`, 'only means something with the "confirmations" verifier mode');
  // the watcher: the finalized block, or (with the opt-in) as many confirmations as the verifier
  const f = (raw.finality ?? {}) as Record<string, unknown>;
  if (chain.finality.tag === 'safe')
    r.fail(`${at}.finality.tag`, '"safe" is not final: use "finalized" outside a devnet');
  if (chain.finality.tag === undefined) {
    if (!chain.unsafeConfirmationsFinality || beacon)
      r.fail(
        `${at}.finality`,
        'outside a devnet an EVM chain must wait for the finalized block: { "tag": "finalized" }',
      );
    if (f.confirmations === undefined || chain.finality.confirmations < MIN_UNSAFE_CONFIRMATIONS)
      r.fail(
        `${at}.finality.confirmations`,
        `must be set explicitly and >= ${MIN_UNSAFE_CONFIRMATIONS} outside a devnet (got ${JSON.stringify(f.confirmations ?? 'nothing: 0')})`,
      );
  }
}
