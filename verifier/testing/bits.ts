/**
 * Single-bit mutations for the verifier tests: every test that claims "any flipped bit is refused" flips
 * its bits here. Bytes count bits from the least significant bit of byte 0 (bit 8 is the least
 * significant bit of byte 1); 0x-hex strings count them as the digits read, from the most significant
 * bit of the first byte. Never used by the verifiers themselves.
 */

/** Flips bit `bit` of `bytes` in place; flipping it again restores the bytes. */
export function flipBit(bytes: Uint8Array, bit: number): void {
  bytes[bit >> 3] = (bytes[bit >> 3] as number) ^ (1 << (bit & 7));
}

/** A copy of `bytes` with bit `bit` flipped. */
export function flipped(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  flipBit(out, bit);
  return out;
}

/**
 * For each of `bits` (every bit of `bytes` unless told), flips it in place, runs `check(bit)` and flips it
 * back (also when `check` throws). Returns how many flips were checked. `bytes` may be a subarray of
 * the buffer `check` verifies.
 */
export function forEachBitFlip(
  bytes: Uint8Array,
  check: (bit: number) => void,
  bits: Iterable<number> = allBits(bytes),
): number {
  let flips = 0;
  for (const bit of bits) {
    flipBit(bytes, bit);
    try {
      check(bit);
    } finally {
      flipBit(bytes, bit);
    }
    flips++;
  }
  return flips;
}

/** Bits 0, step, 2 * step, ... of `bytes`. */
export function* allBits(bytes: Uint8Array, step = 1): Generator<number> {
  for (let bit = 0; bit < bytes.length * 8; bit += step) yield bit;
}

/** Flips bit `bit` of a 0x-hex string (0 = most significant bit of the first byte); the case of the other digits stays. */
export function flipHexBit<T extends `0x${string}`>(hex: T, bit: number): T {
  const nibble = 2 + (bit >> 2);
  const digit = Number.parseInt(hex[nibble] as string, 16) ^ (8 >> (bit & 3));
  return `${hex.slice(0, nibble)}${digit.toString(16)}${hex.slice(nibble + 1)}` as T;
}

/**
 * For every bit of every 0x-hex string in `list` (proof nodes, say): runs `check` on a copy of the list in
 * which that one bit of that one entry is flipped. Returns the number of flips (the bits of all entries).
 */
export function forEachHexListFlip<T extends `0x${string}`>(
  list: readonly T[],
  check: (flippedList: T[], at: { index: number; bit: number }) => void,
): number {
  let flips = 0;
  list.forEach((entry, index) => {
    for (let bit = 0; bit < (entry.length - 2) * 4; bit++) {
      const copy = list.slice();
      copy[index] = flipHexBit(entry, bit);
      check(copy, { index, bit });
      flips++;
    }
  });
  return flips;
}
