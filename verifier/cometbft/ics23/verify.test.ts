/**
 * ICS23 store proofs recorded from a local wasmd (see testdata/README.md): the bridge's outbound entries proven
 * present, an unused nonce proven absent, all against the app hash of a header verified with its commit; and
 * any flipped bit in any proof node, a wrong key, value or root, or ops that break the specs, refused.
 */
import {
  CommitmentProof,
  type ExistenceProof,
  HashOp,
  type InnerOp,
  LengthOp,
} from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { describe, expect, it } from 'vitest';
import { flipBit } from '../../testing/bits.js';
import { reasonOf } from '../../testing/reason.js';
import { CommitSignatures, verifyCommitLight } from '../commit.js';
import { checkLightBlock } from '../lightClient.js';
import { parseSignedHeader, parseValidators } from '../rpcJson.js';
import { readJson } from '../testdata/fixtures.js';
import { decodeStoredMessageId, outboundStoreKey } from '../wasmStoreKey.js';
import { IAVL_SPEC, TENDERMINT_SPEC } from './specs.js';
import { existenceRoot, type ProofOp, verifyStoreProof } from './verify.js';

interface QueryJson {
  result: {
    response: { key: string; value: string | null; height: string; proofOps: { ops: Record<string, string>[] } };
  };
}
const info = readJson<{ chain_id: string; bridge: string; query_height: number }>('./wasmd-devnet/info.json');
const commit73 = readJson<{ result: { signed_header: unknown } }>('./wasmd-devnet/commit_73.json').result;
const validators73 = readJson<{ result: { validators: unknown } }>('./wasmd-devnet/validators_73.json').result;
const signed = parseSignedHeader(commit73.signed_header);
const appHash = signed.header.appHash;

function query(file: string) {
  const r = readJson<QueryJson>(`./wasmd-devnet/${file}`).result.response;
  return {
    key: Buffer.from(r.key, 'base64'),
    value: r.value ? Buffer.from(r.value, 'base64') : undefined,
    height: Number(r.height),
    ops: r.proofOps.ops.map((o) => ({
      type: o.type as string,
      key: Buffer.from(o.key as string, 'base64'),
      data: Buffer.from(o.data as string, 'base64'),
    })),
  };
}

const nonce1 = query('abci_query_outbound_nonce1.json');
const absent = query('abci_query_outbound_nonce3_absent.json');

/** The proof ops with the CommitmentProof of op `i` edited. */
function edit(ops: ProofOp[], i: number, change: (p: CommitmentProof) => void): ProofOp[] {
  const proof = CommitmentProof.decode((ops[i] as ProofOp).data);
  change(proof);
  return ops.map((op, j) => (j === i ? { ...op, data: CommitmentProof.encode(proof).finish() } : op));
}

describe('the recorded devnet header', () => {
  it('is signed by its validator: the app hash the proofs use is a verified one', () => {
    const validators = parseValidators(validators73.validators);
    const sigs = checkLightBlock({ signedHeader: signed, validators }, info.chain_id);
    expect(() => verifyCommitLight(sigs, validators, signed.commit.blockId, 73n)).not.toThrow();
    expect(info.query_height + 1).toBe(73);
    expect(() => new CommitSignatures('other', signed.commit)).not.toThrow();
  });
});

describe('store proofs (ics23:iavl then ics23:simple)', () => {
  it('derives the queried key: 0x03 || contract || u16 len || "outbound" || nonce u64 BE', () => {
    expect(Buffer.from(outboundStoreKey(info.bridge, 1n)).equals(nonce1.key)).toBe(true);
    expect(Buffer.from(outboundStoreKey(info.bridge, 3n)).equals(absent.key)).toBe(true);
  });

  it.each(['abci_query_outbound_nonce1.json', 'abci_query_outbound_nonce2.json'])('%s proves the stored id', (f) => {
    const q = query(f);
    const result = verifyStoreProof(q.ops, appHash, 'wasm', q.key, q.value);
    expect(result.exists).toBe(true);
    expect(decodeStoredMessageId(q.value as Uint8Array)).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('proves an unused nonce absent (non-existence proof with both neighbours)', () => {
    expect(verifyStoreProof(absent.ops, appHash, 'wasm', absent.key, absent.value)).toEqual({ exists: false });
    // that proof says nothing about another key, nor under another root
    expect(reasonOf(() => verifyStoreProof(absent.ops, appHash, 'wasm', nonce1.key, undefined))).toBe(
      'bad-state-proof',
    );
    const otherRoot = Uint8Array.from(appHash);
    otherRoot[5] = (otherRoot[5] as number) ^ 0x10;
    expect(reasonOf(() => verifyStoreProof(absent.ops, otherRoot, 'wasm', absent.key, undefined))).toBe(
      'bad-state-proof',
    );
  });

  it('refuses a wrong value, key, store name, root, op order or op type', () => {
    const value = Uint8Array.from(nonce1.value as Uint8Array);
    value[3] = (value[3] as number) ^ 1;
    const bad = (f: () => unknown) => expect(reasonOf(f)).toBe('bad-state-proof');
    bad(() => verifyStoreProof(nonce1.ops, appHash, 'wasm', nonce1.key, value));
    bad(() => verifyStoreProof(nonce1.ops, appHash, 'wasm', absent.key, nonce1.value));
    bad(() => verifyStoreProof(nonce1.ops, appHash, 'bank', nonce1.key, nonce1.value));
    bad(() => verifyStoreProof(nonce1.ops, signed.header.dataHash, 'wasm', nonce1.key, nonce1.value));
    bad(() => verifyStoreProof([...nonce1.ops].reverse(), appHash, 'wasm', nonce1.key, nonce1.value));
    bad(() => verifyStoreProof(nonce1.ops.slice(0, 1), appHash, 'wasm', nonce1.key, nonce1.value));
    bad(() =>
      verifyStoreProof(
        nonce1.ops.map((o, i) => (i === 0 ? { ...o, type: 'ics23:simple' } : o)),
        appHash,
        'wasm',
        nonce1.key,
        nonce1.value,
      ),
    );
    // the node claims the key holds nothing but proves it exists, or the reverse
    bad(() => verifyStoreProof(nonce1.ops, appHash, 'wasm', nonce1.key, undefined));
    bad(() => verifyStoreProof(absent.ops, appHash, 'wasm', absent.key, Uint8Array.of(1)));
  });

  it('every single-bit flip in every node of both proofs is refused', () => {
    let flips = 0;
    for (const [i, which] of [
      [0, 'iavl'],
      [1, 'simple'],
    ] as const) {
      const original = CommitmentProof.decode((nonce1.ops[i] as ProofOp).data);
      const exist = original.exist;
      if (!exist?.leaf) throw new Error(`${which}: fixture changed`);
      const fields: [string, (p: CommitmentProof) => Uint8Array][] = [
        ['leaf prefix', (p) => p.exist?.leaf?.prefix as Uint8Array],
        ...exist.path.flatMap((_, n): [string, (p: CommitmentProof) => Uint8Array][] => [
          [`inner ${n} prefix`, (p) => (p.exist as ExistenceProof).path[n]?.prefix as Uint8Array],
          [`inner ${n} suffix`, (p) => (p.exist as ExistenceProof).path[n]?.suffix as Uint8Array],
        ]),
      ];
      for (const [name, field] of fields) {
        const length = field(original).length;
        for (let bit = 0; bit < length * 8; bit++) {
          const ops = edit(nonce1.ops, i, (p) => {
            flipBit(field(p), bit);
          });
          expect(
            reasonOf(() => verifyStoreProof(ops, appHash, 'wasm', nonce1.key, nonce1.value)),
            `${which} ${name} bit ${bit}`,
          ).toBe('bad-state-proof');
          flips++;
        }
      }
    }
    expect(flips).toBeGreaterThan(2000);
  });

  it('checks ops against the spec instead of trusting them', () => {
    const bad = (ops: ProofOp[]) =>
      expect(reasonOf(() => verifyStoreProof(ops, appHash, 'wasm', nonce1.key, nonce1.value))).toBe('bad-state-proof');
    const leaf = (change: (l: NonNullable<NonNullable<CommitmentProof['exist']>['leaf']>) => void) =>
      edit(nonce1.ops, 0, (p) => change(p.exist?.leaf as NonNullable<NonNullable<CommitmentProof['exist']>['leaf']>));
    bad(leaf((l) => (l.prehashValue = HashOp.NO_HASH)));
    bad(leaf((l) => (l.hash = HashOp.SHA512)));
    bad(leaf((l) => (l.length = LengthOp.NO_PREFIX)));
    bad(leaf((l) => (l.prefix = Uint8Array.of(1, ...l.prefix.subarray(1)))));
    bad(edit(nonce1.ops, 0, (p) => p.exist?.path.pop()));
    bad(edit(nonce1.ops, 1, (p) => ((p.exist?.path[0] as InnerOp).hash = HashOp.NO_HASH)));
    // an inner node presented as the leaf: the IAVL header (height 0, size 1) and the leaf marker refuse it
    const iavl = CommitmentProof.decode((nonce1.ops[0] as ProofOp).data).exist;
    if (!iavl) throw new Error('fixture changed');
    expect(() => existenceRoot(IAVL_SPEC, iavl)).not.toThrow();
    expect(reasonOf(() => existenceRoot(TENDERMINT_SPEC, iavl))).toBe('bad-state-proof');
    const simple = CommitmentProof.decode((nonce1.ops[1] as ProofOp).data).exist;
    if (!simple) throw new Error('fixture changed');
    expect(reasonOf(() => existenceRoot(IAVL_SPEC, simple))).toBe('bad-state-proof');
  });
});
