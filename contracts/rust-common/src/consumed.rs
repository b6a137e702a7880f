//! Replay protection (docs/PROTOCOL.md §2, "Replay protection: consumed bitmaps"): a delivered message is one
//! bit under `(source chain, nonce)`, 256 to a word: word [`word_index`]`(nonce) = nonce >> 8` of its source
//! chain, bit `nonce & 0xff`, where bit `i` of the 32-byte big-endian word is `(word >> i) & 1` (bit 0 is the low
//! bit of the last byte). Bits are set in any order and never cleared. The bit arithmetic, written once for the
//! CosmWasm bridge and the pallet; where a word is stored is each chain's.

/// 256 consumed bits of one source chain, big-endian (bit `i` is `(word >> i) & 1`).
pub type Word = [u8; 32];

/// The index of the word that holds `nonce`'s bit.
pub const fn word_index(nonce: u64) -> u64 {
    nonce >> 8
}

/// Byte (from the first, most significant) and mask of `nonce`'s bit, `nonce & 0xff`, in its word.
const fn bit_of(nonce: u64) -> (usize, u8) {
    let bit = (nonce & 0xff) as usize;
    (31 - bit / 8, 1 << (bit % 8))
}

/// Whether `nonce`'s bit is set in `word` (the word of [`word_index`]`(nonce)`).
pub fn bit_is_set(word: &Word, nonce: u64) -> bool {
    let (byte, mask) = bit_of(nonce);
    word[byte] & mask != 0
}

/// Sets `nonce`'s bit in `word`.
pub fn set_bit(word: &mut Word, nonce: u64) {
    let (byte, mask) = bit_of(nonce);
    word[byte] |= mask;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_i_is_the_word_shifted_right_by_i_big_endian() {
        assert_eq!(
            [0, 255, 256, 511, 512, u64::MAX].map(word_index),
            [0, 0, 1, 1, 2, u64::MAX >> 8]
        );
        let mut w = [0u8; 32];
        set_bit(&mut w, 256);
        assert_eq!(w[31], 1, "bit 0 is the low bit of the last byte");
        set_bit(&mut w, 511);
        assert_eq!(w[0], 0x80, "bit 255 is the high bit of the first byte");
        assert!(bit_is_set(&w, 0) && bit_is_set(&w, 255) && !bit_is_set(&w, 1));
        // a u128 pair as the reference: bit i of the 256-bit integer
        for i in 0..256u64 {
            let mut w = [0u8; 32];
            set_bit(&mut w, i);
            let high = u128::from_be_bytes(w[..16].try_into().unwrap());
            let low = u128::from_be_bytes(w[16..].try_into().unwrap());
            let expected = if i < 128 {
                (0, 1u128 << i)
            } else {
                (1u128 << (i - 128), 0)
            };
            assert_eq!((high, low), expected, "bit {i}");
        }
    }
}
