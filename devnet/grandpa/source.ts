/**
 * Reads chopsticks' blocks over its JSON-RPC (HTTP POST on the same port as its WebSocket): header fields,
 * the block's full top-level storage and the runtime's state version, i.e. everything a shadow header needs.
 */
import { type Hex, hexToBytes } from 'viem';
import type { RpcHeader } from '../../verifier/grandpa/header.js';
import { parseHex } from '../../verifier/grandpa/scale.js';
import type { TrieVersion } from '../../verifier/grandpa/trie/build.js';
import { ProofError } from '../../verifier/types.js';

export class SourceRpcError extends Error {
  override name = 'SourceRpcError';
}

/** A storage key and its value. */
export type StateEntry = readonly [key: Uint8Array, value: Uint8Array];

/** Hex from chopsticks to bytes; anything else is chopsticks misbehaving. */
function bytesOf(value: unknown, what: string): Uint8Array {
  try {
    return parseHex(value, what);
  } catch (e) {
    throw e instanceof ProofError ? new SourceRpcError(e.message) : e;
  }
}

export interface SourceBlock {
  number: number;
  /** Chopsticks' own hash (its header has a zero stateRoot, so this is not the shadow hash). */
  hash: Hex;
  parentHash: Hex;
  /** Chopsticks' stateRoot: zero, except at genesis, where chopsticks computes the V1 root of the raw spec. */
  stateRoot: Hex;
  extrinsicsRoot: Hex;
  digestLogs: Hex[];
  entries: StateEntry[];
  stateVersion: TrieVersion;
}

interface RpcRuntimeVersion {
  stateVersion?: number;
  [field: string]: unknown;
}

const KEYS_PAGE = 1000;
/** `:code`: the runtime, ~1.4 MB, a third of a block's fetch time and most of its hashing if read every block. */
export const CODE_KEY: Hex = '0x3a636f6465';

/** `ws://host:port` -> `http://host:port`: chopsticks serves HTTP POST JSON-RPC on its WebSocket port. */
export function httpUrlOf(url: string): string {
  const u = new URL(url);
  if (u.protocol === 'ws:') u.protocol = 'http:';
  else if (u.protocol === 'wss:') u.protocol = 'https:';
  else if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SourceRpcError(`unsupported URL ${url}`);
  return u.toString();
}

export class ChopsticksSource {
  readonly url: string;
  private nextId = 1;
  /**
   * `:code` by runtime version. Chopsticks derives `state_getRuntimeVersion(at)` from that block's own `:code`
   * (memoized on the code), so a new version means new code; an unchanged runtime is handed on as the same
   * Uint8Array, so the trie builder hashes it once (by identity: `valueHashes` in shadowChain.ts). The one blind
   * spot: code replaced by code declaring the very same version and API list (e.g. `dev_setStorage` of a rebuilt
   * wasm without a version bump); `set_code` itself requires a higher spec_version.
   */
  private code: { version: string; bytes: Uint8Array } | undefined;

  constructor(
    url: string,
    private readonly timeoutMs = 10_000,
  ) {
    this.url = httpUrlOf(url);
  }

  async call<T>(method: string, params: unknown[] = []): Promise<T> {
    const [result] = await this.batch<[T]>([[method, params]]);
    return result;
  }

  /** One HTTP round trip for several calls; results in order, any error throws. */
  async batch<T extends unknown[]>(calls: [method: string, params: unknown[]][]): Promise<T> {
    const body = calls.map(([method, params]) => ({ jsonrpc: '2.0', id: this.nextId++, method, params }));
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new SourceRpcError(`chopsticks answered HTTP ${res.status}`);
    const replies = (await res.json()) as { id: number; result?: unknown; error?: { message?: string } }[];
    if (!Array.isArray(replies)) throw new SourceRpcError('chopsticks did not answer the batch with an array');
    const byId = new Map(replies.map((r) => [r.id, r]));
    return body.map(({ id, method }) => {
      const r = byId.get(id);
      if (!r) throw new SourceRpcError(`no reply to ${method}`);
      if (r.error) throw new SourceRpcError(`${method}: ${r.error.message ?? JSON.stringify(r.error)}`);
      return r.result;
    }) as T;
  }

  /** The best block number. */
  async bestNumber(): Promise<number> {
    const header = await this.call<RpcHeader>('chain_getHeader');
    return Number.parseInt(header.number, 16);
  }

  /** The block at `number` with its full top-level state, or undefined when chopsticks has none there. */
  async block(number: number): Promise<SourceBlock | undefined> {
    const hash = await this.call<Hex | null>('chain_getBlockHash', [number]);
    if (!hash) return undefined;
    const [header, version, firstKeys] = await this.batch<[RpcHeader | null, RpcRuntimeVersion, Hex[]]>([
      ['chain_getHeader', [hash]],
      ['state_getRuntimeVersion', [hash]],
      ['state_getKeysPaged', ['0x', KEYS_PAGE, null, hash]],
    ]);
    if (!header) return undefined;
    const keys = [...firstKeys];
    for (let page = firstKeys; page.length === KEYS_PAGE; ) {
      page = await this.call<Hex[]>('state_getKeysPaged', ['0x', KEYS_PAGE, page.at(-1), hash]);
      keys.push(...page);
    }
    const withoutCode = keys.filter((k) => k !== CODE_KEY);
    const [changeSet] = await this.call<{ changes: [Hex, Hex | null][] }[]>('state_queryStorageAt', [
      withoutCode,
      hash,
    ]);
    if (changeSet?.changes.length !== withoutCode.length)
      throw new SourceRpcError(`block ${number}: ${withoutCode.length} keys but ${changeSet?.changes.length} values`);
    const entries: StateEntry[] = [];
    for (const [key, value] of changeSet.changes) {
      if (value === null) continue; // listed but deleted: not in the trie
      entries.push([bytesOf(key, 'state_queryStorageAt key'), bytesOf(value, `state_queryStorageAt value of ${key}`)]);
    }
    if (withoutCode.length !== keys.length) entries.push([hexToBytes(CODE_KEY), await this.runtimeCode(hash, version)]);
    const stateVersion = version.stateVersion ?? 0;
    if (stateVersion !== 0 && stateVersion !== 1)
      throw new SourceRpcError(`block ${number}: unknown state version ${stateVersion}`);
    return {
      number,
      hash,
      parentHash: header.parentHash,
      stateRoot: header.stateRoot,
      extrinsicsRoot: header.extrinsicsRoot,
      digestLogs: header.digest.logs,
      entries,
      stateVersion,
    };
  }

  private async runtimeCode(hash: Hex, version: RpcRuntimeVersion): Promise<Uint8Array> {
    const key = JSON.stringify(version);
    if (this.code?.version !== key) {
      const code = await this.call<Hex | null>('state_getStorage', [CODE_KEY, hash]);
      if (code === null) throw new SourceRpcError(`no :code at ${hash}`);
      this.code = { version: key, bytes: bytesOf(code, `:code at ${hash}`) };
    }
    return this.code.bytes;
  }
}
