/**
 * Where the EVM bridge keeps outbound message ids: `mapping(uint64 nonce => bytes32 messageId) public
 * outboundMessageId` is declared at storage slot 4 of contracts/evm/src/Bridge.sol (from the compiled
 * layout: `bash scripts/forge.sh inspect Bridge storageLayout`; a test pins it against a deployed bridge).
 * A mapping entry lives at keccak256(pad32(key) || pad32(slot)).
 */
import { encodeAbiParameters, type Hex, keccak256 } from 'viem';

export const OUTBOUND_MESSAGE_ID_SLOT = 4n;

export function outboundMessageIdSlot(nonce: bigint): Hex {
  return keccak256(encodeAbiParameters([{ type: 'uint64' }, { type: 'uint256' }], [nonce, OUTBOUND_MESSAGE_ID_SLOT]));
}
