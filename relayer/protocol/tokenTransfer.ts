import { ByteReader, type ByteWriter, type Hex, ZERO32 } from './bytes.js';
import { InvalidFieldError, PayloadLengthError, ZeroAmountError } from './errors.js';
import { MessageKind } from './kinds.js';

/**
 * Token transfer payload (117 bytes). The token is named by its home: (originChain, originToken).
 * `amount` is in the origin token's base units; wrapped tokens mirror `decimals`, so no chain ever
 * rescales and no dust is lost. Symbol and name travel with every transfer, so the first transfer to a
 * chain can deploy the wrapped token without a separate attest message.
 */
export interface TokenTransfer {
  originChain: number;
  /** 32-byte token id on its home chain (an EVM address is left-padded with zeros). */
  originToken: Hex;
  amount: bigint;
  decimals: number;
  /** Opaque 32 bytes, by convention UTF-8 right-padded with zeros. */
  symbol: Hex;
  name: Hex;
}

export const TOKEN_TRANSFER_LENGTH = 117;

export function encodeTokenTransfer(w: ByteWriter, p: TokenTransfer): void {
  w.u32(p.originChain, 'originChain')
    .fixed(p.originToken, 32, 'originToken')
    .u128(p.amount, 'amount')
    .u8(p.decimals, 'decimals')
    .fixed(p.symbol, 32, 'symbol')
    .fixed(p.name, 32, 'name');
}

/**
 * Checks, in the order of docs/PROTOCOL.md §3.1: length, originChain, originToken, amount. The last
 * check, recipient != 0, is on the header and runs after these (decodeMessage).
 */
export function decodeTokenTransfer(payload: Uint8Array): TokenTransfer {
  if (payload.length !== TOKEN_TRANSFER_LENGTH)
    throw new PayloadLengthError(MessageKind.TokenTransfer, payload.length, `${TOKEN_TRANSFER_LENGTH}`);
  const r = new ByteReader(payload);
  const p: TokenTransfer = {
    originChain: r.u32(),
    originToken: r.hex(32),
    amount: r.u128(),
    decimals: r.u8(),
    symbol: r.hex(32),
    name: r.hex(32),
  };
  if (p.originChain === 0) throw new InvalidFieldError('originChain', 'zero');
  if (p.originToken === ZERO32) throw new InvalidFieldError('originToken', 'zero');
  if (p.amount === 0n) throw new ZeroAmountError();
  return p;
}
