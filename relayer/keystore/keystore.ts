/**
 * Encrypted-at-rest storage of an operator's secrets (identity key, FROST shares, wallet keys):
 * scrypt derives a key from the operator's password, AES-256-GCM seals the JSON payload.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class KeystoreError extends Error {
  override name = 'KeystoreError';
}

/** scrypt cost: N = 2^15, r = 8, p = 1 (~32 MiB, ~0.1 s): unlocks once per process start. */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

interface SealedFile {
  version: 1;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: { name: 'aes-256-gcm'; iv: string; tag: string };
  ciphertext: string;
}

export function seal(plaintext: Uint8Array, password: string): SealedFile {
  if (password.length < 8) throw new KeystoreError('keystore password must be at least 8 characters');
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = scryptSync(password, salt, 32, SCRYPT);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    version: 1,
    kdf: { name: 'scrypt', N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, salt: salt.toString('hex') },
    cipher: { name: 'aes-256-gcm', iv: iv.toString('hex'), tag: cipher.getAuthTag().toString('hex') },
    ciphertext: ciphertext.toString('hex'),
  };
}

export function unseal(file: SealedFile, password: string): Uint8Array {
  if (file.version !== 1 || file.kdf?.name !== 'scrypt' || file.cipher?.name !== 'aes-256-gcm')
    throw new KeystoreError('unsupported keystore format');
  const { N, r, p } = file.kdf;
  const key = scryptSync(password, Buffer.from(file.kdf.salt, 'hex'), 32, { N, r, p, maxmem: SCRYPT.maxmem });
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.cipher.iv, 'hex'));
  decipher.setAuthTag(Buffer.from(file.cipher.tag, 'hex'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(file.ciphertext, 'hex')), decipher.final()]);
  } catch {
    throw new KeystoreError('wrong keystore password, or the keystore file was altered');
  }
}

/** A JSON document kept sealed in one file; writes are atomic (temp file, then rename). */
export class Keystore<T extends object> {
  constructor(
    readonly path: string,
    private readonly password: string,
  ) {}

  exists(): boolean {
    return existsSync(this.path);
  }

  read(): T {
    let file: SealedFile;
    try {
      file = JSON.parse(readFileSync(this.path, 'utf8')) as SealedFile;
    } catch (e) {
      throw new KeystoreError(`cannot read keystore ${this.path}: ${(e as Error).message}`);
    }
    return JSON.parse(Buffer.from(unseal(file, this.password)).toString('utf8')) as T;
  }

  write(value: T): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const sealed = seal(Buffer.from(JSON.stringify(value), 'utf8'), this.password);
    const tmp = `${this.path}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(sealed, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}

/** The keystore password: from the environment variable or the file the config names. */
export function keystorePassword(source: { passwordEnv?: string; passwordFile?: string }): string {
  if (source.passwordEnv) {
    const value = process.env[source.passwordEnv];
    if (!value) throw new KeystoreError(`environment variable ${source.passwordEnv} (keystore password) is not set`);
    return value;
  }
  if (source.passwordFile) {
    try {
      return readFileSync(source.passwordFile, 'utf8').trim();
    } catch (e) {
      throw new KeystoreError(`cannot read keystore password file ${source.passwordFile}: ${(e as Error).message}`);
    }
  }
  throw new KeystoreError('no keystore password source: set keystore.passwordEnv or keystore.passwordFile');
}
