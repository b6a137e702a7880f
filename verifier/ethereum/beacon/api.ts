/**
 * Reads light-client data from a beacon node's REST API (the standard `/eth/v1/beacon/light_client/*`
 * routes). Nothing read here is trusted: the light client verifies all of it.
 */
import { ProofError } from '../../types.js';
import { parseBootstrap, parseUpdate } from './json.js';
import type { LightClientBootstrap, LightClientUpdate } from './types.js';

/** Light-client data source; an interface so tests (and other transports) can serve it. */
export interface LightClientSource {
  bootstrap(blockRoot: string): Promise<LightClientBootstrap>;
  updates(startPeriod: bigint, count: number): Promise<LightClientUpdate[]>;
  finalityUpdate(): Promise<LightClientUpdate>;
}

/** The API serves at most this many period updates per request (MAX_REQUEST_LIGHT_CLIENT_UPDATES). */
export const MAX_UPDATES_PER_REQUEST = 128;

export class BeaconApi implements LightClientSource {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  private async get(path: string): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`), {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new ProofError('rpc-unavailable', `beacon API ${path}: ${(e as Error).message}`);
    }
    if (!res.ok) throw new ProofError('rpc-unavailable', `beacon API ${path}: HTTP ${res.status}`);
    try {
      return await res.json();
    } catch {
      throw new ProofError('malformed-input', `beacon API ${path}: not JSON`);
    }
  }

  async bootstrap(blockRoot: string): Promise<LightClientBootstrap> {
    return parseBootstrap(await this.get(`eth/v1/beacon/light_client/bootstrap/${blockRoot}`));
  }

  async updates(startPeriod: bigint, count: number): Promise<LightClientUpdate[]> {
    const body = await this.get(`eth/v1/beacon/light_client/updates?start_period=${startPeriod}&count=${count}`);
    if (!Array.isArray(body)) throw new ProofError('malformed-input', 'light client updates: not a list');
    return body.map(parseUpdate);
  }

  async finalityUpdate(): Promise<LightClientUpdate> {
    return parseUpdate(await this.get('eth/v1/beacon/light_client/finality_update'));
  }
}
