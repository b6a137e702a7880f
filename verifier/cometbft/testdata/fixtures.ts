/**
 * Chain data for the CometBFT verifier tests. Two homes (see README.md):
 *  - `readJson`: what this project recorded from its own devnet, in this folder (`./wasmd-devnet/...`);
 *  - `sharedCometbftJson`, `mochaBlock`: data recorded by others (Celestia mocha-4, tendermint-rs,
 *    CometBFT's vectors), read from ../shared/fixtures/cometbft/ beside the project, never copied here.
 */
import { readFileSync } from 'node:fs';
import { readSharedJson } from '../../testing/sharedFixtures.js';
import type { LightBlock } from '../lightBlock.js';
import { parseSignedHeader, parseValidators } from '../rpcJson.js';

/** A JSON file of this folder (the project's own recordings); paths are relative to this folder. */
export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as T;
}

/** A JSON file of ../shared/fixtures/cometbft/ (e.g. `tendermint-rs-kvstore/status.json`). */
export const sharedCometbftJson = <T = unknown>(path: string): T => readSharedJson<T>(`cometbft/${path}`);

interface SignedBlockJson {
  result: { header: unknown; commit: unknown; validator_set: { validators: unknown } };
}

/** Heights recorded from Celestia's mocha-4 testnet. */
export const MOCHA_HEIGHTS = [10000, 10001, 10500, 10501, 11000, 11001, 157000, 157001] as const;
export const MOCHA_CHAIN_ID = 'mocha-4';

/** A fresh decoded copy each call: tests mutate what they get. */
export function mochaBlock(height: (typeof MOCHA_HEIGHTS)[number]): LightBlock {
  const { result } = sharedCometbftJson<SignedBlockJson>(`celestia-mocha-4/signed_block_${height}.json`);
  return {
    signedHeader: parseSignedHeader(result),
    validators: parseValidators(result.validator_set.validators),
  };
}
