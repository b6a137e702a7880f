//! The execute handlers (dispatched by `contract::execute`): outbound, inbound, governance.

use sha3::{Digest, Keccak256};

pub mod governance;
pub mod inbound;
pub mod outbound;

/// The id under which a token's wrapped form and rate limit are kept, as on every chain.
pub fn token_key(origin_chain: u32, origin_token: &[u8; 32]) -> [u8; 32] {
    let mut h = Keccak256::new();
    h.update(origin_chain.to_be_bytes());
    h.update(origin_token);
    h.finalize().into()
}
