/**
 * `grandpa_proveFinality` answers (sc_consensus_grandpa::FinalityProof): the justification for a block
 * at or above the one asked for, and the headers after the asked-for block up to it. A node answers
 * with the last block of the authority set the asked-for block is in when that set has ended, so a
 * light client walking forward meets every set change.
 */
import { concatBytes } from '../bytes.js';
import { encodeHeader, type Header, readHeader } from './header.js';
import { encodeBytesVec, encodeCompact, ScaleReader } from './scale.js';

export interface FinalityProof {
  /** Hash of the block the justification finalizes. */
  block: Uint8Array;
  /** Encoded GrandpaJustification. */
  justification: Uint8Array;
  unknownHeaders: Header[];
}

export function decodeFinalityProof(bytes: Uint8Array): FinalityProof {
  const r = new ScaleReader(bytes, 'finality proof');
  const block = r.take(32).slice();
  const justification = r.bytesVec().slice();
  const n = r.length(98);
  const unknownHeaders: Header[] = [];
  for (let i = 0; i < n; i++) unknownHeaders.push(readHeader(r));
  r.end();
  return { block, justification, unknownHeaders };
}

export function encodeFinalityProof(p: FinalityProof): Uint8Array {
  return concatBytes(
    p.block,
    encodeBytesVec(p.justification),
    encodeCompact(p.unknownHeaders.length),
    ...p.unknownHeaders.map(encodeHeader),
  );
}
