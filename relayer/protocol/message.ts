import { ByteReader, ByteWriter, type Hex, ZERO32 } from './bytes.js';
import { ChainId } from './chains.js';
import { type ComputeJob, decodeComputeJob, encodeComputeJob } from './computeJob.js';
import { type ComputeResult, decodeComputeResult, encodeComputeResult } from './computeResult.js';
import { type DataAttestation, decodeDataAttestation, encodeDataAttestation } from './dataAttestation.js';
import {
  InvalidChainRouteError,
  InvalidFieldError,
  MessageTooShortError,
  UnknownKindError,
  UnsupportedVersionError,
} from './errors.js';
import { decodeGovernance, encodeGovernance, type Governance } from './governance.js';
import { HEADER_LENGTH, MessageKind, PROTOCOL_VERSION } from './kinds.js';
import { decodeTokenTransfer, encodeTokenTransfer, type TokenTransfer } from './tokenTransfer.js';

/** Fields every message carries, in the order of the 82-byte header (docs/PROTOCOL.md). */
export interface MessageHeader {
  sourceChain: number;
  destinationChain: number;
  nonce: bigint;
  /** 32-byte account that caused the message on the source chain (zero for governance). */
  sender: Hex;
  /** 32-byte account or contract the message is for on the destination chain. */
  recipient: Hex;
}

export type Message = MessageHeader &
  (
    | { kind: 'TokenTransfer'; payload: TokenTransfer }
    | { kind: 'DataAttestation'; payload: DataAttestation }
    | { kind: 'ComputeJob'; payload: ComputeJob }
    | { kind: 'ComputeResult'; payload: ComputeResult }
    | { kind: 'Governance'; payload: Governance }
  );

export type MessageOfKind<K extends Message['kind']> = Extract<Message, { kind: K }>;

/** Header-level rules shared by every chain's decoder. */
function checkRoute(kind: Message['kind'], sourceChain: number, destinationChain: number): void {
  if (destinationChain === ChainId.Governance)
    throw new InvalidChainRouteError(sourceChain, destinationChain, 'destination is the governance pseudo-chain 0');
  if (sourceChain === destinationChain)
    throw new InvalidChainRouteError(sourceChain, destinationChain, 'source and destination are the same chain');
  if ((kind === 'Governance') !== (sourceChain === ChainId.Governance))
    throw new InvalidChainRouteError(
      sourceChain,
      destinationChain,
      'governance messages, and only they, come from chain 0',
    );
}

export function encodeMessage(message: Message): Uint8Array {
  checkRoute(message.kind, message.sourceChain, message.destinationChain);
  const w = new ByteWriter()
    .u8(PROTOCOL_VERSION, 'version')
    .u8(MessageKind[message.kind], 'kind')
    .u32(message.sourceChain, 'sourceChain')
    .u32(message.destinationChain, 'destinationChain')
    .u64(message.nonce, 'nonce')
    .fixed(message.sender, 32, 'sender')
    .fixed(message.recipient, 32, 'recipient');
  switch (message.kind) {
    case 'TokenTransfer':
      encodeTokenTransfer(w, message.payload);
      break;
    case 'DataAttestation':
      encodeDataAttestation(w, message.payload);
      break;
    case 'ComputeJob':
      encodeComputeJob(w, message.payload);
      break;
    case 'ComputeResult':
      encodeComputeResult(w, message.payload);
      break;
    case 'Governance':
      encodeGovernance(w, message.payload);
      break;
  }
  const bytes = w.bytes();
  // Encoding must be canonical: what we emit, we must also accept.
  decodeMessage(bytes);
  return bytes;
}

/** Strict decoding: every byte is accounted for, every malformation raises a named ProtocolError. */
export function decodeMessage(bytes: Uint8Array): Message {
  if (bytes.length < HEADER_LENGTH) throw new MessageTooShortError(bytes.length);
  const r = new ByteReader(bytes);
  const version = r.u8();
  if (version !== PROTOCOL_VERSION) throw new UnsupportedVersionError(version);
  const kindCode = r.u8();
  const kind = (Object.keys(MessageKind) as Message['kind'][]).find((k) => MessageKind[k] === kindCode);
  if (!kind) throw new UnknownKindError(kindCode);
  const header: MessageHeader = {
    sourceChain: r.u32(),
    destinationChain: r.u32(),
    nonce: r.u64(),
    sender: r.hex(32),
    recipient: r.hex(32),
  };
  checkRoute(kind, header.sourceChain, header.destinationChain);
  const payload = r.take(r.remaining);
  switch (kind) {
    case 'TokenTransfer': {
      const transfer = decodeTokenTransfer(payload);
      // §3.1: the header's recipient is checked last, after the payload's own checks
      if (header.recipient === ZERO32) throw new InvalidFieldError('recipient', 'zero');
      return { ...header, kind, payload: transfer };
    }
    case 'DataAttestation':
      return { ...header, kind, payload: decodeDataAttestation(payload) };
    case 'ComputeJob':
      return { ...header, kind, payload: decodeComputeJob(payload) };
    case 'ComputeResult':
      return { ...header, kind, payload: decodeComputeResult(payload) };
    case 'Governance':
      return { ...header, kind, payload: decodeGovernance(payload) };
  }
}
