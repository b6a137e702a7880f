import { describe, expect, it } from 'vitest';
import { cosmosOwnerDid, evmOwnerDid, substrateOwnerDid } from './did.js';
import { InvalidFieldError } from './errors.js';

describe('owner DIDs (PROTOCOL §7.1)', () => {
  it('EVM: chain id in decimal, address lowercased whatever its checksum', () => {
    expect(evmOwnerDid(31001, '0x70997970C51812dc3A010C7d01b50e0d17dc79C8')).toBe(
      'did:pkh:eip155:31001:0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
    );
    expect(() => evmOwnerDid(1, '0x1234')).toThrow(InvalidFieldError);
  });

  it('Cosmos: chain id and bech32 as they are', () => {
    const addr = 'wasm1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du';
    expect(cosmosOwnerDid('sah-devnet-1', addr)).toBe(`did:pkh:cosmos:sah-devnet-1:${addr}`);
    expect(() => cosmosOwnerDid('sah-devnet-1', '0xabc')).toThrow(/not a bech32 account/);
  });

  it("Polkadot: CAIP-2 reference = the genesis hash's first 16 bytes; Alice in SS58 prefix 42", () => {
    const alice = '0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d';
    const genesis = '0x91b171bb158e2d3848fa23a9f1c25182fb8e20313b2c1eb49219da7a70ce90c3';
    expect(substrateOwnerDid(genesis, alice, 42)).toBe(
      'did:pkh:polkadot:91b171bb158e2d3848fa23a9f1c25182:5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
    );
    expect(() => substrateOwnerDid('0x12', alice, 42)).toThrow(/genesis hash is not 32 bytes/);
  });
});
