/// The id under which a token's wrapped form and rate limit are kept, the same on every chain:
/// `keccak256(originChain u32 BE || originToken)` (36 bytes hashed).
pub fn token_key(origin_chain: u32, origin_token: &[u8; 32]) -> [u8; 32] {
    crate::keccak256(&[&origin_chain.to_be_bytes(), origin_token])
}
