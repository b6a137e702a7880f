//! A cw-multi-test world for the bridge: bech32 addresses (`wasm`), cw20-base for wrapped tokens, and
//! a FROST signer holding the vectors' test key (test/vectors/messages.json). A FROST signature by t
//! of n is indistinguishable from a Schnorr signature by the group secret, so signing with the group
//! secret exercises exactly the verification path a relayer set's signature takes.
//!
//! The world is the vectors' CosmWasm instance (`instances.cosmwasm`): its blocks carry the chain-id string
//! `sah-vectors-1` and its first contract, the bridge, has the address of "contract0" (see
//! `LabelAddresses`), so the vectors' `deliveries.cosmwasm` signatures verify on it. The signer signs the
//! v2 digest for the instance it is given: `World::instance` / `World::instance_of` (docs/PROTOCOL.md §2).
#![allow(dead_code)]

use cosmwasm_std::{coins, Addr, Api, CanonicalAddr, Coin, Empty, HexBinary, Storage, Uint128};
use cw20::{BalanceResponse, Cw20ExecuteMsg, Cw20QueryMsg, TokenInfoResponse};
use cw_multi_test::{
    AddressGenerator, App, AppBuilder, AppResponse, Contract, ContractWrapper, Executor, MockApiBech32, WasmKeeper,
};
use k256::elliptic_curve::ops::Reduce;
use k256::elliptic_curve::sec1::ToEncodedPoint;
use k256::{ProjectivePoint, Scalar, U256};
use sah_bridge_cosmwasm::contract::{execute, instantiate, query, reply};
use sah_bridge_cosmwasm::execute::token_key;
use sah_bridge_cosmwasm::msg::{ExecuteMsg, InstantiateMsg, QueryMsg, ReceiveMsg};
use sah_bridge_cosmwasm::state::NativeDenom;
use sah_bridge_cosmwasm::ContractError;
use sah_bridge_protocol::{
    frost, merkle, message_id, signing_digest, Governance, Header, Instance, Kind, Message, Payload, TokenTransfer,
    VERSION,
};
use sha2::{Digest, Sha256};

pub const CHAIN: u32 = 10003;
pub const ETHEREUM: u32 = 10001;
pub const POLKADOT: u32 = 10004;
pub const DENOM: &str = "ustake";

pub fn vectors() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../../test/vectors/messages.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("read test/vectors/messages.json")).unwrap()
}

pub fn hex_bytes(s: &str) -> Vec<u8> {
    hex::decode(s.trim_start_matches("0x")).unwrap()
}

pub fn hex32(v: &serde_json::Value) -> [u8; 32] {
    hex_bytes(v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))).try_into().expect("32 bytes")
}

/// The chain-id string of the vectors' CosmWasm instance (`instances.cosmwasm.chainId`): every world's blocks
/// carry it unless a test asks for another.
pub fn vector_chain_id() -> String {
    vectors()["instances"]["cosmwasm"]["chainId"].as_str().expect("instances.cosmwasm.chainId").to_string()
}

/// The vectors' CosmWasm instance as the vectors write it (`instances.cosmwasm`).
pub fn vector_instance() -> Instance {
    let v = vectors();
    let i = &v["instances"]["cosmwasm"];
    Instance { chain_binding: hex32(&i["chainBinding"]), bridge: hex32(&i["bridge"]) }
}

/// Contract addresses by instantiation order: the n-th contract of an app (from 0) gets MockApiBech32's
/// address for the label "contract{n}", whose canonical bytes are sha256 of the label. (cw-multi-test 2.x's
/// default generator derives wasmd's classic address from the code id and the instance number instead,
/// which is not the address the vectors' CosmWasm instance names.)
pub struct LabelAddresses;

impl AddressGenerator for LabelAddresses {
    fn contract_address(
        &self,
        api: &dyn Api,
        _storage: &mut dyn Storage,
        _code_id: u64,
        instance_id: u64,
    ) -> anyhow::Result<Addr> {
        let canonical: [u8; 32] = Sha256::digest(format!("contract{instance_id}").as_bytes()).into();
        Ok(api.addr_humanize(&CanonicalAddr::from(canonical.as_slice()))?)
    }
}

/// A FROST group key and its secret (the vectors' test key, or a fresh one for rotations).
#[derive(Clone)]
pub struct Signer {
    pub secret: Scalar,
    pub group_key: [u8; 33],
}

impl Signer {
    pub fn from_secret(secret: &[u8]) -> Self {
        let secret = <Scalar as Reduce<U256>>::reduce_bytes(secret.into());
        let point = (ProjectivePoint::GENERATOR * secret).to_affine().to_encoded_point(true);
        Signer { secret, group_key: point.as_bytes().try_into().unwrap() }
    }

    /// The vectors' 2-of-3 test key.
    pub fn test_key() -> Self {
        Self::from_secret(&hex_bytes(vectors()["testKey"]["secretKey"].as_str().unwrap()))
    }

    /// Another valid key (x < n), derived from a label.
    pub fn derived(label: &str) -> Self {
        let mut i = 0u32;
        loop {
            let seed = Sha256::new().chain_update(label).chain_update(i.to_be_bytes()).finalize();
            let s = Self::from_secret(&seed);
            if frost::check_group_key(&s.group_key).is_ok() {
                return s;
            }
            i += 1;
        }
    }

    /// RFC 9591 signature R (33) || z (32) over `message` with a deterministic nonce.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let nonce_seed = Sha256::new().chain_update(self.secret.to_bytes()).chain_update(message).finalize();
        let k = <Scalar as Reduce<U256>>::reduce_bytes(&nonce_seed);
        let r: [u8; 33] =
            (ProjectivePoint::GENERATOR * k).to_affine().to_encoded_point(true).as_bytes().try_into().unwrap();
        let c_bytes = frost::challenge(&r, &self.group_key, message);
        let c = <Scalar as Reduce<U256>>::reduce_bytes((&c_bytes).into());
        let z = k + c * self.secret;
        let mut sig = r.to_vec();
        sig.extend_from_slice(&z.to_bytes());
        sig
    }

    /// A single message for `instance`: the signed root is the leaf of its id.
    pub fn sign_message(&self, epoch: u32, destination: u32, instance: &Instance, message: &[u8]) -> HexBinary {
        let leaf = merkle::leaf(&message_id(message));
        HexBinary::from(self.sign(&signing_digest(epoch, destination, instance, &leaf)))
    }

    /// A batch for `instance`: the signed root is the Merkle root over the leaves of the ids, in this order.
    pub fn sign_batch(&self, epoch: u32, destination: u32, instance: &Instance, messages: &[Vec<u8>]) -> HexBinary {
        let ids: Vec<[u8; 32]> = messages.iter().map(|m| message_id(m)).collect();
        HexBinary::from(self.sign(&signing_digest(epoch, destination, instance, &merkle::root(&ids))))
    }
}

pub fn bridge_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(execute, instantiate, query).with_reply(reply))
}

pub fn cw20_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        cw20_base::contract::execute,
        cw20_base::contract::instantiate,
        cw20_base::contract::query,
    ))
}

pub struct World {
    pub app: App<cw_multi_test::BankKeeper, MockApiBech32>,
    pub bridge: Addr,
    pub bridge_code_id: u64,
    pub cw20_code_id: u64,
    pub signer: Signer,
    pub epoch: u32,
    pub chain: u32,
    /// Next nonce per source chain for messages this world makes up.
    pub nonces: std::collections::HashMap<u32, u64>,
    pub governance_nonce: u64,
}

pub fn addr(app: &App<cw_multi_test::BankKeeper, MockApiBech32>, name: &str) -> Addr {
    app.api().addr_make(name)
}

fn instantiate_bridge(
    app: &mut App<cw_multi_test::BankKeeper, MockApiBech32>,
    code: u64,
    cw20_code_id: u64,
    signer: &Signer,
    chain: u32,
    epoch: Option<u32>,
) -> Addr {
    let admin = addr(app, "admin");
    let pauser = addr(app, "pauser");
    app.instantiate_contract(
        code,
        admin,
        &InstantiateMsg {
            chain_id: chain,
            epoch,
            group_key: HexBinary::from(signer.group_key.as_slice()),
            pauser: Some(pauser.to_string()),
            cw20_code_id,
            native_denoms: vec![NativeDenom {
                denom: "uatom".into(),
                decimals: 6,
                symbol: "ATOM".into(),
                name: "Cosmos Hub Atom".into(),
            }],
        },
        &[],
        format!("sah-bridge {chain}"),
        None,
    )
    .unwrap()
}

/// Every message a response's bridge events carry (`wasm-sah_message_sent`), in order.
pub fn sent_messages(res: &AppResponse) -> Vec<Vec<u8>> {
    res.events
        .iter()
        .filter(|e| e.ty == "wasm-sah_message_sent")
        .flat_map(|e| e.attributes.iter().filter(|a| a.key == "message"))
        .map(|a| hex_bytes(&a.value))
        .collect()
}

/// Whether a response carries the bridge event `ty`.
pub fn has_event(res: &AppResponse, ty: &str) -> bool {
    res.events.iter().any(|e| e.ty == format!("wasm-{ty}"))
}

impl World {
    pub fn new() -> Self {
        Self::with_chain(CHAIN)
    }

    /// The vectors' instance: protocol chain `chain`, blocks with the vectors' chain-id string, epoch 1.
    pub fn with_chain(chain: u32) -> Self {
        Self::build(chain, &vector_chain_id(), None)
    }

    /// A world whose blocks carry another chain-id string (its bridge has the same address: the app's first
    /// contract).
    pub fn with_chain_id(chain: u32, chain_id: &str) -> Self {
        Self::build(chain, chain_id, None)
    }

    /// A bridge instantiated at a starting epoch (`InstantiateMsg::epoch`; `None`: the default, 1).
    pub fn starting_at(chain: u32, epoch: Option<u32>) -> Self {
        Self::build(chain, &vector_chain_id(), epoch)
    }

    /// The vectors' instance with the bridge's entry points as `contract` wraps them (e.g. to watch its storage).
    pub fn with_contract(chain: u32, contract: Box<dyn Contract<Empty>>) -> Self {
        Self::build_with(chain, &vector_chain_id(), None, contract)
    }

    fn build(chain: u32, chain_id: &str, start_epoch: Option<u32>) -> Self {
        Self::build_with(chain, chain_id, start_epoch, bridge_contract())
    }

    fn build_with(chain: u32, chain_id: &str, start_epoch: Option<u32>, contract: Box<dyn Contract<Empty>>) -> Self {
        let mut app = AppBuilder::new()
            .with_api(MockApiBech32::new("wasm"))
            .with_wasm(WasmKeeper::new().with_address_generator(LabelAddresses))
            .build(|router, api, storage| {
                for name in ["alice", "bob", "carol", "dave", "pauser"] {
                    // init_balance replaces: give every coin at once
                    let funds =
                        vec![Coin::new(1_000_000_000_000u128, DENOM), Coin::new(1_000_000_000_000u128, "uatom")];
                    router.bank.init_balance(storage, &api.addr_make(name), funds).unwrap();
                }
            });
        app.update_block(|b| b.chain_id = chain_id.to_string());
        let cw20_code_id = app.store_code(cw20_contract());
        let bridge_code = app.store_code(contract);
        let signer = Signer::test_key();
        // the app's first contract: "contract0"
        let bridge = instantiate_bridge(&mut app, bridge_code, cw20_code_id, &signer, chain, start_epoch);
        World {
            app,
            bridge,
            bridge_code_id: bridge_code,
            cw20_code_id,
            signer,
            epoch: start_epoch.unwrap_or(1),
            chain,
            nonces: Default::default(),
            governance_nonce: 0,
        }
    }

    /// Another bridge in the same app (same key, same native denoms) for `chain`: the other end of a flow.
    pub fn add_bridge(&mut self, chain: u32) -> Addr {
        self.add_bridge_at(chain, None)
    }

    /// Another bridge in the same app (same key, same native denoms) for `chain`, starting at `epoch`.
    pub fn add_bridge_at(&mut self, chain: u32, epoch: Option<u32>) -> Addr {
        let (code, cw20) = (self.bridge_code_id, self.cw20_code_id);
        let signer = self.signer.clone();
        instantiate_bridge(&mut self.app, code, cw20, &signer, chain, epoch)
    }

    /// What a bridge of this app verifies signatures for: sha256 of the blocks' chain-id string and the
    /// bridge's canonical address, left-padded (computed here, apart from the contract's own code).
    pub fn instance_of(&self, bridge: &Addr) -> Instance {
        let canonical = self.app.api().addr_canonicalize(bridge.as_str()).unwrap();
        let bytes = canonical.as_slice();
        assert!(bytes.len() <= 32, "{bridge}: a {}-byte canonical address", bytes.len());
        let mut padded = [0u8; 32];
        padded[32 - bytes.len()..].copy_from_slice(bytes);
        let chain_id = self.app.block_info().chain_id;
        Instance { chain_binding: Sha256::digest(chain_id.as_bytes()).into(), bridge: padded }
    }

    /// This world's bridge as the digest names it.
    pub fn instance(&self) -> Instance {
        self.instance_of(&self.bridge)
    }

    /// Delivers `message` (signed for `bridge` on `chain` under epoch 1) to `bridge`.
    pub fn deliver_to(&mut self, bridge: &Addr, chain: u32, message: &[u8]) -> anyhow::Result<AppResponse> {
        let sig = self.signer.sign_message(1, chain, &self.instance_of(bridge), message);
        let relayer = self.addr("relayer");
        self.app.execute_contract(
            relayer,
            bridge.clone(),
            &ExecuteMsg::ReceiveMessage { message: HexBinary::from(message), epoch: 1, signature: sig },
            &[],
        )
    }

    pub fn exec_on(
        &mut self,
        bridge: &Addr,
        who: &str,
        msg: &ExecuteMsg,
        funds: &[Coin],
    ) -> anyhow::Result<AppResponse> {
        let sender = self.addr(who);
        self.app.execute_contract(sender, bridge.clone(), msg, funds)
    }

    pub fn exec(&mut self, who: &str, msg: &ExecuteMsg, funds: &[Coin]) -> anyhow::Result<AppResponse> {
        let bridge = self.bridge.clone();
        self.exec_on(&bridge, who, msg, funds)
    }

    pub fn query_on<T: serde::de::DeserializeOwned>(&self, bridge: &Addr, msg: &QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(bridge.clone(), msg).unwrap()
    }

    pub fn now(&self) -> u64 {
        self.app.block_info().time.seconds()
    }

    /// Sets the block time (and moves the height on by one).
    pub fn set_time(&mut self, seconds: u64) {
        self.app.update_block(|b| {
            b.time = cosmwasm_std::Timestamp::from_seconds(seconds);
            b.height += 1;
        });
    }

    /// A message of any kind from `source` to this chain, with the next nonce of `source` and a zero
    /// recipient (attestations and jobs are routed by kind).
    pub fn message_in(&mut self, source: u32, sender: [u8; 32], payload: Payload) -> Vec<u8> {
        let nonce = self.next_nonce(source);
        Message {
            header: Header {
                version: VERSION,
                kind: payload.kind(),
                source_chain: source,
                destination_chain: self.chain,
                nonce,
                sender,
                recipient: [0; 32],
            },
            payload,
        }
        .encode()
    }

    /// Rotates to `epoch` keeping the same key (each rotation is a governance message under the last).
    pub fn at_epoch(mut self, epoch: u32) -> Self {
        while self.epoch < epoch {
            let key = self.signer.group_key;
            let rotate = self.governance(Governance::RotateKey {
                new_epoch: self.epoch + 1,
                new_group_key: key,
                grace_seconds: 0,
            });
            self.deliver(&rotate).unwrap();
            self.epoch += 1;
        }
        self
    }

    pub fn addr(&self, name: &str) -> Addr {
        addr(&self.app, name)
    }

    pub fn bytes32(&self, a: &Addr) -> [u8; 32] {
        sah_bridge_cosmwasm::account::to_bytes32(self.app.api(), a).unwrap()
    }

    pub fn next_nonce(&mut self, source: u32) -> u64 {
        let n = self.nonces.entry(source).or_insert(0);
        *n += 1;
        *n
    }

    /// A token transfer from `source` to this chain.
    pub fn transfer_in(
        &mut self,
        source: u32,
        origin_chain: u32,
        origin_token: [u8; 32],
        to: &Addr,
        amount: u128,
    ) -> Vec<u8> {
        let nonce = self.next_nonce(source);
        let recipient = self.bytes32(to);
        Message {
            header: Header {
                version: VERSION,
                kind: Kind::TokenTransfer,
                source_chain: source,
                destination_chain: self.chain,
                nonce,
                sender: [0x11; 32],
                recipient,
            },
            payload: Payload::TokenTransfer(TokenTransfer {
                origin_chain,
                origin_token,
                amount,
                decimals: 18,
                symbol: pad32(b"SAH"),
                name: pad32(b"SAH Token"),
            }),
        }
        .encode()
    }

    pub fn governance(&mut self, g: Governance) -> Vec<u8> {
        self.governance_nonce += 1;
        let recipient = self.bytes32(&self.bridge.clone());
        Message {
            header: Header {
                version: VERSION,
                kind: Kind::Governance,
                source_chain: 0,
                destination_chain: self.chain,
                nonce: self.governance_nonce,
                sender: [0; 32],
                recipient,
            },
            payload: Payload::Governance(g),
        }
        .encode()
    }

    pub fn deliver_with(&mut self, message: &[u8], epoch: u32, signature: HexBinary) -> anyhow::Result<AppResponse> {
        let bridge = self.bridge.clone();
        self.deliver_with_to(&bridge, message, epoch, signature)
    }

    /// Delivers `message` with a given epoch and signature to `bridge`.
    pub fn deliver_with_to(
        &mut self,
        bridge: &Addr,
        message: &[u8],
        epoch: u32,
        signature: HexBinary,
    ) -> anyhow::Result<AppResponse> {
        let relayer = self.addr("relayer");
        self.app.execute_contract(
            relayer,
            bridge.clone(),
            &ExecuteMsg::ReceiveMessage { message: HexBinary::from(message), epoch, signature },
            &[],
        )
    }

    pub fn deliver(&mut self, message: &[u8]) -> anyhow::Result<AppResponse> {
        let sig = self.signer.sign_message(self.epoch, self.chain, &self.instance(), message);
        self.deliver_with(message, self.epoch, sig)
    }

    pub fn deliver_batch(&mut self, messages: &[Vec<u8>]) -> anyhow::Result<AppResponse> {
        let sig = self.signer.sign_batch(self.epoch, self.chain, &self.instance(), messages);
        self.deliver_batch_with(messages, self.epoch, sig)
    }

    pub fn deliver_batch_with(
        &mut self,
        messages: &[Vec<u8>],
        epoch: u32,
        signature: HexBinary,
    ) -> anyhow::Result<AppResponse> {
        let bridge = self.bridge.clone();
        self.deliver_batch_to(&bridge, messages, epoch, signature)
    }

    pub fn deliver_batch_to(
        &mut self,
        bridge: &Addr,
        messages: &[Vec<u8>],
        epoch: u32,
        signature: HexBinary,
    ) -> anyhow::Result<AppResponse> {
        let relayer = self.addr("relayer");
        self.app.execute_contract(
            relayer,
            bridge.clone(),
            &ExecuteMsg::ReceiveBatch {
                messages: messages.iter().map(|m| HexBinary::from(m.as_slice())).collect(),
                epoch,
                signature,
            },
            &[],
        )
    }

    pub fn lock(
        &mut self,
        who: &str,
        amount: u128,
        denom: &str,
        destination: u32,
        recipient: [u8; 32],
    ) -> anyhow::Result<AppResponse> {
        let sender = self.addr(who);
        let funds: Vec<Coin> = if amount == 0 { vec![] } else { coins(amount, denom) };
        self.app.execute_contract(
            sender,
            self.bridge.clone(),
            &ExecuteMsg::Lock { destination_chain: destination, recipient: HexBinary::from(recipient.as_slice()) },
            &funds,
        )
    }

    pub fn burn(
        &mut self,
        who: &str,
        token: &Addr,
        amount: u128,
        destination: u32,
        recipient: [u8; 32],
    ) -> anyhow::Result<AppResponse> {
        let sender = self.addr(who);
        self.app.execute_contract(
            sender,
            token.clone(),
            &Cw20ExecuteMsg::Send {
                contract: self.bridge.to_string(),
                amount: Uint128::new(amount),
                msg: cosmwasm_std::to_json_binary(&ReceiveMsg::Burn {
                    destination_chain: destination,
                    recipient: HexBinary::from(recipient.as_slice()),
                })
                .unwrap(),
            },
            &[],
        )
    }

    pub fn query<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(self.bridge.clone(), msg).unwrap()
    }

    /// Whether `bridge` consumed `message`: the bit of its (source chain, nonce) (`QueryMsg::IsConsumed`).
    pub fn consumed_on(&self, bridge: &Addr, message: &[u8]) -> bool {
        let (source_chain, nonce) = source_and_nonce(message);
        self.query_on(bridge, &QueryMsg::IsConsumed { source_chain, nonce: nonce.into() })
    }

    /// Whether this world's bridge consumed `message`.
    pub fn consumed(&self, message: &[u8]) -> bool {
        self.consumed_on(&self.bridge, message)
    }

    /// Whether this world's bridge consumed nonce `nonce` of `source_chain`.
    pub fn consumed_nonce(&self, source_chain: u32, nonce: u64) -> bool {
        self.query(&QueryMsg::IsConsumed { source_chain, nonce: nonce.into() })
    }

    /// Consumed word `word_index` of `source_chain` (`QueryMsg::ConsumedWord`), 32 bytes big-endian.
    pub fn consumed_word(&self, source_chain: u32, word_index: u64) -> [u8; 32] {
        let word: HexBinary = self.query(&QueryMsg::ConsumedWord { source_chain, word_index: word_index.into() });
        word.as_slice().try_into().unwrap_or_else(|_| panic!("a consumed word of {} bytes", word.len()))
    }

    pub fn wrapped(&self, origin_chain: u32, origin_token: [u8; 32]) -> Option<Addr> {
        self.query(&QueryMsg::WrappedToken { origin_chain, origin_token: HexBinary::from(origin_token.as_slice()) })
    }

    /// A cw20-base token the bridge did not create ("FRN", 6 decimals), `amount` of it held by `holder`.
    pub fn foreign_cw20(&mut self, holder: &Addr, amount: u128) -> Addr {
        let code = self.cw20_code_id;
        self.app
            .instantiate_contract(
                code,
                holder.clone(),
                &sah_bridge_cosmwasm::wrapped::Cw20InstantiateMsg {
                    name: "Foreign".into(),
                    symbol: "FRN".into(),
                    decimals: 6,
                    initial_balances: vec![cw20::Cw20Coin { address: holder.to_string(), amount: amount.into() }],
                    mint: None,
                },
                &[],
                "foreign",
                None,
            )
            .unwrap()
    }

    pub fn cw20_balance(&self, token: &Addr, who: &Addr) -> u128 {
        let r: BalanceResponse = self
            .app
            .wrap()
            .query_wasm_smart(token.clone(), &Cw20QueryMsg::Balance { address: who.to_string() })
            .unwrap();
        r.balance.u128()
    }

    pub fn cw20_supply(&self, token: &Addr) -> u128 {
        let r: TokenInfoResponse =
            self.app.wrap().query_wasm_smart(token.clone(), &Cw20QueryMsg::TokenInfo {}).unwrap();
        r.total_supply.u128()
    }

    pub fn bank(&self, who: &Addr, denom: &str) -> u128 {
        self.app.wrap().query_balance(who.to_string(), denom).unwrap().amount.u128()
    }

    pub fn locked(&self, denom: &str) -> u128 {
        let r: Uint128 = self.query(&QueryMsg::Locked { denom: denom.into() });
        r.u128()
    }
}

/// A message's source chain and nonce, read from its header (docs/PROTOCOL.md §2: offsets 2 and 10).
pub fn source_and_nonce(message: &[u8]) -> (u32, u64) {
    (u32::from_be_bytes(message[2..6].try_into().unwrap()), u64::from_be_bytes(message[10..18].try_into().unwrap()))
}

pub fn pad32(s: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[..s.len()].copy_from_slice(s);
    out
}

/// The SAH token's id on the devnet EVM chain (any 20-byte address, left-padded).
pub fn sah_token() -> [u8; 32] {
    let mut t = [0u8; 32];
    t[12..].copy_from_slice(&[0x5a; 20]);
    t
}

pub fn native_token(denom: &str) -> [u8; 32] {
    Sha256::digest(denom.as_bytes()).into()
}

/// The bridge's named error in a failed execution: its code, the name before the colon of its message
/// (e.g. `InvalidSignature`). A direct call keeps the typed error; an error from a nested call (cw20
/// `Send` -> bridge `Receive`) reaches the caller as text, after the failed call's description.
pub fn error_code(err: &anyhow::Error) -> String {
    let text = match err.chain().find_map(|e| e.downcast_ref::<ContractError>()) {
        Some(e) => e.to_string(),
        None => {
            let root = err.root_cause().to_string();
            root.rsplit("}: ").next().unwrap_or(&root).to_string()
        }
    };
    text.split(':').next().unwrap().trim().to_string()
}

/// The first attribute `key` of the bridge's event `ty` in a response.
pub fn event_attr(res: &AppResponse, ty: &str, key: &str) -> Option<String> {
    res.events
        .iter()
        .filter(|e| e.ty == format!("wasm-{ty}"))
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
}

pub fn token_key_of(origin_chain: u32, origin_token: [u8; 32]) -> [u8; 32] {
    token_key(origin_chain, &origin_token)
}
