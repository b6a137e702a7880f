import { describe, expect, it } from 'vitest';
import { bech32ToBytes32, bytes32ToBech32, CosmosAddressError } from './account.js';

describe('CosmWasm 32-byte account form', () => {
  const account = 'wasm1ayrtf8wtgdr50rx9cwz4hg0wpvx96muzgafndw';
  const contract = 'wasm14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s0phg4d';

  it('pads a 20-byte account with 12 zero bytes and reads it back', () => {
    const form = bech32ToBytes32(account, 'wasm');
    expect(form.slice(2, 26)).toBe('0'.repeat(24));
    expect(bytes32ToBech32(form, 'wasm')).toBe(account);
  });

  it('keeps a 32-byte contract address as it is', () => {
    const form = bech32ToBytes32(contract);
    expect(form.slice(2, 26)).not.toBe('0'.repeat(24));
    expect(bytes32ToBech32(form, 'wasm')).toBe(contract);
  });

  it('refuses a wrong prefix, a bad checksum, the zero account and odd lengths by name', () => {
    expect(() => bech32ToBytes32(account, 'cosmos')).toThrow(CosmosAddressError);
    expect(() => bech32ToBytes32(`${account.slice(0, -1)}x`)).toThrow(/not a bech32 address/);
    expect(() => bytes32ToBech32(`0x${'00'.repeat(32)}`, 'wasm')).toThrow(/zero account/);
    expect(() => bytes32ToBech32('0x1234', 'wasm')).toThrow(/not a 32-byte/);
  });
});
