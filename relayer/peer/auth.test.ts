import { describe, expect, it } from 'vitest';
import {
  HEADER_NONCE,
  HEADER_TIMESTAMP,
  PeerAuthError,
  PeerAuthenticator,
  responseSignatureValid,
  signRequest,
  signResponse,
} from './auth.js';
import { newIdentity } from './identity.js';

describe('peer request authentication', () => {
  const alice = { operatorId: 1, identity: newIdentity() };
  const bob = { operatorId: 2, identity: newIdentity() };
  const mallory = { operatorId: 3, identity: newIdentity() };
  const keys = new Map([
    [1, alice.identity.publicKey],
    [2, bob.identity.publicKey],
  ]);
  /** Bob's authenticator. */
  const auth = (opts = {}) => new PeerAuthenticator(2, keys, opts);

  it('accepts a signed request once, and names every reason to refuse', () => {
    const a = auth({ notBefore: Date.now() - 1000 });
    const body = '{"x":1}';
    const headers = signRequest(alice, 2, 'POST', '/peer/v1/sign/commit', body);
    expect(a.verify('POST', '/peer/v1/sign/commit', headers, body)).toBe(1);
    expect(() => a.verify('POST', '/peer/v1/sign/commit', headers, body)).toThrow(/replayed/);
    const fresh = signRequest(alice, 2, 'POST', '/p', body);
    expect(() => a.verify('POST', '/p', fresh, '{"x":2}')).toThrow(/body does not match/);
    expect(() => a.verify('POST', '/q', signRequest(alice, 2, 'POST', '/p', body), body)).toThrow(/bad signature/);
    expect(() => a.verify('POST', '/p', signRequest(mallory, 2, 'POST', '/p', body), body)).toThrow(
      /not in the relayer set/,
    );
    const forged = { ...signRequest(mallory, 2, 'POST', '/p', body), 'x-sah-peer': '1' };
    expect(() => a.verify('POST', '/p', forged, body)).toThrow(/bad signature from operator 1/);
    const stale = { ...signRequest(alice, 2, 'POST', '/p', body), [HEADER_TIMESTAMP]: String(Date.now() - 60_000) };
    expect(() => a.verify('POST', '/p', stale, body)).toThrow(/replay window/);
    const badNonce = { ...signRequest(alice, 2, 'POST', '/p', body), [HEADER_NONCE]: 'zz' };
    expect(() => a.verify('POST', '/p', badNonce, body)).toThrow(PeerAuthError);
    expect(() => a.verify('POST', '/p', {}, body)).toThrow(/missing header/);
  });

  it('a request captured on its way to one operator is refused by another (recipient bound)', () => {
    const body = '{"x":1}';
    const toCarol = signRequest(alice, 3, 'POST', '/p', body);
    expect(() => auth({ notBefore: 0 }).verify('POST', '/p', toCarol, body)).toThrow(/addressed to operator 3/);
    // rewriting the recipient header breaks the signature
    expect(() => auth({ notBefore: 0 }).verify('POST', '/p', { ...toCarol, 'x-sah-to': '2' }, body)).toThrow(
      /bad signature/,
    );
  });

  it('a request replayed to the same operator after a restart is refused (signed before it started)', () => {
    const body = '{"x":1}';
    const before = signRequest(alice, 2, 'POST', '/p', body);
    const restarted = auth({ notBefore: Number(before[HEADER_TIMESTAMP]) + 1 });
    expect(() => restarted.verify('POST', '/p', before, body)).toThrow(/before this node started/);
    // a fresh request after the restart passes
    const after = { ...signRequest(alice, 2, 'POST', '/p', body) };
    const later = auth({ notBefore: Number(after[HEADER_TIMESTAMP]) });
    expect(later.verify('POST', '/p', after, body)).toBe(1);
  });

  it('answers are signed for the requester and its nonce; a forged or moved answer fails', () => {
    const sig = signResponse(bob, 1, 'ab'.repeat(16), 200, '"0x12"');
    const ok = (responder: number, requester: number, nonce: string, status: number, body: string, s = sig) =>
      responseSignatureValid(bob.identity.publicKey, responder, requester, nonce, status, body, s);
    expect(ok(2, 1, 'ab'.repeat(16), 200, '"0x12"')).toBe(true);
    expect(ok(2, 1, 'ab'.repeat(16), 409, '"0x12"')).toBe(false);
    expect(ok(2, 1, 'ab'.repeat(16), 200, '"0x13"')).toBe(false);
    expect(ok(2, 3, 'ab'.repeat(16), 200, '"0x12"')).toBe(false);
    expect(ok(2, 1, 'cd'.repeat(16), 200, '"0x12"')).toBe(false);
    expect(ok(2, 1, 'ab'.repeat(16), 200, '"0x12"', signResponse(mallory, 1, 'ab'.repeat(16), 200, '"0x12"'))).toBe(
      false,
    );
  });
});
