//! Replay protection (docs/PROTOCOL.md §2, "Replay protection: consumed bitmaps"): a delivered message is one
//! bit under `(source chain, nonce)`, 256 to a word: word `nonce >> 8` of its source chain, bit `nonce & 0xff`,
//! where bit i of the 32-byte big-endian word is `(word >> i) & 1` (bit 0 is the low bit of the last byte). Bits
//! are set in any order and never cleared. Governance messages count under the pseudo-chain 0 and their nonce.
//!
//! Storage: each word is its raw 32 bytes (no JSON) at the key cw-storage-plus gives a
//! `Map<(u32, u64), _>` named [`NAMESPACE`]: the length-prefixed namespace, the length-prefixed source chain
//! (u32 big-endian), then the word index (u64 big-endian). A word no delivery touched is absent (all zero).
//!
//! [`ConsumedWords`] reads a word the first time a call touches it, sets bits in memory, and writes each word it
//! changed once (`save`): a batch of messages from one source pays one read and one write per 256 nonces.

use cosmwasm_std::storage_keys::namespace_with_key;
use cosmwasm_std::{StdError, StdResult, Storage};

/// The storage namespace of the consumed words.
pub const NAMESPACE: &[u8] = b"consumed_words";

pub use sah_bridge_protocol::consumed::{bit_is_set, set_bit, word_index, Word};

/// The storage key of word `word_index` of `source_chain`.
pub fn storage_key(source_chain: u32, word_index: u64) -> Vec<u8> {
    namespace_with_key(&[NAMESPACE, &source_chain.to_be_bytes()], &word_index.to_be_bytes())
}

/// Word `word_index` of `source_chain` as stored (all zero when absent).
pub fn load_word(storage: &dyn Storage, source_chain: u32, word_index: u64) -> StdResult<Word> {
    match storage.get(&storage_key(source_chain, word_index)) {
        None => Ok([0; 32]),
        Some(raw) => raw.as_slice().try_into().map_err(|_| {
            StdError::generic_err(format!(
                "consumed word {word_index} of source chain {source_chain} is {} bytes, not 32",
                raw.len()
            ))
        }),
    }
}

/// Whether the message `(source_chain, nonce)` was delivered here (a read of its word).
pub fn is_consumed(storage: &dyn Storage, source_chain: u32, nonce: u64) -> StdResult<bool> {
    Ok(bit_is_set(&load_word(storage, source_chain, word_index(nonce))?, nonce))
}

/// One call's view of the consumed words: each word read once, bits set in memory, each changed word written
/// once by `save`. Nothing reaches storage before `save`; a refused call writes nothing anyway.
#[derive(Default)]
pub struct ConsumedWords {
    /// (source chain, word index, the word, changed since read); a call touches few words
    words: Vec<(u32, u64, Word, bool)>,
}

impl ConsumedWords {
    fn entry(
        &mut self,
        storage: &dyn Storage,
        source_chain: u32,
        nonce: u64,
    ) -> StdResult<&mut (u32, u64, Word, bool)> {
        let index = word_index(nonce);
        let at = match self.words.iter().position(|(s, i, _, _)| *s == source_chain && *i == index) {
            Some(at) => at,
            None => {
                let word = load_word(storage, source_chain, index)?;
                self.words.push((source_chain, index, word, false));
                self.words.len() - 1
            }
        };
        Ok(&mut self.words[at])
    }

    /// Whether `(source_chain, nonce)` is consumed: stored before this call, or consumed earlier in it.
    pub fn is_consumed(&mut self, storage: &dyn Storage, source_chain: u32, nonce: u64) -> StdResult<bool> {
        Ok(bit_is_set(&self.entry(storage, source_chain, nonce)?.2, nonce))
    }

    /// Marks `(source_chain, nonce)` consumed (in memory until `save`).
    pub fn consume(&mut self, storage: &dyn Storage, source_chain: u32, nonce: u64) -> StdResult<()> {
        let entry = self.entry(storage, source_chain, nonce)?;
        set_bit(&mut entry.2, nonce);
        entry.3 = true;
        Ok(())
    }

    /// Writes every word this call changed, once each.
    pub fn save(self, storage: &mut dyn Storage) {
        for (source_chain, index, word, changed) in self.words {
            if changed {
                storage.set(&storage_key(source_chain, index), &word);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::MockStorage;
    use cw_storage_plus::Map;

    #[test]
    fn the_key_is_cw_storage_plus_map_key_of_source_and_word_index() {
        let map: Map<(u32, u64), ()> = Map::new("consumed_words");
        for (source, index) in [(0, 0), (1, 1), (10001, 0xff), (u32::MAX, u64::MAX >> 8), (7, u64::MAX)] {
            assert_eq!(storage_key(source, index), map.key((source, index)).to_vec());
        }
        // length-prefixed namespace and source chain, then the word index
        let key = storage_key(0x0102_0304, 5);
        assert_eq!(&key[..2], &[0, 14]);
        assert_eq!(&key[2..16], b"consumed_words");
        assert_eq!(&key[16..22], &[0, 4, 1, 2, 3, 4]);
        assert_eq!(&key[22..], &5u64.to_be_bytes());
    }

    #[test]
    fn bit_i_is_word_shifted_right_by_i_in_big_endian() {
        for nonce in [0u64, 1, 7, 8, 9, 127, 128, 254, 255, 256, 257, 511, 512, u64::MAX - 1, u64::MAX] {
            let mut word = [0u8; 32];
            set_bit(&mut word, nonce);
            // the word as a 256-bit integer: two u128 halves, big-endian
            let high = u128::from_be_bytes(word[..16].try_into().unwrap());
            let low = u128::from_be_bytes(word[16..].try_into().unwrap());
            let i = (nonce & 0xff) as u32;
            let expected = if i < 128 { (0, 1u128 << i) } else { (1u128 << (i - 128), 0) };
            assert_eq!((high, low), expected, "nonce {nonce}");
            assert!(bit_is_set(&word, nonce));
            // only that bit: no other nonce of the word reads as set
            let base = nonce & !0xff;
            for other in 0..256u64 {
                assert_eq!(bit_is_set(&word, base | other), base | other == nonce, "nonce {nonce}, other {other}");
            }
        }
        assert_eq!(word_index(255), 0);
        assert_eq!(word_index(256), 1);
        assert_eq!(word_index(u64::MAX), (1 << 56) - 1);
    }

    #[test]
    fn a_call_reads_each_word_once_and_writes_the_changed_ones_once() {
        let mut storage = MockStorage::new();
        storage.set(&storage_key(1, 0), &{
            let mut w = [0u8; 32];
            set_bit(&mut w, 3);
            w
        });
        let mut c = ConsumedWords::default();
        assert!(c.is_consumed(&storage, 1, 3).unwrap());
        assert!(!c.is_consumed(&storage, 1, 4).unwrap());
        c.consume(&storage, 1, 4).unwrap();
        assert!(c.is_consumed(&storage, 1, 4).unwrap(), "seen within the call");
        assert!(!is_consumed(&storage, 1, 4).unwrap(), "not stored before save");
        c.consume(&storage, 2, 4).unwrap();
        assert!(!c.is_consumed(&storage, 1, 300).unwrap());
        assert_eq!(c.words.len(), 3, "(1, 0), (2, 0), (1, 1)");
        c.save(&mut storage);
        assert!(is_consumed(&storage, 1, 3).unwrap() && is_consumed(&storage, 1, 4).unwrap());
        assert!(is_consumed(&storage, 2, 4).unwrap());
        // a word only read is not written
        assert!(storage.get(&storage_key(1, 1)).is_none());
        assert_eq!(load_word(&storage, 1, 1).unwrap(), [0; 32]);
    }

    #[test]
    fn a_stored_word_of_another_length_is_an_error() {
        let mut storage = MockStorage::new();
        storage.set(&storage_key(1, 0), b"true");
        assert!(load_word(&storage, 1, 0).is_err());
        assert!(is_consumed(&storage, 1, 0).is_err());
    }
}
