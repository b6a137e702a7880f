/**
 * Encrypted-at-rest storage of an operator's secrets (identity key, FROST shares, wallet keys):
 * scrypt derives a key from the operator's password, AES-256-GCM seals the JSON payload.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class KeystoreError extends Error {
  override name = 'KeystoreError';
}

/**
 * scrypt cost: N = 2^17, r = 8, p = 1 (128 MiB, ~0.4 s here): a stolen keystore costs an attacker that
 * much per password guess; a node pays it once per start. The parameters stored in a file are read
 * back, so a file written with weaker ones (or tampered to weaker ones) is refused below the floors,
 * and refused above the ceilings (a file must not make the node spend gigabytes).
 */
const SCRYPT = { N: 1 << 17, r: 8, p: 1 };
export const SCRYPT_FLOOR = { N: 1 << 17, r: 8, p: 1 };
const SCRYPT_CEILING = { N: 1 << 20, r: 16, p: 4 };
const maxmem = (N: number, r: number) => 128 * N * r + 16 * 1024 * 1024;

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
  const key = scryptSync(password, salt, 32, { ...SCRYPT, maxmem: maxmem(SCRYPT.N, SCRYPT.r) });
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
  for (const [name, value] of Object.entries({ N, r, p }) as ['N' | 'r' | 'p', unknown][])
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < SCRYPT_FLOOR[name] ||
      value > SCRYPT_CEILING[name]
    )
      throw new KeystoreError(
        `keystore scrypt ${name} = ${JSON.stringify(value)} is outside ${SCRYPT_FLOOR[name]}..${SCRYPT_CEILING[name]}: re-create the keystore`,
      );
  if (!/^[0-9a-f]{32,}$/.test(String(file.kdf.salt))) throw new KeystoreError('keystore salt is not hex of 16+ bytes');
  const key = scryptSync(password, Buffer.from(file.kdf.salt, 'hex'), 32, { N, r, p, maxmem: maxmem(N, r) });
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
    refuseSharedFile(this.path, 'keystore');
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

/**
 * A secret file readable or writable by group or others is refused: a keystore, or the password that
 * opens it, that other accounts on the machine can read is not the operator's alone.
 */
export function refuseSharedFile(path: string, what: string): void {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return; // reading it reports what is wrong
  }
  if (mode & 0o077)
    throw new KeystoreError(
      `${what} ${path} is accessible to group or others (mode ${(mode & 0o777).toString(8)}): chmod 600 it`,
    );
}

/** Passwords taken from the environment, kept in memory only (the variable is removed). */
const fromEnvironment = new Map<string, string>();

/**
 * A secret (`what`: the keystore password, the Redis password): from a file the config names (mode
 * 600), or from an environment variable, which is removed from the environment once read so child
 * processes and /proc/<pid>/environ do not carry it on.
 */
export function readSecret(source: { passwordEnv?: string; passwordFile?: string }, what: string): string {
  if (source.passwordEnv) {
    const value = process.env[source.passwordEnv] ?? fromEnvironment.get(source.passwordEnv);
    if (!value) throw new KeystoreError(`environment variable ${source.passwordEnv} (${what}) is not set`);
    fromEnvironment.set(source.passwordEnv, value);
    delete process.env[source.passwordEnv];
    return value;
  }
  if (source.passwordFile) {
    refuseSharedFile(source.passwordFile, `${what} file`);
    try {
      return readFileSync(source.passwordFile, 'utf8').trim();
    } catch (e) {
      throw new KeystoreError(`cannot read ${what} file ${source.passwordFile}: ${(e as Error).message}`);
    }
  }
  throw new KeystoreError(`no source for the ${what}: set passwordEnv or passwordFile`);
}

export function keystorePassword(source: { passwordEnv?: string; passwordFile?: string }): string {
  return readSecret(source, 'keystore password');
}
