use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::HexBinary;
use cw20::Cw20ReceiveMsg;

use crate::state::NativeDenom;

#[cw_serde]
pub struct InstantiateMsg {
    /// This chain's SAH protocol chain id (docs/PROTOCOL.md).
    pub chain_id: u32,
    /// The relayer set's FROST group key for epoch 1, 33 bytes compressed (x < n).
    pub group_key: HexBinary,
    /// Account allowed to pause (never to unpause).
    pub pauser: Option<String>,
    /// Code id of cw20-base, used for every wrapped token.
    pub cw20_code_id: u64,
    /// Decimals, symbol and name that locks of these denoms carry (others: 6 decimals, the denom).
    #[serde(default)]
    pub native_denoms: Vec<NativeDenom>,
}

#[cw_serde]
pub enum ExecuteMsg {
    /// Locks the one native coin sent with the call and sends it to `recipient` (32-byte form) on
    /// `destination_chain`.
    Lock { destination_chain: u32, recipient: HexBinary },
    /// cw20 hook: a wrapped token sent to the bridge with `Send` and a `ReceiveMsg::Burn` is burned and
    /// sent on.
    Receive(Cw20ReceiveMsg),
    /// Delivers one message signed on its own (the signed root is its id).
    ReceiveMessage { message: HexBinary, epoch: u32, signature: HexBinary },
    /// Delivers a batch under one signature over the Merkle root of the messages' ids in this order;
    /// messages delivered before are skipped, a batch with nothing new is refused.
    ReceiveBatch { messages: Vec<HexBinary>, epoch: u32, signature: HexBinary },
    /// Emergency stop by the pauser. Only a governance message unpauses.
    Pause {},
}

/// The `msg` of a cw20 `Send` to the bridge.
#[cw_serde]
pub enum ReceiveMsg {
    Burn { destination_chain: u32, recipient: HexBinary },
}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    #[returns(crate::state::Config)]
    Config {},
    /// Highest nonce assigned to an outbound message (0: none yet).
    #[returns(u64)]
    OutboundNonce {},
    /// The id of the outbound message with this nonce.
    #[returns(Option<HexBinary>)]
    OutboundMessageId { nonce: u64 },
    #[returns(bool)]
    IsConsumed { message_id: HexBinary },
    #[returns(cosmwasm_std::Uint128)]
    Locked { denom: String },
    /// The wrapped cw20 of (origin_chain, origin_token), if created yet.
    #[returns(Option<cosmwasm_std::Addr>)]
    WrappedToken { origin_chain: u32, origin_token: HexBinary },
    /// Wrapped amount outstanding of (origin_chain, origin_token): minted here less burned here.
    #[returns(cosmwasm_std::Uint128)]
    WrappedSupply { origin_chain: u32, origin_token: HexBinary },
    #[returns(Option<crate::state::WrappedOrigin>)]
    WrappedOrigin { token: String },
    #[returns(Option<crate::state::RateLimit>)]
    RateLimit { origin_chain: u32, origin_token: HexBinary },
    /// keccak256(originChain || originToken): the key of a token's wrapped form and rate limit.
    #[returns(HexBinary)]
    TokenKey { origin_chain: u32, origin_token: HexBinary },
}
