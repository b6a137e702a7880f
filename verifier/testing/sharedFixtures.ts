/**
 * Where the verifier tests and benchmarks find real chain data recorded by others (Celestia, Ethereum
 * mainnet, tendermint-rs, CometBFT's vectors): `../shared/fixtures/` beside the project's root, which every
 * checkout and CI have (see its README.md). The project keeps no copies of it: one place to read from means
 * the data checked is the data the README describes, and the same files can be swapped for others of the
 * same kinds when the work is checked. Data this project recorded itself (its own devnets) stays in the
 * `testdata/` folders next to the code.
 *
 * The folder is found from this module's own location, never from the working directory or a machine
 * path, so tests run the same from any directory and on any machine.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root: this module sits in verifier/testing/. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `../shared/fixtures/` from the project's root, as an absolute path on this machine. */
export const SHARED_FIXTURES_DIR = resolve(PROJECT_ROOT, '..', 'shared', 'fixtures');

/** The shared fixtures folder, or a file a test asked for in it, is not there. */
export class SharedFixtureMissingError extends Error {
  override readonly name = 'SharedFixtureMissingError';
  constructor(
    /** What is missing: the folder itself, or the fixture's path inside it. */
    readonly missing: string,
    /** The absolute path that was looked at. */
    readonly lookedAt: string,
  ) {
    super(
      `${missing} is missing: looked at ${lookedAt}. Real chain data recorded by others is read from ` +
        `../shared/fixtures/ (relative to the project's root; see its README.md), a folder that comes with ` +
        'every checkout and CI beside the project; it is not copied into the project.',
    );
  }
}

/** A fixture path that is not a plain relative path inside the shared folder (absolute, or climbing out with ..). */
export class SharedFixturePathError extends Error {
  override readonly name = 'SharedFixturePathError';
  constructor(readonly path: string) {
    super(`shared fixture path ${JSON.stringify(path)} is not a relative path inside ../shared/fixtures/`);
  }
}

/**
 * The absolute path of `relative` (e.g. `cometbft/vote_sign_bytes_vectors.json`) inside the shared
 * fixtures folder, checked to exist. `folder` is for this module's own tests.
 */
export function sharedFixturePath(relative: string, folder: string = SHARED_FIXTURES_DIR): string {
  const clean = normalize(relative);
  if (isAbsolute(relative) || clean === '..' || clean.startsWith(`..${sep}`))
    throw new SharedFixturePathError(relative);
  // the folder first: a missing folder is one setup problem, not one missing file per test
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new SharedFixtureMissingError('the shared fixtures folder', folder);
  const path = join(folder, clean);
  if (!existsSync(path)) throw new SharedFixtureMissingError(`shared fixture ${relative}`, path);
  return path;
}

/** Reads and parses a JSON file of the shared fixtures folder (a fresh object each call: tests may mutate it). */
export function readSharedJson<T = unknown>(relative: string, folder: string = SHARED_FIXTURES_DIR): T {
  return JSON.parse(readFileSync(sharedFixturePath(relative, folder), 'utf8')) as T;
}
