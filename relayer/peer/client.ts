/** Signed HTTP requests to the other operators of the relayer set, and checked answers. */
import type { OperatorConfig } from '../config/nodeConfig.js';
import { HEADER_NONCE, HEADER_RESPONSE_SIGNATURE, type PeerSelf, responseSignatureValid, signRequest } from './auth.js';

export class PeerRequestError extends Error {
  override name = 'PeerRequestError';
  constructor(
    readonly operatorId: number,
    /** 'forged': the answer is not signed by the operator asked (a network attacker, or a proxy in between). */
    readonly status: number | 'unreachable' | 'timeout' | 'forged',
    readonly body: unknown,
  ) {
    super(`operator ${operatorId}: ${typeof status === 'string' ? status : `HTTP ${status}`}`);
  }
}

export class PeerClient {
  private readonly operators: Map<number, OperatorConfig>;

  constructor(
    private readonly self: PeerSelf,
    operators: OperatorConfig[],
    private readonly timeoutMs: number,
  ) {
    this.operators = new Map(operators.map((o) => [o.id, o]));
  }

  async post<T>(operatorId: number, path: string, payload: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    const operator = this.operators.get(operatorId);
    if (!operator) throw new PeerRequestError(operatorId, 'unreachable', 'not in the relayer set');
    const body = JSON.stringify(payload);
    const headers = signRequest(this.self, operatorId, 'POST', path, body);
    let res: Response;
    try {
      res = await fetch(new URL(path, operator.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const name = (e as Error).name;
      throw new PeerRequestError(
        operatorId,
        name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable',
        String(e),
      );
    }
    const text = await res.text();
    const signed = responseSignatureValid(
      operator.identityKey,
      operatorId,
      this.self.operatorId,
      headers[HEADER_NONCE] as string,
      res.status,
      text,
      res.headers.get(HEADER_RESPONSE_SIGNATURE),
    );
    if (!signed) throw new PeerRequestError(operatorId, 'forged', text.slice(0, 200));
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    if (!res.ok) throw new PeerRequestError(operatorId, res.status, json);
    return json as T;
  }
}
