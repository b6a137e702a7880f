/** Loads the recorded mainnet data in this folder (see README.md); paths are relative to this folder. */
import { readFileSync } from 'node:fs';

export function fixture<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as T;
}
