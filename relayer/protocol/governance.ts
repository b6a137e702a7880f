import { ByteReader, type ByteWriter, type Hex, ZERO32 } from './bytes.js';
import { InvalidFieldError, PayloadLengthError, UnknownActionError } from './errors.js';
import { parseGroupKey } from './groupKey.js';
import { MessageKind } from './kinds.js';

export const GovernanceAction = { RotateKey: 1, Pause: 2, Unpause: 3, SetRateLimit: 4, SetPauser: 5 } as const;

/**
 * Governance payloads. They are signed by the relayer set's current key, sent from the governance
 * pseudo-chain 0 to one bridge (the header's recipient), and applied in strictly increasing nonce order.
 */
export type Governance =
  | {
      action: 'RotateKey';
      newEpoch: number;
      /** SEC1 compressed, 33 bytes; x must be < n. */
      newGroupKey: Hex;
      /**
       * How long the outgoing key stays valid for messages it already signed. At most 30 days, but that
       * bound is the bridges' check (GracePeriodTooLong), not the decoder's: any u32 decodes.
       */
      graceSeconds: number;
    }
  | { action: 'Pause' }
  | { action: 'Unpause' }
  | {
      action: 'SetRateLimit';
      originChain: number;
      originToken: Hex;
      /** Inbound amount allowed per 24 h (token bucket). 0 removes the limit. */
      capacity: bigint;
    }
  | { action: 'SetPauser'; pauser: Hex };

export const GOVERNANCE_LENGTHS = { RotateKey: 42, Pause: 1, Unpause: 1, SetRateLimit: 53, SetPauser: 33 } as const;

export function encodeGovernance(w: ByteWriter, p: Governance): void {
  w.u8(GovernanceAction[p.action], 'action');
  switch (p.action) {
    case 'RotateKey':
      w.u32(p.newEpoch, 'newEpoch').fixed(p.newGroupKey, 33, 'newGroupKey').u32(p.graceSeconds, 'graceSeconds');
      break;
    case 'SetRateLimit':
      w.u32(p.originChain, 'originChain').fixed(p.originToken, 32, 'originToken').u128(p.capacity, 'capacity');
      break;
    case 'SetPauser':
      w.fixed(p.pauser, 32, 'pauser');
      break;
    case 'Pause':
    case 'Unpause':
      break;
  }
}

export function decodeGovernance(payload: Uint8Array): Governance {
  if (payload.length < 1) throw new PayloadLengthError(MessageKind.Governance, 0, 'at least 1');
  const r = new ByteReader(payload);
  const code = r.u8();
  const action = (Object.keys(GovernanceAction) as (keyof typeof GovernanceAction)[]).find(
    (k) => GovernanceAction[k] === code,
  );
  if (!action) throw new UnknownActionError(MessageKind.Governance, code);
  const expected = GOVERNANCE_LENGTHS[action];
  if (payload.length !== expected) throw new PayloadLengthError(MessageKind.Governance, payload.length, `${expected}`);
  switch (action) {
    case 'RotateKey': {
      const newEpoch = r.u32();
      const newGroupKey = r.hex(33);
      const graceSeconds = r.u32();
      if (newEpoch === 0) throw new InvalidFieldError('newEpoch', 'zero');
      parseGroupKey(newGroupKey);
      return { action, newEpoch, newGroupKey, graceSeconds };
    }
    case 'SetRateLimit': {
      const originChain = r.u32();
      const originToken = r.hex(32);
      const capacity = r.u128();
      if (originChain === 0) throw new InvalidFieldError('originChain', 'zero');
      if (originToken === ZERO32) throw new InvalidFieldError('originToken', 'zero');
      return { action, originChain, originToken, capacity };
    }
    case 'SetPauser':
      return { action, pauser: r.hex(32) };
    case 'Pause':
    case 'Unpause':
      return { action };
  }
}
