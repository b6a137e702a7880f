//! Query helpers (the dispatch is `contract::query`).

use cosmwasm_std::{Deps, HexBinary, Order, StdError, StdResult};

use crate::state::WRAPPED;

pub(crate) fn query_bytes32(b: &HexBinary) -> StdResult<[u8; 32]> {
    b.as_slice()
        .try_into()
        .map_err(|_| StdError::generic_err(format!("origin_token must be 32 bytes, got {}", b.len())))
}

/// Every wrapped token this bridge created (for supply checks).
pub fn wrapped_tokens(deps: Deps) -> StdResult<Vec<cosmwasm_std::Addr>> {
    WRAPPED.range(deps.storage, None, None, Order::Ascending).map(|r| r.map(|(_, a)| a)).collect()
}
