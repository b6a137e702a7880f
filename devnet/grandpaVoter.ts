/**
 * The devnet's GRANDPA voter sidecar. Chopsticks builds blocks with a zero stateRoot and no justifications, so
 * relayers could not prove finality against it. This sidecar follows chopsticks block by block and keeps a
 * shadow chain (grandpa/shadowChain.ts): same numbers and extrinsics roots, the real state root of each block's
 * storage, parent hashes linking shadow headers, each block finalized by a standard GRANDPA justification from
 * a test-controlled ed25519 voter set whose genesis set is `grandpaAuthoritiesGenesisEntry()`.
 *
 * It serves the subset of a Substrate node's JSON-RPC that a finality verifier uses (loopback HTTP POST), with a
 * node's semantics, so the same verifier works against it or a real node:
 *   chain_getFinalizedHead, chain_getHeader, chain_getBlockHash, grandpa_proveFinality, state_getReadProof,
 *   rpc_methods;
 * plus dev-only controls: dev_scheduleAuthorityChange, dev_setWithheld, dev_setSigners, dev_grandpaStatus.
 */
import { type Hex, hexToBytes } from 'viem';
import { encodeFinalityProof } from '../verifier/grandpa/finalityProof.js';
import { headerToRpc } from '../verifier/grandpa/header.js';
import { parseHex, toHex } from '../verifier/grandpa/scale.js';
import { proveRead } from '../verifier/grandpa/trie/build.js';
import { ProofError } from '../verifier/types.js';
import { invalidParams, RpcError, serveJsonRpc } from './grandpa/jsonRpc.js';
import { DEFAULT_VOTER_COUNT, type VoterKey, voterKeys } from './grandpa/keys.js';
import { authoritiesJson, type ShadowBlock, ShadowChain } from './grandpa/shadowChain.js';
import { ChopsticksSource } from './grandpa/source.js';

export { sortedTop, withGrandpaAuthorities } from './grandpa/genesis.js';
export { grandpaAuthoritiesGenesisEntry } from './grandpa/keys.js';

/** A node-side failure (unknown block, pruned state): JSON-RPC server-error range. */
const STATE_ERROR = -32000;
const MAX_PROOF_KEYS = 1000;

export interface GrandpaVoterOptions {
  /** Chopsticks' endpoint, `ws://` or `http://` (it serves both on one port). */
  chopsticksWsUrl: string;
  /** Loopback by default. */
  host?: string;
  /** 0 or unset (left out or undefined): a free port. */
  port?: number | undefined;
  /** The genesis set (set id 0): a count of dev voters (`//Alice//grandpa`, `//Bob//grandpa`, ...), or URIs / 32-byte hex seeds. */
  voters?: number | readonly string[];
  /** How many voters of a set sign each commit; default all. Fewer than 2/3 + 1 lets a test check rejection. */
  signers?: number;
  /** How often chopsticks is asked for new blocks. */
  pollMs?: number;
  /** Blocks whose state is kept for read proofs; older ones answer like a pruned node. */
  stateHistory?: number;
  /** Follow errors (chopsticks unreachable, a reorg); default: console.warn. */
  onError?: (e: Error) => void;
}

export interface GrandpaVoterStatus {
  best: { number: number; hash: Hex } | null;
  finalized: { number: number; hash: Hex } | null;
  setId: number;
  authorities: { publicKey: Hex; weight: number }[];
  withheld: boolean;
  signers: number | null;
  /** A change requested (signalledAt null until its digest is in a header) or signalled and not yet enacted. */
  pendingChange: { setId: number; delay: number; signalledAt: number | null; enactsAt: number | null } | null;
  /** The last enacted change: `lastBlock` is the last block of the old set. */
  lastChange: { setId: number; lastBlock: number } | null;
  /** Time to shadow one block: fetch, trie, header (ms). */
  lastBlockMs: number | null;
  maxBlockMs: number | null;
  /** Set when following stopped for good (a chopsticks reorg). */
  fault: string | null;
}

export interface GrandpaVoter {
  /** The sidecar's JSON-RPC endpoint (HTTP POST). */
  url: string;
  /** The set that signs new blocks (changes once a scheduled change is enacted). */
  authorities(): { publicKey: Hex; weight: number }[];
  setId(): number;
  status(): GrandpaVoterStatus;
  /** Resolves once every chopsticks block up to now is shadowed (and finalized unless withheld). */
  syncNow(): Promise<void>;
  close(): Promise<void>;
}

function blockNumberParam(value: unknown, what = 'block number'): number {
  const n = typeof value === 'string' && /^0x[0-9a-fA-F]{1,8}$/.test(value) ? Number.parseInt(value, 16) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > 0xffff_ffff)
    throw invalidParams(`${what} must be a u32 (number or hex), got ${JSON.stringify(value)}`);
  return n;
}

/** Hex bytes (of `length`, if given), or an invalid-params error. */
function hexParam(value: unknown, what: string, length?: number): Uint8Array {
  try {
    return parseHex(value, what, length);
  } catch (e) {
    throw e instanceof ProofError ? invalidParams(e.message) : e;
  }
}

function hashParam(value: unknown): Hex | undefined {
  return value === undefined || value === null ? undefined : toHex(hexParam(value, 'block hash', 32));
}

function voterSpecParam(value: unknown): number | string[] {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 1000) return value;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[];
  throw invalidParams('voters must be a count (1..1000) or a non-empty array of dev URIs / 32-byte hex seeds');
}

export async function startGrandpaVoter(opts: GrandpaVoterOptions): Promise<GrandpaVoter> {
  const source = new ChopsticksSource(opts.chopsticksWsUrl);
  const chain = new ShadowChain({ id: 0n, voters: voterKeys(opts.voters ?? DEFAULT_VOTER_COUNT) }, opts.stateHistory);
  chain.signers = opts.signers;
  const onError = opts.onError ?? ((e: Error) => console.warn(`grandpa voter: ${e.message}`));
  const pollMs = opts.pollMs ?? 50;
  let lastBlockMs: number | null = null;
  let maxBlockMs: number | null = null;
  let fault: Error | null = null;
  let enacted: { setId: bigint; at: number } | null = null;

  /** Shadows every chopsticks block not yet shadowed; one caller at a time (see `sync`). */
  async function follow(): Promise<void> {
    if (fault) return;
    const best = await source.bestNumber();
    for (let n = (chain.best?.number ?? -1) + 1; n <= best; n++) {
      const started = performance.now();
      const src = await source.block(n);
      if (!src) break;
      const before = chain.currentSet;
      try {
        chain.append(src);
      } catch (e) {
        fault = e as Error;
        throw e;
      }
      if (chain.currentSet !== before) enacted = { setId: chain.currentSet.id, at: n };
      const ms = performance.now() - started;
      lastBlockMs = ms;
      maxBlockMs = n === 0 ? maxBlockMs : Math.max(maxBlockMs ?? 0, ms);
      chain.finalizeAvailable();
    }
  }

  let running: Promise<void> = Promise.resolve();
  const sync = (): Promise<void> => {
    running = running.then(follow, follow);
    return running;
  };

  await sync();

  function blockAt(hash: Hex | undefined): ShadowBlock | undefined {
    return hash === undefined ? chain.best : chain.blockByHash(hash);
  }

  function status(): GrandpaVoterStatus {
    const best = chain.best;
    const fin = chain.blocks[chain.finalized];
    const pending = chain.pending;
    return {
      best: best ? { number: best.number, hash: best.hash } : null,
      finalized: fin ? { number: fin.number, hash: fin.hash } : null,
      setId: Number(chain.currentSet.id),
      authorities: authoritiesJson(chain.currentSet),
      withheld: chain.withheld,
      signers: chain.signers ?? null,
      pendingChange: pending
        ? {
            setId: Number(pending.next.id),
            delay: pending.delay,
            signalledAt: pending.signalledAt ?? null,
            enactsAt: pending.signalledAt === undefined ? null : pending.signalledAt + pending.delay,
          }
        : null,
      lastChange: enacted ? { setId: Number(enacted.setId), lastBlock: enacted.at } : null,
      lastBlockMs,
      maxBlockMs,
      fault: fault ? `${fault.name}: ${fault.message}` : null,
    };
  }

  const methods = {
    chain_getFinalizedHead: () => chain.blocks[chain.finalized]?.hash ?? null,
    chain_getFinalisedHead: () => chain.blocks[chain.finalized]?.hash ?? null,
    chain_getHeader: ([hash]: unknown[]) => {
      const block = blockAt(hashParam(hash));
      return block ? headerToRpc(block.header) : null;
    },
    chain_getBlockHash: ([n]: unknown[]) => {
      if (n === undefined || n === null) return chain.best?.hash ?? null;
      if (Array.isArray(n)) return n.map((x) => chain.blocks[blockNumberParam(x)]?.hash ?? null);
      return chain.blocks[blockNumberParam(n)]?.hash ?? null;
    },
    grandpa_proveFinality: ([n]: unknown[]) => {
      const block = chain.blocks[blockNumberParam(n)];
      if (!block?.justification) return null;
      return toHex(
        encodeFinalityProof({ block: hexToBytes(block.hash), justification: block.justification, unknownHeaders: [] }),
      );
    },
    state_getReadProof: ([keys, hash]: unknown[]) => {
      if (!Array.isArray(keys) || keys.length > MAX_PROOF_KEYS)
        throw invalidParams(`keys must be an array of at most ${MAX_PROOF_KEYS} 0x hex strings`);
      const keyBytes = keys.map((k, i) => hexParam(k, `keys[${i}]`));
      const at = hashParam(hash);
      const block = blockAt(at);
      if (!block) throw new RpcError(STATE_ERROR, `unknown block ${at}`);
      if (!block.trie) throw new RpcError(STATE_ERROR, `state of block ${block.number} (${block.hash}) is pruned`);
      return { at: block.hash, proof: proveRead(block.trie, keyBytes).map(toHex) };
    },
    dev_scheduleAuthorityChange: ([spec, delay]: unknown[]) => {
      const d = delay === undefined || delay === null ? 0 : blockNumberParam(delay, 'delay');
      let voters: VoterKey[];
      try {
        voters = voterKeys(voterSpecParam(spec), chain.currentSet.id + 1n);
      } catch (e) {
        throw e instanceof RpcError ? e : invalidParams((e as Error).message);
      }
      try {
        const change = chain.scheduleChange(voters, d);
        return { setId: Number(change.next.id), delay: d, authorities: authoritiesJson(change.next) };
      } catch (e) {
        throw new RpcError(STATE_ERROR, (e as Error).message);
      }
    },
    dev_setWithheld: ([withheld]: unknown[]) => {
      if (typeof withheld !== 'boolean') throw invalidParams('withheld must be a boolean');
      chain.withheld = withheld;
      chain.finalizeAvailable();
      return status();
    },
    dev_setSigners: ([count]: unknown[]) => {
      if (count !== null && (typeof count !== 'number' || !Number.isInteger(count) || count < 0))
        throw invalidParams('signers must be a non-negative integer, or null for all');
      chain.signers = count ?? undefined;
      return status();
    },
    dev_grandpaStatus: () => status(),
    rpc_methods: () => ({ version: 1, methods: Object.keys(methods).sort() }),
  };

  const server = await serveJsonRpc({ host: opts.host ?? '127.0.0.1', port: opts.port, methods });

  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  // one report per distinct failure, not one per poll while chopsticks is down
  let lastError = '';
  const tick = () => {
    sync()
      .then(
        () => {
          lastError = '';
        },
        (e: Error) => {
          if (e.message !== lastError) onError(e);
          lastError = e.message;
        },
      )
      .finally(() => {
        if (!closed) timer = setTimeout(tick, pollMs);
      });
  };
  timer = setTimeout(tick, pollMs);

  return {
    url: server.url,
    authorities: () => authoritiesJson(chain.currentSet),
    setId: () => Number(chain.currentSet.id),
    status,
    syncNow: () => sync(),
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await running.catch(() => undefined);
      await server.close();
    },
  };
}
