/**
 * CometbftSourceVerifier against a scripted node serving the recorded wasmd devnet data (testdata/wasmd-devnet):
 * what a lying or broken RPC node can and cannot make the verifier accept, without starting a chain.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reasonOfAsync } from '../testing/reason.js';
import type { OutboundClaim, ProofError } from '../types.js';
import { hashHeader } from './header.js';
import { parseSignedHeader } from './rpcJson.js';
import { CometbftSourceVerifier, type CometbftVerifierOptions } from './sourceVerifier.js';
import { readJson } from './testdata/fixtures.js';
import { decodeStoredMessageId } from './wasmStoreKey.js';

// biome-ignore lint/suspicious/noExplicitAny: recorded JSON-RPC bodies, edited freely by the tests
type Json = Record<string, any>;

const info = readJson<{ chain_id: string; bridge: string; query_height: number; lock_tx_height: number }>(
  './wasmd-devnet/info.json',
);
const recorded = {
  commit: readJson<Json>('./wasmd-devnet/commit_73.json').result,
  validators: readJson<Json>('./wasmd-devnet/validators_73.json').result,
  nonce1: readJson<Json>('./wasmd-devnet/abci_query_outbound_nonce1.json').result,
  nonce2: readJson<Json>('./wasmd-devnet/abci_query_outbound_nonce2.json').result,
  nonce3: readJson<Json>('./wasmd-devnet/abci_query_outbound_nonce3_absent.json').result,
};
const header73 = parseSignedHeader(recorded.commit.signed_header).header;
const storedId = (r: Json) => decodeStoredMessageId(Buffer.from(r.response.value, 'base64')) as `0x${string}`;

/** What the fake node answers; tests replace parts of it. */
let answer: (method: string, params: Json) => Json | 'http-500';
const honest = (method: string, params: Json): Json => {
  const copy = (x: Json) => structuredClone(x);
  switch (method) {
    case 'status':
      return { node_info: { network: info.chain_id }, sync_info: { latest_block_height: '73' } };
    case 'commit':
      return copy(recorded.commit);
    case 'validators':
      return copy(recorded.validators);
    case 'abci_query': {
      const nonce = Buffer.from(params.data, 'hex').readBigUInt64BE(Buffer.from(params.data, 'hex').length - 8);
      return copy(nonce === 1n ? recorded.nonce1 : nonce === 2n ? recorded.nonce2 : recorded.nonce3);
    }
    default:
      throw new Error(`unexpected ${method}`);
  }
};

describe('CometbftSourceVerifier and a lying node', () => {
  let server: Server;
  let options: CometbftVerifierOptions;
  const claim: OutboundClaim = {
    sourceChain: 10003,
    nonce: 1n,
    messageId: storedId(recorded.nonce1),
    sourceBlock: BigInt(info.lock_tx_height),
  };
  const prove = (c: Partial<OutboundClaim> = {}) =>
    new CometbftSourceVerifier(options).proveOutbound({ ...claim, ...c }).catch((e: unknown) => e);
  const reason = (c: Partial<OutboundClaim> = {}) =>
    reasonOfAsync(new CometbftSourceVerifier(options).proveOutbound({ ...claim, ...c }));

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const { id, method, params } = JSON.parse(body) as { id: number; method: string; params: Json };
        const result = answer(method, params);
        if (result === 'http-500') {
          res.writeHead(500).end('oops');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id, result }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    options = {
      rpcUrl: `http://127.0.0.1:${port}`,
      chainId: info.chain_id,
      contract: info.bridge,
      trusted: { height: 73n, hash: `0x${Buffer.from(hashHeader(header73)).toString('hex')}` },
      trustingPeriodSeconds: 14 * 86_400,
      maxClockDriftSeconds: 10,
      now: () => new Date(Number(header73.time.seconds) * 1000 + 60_000),
    };
  });
  beforeEach(() => {
    answer = honest;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('proves both recorded entries at the checkpoint header', async () => {
    expect(await prove()).toEqual({
      mode: 'cometbft-light-client',
      height: 73n,
      blockHash: options.trusted.hash,
      stateRoot: `0x${Buffer.from(header73.appHash).toString('hex')}`,
    });
    expect(await prove({ nonce: 2n, messageId: storedId(recorded.nonce2) })).toMatchObject({ height: 73n });
  });

  it('refuses the other nonce id, a nonce proven absent, and a block not committed yet', async () => {
    expect(await reason({ messageId: storedId(recorded.nonce2) })).toBe('value-mismatch');
    expect(await reason({ nonce: 3n })).toBe('value-mismatch');
    expect(await reason({ sourceBlock: 73n })).toBe('not-final');
    expect(await reason({ messageId: '0x1234' })).toBe('malformed-input');
  });

  it('refuses a swapped value, another key proof, a non-existence proof for a stored key, another height', async () => {
    answer = (m, p) => {
      const r = honest(m, p);
      if (m === 'abci_query') r.response.value = recorded.nonce2.response.value;
      return r;
    };
    expect(await reason()).toBe('bad-state-proof');
    answer = (m, p) => (m === 'abci_query' ? structuredClone(recorded.nonce2) : honest(m, p));
    expect(await reason()).toBe('bad-state-proof');
    answer = (m, p) => (m === 'abci_query' ? structuredClone(recorded.nonce3) : honest(m, p));
    expect(await reason()).toBe('bad-state-proof');
    answer = (m, p) => {
      const r = honest(m, p);
      if (m === 'abci_query') r.response.height = '71';
      return r;
    };
    expect(await reason()).toBe('bad-state-proof');
    answer = (m, p) => {
      const r = honest(m, p);
      if (m === 'abci_query') r.response.proofOps.ops.pop();
      return r;
    };
    expect(await reason()).toBe('bad-state-proof');
  });

  it('refuses a header with another app hash, a forged signature, another chain, and garbage', async () => {
    answer = (m, p) => {
      const r = honest(m, p);
      if (m === 'commit') r.signed_header.header.app_hash = '00'.repeat(32);
      return r;
    };
    expect(await reason()).toBe('bad-header'); // no longer the checkpoint's hash
    answer = (m, p) => {
      const r = honest(m, p);
      if (m === 'commit') {
        const sig = r.signed_header.commit.signatures[0];
        const bytes = Buffer.from(sig.signature, 'base64');
        bytes[10] = (bytes[10] as number) ^ 4;
        sig.signature = bytes.toString('base64');
      }
      return r;
    };
    expect(await reason()).toBe('bad-commit');
    answer = (m, p) => {
      const r = honest(m, p);
      if (m === 'status') r.node_info.network = 'other-1';
      return r;
    };
    // the checkpoint verifies; then a later block is wanted and the node turns out to serve another chain
    expect(await reason({ sourceBlock: 80n })).toBe('wrong-chain');
    answer = (m, p) => {
      const r = honest(m, p);
      if (m === 'commit') r.signed_header.header.height = '72';
      return r;
    };
    expect(await reason()).toBe('bad-header'); // asked for 73, got a header claiming 72
    answer = (m, p) => {
      const r = honest(m, p);
      if (m === 'validators') r.validators[0].pub_key.value = Buffer.alloc(31).toString('base64');
      return r;
    };
    expect(await reason()).toBe('malformed-input');
    answer = () => 'http-500';
    const e = await prove();
    expect((e as ProofError).reason).toBe('rpc-unavailable');
    expect((e as ProofError).transient).toBe(true);
  });

  it('refuses a checkpoint older than the trusting period', async () => {
    const later = () => new Date(Number(header73.time.seconds) * 1000 + 15 * 86_400_000);
    const e = await new CometbftSourceVerifier({ ...options, now: later }).proveOutbound(claim).catch((x) => x);
    expect((e as ProofError).reason).toBe('trusted-state-expired');
  });
});
