/** Loads the recorded mainnet data in this folder (see README.md); paths are relative to this folder. */
import { readFileSync } from 'node:fs';

export function fixture<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as T;
}

/** Flips bit `bit` (0 = most significant bit of the first byte) of a 0x-hex string. */
export function flipBit<T extends `0x${string}`>(hex: T, bit: number): T {
  const nibble = 2 + (bit >> 2);
  const digit = Number.parseInt(hex[nibble] as string, 16) ^ (8 >> (bit & 3));
  return `${hex.slice(0, nibble)}${digit.toString(16)}${hex.slice(nibble + 1)}` as T;
}
