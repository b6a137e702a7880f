/**
 * Signed requests to the other operators of the relayer set, and checked answers. Over https:// the
 * connection is mutual TLS bound to the identity keys (tlsIdentity.ts): the body is written only once
 * the server showed the certificate of the operator's configured key, so a man in the middle learns
 * nothing; over plain http:// (loopback only, config refuses the rest) the signatures still hold.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { OperatorConfig } from '../config/nodeConfig.js';
import { HEADER_NONCE, HEADER_RESPONSE_SIGNATURE, type PeerSelf, responseSignatureValid, signRequest } from './auth.js';
import type { PeerRouteSpec } from './protocol.js';
import { identityTlsMaterial, requirePeerKey, TlsPeerKeyError } from './tlsIdentity.js';

export class PeerRequestError extends Error {
  override name = 'PeerRequestError';
  constructor(
    readonly operatorId: number,
    /**
     * 'forged': the answer is not signed by the operator asked; 'impostor': over TLS, the server is not
     * the operator asked (a network attacker, or a proxy in between).
     */
    readonly status: number | 'unreachable' | 'timeout' | 'forged' | 'impostor',
    readonly body: unknown,
  ) {
    super(`operator ${operatorId}: ${typeof status === 'string' ? status : `HTTP ${status}`}`);
  }
}

/** Sockets whose TLS peer key was checked already (keep-alive reuses them). */
const checked = new WeakSet<object>();

export class PeerClient {
  private readonly operators: Map<number, OperatorConfig>;
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  private httpsAgent?: HttpsAgent;

  constructor(
    private readonly self: PeerSelf,
    operators: OperatorConfig[],
    private readonly timeoutMs: number,
  ) {
    this.operators = new Map(operators.map((o) => [o.id, o]));
  }

  /** Client certificate (this node's identity key) for mutual TLS, made on first use. */
  private tlsAgent(): HttpsAgent {
    if (!this.httpsAgent) {
      const { key, cert } = identityTlsMaterial(this.self.identity, this.self.operatorId);
      // the chain of trust is the configured key, checked per connection below, not a CA
      this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64, key, cert, rejectUnauthorized: false });
    }
    return this.httpsAgent;
  }

  /** Calls a declared peer route (protocol.ts) on `operatorId`; the answer is checked as signed by it. */
  call<Request, Response>(
    spec: PeerRouteSpec<Request, Response>,
    operatorId: number,
    body: Request,
    timeoutMs = this.timeoutMs,
  ): Promise<Response> {
    return this.post<Response>(operatorId, spec.path, body, timeoutMs);
  }

  /** A signed POST of any body to any path: `call` for the declared routes; tests use this to misbehave. */
  async post<T>(operatorId: number, path: string, payload: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    const operator = this.operators.get(operatorId);
    if (!operator) throw new PeerRequestError(operatorId, 'unreachable', 'not in the relayer set');
    const body = JSON.stringify(payload);
    const headers = signRequest(this.self, operatorId, 'POST', path, body);
    let res: { status: number; text: string; signature: string | null };
    try {
      res = await this.send(new URL(path, operator.url), operator, headers, body, timeoutMs);
    } catch (e) {
      if (e instanceof TlsPeerKeyError) throw new PeerRequestError(operatorId, 'impostor', e.message);
      const name = (e as Error).name;
      throw new PeerRequestError(
        operatorId,
        name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable',
        String(e),
      );
    }
    const signed = responseSignatureValid(
      operator.identityKey,
      operatorId,
      this.self.operatorId,
      headers[HEADER_NONCE] as string,
      res.status,
      res.text,
      res.signature,
    );
    if (!signed) throw new PeerRequestError(operatorId, 'forged', res.text.slice(0, 200));
    let json: unknown;
    try {
      json = res.text ? JSON.parse(res.text) : undefined;
    } catch {
      json = res.text;
    }
    if (res.status < 200 || res.status >= 300) throw new PeerRequestError(operatorId, res.status, json);
    return json as T;
  }

  private send(
    url: URL,
    operator: OperatorConfig,
    headers: Record<string, string>,
    body: string,
    timeoutMs: number,
  ): Promise<{ status: number; text: string; signature: string | null }> {
    const tls = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (tls ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        agent: tls ? this.tlsAgent() : this.httpAgent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        signal: AbortSignal.timeout(timeoutMs),
      });
      req.once('error', reject);
      req.once('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('error', reject);
        res.once('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            signature: (res.headers[HEADER_RESPONSE_SIGNATURE] as string | undefined) ?? null,
          }),
        );
      });
      if (!tls) {
        req.end(body);
        return;
      }
      // nothing is written before the server proved it holds the operator's identity key
      req.once('socket', (socket: TLSSocket) => {
        const verifyThenSend = () => {
          try {
            if (!checked.has(socket)) {
              requirePeerKey(socket, operator.identityKey, `operator ${operator.id}`);
              checked.add(socket);
            }
          } catch (e) {
            req.destroy(e as Error);
            return;
          }
          req.end(body);
        };
        if (socket.encrypted && !socket.connecting && socket.getPeerCertificate()?.raw) verifyThenSend();
        else socket.once('secureConnect', verifyThenSend);
      });
    });
  }
}
