import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { reasonOfAsync } from '../testing/reason.js';
import { type OutboundClaim, ProofError } from '../types.js';
import { toHex } from './scale.js';
import { outboundMessageKey } from './storageKey.js';
import { changeTo, grandpaDigest, makeVoters, TestChain } from './testing.js';
import { GrandpaSourceVerifier } from './verifier.js';

const set0 = makeVoters(4, 'set0');
const set1 = makeVoters(5, 'set1');
const keys = (vs: typeof set0) => vs.map((v) => toHex(v.key));
const id = (n: number) => `0x${n.toString(16).padStart(2, '0').repeat(32)}` as Hex;
const claim = (nonce: bigint, sourceBlock: number, messageId = id(Number(nonce) + 1)): OutboundClaim => ({
  sourceChain: 10004,
  nonce,
  messageId,
  sourceBlock: BigInt(sourceBlock),
});

/** Blocks 1..n, message `nonce` stored in block nonce + 1, finalized by set 0 at `finalizedAt`. */
function simpleChain(n: number, finalizedAt: number): TestChain {
  const chain = new TestChain(1);
  for (let b = 1; b <= n; b++)
    chain.addBlock([[outboundMessageKey(BigInt(b - 1)), Uint8Array.from(Buffer.from(id(b).slice(2), 'hex'))]]);
  chain.finalize(finalizedAt, set0.slice(0, 3), 0n);
  return chain;
}

describe('GrandpaSourceVerifier', () => {
  it('proves a stored message at the finalized block, and reuses that block for older claims', async () => {
    const chain = simpleChain(6, 5);
    const v = new GrandpaSourceVerifier({ rpc: chain.rpc, authoritySet: { setId: 0n, authorities: keys(set0) } });
    const proof = await v.proveOutbound(claim(2n, 3));
    expect(proof).toEqual({
      mode: 'grandpa',
      height: 5n,
      blockHash: chain.hashes[5],
      stateRoot: toHex(chain.headers[5]?.stateRoot as Uint8Array),
    });
    let calls = 0;
    chain.onCall = (_m, _p, r) => {
      calls++;
      return r;
    };
    expect((await v.proveOutbound(claim(0n, 1))).height).toBe(5n);
    expect(calls).toBe(1); // only the read proof
    expect(v.checkpoint).toEqual({ finalized: { number: 5, hash: chain.hashes[5] }, setId: 0n });
  });

  it('says not-final above the finalized head, then proves once a justification arrives', async () => {
    const chain = simpleChain(6, 4);
    const v = new GrandpaSourceVerifier({ rpc: chain.rpc, authoritySet: { setId: 0n, authorities: keys(set0) } });
    const err = await v.proveOutbound(claim(4n, 5)).catch((e) => e as ProofError);
    expect(err).toBeInstanceOf(ProofError);
    expect((err as ProofError).reason).toBe('not-final');
    expect((err as ProofError).transient).toBe(true);
    chain.finalize(6, set0.slice(1), 0n);
    expect((await v.proveOutbound(claim(4n, 5))).height).toBe(6n);
  });

  it('refuses a wrong message id and an absent nonce (value-mismatch)', async () => {
    const chain = simpleChain(4, 4);
    const v = new GrandpaSourceVerifier({ rpc: chain.rpc, authoritySet: { setId: 0n, authorities: keys(set0) } });
    expect(await reasonOfAsync(v.proveOutbound(claim(1n, 2, id(0xee))))).toBe('value-mismatch');
    expect(await reasonOfAsync(v.proveOutbound(claim(99n, 2)))).toBe('value-mismatch');
  });

  it('refuses thin justifications, other sets, tampered headers and tampered proofs', async () => {
    const thin = simpleChain(3, 3);
    thin.finalize(3, set0.slice(0, 2), 0n);
    const mk = (chain: TestChain, setId = 0n, auth = keys(set0)) =>
      new GrandpaSourceVerifier({ rpc: chain.rpc, authoritySet: { setId, authorities: auth } });
    expect(await reasonOfAsync(mk(thin).proveOutbound(claim(0n, 1)))).toBe('insufficient-signatures');
    expect(await reasonOfAsync(mk(simpleChain(3, 3), 1n).proveOutbound(claim(0n, 1)))).toBe('bad-justification');
    expect(await reasonOfAsync(mk(simpleChain(3, 3), 0n, keys(set1)).proveOutbound(claim(0n, 1)))).toBe(
      'unknown-authority-set',
    );

    const headers = simpleChain(3, 3);
    headers.onCall = (m, _p, r) => (m === 'chain_getHeader' ? { ...(r as object), stateRoot: id(0x77) } : r);
    expect(await reasonOfAsync(mk(headers).proveOutbound(claim(0n, 1)))).toBe('bad-header');

    const proofs = simpleChain(3, 3);
    proofs.onCall = (m, _p, r) => {
      if (m !== 'state_getReadProof') return r;
      const res = r as { at: Hex; proof: Hex[] };
      return { ...res, proof: res.proof.map((n) => `${n.slice(0, -2)}${n.endsWith('00') ? '01' : '00'}`) };
    };
    expect(await reasonOfAsync(mk(proofs).proveOutbound(claim(0n, 1)))).toBe('bad-state-proof');
  });

  it('reports an unavailable RPC as rpc-unavailable', async () => {
    const chain = simpleChain(3, 3);
    chain.failing.add('grandpa_proveFinality');
    const v = new GrandpaSourceVerifier({ rpc: chain.rpc, authoritySet: { setId: 0n, authorities: keys(set0) } });
    expect(await reasonOfAsync(v.proveOutbound(claim(0n, 1)))).toBe('rpc-unavailable');
    chain.failing.clear();
    expect(await reasonOfAsync(v.proveOutbound(claim(0n, 1)))).toBe('passed');
  });

  it('walks a scheduled set change: the old set finalizes the end of its set, the new set what follows', async () => {
    const chain = new TestChain(1);
    chain.addBlock([[outboundMessageKey(0n), new Uint8Array(32).fill(1)]]); // 1
    chain.addBlock([], [grandpaDigest({ type: 'scheduledChange', change: changeTo(set1, 2) })]); // 2: change at 4
    chain.addBlock(); // 3
    chain.addBlock(); // 4: last block of set 0
    chain.finalize(4, set0.slice(0, 3), 0n, { endsSet: true });
    chain.addBlock([[outboundMessageKey(1n), new Uint8Array(32).fill(2)]]); // 5
    chain.addBlock(); // 6
    chain.finalize(6, set1.slice(0, 4), 1n);

    const v = new GrandpaSourceVerifier({
      rpc: chain.rpc,
      authoritySet: { setId: 0n, authorities: keys(set0) },
      fromBlock: 1,
    });
    const proof = await v.proveOutbound(claim(1n, 5, id(2)));
    expect(proof.height).toBe(6n);
    expect(v.checkpoint.setId).toBe(1n);

    // A checkpoint of set 0 without fromBlock starts at the head, which set 1 signed.
    const stale = new GrandpaSourceVerifier({ rpc: chain.rpc, authoritySet: { setId: 0n, authorities: keys(set0) } });
    expect(await reasonOfAsync(stale.proveOutbound(claim(1n, 5, id(2))))).toBe('unknown-authority-set');
    // A node that skips the end-of-set justification cannot make the old set sign past its end.
    chain.setEnds.length = 0;
    const skipped = new GrandpaSourceVerifier({
      rpc: chain.rpc,
      authoritySet: { setId: 0n, authorities: keys(set0) },
      fromBlock: 1,
    });
    expect(await reasonOfAsync(skipped.proveOutbound(claim(1n, 5, id(2))))).toBe('bad-justification');
  });

  it('walks a forced change (new set from N + delay), unless forced changes are refused', async () => {
    const chain = new TestChain(0);
    chain.addBlock([[outboundMessageKey(0n), new Uint8Array(32).fill(1)]]); // 1
    chain.finalize(1, set0.slice(0, 3), 0n);
    chain.addBlock([], [grandpaDigest({ type: 'forcedChange', medianLastFinalized: 1, change: changeTo(set1, 1) })]); // 2
    chain.addBlock(); // 3: forced change takes effect
    chain.addBlock(); // 4
    chain.finalize(4, set1.slice(1), 1n);
    const auth = { setId: 0n, authorities: keys(set0) };
    const v = new GrandpaSourceVerifier({ rpc: chain.rpc, authoritySet: auth, fromBlock: 1 });
    expect((await v.proveOutbound(claim(0n, 1, id(1)))).height).toBe(4n);
    expect(v.checkpoint.setId).toBe(1n);
    const strict = new GrandpaSourceVerifier({
      rpc: chain.rpc,
      authoritySet: auth,
      fromBlock: 1,
      allowForcedChanges: false,
    });
    expect(await reasonOfAsync(strict.proveOutbound(claim(0n, 1, id(1))))).toBe('unknown-authority-set');
  });

  it('speaks HTTP JSON-RPC to a node (rpcUrl)', async () => {
    const chain = simpleChain(3, 3);
    const server = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const { id: rid, method, params } = JSON.parse(body) as { id: number; method: string; params: unknown[] };
      const result = await chain.rpc.call(method, params);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ jsonrpc: '2.0', id: rid, result }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const v = new GrandpaSourceVerifier({ rpcUrl: url, authoritySet: { setId: 0n, authorities: keys(set0) } });
      expect((await v.proveOutbound(claim(1n, 2))).height).toBe(3n);
    } finally {
      await new Promise((r) => server.close(r));
    }
    const down = new GrandpaSourceVerifier({
      rpcUrl: url,
      authoritySet: { setId: 0n, authorities: keys(set0) },
      timeoutMs: 2000,
    });
    expect(await reasonOfAsync(down.proveOutbound(claim(1n, 2)))).toBe('rpc-unavailable');
  });
});
