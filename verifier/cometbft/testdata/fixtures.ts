/** Loads the recorded chain data in this directory (see README.md for where each file comes from). */
import { readFileSync } from 'node:fs';
import type { LightBlock } from '../lightBlock.js';
import { parseSignedHeader, parseValidators } from '../rpcJson.js';

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as T;
}

interface SignedBlockJson {
  result: { header: unknown; commit: unknown; validator_set: { validators: unknown } };
}

/** Heights recorded from Celestia's mocha-4 testnet. */
export const MOCHA_HEIGHTS = [10000, 10001, 10500, 10501, 11000, 11001, 157000, 157001] as const;
export const MOCHA_CHAIN_ID = 'mocha-4';

/** A fresh decoded copy each call: tests mutate what they get. */
export function mochaBlock(height: (typeof MOCHA_HEIGHTS)[number]): LightBlock {
  const { result } = readJson<SignedBlockJson>(`./celestia-mocha-4/signed_block_${height}.json`);
  return {
    signedHeader: parseSignedHeader(result),
    validators: parseValidators(result.validator_set.validators),
  };
}
