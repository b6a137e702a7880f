import { TypeRegistry } from '@polkadot/types';
import type { Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { grandpaLogs } from '../../verifier/grandpa/digest.js';
import { encodeHeader } from '../../verifier/grandpa/header.js';
import { toHex } from '../../verifier/grandpa/scale.js';
import { buildTrie } from '../../verifier/grandpa/trie/build.js';
import { voterKeys } from './keys.js';
import { AuthorityChangeError, IncompleteStateError, ShadowChain, ShadowForkError } from './shadowChain.js';
import type { SourceBlock, StateEntry } from './source.js';

// biome-ignore lint/suspicious/noExplicitAny: decoded @polkadot/types structs
type Untyped = any;

const registry = new TypeRegistry();
const ZERO = `0x${'00'.repeat(32)}` as Hex;
const entries: StateEntry[] = [
  [Uint8Array.of(1, 2), Uint8Array.of(3)],
  [Uint8Array.of(0x3a, 0x63), new Uint8Array(100).fill(7)],
];
const hashOf = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex;

function source(number: number, overrides: Partial<SourceBlock> = {}): SourceBlock {
  return {
    number,
    hash: hashOf(number + 1),
    parentHash: hashOf(number),
    stateRoot: ZERO,
    extrinsicsRoot: hashOf(0xeee),
    digestLogs: [],
    entries,
    stateVersion: 1,
    ...overrides,
  };
}

function signersOf(chain: ShadowChain, n: number): { ids: Hex[]; round: bigint } {
  const j = registry.createType('GrandpaJustification', chain.blocks[n]?.justification) as Untyped;
  return { ids: j.commit.precommits.map((p: Untyped) => p.id.toHex()), round: j.round.toBigInt() };
}

describe('ShadowChain', () => {
  it('links headers by shadow hash and checks the genesis root chopsticks computed', () => {
    const realRoot = toHex(buildTrie(entries, 1).root);
    const chain = new ShadowChain({ id: 0n, voters: voterKeys(2) });
    const g = chain.append(source(0, { stateRoot: realRoot }));
    expect(toHex(g.header.stateRoot)).toBe(realRoot);
    const b1 = chain.append(source(1));
    expect(toHex(b1.header.parentHash)).toBe(g.hash);
    // the header encodes exactly like @polkadot/types' Header
    expect((registry.createType('Header', encodeHeader(b1.header)) as Untyped).hash.toHex()).toBe(b1.hash);

    const missing = new ShadowChain({ id: 0n, voters: voterKeys(2) });
    expect(() => missing.append(source(0, { stateRoot: hashOf(0xbad) }))).toThrow(IncompleteStateError);
  });

  it('refuses a chopsticks block that does not extend the last one', () => {
    const chain = new ShadowChain({ id: 0n, voters: voterKeys(1) });
    chain.append(source(0));
    expect(() => chain.append(source(1, { parentHash: hashOf(0x99) }))).toThrow(ShadowForkError);
    expect(() => chain.append(source(2))).toThrow(ShadowForkError);
  });

  it('a delay-0 change: the signalling block is the old set’s last, the next is the new set’s first', () => {
    const chain = new ShadowChain({ id: 0n, voters: voterKeys(3) });
    chain.append(source(0));
    chain.append(source(1));
    chain.scheduleChange(voterKeys(2, 1n), 0);
    expect(() => chain.scheduleChange(voterKeys(2, 1n), 0)).toThrow(AuthorityChangeError);
    const signal = chain.append(source(2));
    chain.append(source(3));
    chain.finalizeAvailable();
    expect(grandpaLogs(signal.header.digest)).toMatchObject([{ type: 'scheduledChange', change: { delay: 0 } }]);
    expect(signersOf(chain, 2).ids).toEqual(voterKeys(3).map((k) => toHex(k.publicKey)));
    expect(signersOf(chain, 3)).toEqual({ ids: voterKeys(2, 1n).map((k) => toHex(k.publicKey)), round: 1n });
    expect(chain.currentSet.id).toBe(1n);
  });

  it('signs with the configured number of voters and never signs while withheld', () => {
    const chain = new ShadowChain({ id: 0n, voters: voterKeys(4) });
    chain.signers = 2;
    chain.append(source(0));
    chain.append(source(1));
    chain.withheld = true;
    chain.finalizeAvailable();
    expect(chain.finalized).toBe(0);
    expect(chain.blocks[1]?.justification).toBeUndefined();
    chain.withheld = false;
    chain.finalizeAvailable();
    expect(chain.finalized).toBe(1);
    expect(signersOf(chain, 1).ids).toHaveLength(2);
  });

  it('drops state beyond the history, keeping headers', () => {
    const chain = new ShadowChain({ id: 0n, voters: voterKeys(1) }, 2);
    for (let n = 0; n < 4; n++) chain.append(source(n));
    expect(chain.blocks.map((b) => b.trie !== undefined)).toEqual([false, false, true, true]);
  });
});
