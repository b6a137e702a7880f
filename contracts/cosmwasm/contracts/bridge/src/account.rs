//! The protocol's 32-byte account form on CosmWasm (docs/PROTOCOL.md §2): an address's canonical
//! bytes, left-padded with zeros. Accounts are 20 bytes (12 zero bytes in front); contracts are 32.
//! A 32-byte form that starts with 12 zero bytes is read as a 20-byte account.

use cosmwasm_std::{Addr, Api, CanonicalAddr};

use crate::error::ContractError;

pub fn to_bytes32(api: &dyn Api, addr: &Addr) -> Result<[u8; 32], ContractError> {
    let canonical = api.addr_canonicalize(addr.as_str())?;
    let bytes = canonical.as_slice();
    if bytes.is_empty() || bytes.len() > 32 {
        return Err(ContractError::InvalidRecipient {
            reason: format!("{addr} has a {}-byte canonical form; the protocol carries 1 to 32", bytes.len()),
        });
    }
    let mut out = [0u8; 32];
    out[32 - bytes.len()..].copy_from_slice(bytes);
    Ok(out)
}

pub fn from_bytes32(api: &dyn Api, bytes: &[u8; 32]) -> Result<Addr, ContractError> {
    if bytes.iter().all(|b| *b == 0) {
        return Err(ContractError::InvalidRecipient { reason: "the zero account".into() });
    }
    let canonical: &[u8] = if bytes[..12].iter().all(|b| *b == 0) { &bytes[12..] } else { &bytes[..] };
    api.addr_humanize(&CanonicalAddr::from(canonical)).map_err(|e| ContractError::InvalidRecipient {
        reason: format!("0x{} is not an address on this chain: {e}", hex_string(bytes)),
    })
}

pub fn hex_string(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

pub fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex_string(bytes))
}
