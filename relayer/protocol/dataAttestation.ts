import { ByteReader, type ByteWriter, type Hex, ZERO32 } from './bytes.js';
import { InvalidFieldError, PayloadLengthError, UnknownActionError } from './errors.js';
import { MessageKind } from './kinds.js';
import { utf8DecodeStrict, utf8Encode } from './strings.js';

export const AttestationAction = { Register: 1, Revoke: 2 } as const;
export type AttestationActionName = keyof typeof AttestationAction;

/** Limits on the variable fields, in UTF-8 bytes (every chain enforces the same). */
export const MAX_DID_LENGTH = 256;
export const MAX_URI_LENGTH = 2048;
export const MAX_LICENSE_LENGTH = 256;

/** Data attestation payload: a data owner (DID) registers or revokes a data hash. */
export interface DataAttestation {
  action: AttestationActionName;
  dataHash: Hex;
  /** Unix seconds at the origin chain when the attestation was made. */
  timestamp: bigint;
  ownerDid: string;
  /** Empty for Revoke. */
  uri: string;
  /** Empty for Revoke. */
  license: string;
}

const FIXED_PREFIX = 1 + 32 + 8;

export function encodeDataAttestation(w: ByteWriter, p: DataAttestation): void {
  w.u8(AttestationAction[p.action], 'action')
    .fixed(p.dataHash, 32, 'dataHash')
    .u64(p.timestamp, 'timestamp')
    .lengthPrefixed(utf8Encode(p.ownerDid), MAX_DID_LENGTH, 'ownerDid')
    .lengthPrefixed(utf8Encode(p.uri), MAX_URI_LENGTH, 'uri')
    .lengthPrefixed(utf8Encode(p.license), MAX_LICENSE_LENGTH, 'license');
}

function lengthError(payload: Uint8Array): PayloadLengthError {
  return new PayloadLengthError(MessageKind.DataAttestation, payload.length, 'the sum of its length prefixes');
}

function readString(r: ByteReader, payload: Uint8Array, field: string, max: number): string {
  if (r.remaining < 2) throw lengthError(payload);
  const length = r.u16();
  if (r.remaining < length) throw lengthError(payload);
  if (length > max) throw new InvalidFieldError(field, `${length} bytes, at most ${max}`);
  const text = utf8DecodeStrict(r.take(length));
  if (text === undefined) throw new InvalidFieldError(field, 'not valid UTF-8');
  return text;
}

export function decodeDataAttestation(payload: Uint8Array): DataAttestation {
  if (payload.length < FIXED_PREFIX) throw lengthError(payload);
  const r = new ByteReader(payload);
  const code = r.u8();
  const action = (Object.keys(AttestationAction) as AttestationActionName[]).find((k) => AttestationAction[k] === code);
  if (!action) throw new UnknownActionError(MessageKind.DataAttestation, code);
  const dataHash = r.hex(32);
  const timestamp = r.u64();
  const ownerDid = readString(r, payload, 'ownerDid', MAX_DID_LENGTH);
  const uri = readString(r, payload, 'uri', MAX_URI_LENGTH);
  const license = readString(r, payload, 'license', MAX_LICENSE_LENGTH);
  if (r.remaining !== 0) throw lengthError(payload);
  if (dataHash === ZERO32) throw new InvalidFieldError('dataHash', 'zero');
  if (ownerDid.length === 0) throw new InvalidFieldError('ownerDid', 'empty');
  // a revocation carries neither: the field named is the first non-empty one, uri before license
  if (action === 'Revoke' && uri.length > 0) throw new InvalidFieldError('uri', 'a revocation carries no uri');
  if (action === 'Revoke' && license.length > 0)
    throw new InvalidFieldError('license', 'a revocation carries no license');
  return { action, dataHash, timestamp, ownerDid, uri, license };
}
