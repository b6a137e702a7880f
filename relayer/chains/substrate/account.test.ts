import { describe, expect, it } from 'vitest';
import { bytes32ToSs58, SubstrateAddressError, ss58ToBytes32 } from './account.js';

describe('Substrate 32-byte account form', () => {
  // //Alice (sr25519), a well-known dev account
  const alice = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
  const aliceKey = '0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d';

  it('is the AccountId32 itself, whatever the SS58 prefix', () => {
    expect(ss58ToBytes32(alice)).toBe(aliceKey);
    expect(bytes32ToSs58(aliceKey)).toBe(alice);
    expect(ss58ToBytes32(bytes32ToSs58(aliceKey, 0))).toBe(aliceKey);
  });

  it('refuses bad checksums, short forms and the zero account by name', () => {
    expect(() => ss58ToBytes32(`${alice.slice(0, -1)}Z`)).toThrow(SubstrateAddressError);
    expect(() => bytes32ToSs58('0x1234')).toThrow(/not a 32-byte/);
    expect(() => bytes32ToSs58(`0x${'00'.repeat(32)}`)).toThrow(/zero account/);
  });
});
