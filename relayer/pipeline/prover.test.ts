import { bytesToHex, type Hex, hexToBytes } from 'viem';
import { describe, expect, it } from 'vitest';
import { h, sampleAttestation } from '../../test/helpers/sampleMessages.js';
import { EthereumSourceVerifier } from '../../verifier/ethereum/sourceVerifier.js';
import { observedMessage } from '../chains/adapter.js';
import { ChainId } from '../protocol/chains.js';
import { messageId } from '../protocol/digest.js';
import { encodeMessage } from '../protocol/message.js';
import { describeVerdict, judgeOutbound, NotYetProvedError } from './prover.js';

const A = ChainId.DevEthereumA;
const B = ChainId.DevEthereumB;
const attestation = sampleAttestation(7n);

/**
 * The message checks run before the chain is asked. The verifier here is a real one whose RPC is a closed
 * port: whatever reaches it comes back `not-yet` (rpc-unavailable), so a `refused` verdict shows the check
 * happened first and the chain was never needed to refuse.
 */
describe('judgeOutbound: one verdict per message', () => {
  const unreachable = new EthereumSourceVerifier({
    protocolChainId: A,
    rpc: 'http://127.0.0.1:9',
    bridge: '0x00000000000000000000000000000000000000b1',
    mode: 'confirmations',
    confirmations: 0,
  });
  const m = observedMessage(bytesToHex(encodeMessage(attestation)), h('5e'), 40n);

  it('asks the chain only about a message whose bytes say what it was observed as; an RPC failure is not-yet', async () => {
    const verdict = await judgeOutbound(unreachable, m, 5_000);
    expect(verdict).toMatchObject({ kind: 'not-yet', reason: 'rpc-unavailable' });
    // a retry names the reason
    const err = new NotYetProvedError([verdict as Extract<typeof verdict, { kind: 'not-yet' }>]);
    expect(err.message).toMatch(/^1 message\(s\) not proved yet \(rpc-unavailable: /);
  });

  it('refuses, without asking the chain, bytes that do not hash to the id or disagree with the observation', async () => {
    const cases: [string, Parameters<typeof judgeOutbound>[1]][] = [
      ['another id', { ...m, messageId: h('ab') }],
      ['another nonce', { ...m, nonce: 8n }],
      ['another source', { ...m, sourceChain: B }],
      ['another destination', { ...m, destinationChain: ChainId.DevEthereumA }],
      ['bytes that do not decode', { ...m, message: '0x01', messageId: observedIdOf('0x01') }],
      ['not hex', { ...m, message: '0xzz' as Hex }],
    ];
    for (const [what, claim] of cases) {
      const verdict = await judgeOutbound(unreachable, claim, 5_000);
      expect(verdict.kind, what).toBe('refused');
      expect(verdict.kind === 'refused' && verdict.reason, what).toBe('malformed-input');
    }
    const v = await judgeOutbound(unreachable, { ...m, nonce: 8n }, 5_000);
    expect(v.kind !== 'proved' && describeVerdict(v)).toBe(
      `malformed-input: message says ${A} -> ${B} nonce 7, observed as ${A} -> ${B} nonce 8`,
    );
  });

  it('a node with no verifier for the source chain refuses', async () => {
    expect(await judgeOutbound(undefined, m, 5_000)).toMatchObject({ kind: 'refused', reason: 'wrong-chain' });
  });
});

/** The id of arbitrary bytes, as a forger would compute it, so only the decoding refuses them. */
function observedIdOf(message: Hex): Hex {
  return messageId(hexToBytes(message));
}
