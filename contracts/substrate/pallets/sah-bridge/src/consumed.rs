//! Replay protection (PROTOCOL.md §2, "Replay protection: consumed bitmaps"): a delivered message
//! is one bit under `(source chain, nonce)`, 256 to a word: word `nonce >> 8` of its source chain
//! ([`ConsumedWords`]), bit `nonce & 0xff`, where bit `i` of the 32-byte big-endian word is
//! `(word >> i) & 1` (bit 0 is the low bit of the last byte). Bits are set in any order and never
//! cleared; governance messages count under the pseudo-chain 0 and their governance nonce.
//!
//! `TouchedWords` is one call's view of the words: each word it touches is read once, bits are set
//! in memory, and `TouchedWords::save` writes each word it changed once (a batch of messages from
//! one source pays a read and a write per 256 nonces, not per message).

use crate::{Config, ConsumedWords};
use alloc::collections::BTreeMap;
use core::marker::PhantomData;

pub use sah_bridge_protocol::consumed::{bit_is_set, set_bit, word_index};

/// 256 consumed bits of one source chain, big-endian (bit `i` is `(word >> i) & 1`).
pub type ConsumedWord = sah_bridge_protocol::consumed::Word;

/// The words one call touches: `(source chain, word index)` to the word and whether the call set a
/// bit in it. Nothing reaches storage before [`TouchedWords::save`] (and the call's storage layer
/// drops even that when the call fails).
pub(crate) struct TouchedWords<T> {
    words: BTreeMap<(u32, u64), (ConsumedWord, bool)>,
    _config: PhantomData<T>,
}

impl<T: Config> Default for TouchedWords<T> {
    fn default() -> Self {
        TouchedWords {
            words: BTreeMap::new(),
            _config: PhantomData,
        }
    }
}

impl<T: Config> TouchedWords<T> {
    /// The word of `(source_chain, nonce)`: read from storage the first time the call touches it.
    fn word(&mut self, source_chain: u32, nonce: u64) -> &mut (ConsumedWord, bool) {
        let index = word_index(nonce);
        self.words
            .entry((source_chain, index))
            .or_insert_with(|| (ConsumedWords::<T>::get(source_chain, index), false))
    }

    /// Whether `(source_chain, nonce)` was delivered: stored before this call, or earlier in it.
    pub(crate) fn is_consumed(&mut self, source_chain: u32, nonce: u64) -> bool {
        bit_is_set(&self.word(source_chain, nonce).0, nonce)
    }

    /// Marks `(source_chain, nonce)` delivered (in memory until [`TouchedWords::save`]).
    pub(crate) fn consume(&mut self, source_chain: u32, nonce: u64) {
        let word = self.word(source_chain, nonce);
        set_bit(&mut word.0, nonce);
        word.1 = true;
    }

    /// How many words the call read (each once).
    pub(crate) fn reads(&self) -> u64 {
        self.words.len() as u64
    }

    /// Writes every word the call changed, once each; returns how many.
    pub(crate) fn save(self) -> u64 {
        let mut writes = 0;
        for ((source_chain, index), (word, changed)) in self.words {
            if changed {
                ConsumedWords::<T>::insert(source_chain, index, word);
                writes += 1;
            }
        }
        writes
    }
}
