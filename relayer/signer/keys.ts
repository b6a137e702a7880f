/** The FROST key share an operator holds for one epoch, and its JSON form in the keystore. */
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import type { FrostKey } from '../protocol/frost.js';
import { type GroupKey, parseGroupKey } from '../protocol/groupKey.js';

export interface SerializedKey {
  threshold: number;
  signers: number;
  commitments: Hex[];
  verifyingShares: Record<string, Hex>;
  identifier: string;
  signingShare: Hex;
}

export interface SigningKey {
  epoch: number;
  key: FrostKey;
  groupKey: GroupKey;
}

export function serializeKey(key: FrostKey): SerializedKey {
  return {
    threshold: key.public.signers.min,
    signers: key.public.signers.max,
    commitments: key.public.commitments.map((c) => bytesToHex(c as Uint8Array)),
    verifyingShares: Object.fromEntries(
      Object.entries(key.public.verifyingShares).map(([id, v]) => [id, bytesToHex(v as Uint8Array)]),
    ),
    identifier: key.secret.identifier,
    signingShare: bytesToHex(key.secret.signingShare as Uint8Array),
  };
}

export function deserializeKey(epoch: number, s: SerializedKey): SigningKey {
  const key = {
    public: {
      signers: { min: s.threshold, max: s.signers },
      commitments: s.commitments.map((c) => hexToBytes(c)),
      verifyingShares: Object.fromEntries(Object.entries(s.verifyingShares).map(([id, v]) => [id, hexToBytes(v)])),
    },
    secret: { identifier: s.identifier, signingShare: hexToBytes(s.signingShare) },
  } as unknown as FrostKey;
  return { epoch, key, groupKey: parseGroupKey(s.commitments[0] as Hex) };
}
