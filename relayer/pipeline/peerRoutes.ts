/**
 * The pipeline's peer routes (what the other operators tell this node): a signed batch, a delivery, and the
 * operator's own approval of a governance message. Each believes the chain or the group signature, not the
 * peer's word.
 */
import { type Hex, hexToBytes, zeroHash } from 'viem';
import { ApiError } from '../api/http.js';
import type { ChainAdapter } from '../chains/adapter.js';
import { batchRefs } from '../chains/consumed.js';
import { approveGovernance, deliveredBatch, type PeerRouteLimits, signedBatch } from '../peer/protocol.js';
import { type PeerRoute, servePeerRoute } from '../peer/routes.js';
import { messageId } from '../protocol/digest.js';
import { decodeMessage } from '../protocol/message.js';
import { checkBatch } from './batchCheck.js';
import type { PipelineContext } from './context.js';
import type { MessageRecord } from './store.js';
import { markDelivered, markVerified, recordSignedBatch } from './transitions.js';

export interface PipelinePeerRouteOptions {
  limits: PeerRouteLimits;
  /** Throws ApiError when this operator may not approve a rotation to that key (see the node). */
  checkRotation: (newEpoch: number, newGroupKey: Hex) => void;
}

export function pipelinePeerRoutes(ctx: PipelineContext, opts: PipelinePeerRouteOptions): PeerRoute[] {
  const { store, adapters } = ctx;
  return [
    servePeerRoute(signedBatch, opts.limits, async (body, peer) => {
      if (body.coordinator !== peer)
        throw new ApiError(400, `operator ${peer} reports a batch coordinated by ${body.coordinator}`);
      if (!adapters.has(body.destinationChain)) throw new ApiError(400, `no route to chain ${body.destinationChain}`);
      try {
        checkBatch(ctx, body);
      } catch (e) {
        throw new ApiError(400, (e as Error).message);
      }
      await recordSignedBatch(ctx, body, false);
      return { ok: true };
    }),
    servePeerRoute(approveGovernance, opts.limits, async (body, peer) => {
      if (peer !== ctx.operatorId)
        throw new ApiError(400, `operator ${peer} may not approve governance on operator ${ctx.operatorId}'s node`);
      const m = (() => {
        try {
          return decodeMessage(hexToBytes(body.message));
        } catch (e) {
          throw new ApiError(400, `not a valid message: ${(e as Error).message}`);
        }
      })();
      if (m.kind !== 'Governance') throw new ApiError(400, `a ${m.kind} message is not governance`);
      const chain = adapters.get(m.destinationChain);
      if (!chain) throw new ApiError(400, `no route to chain ${m.destinationChain}`);
      if (m.recipient.toLowerCase() !== chain.bridgeAccount.toLowerCase())
        throw new ApiError(400, `recipient is not the bridge on ${chain.name}`);
      if (m.payload.action === 'RotateKey') opts.checkRotation(m.payload.newEpoch, m.payload.newGroupKey);
      const id = messageId(hexToBytes(body.message));
      await store.observe({
        messageId: id,
        message: body.message,
        sourceChain: 0,
        destinationChain: m.destinationChain,
        nonce: m.nonce,
        sourceTx: zeroHash,
        sourceBlock: 0n,
      });
      const record = await store.get(id);
      // the operator's own approval is this node's verification of a governance message
      if (record?.stage === 'observed') await markVerified(ctx, [record as MessageRecord]);
      ctx.log('governance.approved', { id, destinationChain: m.destinationChain, action: m.payload.action });
      return { id };
    }),
    servePeerRoute(deliveredBatch, opts.limits, async (body) => {
      const batch = await store.getBatch(body.root);
      if (!batch) throw new ApiError(400, `unknown batch ${body.root}`);
      const chain = adapters.get(batch.destinationChain) as ChainAdapter;
      // believe the chain's final state, not the peer (nor the chain's head, which a reorg may undo); the
      // tx the records show must at least be one the destination included
      const [done, state] = await Promise.all([chain.deliveredFinal(batchRefs(batch)), chain.deliveryState(body.tx)]);
      if (state.state !== 'included') throw new ApiError(400, 'the destination has not included that transaction');
      if (!done.every(Boolean)) {
        // this node's view of the final block may trail the sender's by a block: if the chain's head
        // already has them consumed, keep the tx on the records (the API shows it; the deliver/confirm
        // stages mark them delivered once final, with it)
        const atHead = await Promise.all(batchRefs(batch).map((r) => chain.isDelivered(r)));
        if (!atHead.every(Boolean)) throw new ApiError(400, 'the destination has not consumed these messages');
        // only records still waiting for a delivery take the peer's tx: not one this node submitted itself, and
        // never a rejected, parked or delivered one (a peer's word does not move those)
        const records = await store.getMany(batch.ids);
        for (const r of records)
          if (r && (r.stage === 'observed' || r.stage === 'verified' || r.stage === 'signed'))
            await store.advance(r.id, 'submitted', { deliveryTx: body.tx });
        return { ok: true, final: false };
      }
      // the destination names the delivering transaction (markDelivered looks it up), not the peer
      await markDelivered(ctx, batch);
      return { ok: true, final: true };
    }),
  ];
}
