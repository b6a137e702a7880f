use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{HexBinary, Uint64};
use cw20::Cw20ReceiveMsg;

use crate::state::NativeDenom;

#[cw_serde]
pub struct InstantiateMsg {
    /// This chain's SAH protocol chain id (docs/PROTOCOL.md).
    pub chain_id: u32,
    /// The key epoch the bridge starts at (default 1; 0 and 4294967295 are refused): a redeployment continues
    /// the relayer set's epochs, and key rotations go on from it. Signatures of older epochs are not current here.
    pub epoch: Option<u32>,
    /// The relayer set's FROST group key for the starting epoch, 33 bytes compressed (x < n).
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
    /// Delivers one message signed on its own (the signed root is the leaf of its id; the digest binds this
    /// chain's chain-id string and this contract's address, docs/PROTOCOL.md §2). Its source chain and nonce
    /// are then consumed: a message with the same pair is refused (`MessageAlreadyConsumed`).
    ReceiveMessage { message: HexBinary, epoch: u32, signature: HexBinary },
    /// Delivers a batch under one signature over the Merkle root of the messages' ids' leaves in this order;
    /// messages whose (source chain, nonce) was delivered before, or earlier in the batch, are skipped, a batch
    /// with nothing new is refused.
    ReceiveBatch { messages: Vec<HexBinary>, epoch: u32, signature: HexBinary },
    /// Emergency stop by the pauser. Only a governance message unpauses.
    Pause {},

    // ---------------------------------------------------------------- data attestations (§7.2)
    /// Registers `data_hash` (32 bytes) under the caller's DID (`did:pkh:cosmos:<chain id>:<address>`) here
    /// and sends a `register` message to each destination (each once, never this chain).
    Attest { data_hash: HexBinary, uri: String, license: String, destinations: Vec<u32> },
    /// The owner of the record here revokes it and sends a `revoke` message to each destination.
    Revoke { data_hash: HexBinary, destinations: Vec<u32> },

    // ---------------------------------------------------------------- compute jobs (§7.3)
    /// Chain A: posts a job paid with the one native coin sent (a denom configured at instantiation);
    /// the payment stays in escrow here and a `post` message goes to `executor_chain`. (A wrapped cw20
    /// pays with cw20 `Send` and `ReceiveMsg::PostJob`.) `deadline` must be after the block time
    /// (`DeadlinePassed`).
    PostJob { spec_hash: HexBinary, executor_chain: u32, deadline: u64 },
    /// Chain A: the payer asks B to cancel a job still `Posted`.
    Cancel { job_id: HexBinary },
    /// Chain B: takes an `Open` job before its deadline (any account).
    Claim { job_id: HexBinary },
    /// Chain B: the claimer's result, at or before the deadline; `pay_to` is the 32-byte account to pay
    /// on chain A: non-zero and, for an EVM chain A, a left-padded 20-byte address (`InvalidExecutor`).
    SubmitResult { job_id: HexBinary, result_hash: HexBinary, pay_to: HexBinary },
    /// Chain B: anyone ends an `Open` or `Claimed` job after its deadline; A refunds the payer.
    Expire { job_id: HexBinary },
}

/// The `msg` of a cw20 `Send` to the bridge.
#[cw_serde]
pub enum ReceiveMsg {
    Burn {
        destination_chain: u32,
        recipient: HexBinary,
    },
    /// Posts a compute job paid with the wrapped tokens sent (see `ExecuteMsg::PostJob`).
    PostJob {
        spec_hash: HexBinary,
        executor_chain: u32,
        deadline: u64,
    },
}

/// A data hash's record and how many conflicts it has (list them with `AttestationConflicts`).
#[cw_serde]
pub struct AttestationResponse {
    pub record: Option<crate::state::AttestationRecord>,
    pub conflict_count: u64,
}

/// A job id on both sides of this bridge: posted here (A), received here (B), or neither.
#[cw_serde]
pub struct JobResponse {
    pub posted: Option<crate::state::PostedJob>,
    pub received: Option<crate::state::ReceivedJob>,
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
    /// Whether the message `nonce` of `source_chain` was delivered here (governance: source chain 0 and the
    /// governance nonce). Replay protection is by (source chain, nonce), not by message id (docs/PROTOCOL.md §2).
    #[returns(bool)]
    IsConsumed { source_chain: u32, nonce: Uint64 },
    /// Consumed word `word_index` of `source_chain`: 32 bytes, big-endian, bit i (`(word >> i) & 1`) for nonce
    /// `word_index * 256 + i`; all zero when no message of it was delivered. One read covers 256 nonces.
    #[returns(HexBinary)]
    ConsumedWord { source_chain: u32, word_index: Uint64 },
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
    /// The registry record of a data hash and its number of conflicts.
    #[returns(AttestationResponse)]
    Attestation { data_hash: HexBinary },
    /// Conflicts recorded for a data hash, in arrival order, from index `start_after + 1` (or 0).
    #[returns(Vec<crate::state::AttestationConflict>)]
    AttestationConflicts { data_hash: HexBinary, start_after: Option<u64>, limit: Option<u32> },
    #[returns(JobResponse)]
    Job { job_id: HexBinary },
    /// Last counter used for a job id posted here (0: none yet); the next id uses counter + 1.
    #[returns(u64)]
    JobCounter {},
    /// Held in escrow for open jobs posted here, in this asset.
    #[returns(cosmwasm_std::Uint128)]
    JobEscrow { asset: crate::state::PaymentAsset },
}
