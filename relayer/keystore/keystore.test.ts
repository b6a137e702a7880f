import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Keystore, KeystoreError, keystorePassword } from './keystore.js';

describe('keystore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sah-keystore-'));

  it('round-trips a document and keeps no plaintext on disk', () => {
    const ks = new Keystore<{ secret: string }>(join(dir, 'a.json'), 'correct horse battery');
    ks.write({ secret: 'deadbeefcafe' });
    expect(readFileSync(ks.path, 'utf8')).not.toContain('deadbeefcafe');
    expect(ks.read()).toEqual({ secret: 'deadbeefcafe' });
  });

  it('refuses a wrong password and a tampered file with KeystoreError', () => {
    const ks = new Keystore<{ secret: string }>(join(dir, 'b.json'), 'correct horse battery');
    ks.write({ secret: 'x' });
    expect(() => new Keystore(ks.path, 'wrong password!').read()).toThrow(/wrong keystore password/);
    const file = JSON.parse(readFileSync(ks.path, 'utf8'));
    // flip every bit of the first byte (setting it to 00 changed nothing when it already was: 1 run in 256)
    const first = (Number.parseInt(file.ciphertext.slice(0, 2), 16) ^ 0xff).toString(16).padStart(2, '0');
    file.ciphertext = `${first}${file.ciphertext.slice(2)}`;
    writeFileSync(ks.path, JSON.stringify(file));
    expect(() => ks.read()).toThrow(KeystoreError);
    expect(() => new Keystore(ks.path, 'short').write({ secret: 'x' })).toThrow(/at least 8/);
  });

  it('takes the password from an environment variable or a file', () => {
    process.env.SAH_TEST_PW = 'from-the-environment';
    expect(keystorePassword({ passwordEnv: 'SAH_TEST_PW' })).toBe('from-the-environment');
    expect(() => keystorePassword({ passwordEnv: 'SAH_TEST_UNSET_VARIABLE' })).toThrow(/is not set/);
    writeFileSync(join(dir, 'pw'), 'from-a-file\n');
    expect(keystorePassword({ passwordFile: join(dir, 'pw') })).toBe('from-a-file');
    expect(() => keystorePassword({})).toThrow(KeystoreError);
  });
});
