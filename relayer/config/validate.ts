import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';

export type Json = Record<string, unknown>;

/** Field-by-field checks that raise a ConfigError naming the file, the field and the reason. */
export class FieldReader {
  constructor(readonly file: string) {}

  fail(path: string, reason: string): never {
    throw new ConfigError(this.file, path, reason);
  }

  object(v: unknown, path: string): Json {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'must be an object');
    return v as Json;
  }

  array(v: unknown, path: string, minLength = 0): unknown[] {
    if (!Array.isArray(v)) this.fail(path, 'must be an array');
    if (v.length < minLength) this.fail(path, `must have at least ${minLength} entries`);
    return v;
  }

  int(v: unknown, path: string, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      this.fail(path, `must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
    return v;
  }

  optionalInt(v: unknown, path: string, min: number, max: number, fallback: number): number {
    return v === undefined ? fallback : this.int(v, path, min, max);
  }

  string(v: unknown, path: string, pattern?: RegExp, hint?: string): string {
    if (typeof v !== 'string' || v.length === 0) this.fail(path, 'must be a non-empty string');
    if (pattern && !pattern.test(v)) this.fail(path, hint ?? `must match ${pattern}`);
    return v;
  }

  hex(v: unknown, path: string, bytes: number): `0x${string}` {
    return this.string(
      v,
      path,
      new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`),
      `must be 0x and ${bytes} bytes of hex`,
    ) as `0x${string}`;
  }

  url(v: unknown, path: string): string {
    const s = this.string(v, path);
    try {
      const u = new URL(s);
      if (!['http:', 'https:', 'redis:', 'rediss:', 'ws:', 'wss:'].includes(u.protocol))
        this.fail(path, `unsupported scheme ${u.protocol}`);
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      this.fail(path, `not a URL: ${s}`);
    }
    return s;
  }

  boolean(v: unknown, path: string, fallback: boolean): boolean {
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(path, 'must be true or false');
    return v;
  }
}

/** Reads and parses a JSON config file, with ConfigErrors for unreadable or malformed files. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, '$', `cannot read: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, '$', `not valid JSON: ${(e as Error).message}`);
  }
}
