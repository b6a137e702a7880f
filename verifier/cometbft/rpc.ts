/**
 * A minimal CometBFT JSON-RPC client over HTTP for the light client. Raw JSON rather than
 * @cosmjs/tendermint-rpc's parsed types: hashing needs every field exactly as the chain has it (nanosecond
 * times, empty hashes), and the same decoder then serves the recorded fixtures. Transport failures are
 * `rpc-unavailable`; asking for a height the node does not have yet is `not-final`.
 */
import { ProofError } from '../types.js';
import type { ProofOp } from './ics23/verify.js';
import type { LightBlock, SignedHeader, Validator } from './lightBlock.js';
import { base64Bytes, integer, parseSignedHeader, parseValidators } from './rpcJson.js';

/** CometBFT's maximum `per_page` for /validators. */
const VALIDATORS_PAGE = 100;

export interface AbciQueryResult {
  code: number;
  log: string;
  height: bigint;
  key: Uint8Array;
  value: Uint8Array;
  proofOps: ProofOp[];
}

export class CometRpc {
  private id = 0;

  constructor(
    readonly url: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async call(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    let body: { result?: Record<string, unknown>; error?: { code?: number; message?: string; data?: string } };
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++this.id, method, params }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = (await res.json()) as typeof body;
    } catch (e) {
      throw new ProofError('rpc-unavailable', `${method} at ${this.url}: ${(e as Error).message}`);
    }
    if (body.error) {
      const text = `${body.error.message ?? ''} ${body.error.data ?? ''}`.trim();
      // "height 12 must be less than or equal to the current blockchain height 11"
      if (/must be less than or equal to the current blockchain height|could not find .* for height/.test(text))
        throw new ProofError('not-final', `${method}: ${text}`);
      throw new ProofError('rpc-unavailable', `${method}: ${text}`);
    }
    if (!body.result || typeof body.result !== 'object')
      throw new ProofError('rpc-unavailable', `${method} returned no result`);
    return body.result;
  }

  /** Latest height and the chain id the node serves. */
  async status(): Promise<{ chainId: string; latestHeight: bigint }> {
    const r = await this.call('status', {});
    const nodeInfo = r.node_info as { network?: string } | undefined;
    const sync = r.sync_info as { latest_block_height?: string } | undefined;
    return {
      chainId: String(nodeInfo?.network ?? ''),
      latestHeight: integer(sync?.latest_block_height, 'status.latest_block_height'),
    };
  }

  /** Header and commit at `height` (latest when undefined). */
  async signedHeader(height?: bigint): Promise<SignedHeader> {
    const r = await this.call('commit', height === undefined ? {} : { height: height.toString() });
    const signed = parseSignedHeader(r.signed_header);
    if (height !== undefined && signed.header.height !== height)
      throw new ProofError('bad-header', `asked for header ${height}, the node sent ${signed.header.height}`);
    return signed;
  }

  /** The full validator set at `height`, all pages, in the chain's order. */
  async validators(height: bigint): Promise<Validator[]> {
    const out: Validator[] = [];
    for (let page = 1; ; page++) {
      const r = await this.call('validators', {
        height: height.toString(),
        page: String(page),
        per_page: String(VALIDATORS_PAGE),
      });
      const total = Number(integer(r.total, 'validators.total'));
      const batch = parseValidators(r.validators, `validators(${height})`);
      out.push(...batch);
      if (out.length >= total || batch.length === 0) {
        if (out.length !== total)
          throw new ProofError('malformed-input', `validators(${height}): ${out.length} listed, total says ${total}`);
        return out;
      }
    }
  }

  async lightBlock(height: bigint): Promise<LightBlock> {
    const [signedHeader, validators] = await Promise.all([this.signedHeader(height), this.validators(height)]);
    return { signedHeader, validators };
  }

  async abciQuery(path: string, data: Uint8Array, height: bigint, prove: boolean): Promise<AbciQueryResult> {
    const r = await this.call('abci_query', {
      path,
      data: Buffer.from(data).toString('hex'),
      height: height.toString(),
      prove,
    });
    const res = (r.response ?? {}) as Record<string, unknown>;
    const ops = ((res.proofOps as { ops?: unknown[] } | null)?.ops ?? []) as Record<string, unknown>[];
    return {
      code: Number(res.code ?? 0),
      log: String(res.log ?? ''),
      height: integer(res.height ?? '0', 'abci_query.height'),
      key: base64Bytes(res.key, 'abci_query.key'),
      value: base64Bytes(res.value, 'abci_query.value'),
      proofOps: ops.map((op, i) => ({
        type: String(op.type),
        key: base64Bytes(op.key, `abci_query.proofOps[${i}].key`),
        data: base64Bytes(op.data, `abci_query.proofOps[${i}].data`),
      })),
    };
  }
}
