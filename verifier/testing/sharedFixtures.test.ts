/** The shared-fixtures resolver: found from the project's root, and a clear named error when something is missing. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  readSharedJson,
  SHARED_FIXTURES_DIR,
  SharedFixtureMissingError,
  SharedFixturePathError,
  sharedFixturePath,
} from './sharedFixtures.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

describe('shared fixtures', () => {
  const empty = mkdtempSync(join(tmpdir(), 'sah-no-fixtures-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('are ../shared/fixtures/ from the project root, and the files the README names are there', () => {
    expect(SHARED_FIXTURES_DIR).toBe(resolve(projectRoot, '..', 'shared', 'fixtures'));
    expect(sharedFixturePath('README.md')).toBe(join(SHARED_FIXTURES_DIR, 'README.md'));
    expect(readSharedJson<{ cases: unknown[] }>('cometbft/vote_sign_bytes_vectors.json').cases.length).toBeGreaterThan(
      0,
    );
  });

  it('a missing file fails with its name and the path looked at', () => {
    const e = (() => {
      try {
        sharedFixturePath('cometbft/no_such_file.json');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(SharedFixtureMissingError);
    const missing = e as SharedFixtureMissingError;
    expect(missing.name).toBe('SharedFixtureMissingError');
    expect(missing.missing).toBe('shared fixture cometbft/no_such_file.json');
    expect(missing.lookedAt).toBe(join(SHARED_FIXTURES_DIR, 'cometbft', 'no_such_file.json'));
    expect(missing.message).toMatch(/comes with every checkout and CI beside the project/);
  });

  it('a missing folder fails as the folder, before any file is looked for', () => {
    const absent = join(empty, 'fixtures');
    expect(() => readSharedJson('cometbft/vote_sign_bytes_vectors.json', absent)).toThrow(SharedFixtureMissingError);
    expect(() => sharedFixturePath('README.md', absent)).toThrow(
      `the shared fixtures folder is missing: looked at ${absent}.`,
    );
  });

  it('refuses paths outside the folder', () => {
    for (const p of ['../main/package.json', '/etc/passwd', 'cometbft/../../x.json'])
      expect(() => sharedFixturePath(p)).toThrow(SharedFixturePathError);
  });
});
