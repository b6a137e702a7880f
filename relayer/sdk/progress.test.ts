import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hex } from 'viem';
import { afterEach, describe, expect, it } from 'vitest';
import { followMessages, MessageNotDeliveredError, type ProgressEvent } from './progress.js';

const id = `0x${'ab'.repeat(32)}` as Hex;

/** A node API whose record of `id` walks through `stages`, one per request (404 before the first). */
async function scriptedNode(stages: (string | undefined)[]): Promise<{ url: string; server: Server }> {
  let i = 0;
  const server = createServer((req, res) => {
    const stage = stages[Math.min(i++, stages.length - 1)];
    if (req.url !== `/v1/messages/${id}` || !stage) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"NotFound"}');
      return;
    }
    const record = {
      id,
      stage,
      sourceChain: 10001,
      destinationChain: 10003,
      error: stage === 'rejected' ? 'why' : undefined,
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(record));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let node: Server | undefined;
afterEach(() => node?.close());

describe('followMessages', () => {
  it('reports each stage once, in order, and resolves at delivery', async () => {
    const n = await scriptedNode([undefined, 'observed', 'observed', 'verified', 'signed', 'submitted', 'delivered']);
    node = n.server;
    const seen: ProgressEvent[] = [];
    const done = await followMessages(n.url, [id], (e) => seen.push(e), { pollMs: 1 });
    expect(seen.map((e) => e.stage)).toEqual(['observed', 'verified', 'signed', 'submitted', 'delivered']);
    expect(done[0]).toMatchObject({ messageId: id, stage: 'delivered', sourceChain: 10001, destinationChain: 10003 });
  });

  it('throws a named error when the message is rejected, with the reason', async () => {
    const n = await scriptedNode(['observed', 'rejected']);
    node = n.server;
    const err = await followMessages(n.url, [id], () => {}, { pollMs: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(MessageNotDeliveredError);
    expect(err).toMatchObject({ stage: 'rejected', message: `message ${id} was rejected: why` });
  });

  it('times out with the last stage it saw', async () => {
    const n = await scriptedNode(['observed']);
    node = n.server;
    const err = await followMessages(n.url, [id], () => {}, { pollMs: 5, timeoutMs: 100 }).catch((e) => e);
    expect(err).toBeInstanceOf(MessageNotDeliveredError);
    expect(err.message).toMatch(/not delivered within 100 ms \(last stage: observed\)/);
  });
});
