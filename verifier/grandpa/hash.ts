import { blake2b } from '@noble/hashes/blake2.js';

/** blake2b-256: Substrate's block hash and trie hasher. */
export const blake2_256 = (data: Uint8Array): Uint8Array => blake2b(data, { dkLen: 32 });
