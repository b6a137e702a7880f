import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Keystore, KeystoreError, keystorePassword, SCRYPT_FLOOR } from './keystore.js';

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

  it('takes the password from a mode-600 file, or from the environment, which then no longer holds it', () => {
    process.env.SAH_TEST_PW = 'from-the-environment';
    expect(keystorePassword({ passwordEnv: 'SAH_TEST_PW' })).toBe('from-the-environment');
    expect(process.env.SAH_TEST_PW).toBeUndefined();
    // read again in the same process (another command step): from memory
    expect(keystorePassword({ passwordEnv: 'SAH_TEST_PW' })).toBe('from-the-environment');
    expect(() => keystorePassword({ passwordEnv: 'SAH_TEST_UNSET_VARIABLE' })).toThrow(/is not set/);
    writeFileSync(join(dir, 'pw'), 'from-a-file\n', { mode: 0o600 });
    expect(keystorePassword({ passwordFile: join(dir, 'pw') })).toBe('from-a-file');
    expect(() => keystorePassword({})).toThrow(/no source for the keystore password/);
  });

  it('refuses a password file or keystore that group or others can read', () => {
    writeFileSync(join(dir, 'pw-shared'), 'from-a-file\n', { mode: 0o600 });
    chmodSync(join(dir, 'pw-shared'), 0o644);
    expect(() => keystorePassword({ passwordFile: join(dir, 'pw-shared') })).toThrow(
      /accessible to group or others \(mode 644\)/,
    );
    const ks = new Keystore<{ secret: string }>(join(dir, 'c.json'), 'correct horse battery');
    ks.write({ secret: 'x' });
    expect(statSync(ks.path).mode & 0o777).toBe(0o600);
    chmodSync(ks.path, 0o640);
    expect(() => ks.read()).toThrow(/accessible to group or others/);
  });

  it('writes scrypt N = 2^17 and refuses files below the floors (or absurdly above)', () => {
    const ks = new Keystore<{ secret: string }>(join(dir, 'd.json'), 'correct horse battery');
    ks.write({ secret: 'x' });
    const file = JSON.parse(readFileSync(ks.path, 'utf8'));
    expect(file.kdf).toMatchObject({ N: SCRYPT_FLOOR.N, r: 8, p: 1 });
    for (const [field, value] of [
      ['N', 1 << 15],
      ['r', 1],
      ['p', 0],
      ['N', 1 << 24],
      ['N', '131072'],
    ] as const) {
      writeFileSync(ks.path, JSON.stringify({ ...file, kdf: { ...file.kdf, [field]: value } }), { mode: 0o600 });
      expect(() => ks.read(), `${field} = ${value}`).toThrow(new RegExp(`scrypt ${field} = .* is outside`));
    }
  });
});
