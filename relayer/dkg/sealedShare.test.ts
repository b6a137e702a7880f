import { randomBytes } from 'node:crypto';
import { bytesToHex, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { newIdentity } from '../peer/identity.js';
import {
  openRevealed,
  openShare,
  revealShareKey,
  SealedShareError,
  ShareKeyRevealError,
  sealShare,
} from './sealedShare.js';

const ctx = { session: '7-0', sender: 1, recipient: 2 };

describe('sealed DKG shares', () => {
  const recipient = newIdentity();
  const plain = randomBytes(32);
  const sealed = sealShare(ctx, recipient.publicKey, plain);

  it('opens for the recipient only, and only in its own session and pair', () => {
    expect(Buffer.from(openShare(ctx, recipient, sealed))).toEqual(plain);
    expect(() => openShare(ctx, newIdentity(), sealed)).toThrow(SealedShareError);
    for (const other of [
      { ...ctx, session: '7-1' },
      { ...ctx, sender: 3 },
      { ...ctx, recipient: 3 },
    ])
      expect(() => openShare(other, recipient, sealed)).toThrow(SealedShareError);
  });

  it('a reveal opens that one box for anyone; every altered byte of the proof or key is the revealer’s lie', () => {
    const reveal = revealShareKey(ctx, recipient, sealed);
    expect(Buffer.from(openRevealed(ctx, recipient.publicKey, sealed, reveal))).toEqual(plain);
    // another box of the same pair and session does not open with this reveal (fresh ephemeral key)
    const second = sealShare(ctx, recipient.publicKey, plain);
    expect(() => openRevealed(ctx, recipient.publicKey, second, reveal)).toThrow();
    const flip = (h: Hex, i: number): Hex => {
      const b = Buffer.from(h.slice(2), 'hex');
      b[i >> 3] = (b[i >> 3] as number) ^ (1 << (i & 7));
      return bytesToHex(b);
    };
    for (const field of ['sharedPoint', 'challenge', 'response'] as const)
      for (let i = 0; i < 256; i += 7) {
        const bad = { ...reveal, [field]: flip(reveal[field], i) };
        expect(() => openRevealed(ctx, recipient.publicKey, sealed, bad), `${field} bit ${i}`).toThrow(
          ShareKeyRevealError,
        );
      }
    // a reveal by someone else (their own key, an honest proof of a different statement) is refused
    const impostor = newIdentity();
    const forged = revealShareKey(ctx, impostor, sealed);
    expect(() => openRevealed(ctx, recipient.publicKey, sealed, forged)).toThrow(ShareKeyRevealError);
  });

  it('a box with a small-order ephemeral key is refused as the sender’s fault', () => {
    const smallOrder = `0x${'00'.repeat(31)}80` as Hex; // y = 0: a point of order 4
    expect(() => openShare(ctx, recipient, { ...sealed, ephemeral: smallOrder })).toThrow(/prime-order group/);
  });
});
