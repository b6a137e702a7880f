//! The execute handlers (dispatched by `contract::execute`): outbound, inbound, governance.

pub mod governance;
pub mod inbound;
pub mod outbound;

/// The id under which a token's wrapped form and rate limit are kept, as on every chain (the rule).
pub use sah_bridge_protocol::rules::token_key;
