import { describe, expect, it } from 'vitest';
import { HEADER_NONCE, HEADER_TIMESTAMP, PeerAuthError, PeerAuthenticator, signRequest } from './auth.js';
import { newIdentity, openFrom, SealedBoxError, sealFor } from './identity.js';

describe('peer request authentication', () => {
  const alice = { operatorId: 1, identity: newIdentity() };
  const bob = { operatorId: 2, identity: newIdentity() };
  const mallory = { operatorId: 3, identity: newIdentity() };
  const auth = () =>
    new PeerAuthenticator(
      new Map([
        [1, alice.identity.publicKey],
        [2, bob.identity.publicKey],
      ]),
    );

  it('accepts a signed request once, and names every reason to refuse', () => {
    const a = auth();
    const body = '{"x":1}';
    const headers = signRequest(alice, 'POST', '/peer/v1/sign/commit', body);
    expect(a.verify('POST', '/peer/v1/sign/commit', headers, body)).toBe(1);
    expect(() => a.verify('POST', '/peer/v1/sign/commit', headers, body)).toThrow(/replayed/);
    const fresh = signRequest(alice, 'POST', '/p', body);
    expect(() => a.verify('POST', '/p', fresh, '{"x":2}')).toThrow(/bad signature/);
    expect(() => a.verify('POST', '/q', signRequest(alice, 'POST', '/p', body), body)).toThrow(/bad signature/);
    expect(() => a.verify('POST', '/p', signRequest(mallory, 'POST', '/p', body), body)).toThrow(
      /not in the relayer set/,
    );
    const forged = { ...signRequest(mallory, 'POST', '/p', body), 'x-sah-peer': '2' };
    expect(() => a.verify('POST', '/p', forged, body)).toThrow(/bad signature from operator 2/);
    const stale = { ...signRequest(alice, 'POST', '/p', body), [HEADER_TIMESTAMP]: String(Date.now() - 60_000) };
    expect(() => a.verify('POST', '/p', stale, body)).toThrow(/replay window/);
    const badNonce = { ...signRequest(alice, 'POST', '/p', body), [HEADER_NONCE]: 'zz' };
    expect(() => a.verify('POST', '/p', badNonce, body)).toThrow(PeerAuthError);
    expect(() => a.verify('POST', '/p', {}, body)).toThrow(/missing header/);
  });

  it('seals DKG shares for one recipient only', () => {
    const box = sealFor(alice.identity, bob.identity.publicKey, new TextEncoder().encode('share'));
    expect(new TextDecoder().decode(openFrom(bob.identity, alice.identity.publicKey, box))).toBe('share');
    expect(() => openFrom(mallory.identity, alice.identity.publicKey, box)).toThrow(SealedBoxError);
    expect(() => openFrom(bob.identity, mallory.identity.publicKey, box)).toThrow(SealedBoxError);
  });
});
