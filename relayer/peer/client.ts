/** Signed HTTP requests to the other operators of the relayer set. */
import type { OperatorConfig } from '../config/nodeConfig.js';
import { signRequest } from './auth.js';
import type { Identity } from './identity.js';

export class PeerRequestError extends Error {
  override name = 'PeerRequestError';
  constructor(
    readonly operatorId: number,
    readonly status: number | 'unreachable' | 'timeout',
    readonly body: unknown,
  ) {
    super(`operator ${operatorId}: ${status === 'unreachable' || status === 'timeout' ? status : `HTTP ${status}`}`);
  }
}

export class PeerClient {
  private readonly operators: Map<number, OperatorConfig>;

  constructor(
    private readonly self: { operatorId: number; identity: Identity },
    operators: OperatorConfig[],
    private readonly timeoutMs: number,
  ) {
    this.operators = new Map(operators.map((o) => [o.id, o]));
  }

  async post<T>(operatorId: number, path: string, payload: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    const operator = this.operators.get(operatorId);
    if (!operator) throw new PeerRequestError(operatorId, 'unreachable', 'not in the relayer set');
    const body = JSON.stringify(payload);
    let res: Response;
    try {
      res = await fetch(new URL(path, operator.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signRequest(this.self, 'POST', path, body) },
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
