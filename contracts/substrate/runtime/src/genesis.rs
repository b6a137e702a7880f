//! The `development` genesis preset: well-known dev accounts funded, Alice as sudo, the bridge pallet's
//! account kept alive. frame-support builds genesis from a full config, so the preset is the whole
//! `RuntimeGenesisConfig` as JSON (written here in Rust, so u128 balances never pass through JS numbers).
//! The bridge's group key is written over by the devnet once its DKG has run (devnet/substrateDevnet.ts).

use crate::{AccountId, BalancesConfig, RuntimeGenesisConfig, SahBridgeConfig, SudoConfig, UNIT};
use alloc::vec::Vec;
use sp_core::crypto::AccountId32;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET};

/// sr25519 public keys of the well-known dev accounts (//Alice ... //Ferdie): public test keys.
pub const DEV_ACCOUNTS: [(&str, [u8; 32]); 6] = [
	("alice", hex32("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")),
	("bob", hex32("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")),
	("charlie", hex32("90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22")),
	("dave", hex32("306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20")),
	("eve", hex32("e659a7a1628cdd93febc04a4e0646ea20e9f5f0ce097d9a05290d4a9e054df4e")),
	("ferdie", hex32("1cbd2d43530a44705ad088af313e18f80b53ef16b36177cd4b77b846f2a5f07c")),
];

/// 32 bytes from 64 lower-case hex digits, at compile time.
pub(crate) const fn hex32(s: &str) -> [u8; 32] {
	let b = s.as_bytes();
	let mut out = [0u8; 32];
	let mut i = 0;
	while i < 32 {
		out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
		i += 1;
	}
	out
}

const fn nibble(c: u8) -> u8 {
	match c {
		b'0'..=b'9' => c - b'0',
		b'a'..=b'f' => c - b'a' + 10,
		_ => panic!("not lower-case hex"),
	}
}

/// The golden vectors' test group key (test/vectors/messages.json `testKey.groupKey`).
pub const PLACEHOLDER_GROUP_KEY: [u8; 33] = {
	let x = hex32("b75c141f21d15f9bde65adaefe8bd29a66cd0fbdb8d8656ed9afa5b17e429d65");
	let mut key = [2u8; 33];
	let mut i = 0;
	while i < 32 {
		key[i + 1] = x[i];
		i += 1;
	}
	key
};

fn account(key: [u8; 32]) -> AccountId {
	AccountId32::from(key)
}

pub fn development() -> RuntimeGenesisConfig {
	let mut balances: Vec<(AccountId, u128)> =
		DEV_ACCOUNTS.iter().map(|(_, key)| (account(*key), 1_000_000 * UNIT)).collect();
	balances.push((crate::bridge_account(), UNIT));
	RuntimeGenesisConfig {
		balances: BalancesConfig { balances, ..Default::default() },
		sudo: SudoConfig { key: Some(account(DEV_ACCOUNTS[0].1)) },
		// a valid placeholder (the golden vectors' test key): the devnet writes its DKG's key over it;
		// the relayer set's epochs start at 1 on the devnet
		sah_bridge: SahBridgeConfig { group_key: PLACEHOLDER_GROUP_KEY.to_vec(), pauser: None, epoch: 1 },
		..Default::default()
	}
}

pub fn preset(id: &PresetId) -> Option<Vec<u8>> {
	let config = match id.as_ref() {
		DEV_RUNTIME_PRESET => development(),
		_ => return None,
	};
	Some(serde_json::to_string(&config).expect("the genesis config serializes").into_bytes())
}
