// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {WrappedToken} from "../src/WrappedToken.sol";
import {BridgeTestBase} from "./utils/BridgeTestBase.sol";
import {ProtocolRef} from "./utils/ProtocolRef.sol";

/// @notice Gas of typical inbound deliveries, each measured call its own transaction. Run on its own for
/// receipt-like figures (intrinsic gas, cold accesses and refunds as on a chain):
/// `bash scripts/forge.sh test --match-contract BridgeGasTest --isolate --gas-report`.
/// setUp prepares through receiveMessageInBatch only, so the report's receiveBatch and receiveMessage rows are the
/// measured calls alone. Every transfer mints the REMOTE token (wrapped here, already deployed).
contract BridgeGasTest is BridgeTestBase {
    uint256 internal constant BATCH = 16;

    address[] internal holders;

    function setUp() public override {
        super.setUp();
        bytes[] memory prep = new bytes[](BATCH);
        for (uint256 i = 0; i < BATCH; i++) {
            holders.push(address(uint160(0x10000 + i)));
            prep[i] = remoteTransfer(holders[i], 1000);
        }
        bytes32[] memory ids = ProtocolRef.ids(prep);
        bytes memory sig = signRoot(key, bridge, 1, ProtocolRef.root(ids));
        for (uint256 i = 0; i < BATCH; i++) {
            bridge.receiveMessageInBatch(prep[i], ProtocolRef.proof(ids, i), 1, sig);
        }
    }

    function _batchTo(address[] memory to) internal {
        bytes[] memory batch = new bytes[](to.length);
        for (uint256 i = 0; i < to.length; i++) {
            batch[i] = remoteTransfer(to[i], 7);
        }
        bytes memory sig = signRoot(key, bridge, 1, ProtocolRef.root(ProtocolRef.ids(batch)));
        assertEq(bridge.receiveBatch(batch, 1, sig), to.length);
    }

    function _fresh(uint256 n) internal pure returns (address[] memory to) {
        to = new address[](n);
        for (uint256 i = 0; i < n; i++) {
            to[i] = address(uint160(0x20000 + i));
        }
    }

    /// 16 transfers (nonces 17 to 32, the word of nonces 1 to 16) to accounts that already hold the token.
    function test_gas_receiveBatch16ToExistingHolders() public {
        _batchTo(holders);
    }

    /// 16 transfers (nonces 17 to 32) to accounts that hold nothing yet.
    function test_gas_receiveBatch16ToNewHolders() public {
        _batchTo(_fresh(BATCH));
    }

    /// 16 transfers to new holders opening a word (nonces 256 to 271: the first pays a fresh slot).
    function test_gas_receiveBatch16ToNewHoldersInAFreshWord() public {
        nextInboundNonce = 256;
        _batchTo(_fresh(BATCH));
    }

    /// One message (nonce 17) minting to an account that holds nothing yet.
    function test_gas_receiveMessageMintToNewHolder() public {
        bytes memory m = remoteTransfer(address(0x30000), 7);
        bridge.receiveMessage(m, 1, sign(key, 1, m));
    }

    /// One message opening a word (nonce 512) minting to a new holder.
    function test_gas_receiveMessageMintToNewHolderInAFreshWord() public {
        nextInboundNonce = 512;
        bytes memory m = remoteTransfer(address(0x30000), 7);
        bridge.receiveMessage(m, 1, sign(key, 1, m));
    }

    /// The prepared holders hold what setUp sent (the benchmark measures what it claims).
    function test_gas_setUpMintedToTheHolders() public view {
        WrappedToken w = WrappedToken(bridge.predictWrappedToken(REMOTE, keccak256("remote token")));
        for (uint256 i = 0; i < BATCH; i++) {
            assertEq(w.balanceOf(holders[i]), 1000);
        }
    }
}
