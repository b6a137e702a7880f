/** Small valid protocol messages for unit tests that need one and do not care which. */
import type { Hex } from 'viem';
import { ChainId } from '../../relayer/protocol/chains.js';
import type { Message } from '../../relayer/protocol/message.js';

/** 32 bytes of one repeated byte, e.g. h('ab'). */
export const h = (byte: string) => `0x${byte.repeat(32)}` as Hex;

/** A data attestation (Register) from ethereum-a to ethereum-b with the given nonce. */
export function sampleAttestation(nonce: bigint): Message {
  return {
    kind: 'DataAttestation',
    sourceChain: ChainId.DevEthereumA,
    destinationChain: ChainId.DevEthereumB,
    nonce,
    sender: h('0a'),
    recipient: h('00'),
    payload: {
      action: 'Register',
      dataHash: h('d1'),
      timestamp: 100n,
      ownerDid: 'did:pkh:eip155:31001:0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
      uri: 'ipfs://data',
      license: 'CC-BY-4.0',
    },
  };
}
