/**
 * Raw requests to a node's peer API as an outsider sees it: over its TLS listener without checking the
 * server's certificate and without a client certificate (what an attacker without an operator key has).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export function rawPeerRequest(
  url: string,
  /** `body` undefined or left out: a request without one. */
  init: { method: string; headers?: Record<string, string>; body?: string | undefined },
): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, {
      method: init.method,
      headers: init.headers,
      rejectUnauthorized: false,
    });
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end(init.body);
  });
}
