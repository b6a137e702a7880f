/**
 * Real Ethereum mainnet data for the verifier tests and benchmarks, recorded by a16z/helios (MIT): read
 * from ../shared/fixtures/ethereum/helios-mainnet/ beside the project (see README.md), never copied here.
 * Paths are relative to that folder, e.g. `beacon-lc-capella/bootstrap.json`.
 */
import { readSharedJson } from '../../testing/sharedFixtures.js';

export const fixture = <T = unknown>(path: string): T => readSharedJson<T>(`ethereum/helios-mainnet/${path}`);
