//! Writes the bridge's messages as JSON schema (the cw-plus way) to `./schema` of the directory it runs in:
//! `schema/sah-bridge-cosmwasm.json` (instantiate, execute, query and every query's response, with `raw/`
//! beside it) and `schema/receive_msg.json` (the `msg` of a cw20 `Send` to the bridge). The TypeScript
//! types in relayer/chains/cosmwasm/msg.ts are generated from them: `npm run gen:cosmwasm-bindings`.
//! A native binary only: the wasm build (scripts/build-cosmwasm.sh) builds the library alone (`--lib`).

use cosmwasm_schema::{export_schema, schema_for, write_api};
use sah_bridge_cosmwasm::msg::{ExecuteMsg, InstantiateMsg, QueryMsg, ReceiveMsg};

fn main() {
    write_api! {
        instantiate: InstantiateMsg,
        execute: ExecuteMsg,
        query: QueryMsg,
    }
    let out_dir = std::env::current_dir().unwrap().join("schema");
    export_schema(&schema_for!(ReceiveMsg), &out_dir);
}
