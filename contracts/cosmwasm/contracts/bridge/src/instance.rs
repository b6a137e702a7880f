//! The verifying instance a signature is bound to (docs/PROTOCOL.md §2), from what the contract knows about
//! itself on every call, never from the message or the caller: `chain_binding` is sha256 of the chain-id string
//! the block carries (`env.block.chain_id`, UTF-8), `bridge` the contract's canonical address left-padded to 32
//! bytes. A second bridge with the same protocol chain id and key, a redeployment, or another chain that keeps
//! the address refuses every signature made for this one.

use cosmwasm_std::{Api, Env};
use sah_bridge_protocol::Instance;
use sha2::{Digest, Sha256};

use crate::error::ContractError;

/// This bridge as the signed digest names it; `BridgeAddressTooLong` for a canonical address over 32 bytes.
pub fn this_instance(api: &dyn Api, env: &Env) -> Result<Instance, ContractError> {
    let canonical = api.addr_canonicalize(env.contract.address.as_str())?;
    let bytes = canonical.as_slice();
    if bytes.len() > 32 {
        return Err(ContractError::BridgeAddressTooLong {
            address: env.contract.address.to_string(),
            length: bytes.len(),
        });
    }
    let mut bridge = [0u8; 32];
    bridge[32 - bytes.len()..].copy_from_slice(bytes);
    Ok(Instance { chain_binding: Sha256::digest(env.block.chain_id.as_bytes()).into(), bridge })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{execute, instantiate};
    use crate::msg::{ExecuteMsg, InstantiateMsg};
    use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env, MockApi};
    use cosmwasm_std::{CanonicalAddr, HexBinary};
    use sah_bridge_protocol::{Header, Kind, Message, Payload, TokenTransfer, VERSION};

    fn env_at(address: &[u8], chain_id: &str) -> Env {
        let mut env = mock_env();
        env.contract.address = MockApi::default().addr_humanize(&CanonicalAddr::from(address)).unwrap();
        env.block.chain_id = chain_id.to_string();
        env
    }

    #[test]
    fn the_instance_is_the_chain_id_hash_and_the_padded_canonical_address() {
        let api = MockApi::default();
        let i = this_instance(&api, &env_at(&[7; 32], "sah-1")).unwrap();
        assert_eq!(i.chain_binding, <[u8; 32]>::from(Sha256::digest(b"sah-1")));
        assert_eq!(i.bridge, [7; 32]);
        // a 20-byte address is left-padded, as in the protocol's account form
        let i = this_instance(&api, &env_at(&[9; 20], "sah-1")).unwrap();
        assert_eq!(i.bridge[..12], [0; 12]);
        assert_eq!(i.bridge[12..], [9; 20]);
        // another chain-id string, another binding
        assert_ne!(this_instance(&api, &env_at(&[7; 32], "sah-2")).unwrap().chain_binding, i.chain_binding);
        assert_eq!(
            this_instance(&api, &env_at(&[7; 33], "sah-1")),
            Err(ContractError::BridgeAddressTooLong {
                address: env_at(&[7; 33], "sah-1").contract.address.to_string(),
                length: 33
            })
        );
    }

    #[test]
    fn a_bridge_whose_address_does_not_fit_the_digest_refuses_every_message_by_name() {
        let mut deps = mock_dependencies();
        let env = env_at(&[7; 33], "sah-1");
        let admin = deps.api.addr_make("admin");
        let key = hex::decode("02f37c34b66ced1fb51c34a90bdae006901f10625cc06c4f64663b0eae87d87b4f").unwrap();
        let msg = InstantiateMsg {
            chain_id: 10003,
            epoch: None,
            group_key: HexBinary::from(key),
            pauser: None,
            cw20_code_id: 1,
            native_denoms: vec![],
        };
        instantiate(deps.as_mut(), env.clone(), message_info(&admin, &[]), msg).unwrap();
        // a well-formed message for this chain: refused before any signature is looked at
        let message = Message {
            header: Header {
                version: VERSION,
                kind: Kind::TokenTransfer,
                source_chain: 10001,
                destination_chain: 10003,
                nonce: 1,
                sender: [0x11; 32],
                recipient: [0x22; 32],
            },
            payload: Payload::TokenTransfer(TokenTransfer {
                origin_chain: 10001,
                origin_token: [0x33; 32],
                amount: 5,
                decimals: 18,
                symbol: [0x41; 32],
                name: [0x42; 32],
            }),
        }
        .encode();
        let received = ExecuteMsg::ReceiveMessage {
            message: HexBinary::from(message.clone()),
            epoch: 1,
            signature: HexBinary::from(vec![0u8; 65]),
        };
        let e = execute(deps.as_mut(), env.clone(), message_info(&admin, &[]), received).unwrap_err();
        assert!(matches!(e, ContractError::BridgeAddressTooLong { length: 33, .. }), "{e}");
        let batch = ExecuteMsg::ReceiveBatch {
            messages: vec![HexBinary::from(message)],
            epoch: 1,
            signature: HexBinary::from(vec![0u8; 65]),
        };
        let e = execute(deps.as_mut(), env, message_info(&admin, &[]), batch).unwrap_err();
        assert!(matches!(e, ContractError::BridgeAddressTooLong { length: 33, .. }), "{e}");
    }
}
