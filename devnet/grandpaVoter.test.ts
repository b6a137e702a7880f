/**
 * The GRANDPA voter sidecar against a real chopsticks running the dev runtime: shadow headers carry the real
 * state root, justifications are polkadot-sdk's encoding with valid ed25519 precommits, read proofs verify
 * against the shadow root, scheduled changes hand over to the next set, withheld voters stall finality, and
 * malformed JSON-RPC gets error objects.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateStateRoot, decodeProof, destroyWorker } from '@acala-network/chopsticks-core';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ApiPromise, Keyring } from '@polkadot/api';
import { TypeRegistry } from '@polkadot/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { type Hex, hexToBytes } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wsProvider } from '../relayer/chains/substrate/wsProvider.js';
import { GRANDPA_AUTHORITIES_KEY } from '../verifier/grandpa/authoritySet.js';
import { decodeDigestItem, grandpaLogs } from '../verifier/grandpa/digest.js';
import { decodeFinalityProof } from '../verifier/grandpa/finalityProof.js';
import { blake2_256 } from '../verifier/grandpa/hash.js';
import type { RpcHeader } from '../verifier/grandpa/header.js';
import { precommitMessage, verifyJustification } from '../verifier/grandpa/justification.js';
import { toHex } from '../verifier/grandpa/scale.js';
import { verifyReadProof } from '../verifier/grandpa/trie/readProof.js';
import { type ChopsticksNode, startChopsticks } from './chopsticks.js';
import type { RawGenesisSpec } from './grandpa/genesis.js';
import { voterKeys } from './grandpa/keys.js';
import {
  type GrandpaVoter,
  grandpaAuthoritiesGenesisEntry,
  startGrandpaVoter,
  withGrandpaAuthorities,
} from './grandpaVoter.js';
import { SUBSTRATE_GENESIS } from './substrateDevnet.js';

// biome-ignore lint/suspicious/noExplicitAny: the runtime's pallets are not in @polkadot/api's generated types
type Untyped = any;

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

async function rawRpc(url: string, body: string, method = 'POST'): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(method === 'GET' ? {} : { body }),
  });
  return { status: res.status, json: await res.json() };
}

const registry = new TypeRegistry();

/** The sidecar's `grandpa_proveFinality` answer, decoded by the verifier's codec. */
async function finalityProof(url: string, n: number) {
  return decodeFinalityProof(hexToBytes(await rpc<Hex>(url, 'grandpa_proveFinality', [n])));
}

const AUTHORITIES_KEY = toHex(GRANDPA_AUTHORITIES_KEY);
const precommitPayload = (hash: Hex, number: number, round: bigint, setId: bigint) =>
  precommitMessage({ targetHash: hexToBytes(hash), targetNumber: number }, round, setId);

describe('GRANDPA voter sidecar on chopsticks', () => {
  let node: ChopsticksNode;
  let voter: GrandpaVoter;
  let api: ApiPromise;
  let chopsticksHttp: string;
  let genesisKeys: Hex[];

  /** Builds one chopsticks block and waits until the sidecar has shadowed it. */
  async function newBlock(): Promise<number> {
    await rpc(chopsticksHttp, 'dev_newBlock');
    return shadowed();
  }

  /** Waits until the sidecar has shadowed chopsticks' best block; returns its number. */
  async function shadowed(): Promise<number> {
    const best = Number.parseInt((await rpc<RpcHeader>(chopsticksHttp, 'chain_getHeader')).number, 16);
    await voter.syncNow();
    expect(voter.status().best?.number).toBe(best);
    return best;
  }

  async function header(n: number): Promise<RpcHeader> {
    const hash = await rpc<Hex>(voter.url, 'chain_getBlockHash', [n]);
    return rpc<RpcHeader>(voter.url, 'chain_getHeader', [hash]);
  }

  /** Decodes the block's finality proof and checks every precommit signature for `setId`; returns the signers. */
  async function checkJustification(n: number, setId: bigint): Promise<{ ids: Hex[]; round: bigint }> {
    const hash = await rpc<Hex>(voter.url, 'chain_getBlockHash', [n]);
    const proof = await finalityProof(voter.url, n);
    expect(toHex(proof.block)).toBe(hash);
    expect(proof.unknownHeaders).toHaveLength(0);
    const j = registry.createType('GrandpaJustification', proof.justification) as Untyped;
    // the whole encoding is consumed: same byte layout as polkadot-sdk's GrandpaJustification
    expect(j.encodedLength).toBe(proof.justification.length);
    expect(j.commit.targetHash.toHex()).toBe(hash);
    expect(j.commit.targetNumber.toNumber()).toBe(n);
    expect(j.votesAncestries.length).toBe(0);
    const round = j.round.toBigInt() as bigint;
    const ids: Hex[] = [];
    for (const p of j.commit.precommits) {
      expect(p.precommit.targetHash.toHex()).toBe(hash);
      const message = precommitPayload(hash, n, round, setId);
      expect(message.length).toBe(53);
      expect(ed25519.verify(p.signature.toU8a(), message, p.id.toU8a())).toBe(true);
      ids.push(p.id.toHex());
    }
    return { ids, round };
  }

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sah-grandpa-voter-'));
    const spec = withGrandpaAuthorities(JSON.parse(readFileSync(SUBSTRATE_GENESIS, 'utf8')) as RawGenesisSpec);
    genesisKeys = Object.keys(spec.genesis.raw.top) as Hex[];
    const genesisFile = join(dir, 'genesis.json');
    writeFileSync(genesisFile, JSON.stringify(spec));
    node = await startChopsticks({ genesisFile, dir });
    chopsticksHttp = node.wsUrl.replace('ws://', 'http://');
    voter = await startGrandpaVoter({ chopsticksWsUrl: node.wsUrl, onError: () => undefined });
    await cryptoWaitReady();
    api = await ApiPromise.create({ provider: wsProvider(node.wsUrl), noInitWarn: true });
  });

  afterAll(async () => {
    await api?.disconnect();
    await voter?.close();
    await node?.stop();
    await destroyWorker();
  });

  it('puts the dev voter set into the genesis and shadows chopsticks’ genesis with its real root', async () => {
    expect(voter.setId()).toBe(0);
    expect(voter.authorities().map((a) => a.publicKey)).toEqual(voterKeys(4).map((k) => toHex(k.publicKey)));
    const [key, value] = grandpaAuthoritiesGenesisEntry();
    expect(key).toBe('0x3a6772616e6470615f617574686f726974696573');
    expect(value.slice(0, 6)).toBe('0x0110'); // version 1, then Compact(4) authorities
    // chopsticks computes its genesis root itself (V1 trie of the raw genesis): the shadow genesis must agree
    const genesis = await header(0);
    const real = await rpc<RpcHeader>(chopsticksHttp, 'chain_getHeader', [
      await rpc(chopsticksHttp, 'chain_getBlockHash', [0]),
    ]);
    expect(genesis.stateRoot).toBe(real.stateRoot);
    expect(genesis.parentHash).toBe(real.parentHash);
    // the genesis is trusted by configuration, not proved
    expect(await rpc(voter.url, 'grandpa_proveFinality', [0])).toBeNull();
    const { at, proof } = await rpc<{ at: Hex; proof: Hex[] }>(voter.url, 'state_getReadProof', [
      [AUTHORITIES_KEY],
      await rpc(voter.url, 'chain_getBlockHash', [0]),
    ]);
    expect(at).toBe(await rpc(voter.url, 'chain_getBlockHash', [0]));
    expect((await decodeProof(genesis.stateRoot, proof))[AUTHORITIES_KEY]).toBe(value);
  });

  it('after a transfer: real state root, linked headers, valid justification, a read proof of the account', async () => {
    const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob');
    const before = await shadowed();
    await new Promise<void>((resolve, reject) => {
      (api.tx as Untyped).balances
        .transferKeepAlive(bob.address, 7n * 10n ** 12n)
        .signAndSend(alice, ({ status }: Untyped) => {
          if (status.isInBlock) resolve();
        })
        .catch(reject);
    });
    const n = await shadowed();
    expect(n).toBeGreaterThan(before);

    const shadow = await header(n);
    const realHash = await rpc<Hex>(chopsticksHttp, 'chain_getBlockHash', [n]);
    const real = await rpc<RpcHeader>(chopsticksHttp, 'chain_getHeader', [realHash]);
    expect(real.stateRoot).toBe(`0x${'00'.repeat(32)}`);
    expect(Number.parseInt(shadow.number, 16)).toBe(n);
    expect(shadow.extrinsicsRoot).toBe(real.extrinsicsRoot);
    expect(shadow.digest.logs).toEqual(real.digest.logs);
    expect(shadow.parentHash).toBe(await rpc(voter.url, 'chain_getBlockHash', [n - 1]));

    // the root chopsticks-core computes from the block's whole storage, at the runtime's state version; the keys
    // include the genesis spec's, so a key chopsticks fails to enumerate would show up here
    const listed = await rpc<Hex[]>(chopsticksHttp, 'state_getKeysPaged', ['0x', 1000, null, realHash]);
    const keys = [...new Set([...listed, ...genesisKeys])];
    const [at] = await rpc<{ changes: [Hex, Hex | null][] }[]>(chopsticksHttp, 'state_queryStorageAt', [
      keys,
      realHash,
    ]);
    const changes = (at?.changes ?? []).filter((c): c is [Hex, Hex] => c[1] !== null);
    expect(changes.map(([k]) => k)).toContain('0x3a636f6465'); // :code
    expect(changes.length).toBe(listed.length);
    const { stateVersion } = await rpc<{ stateVersion: number }>(chopsticksHttp, 'state_getRuntimeVersion', [realHash]);
    expect(stateVersion).toBe(1);
    expect(shadow.stateRoot).toBe(await calculateStateRoot(changes, stateVersion));

    // the header hash is blake2-256 of @polkadot/types' own encoding of the JSON header
    const typed = registry.createType('Header', shadow) as Untyped;
    const hash = await rpc<Hex>(voter.url, 'chain_getBlockHash', [n]);
    expect(toHex(blake2_256(typed.toU8a()))).toBe(hash);
    expect(await rpc(voter.url, 'chain_getFinalizedHead')).toBe(hash);

    const { ids } = await checkJustification(n, 0n);
    expect(ids).toEqual(voter.authorities().map((a) => a.publicKey));
    // and the verifier side (verifier/grandpa) accepts it for this block under set 0
    const finality = await finalityProof(voter.url, n);
    const verified = verifyJustification(
      finality.justification,
      { setId: 0, authorities: voter.authorities().map((a) => a.publicKey) },
      { block: { hash, number: n } },
    );
    expect(verified.signers).toBe(4);

    const accountKey = (api.query as Untyped).system.account.key(bob.address) as Hex;
    const { proof } = await rpc<{ proof: Hex[] }>(voter.url, 'state_getReadProof', [[accountKey], hash]);
    const proved = await decodeProof(shadow.stateRoot, proof);
    expect(proved[accountKey]).toBe(await rpc(chopsticksHttp, 'state_getStorage', [accountKey, realHash]));
    expect(toHex(verifyReadProof(shadow.stateRoot, proof, accountKey) as Uint8Array)).toBe(proved[accountKey]);
    const account = registry.createType('AccountInfo', proved[accountKey]) as Untyped;
    expect(account.data.free.toBigInt()).toBeGreaterThanOrEqual(7n * 10n ** 12n);
    // the proof is the account's path, not the whole state (which holds the runtime's ~1.4 MB code)
    expect(proof.reduce((s, p) => s + p.length / 2, 0)).toBeLessThan(20_000);

    const ms = voter.status().maxBlockMs as number;
    console.log(`grandpa voter: slowest block ${ms.toFixed(1)} ms, last ${voter.status().lastBlockMs?.toFixed(1)} ms`);
    expect(ms).toBeLessThan(1000);
  });

  it('a scheduled change signals in the next header and hands over to set 1 after the delay', async () => {
    const change = await rpc<{ setId: number; authorities: { publicKey: Hex }[] }>(
      voter.url,
      'dev_scheduleAuthorityChange',
      [3, 2],
    );
    expect(change.setId).toBe(1);
    const next = voterKeys(3, 1n).map((k) => toHex(k.publicKey));
    expect(change.authorities.map((a) => a.publicKey)).toEqual(next);
    // only one change at a time
    const again = await rawRpc(
      voter.url,
      JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'dev_scheduleAuthorityChange', params: [2, 0] }),
    );
    expect((again.json as { error: { code: number } }).error.code).toBe(-32000);

    const signal = await newBlock();
    const logs = (await header(signal)).digest.logs;
    const parsed = grandpaLogs(logs.map((l) => decodeDigestItem(hexToBytes(l))));
    expect(parsed).toHaveLength(1);
    const signalled = parsed[0]?.type === 'scheduledChange' ? parsed[0].change : undefined;
    expect(signalled?.delay).toBe(2);
    expect(signalled?.nextAuthorities.map((a) => toHex(a.key))).toEqual(next);

    const old = voter.authorities().map((a) => a.publicKey);
    expect((await checkJustification(signal, 0n)).ids).toEqual(old);
    expect((await checkJustification(await newBlock(), 0n)).ids).toEqual(old);
    // signal + delay is the last block of set 0: it carries the handoff, justified by the old set
    const enact = await newBlock();
    expect(enact).toBe(signal + 2);
    expect((await checkJustification(enact, 0n)).ids).toEqual(old);
    expect(voter.setId()).toBe(1);

    const first = await newBlock();
    const { ids, round } = await checkJustification(first, 1n);
    expect(ids).toEqual(next);
    expect(round).toBe(1n);
    const firstHash = await rpc<Hex>(voter.url, 'chain_getBlockHash', [first]);
    const justification = await finalityProof(voter.url, first);
    expect(
      verifyJustification(
        justification.justification,
        { setId: 1, authorities: next },
        { block: { hash: firstHash, number: first } },
      ).signers,
    ).toBe(3);
    expect(() =>
      verifyJustification(
        justification.justification,
        { setId: 0, authorities: old },
        { block: { hash: firstHash, number: first } },
      ),
    ).toThrow();
    // a set-1 signature does not verify as set 0's
    const proof = await finalityProof(voter.url, first);
    const j = registry.createType('GrandpaJustification', proof.justification) as Untyped;
    const p = j.commit.precommits[0];
    expect(
      ed25519.verify(p.signature.toU8a(), precommitPayload(toHex(proof.block), first, round, 0n), p.id.toU8a()),
    ).toBe(false);
  });

  it('withheld voters stall finality; resuming finalizes the backlog', async () => {
    const finalized = await rpc<Hex>(voter.url, 'chain_getFinalizedHead');
    await rpc(voter.url, 'dev_setWithheld', [true]);
    const a = await newBlock();
    const b = await newBlock();
    expect(await rpc(voter.url, 'chain_getFinalizedHead')).toBe(finalized);
    expect(await rpc(voter.url, 'grandpa_proveFinality', [b])).toBeNull();
    // unfinalized blocks are still served, like a node's best chain
    expect(Number.parseInt((await rpc<RpcHeader>(voter.url, 'chain_getHeader')).number, 16)).toBe(b);

    const status = await rpc<{ finalized: { number: number } }>(voter.url, 'dev_setWithheld', [false]);
    expect(status.finalized.number).toBe(b);
    expect(await rpc(voter.url, 'chain_getFinalizedHead')).toBe(await rpc(voter.url, 'chain_getBlockHash', [b]));
    await checkJustification(a, 1n);
    await checkJustification(b, 1n);
  });

  it('answers bad JSON-RPC input with error objects', async () => {
    const call = (method: string, params: unknown) =>
      rawRpc(voter.url, JSON.stringify({ jsonrpc: '2.0', id: 7, method, params }));
    const code = (r: { json: unknown }) => (r.json as { error?: { code: number } }).error?.code;

    expect(code(await call('nope_nothing', []))).toBe(-32601);
    expect(code(await call('chain_getHeader', ['0x1234']))).toBe(-32602);
    expect(code(await call('chain_getBlockHash', [-1]))).toBe(-32602);
    expect(code(await call('chain_getBlockHash', ['ten']))).toBe(-32602);
    expect(code(await call('grandpa_proveFinality', []))).toBe(-32602);
    expect(code(await call('grandpa_proveFinality', { number: 1 }))).toBe(-32602);
    expect(code(await call('state_getReadProof', ['0x00']))).toBe(-32602);
    expect(code(await call('state_getReadProof', [['0xzz']]))).toBe(-32602);
    expect(code(await call('state_getReadProof', [[], `0x${'ab'.repeat(32)}`]))).toBe(-32000);
    expect(code(await call('dev_setWithheld', ['yes']))).toBe(-32602);
    expect(code(await call('dev_scheduleAuthorityChange', [0, 1]))).toBe(-32602);
    expect(code(await call('dev_scheduleAuthorityChange', [['not a uri at all !!'], 1]))).toBe(-32602);

    const parse = await rawRpc(voter.url, '{"jsonrpc":');
    expect(parse.status).toBe(200);
    expect(code(parse)).toBe(-32700);
    expect(code(await rawRpc(voter.url, '{"id":1}'))).toBe(-32600);
    expect(code(await rawRpc(voter.url, '[]'))).toBe(-32600);
    const get = await rawRpc(voter.url, '', 'GET');
    expect(get.status).toBe(405);
    expect(code(get)).toBe(-32600);

    // unknown things that are well-formed are nulls, as on a node
    expect((await call('chain_getHeader', [`0x${'ab'.repeat(32)}`])).json).toMatchObject({ result: null });
    expect((await call('grandpa_proveFinality', [1_000_000])).json).toMatchObject({ result: null });

    const batch = await rawRpc(
      voter.url,
      JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'chain_getBlockHash', params: [0] },
        { jsonrpc: '2.0', id: 2, method: 'nope' },
        { jsonrpc: '2.0', id: 3, method: 'chain_getFinalizedHead' },
      ]),
    );
    const replies = batch.json as { id: number; result?: unknown; error?: { code: number } }[];
    expect(replies.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(replies[0]?.result).toBe(await rpc(voter.url, 'chain_getBlockHash', [0]));
    expect(replies[1]?.error?.code).toBe(-32601);
    expect(replies[2]?.result).toBe(await rpc(voter.url, 'chain_getFinalizedHead'));
    // still serving
    expect(await rpc(voter.url, 'rpc_methods')).toMatchObject({
      methods: expect.arrayContaining(['grandpa_proveFinality']),
    });
  });
});
