/**
 * Builds the golden vectors of test/vectors/messages.json. Everything here is deterministic (fixed
 * test key, seeded nonces), so regenerating gives the committed file byte for byte and a test checks
 * exactly that. Do not use this module's key or RNG for anything but tests.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import { ZERO32 } from '../../relayer/protocol/bytes.js';
import { ChainId } from '../../relayer/protocol/chains.js';
import {
  batchRootFromProof,
  buildBatch,
  digestPreimage,
  type InstanceBinding,
  leafHash,
  messageId,
  nodeHash,
  signingDigest,
} from '../../relayer/protocol/digest.js';
import { InvalidFieldError, ProtocolError } from '../../relayer/protocol/errors.js';
import {
  evmSignature,
  frostChallenge,
  type KeySet,
  signInProcess,
  splitSignature,
} from '../../relayer/protocol/frost.js';
import { CURVE_ORDER, FIELD_PRIME } from '../../relayer/protocol/groupKey.js';
import { decodeMessage, encodeMessage, type Message } from '../../relayer/protocol/message.js';
import { addressToBytes32, packBytes32 } from '../../relayer/protocol/strings.js';
import { dealKeySet } from './trustedDealer.js';

/** A deterministic byte stream: sha256(seed || counter) blocks. Test use only. */
export function seededRng(seed: string): (length?: number) => Uint8Array {
  let counter = 0;
  const seedBytes = new TextEncoder().encode(seed);
  return (length = 32) => {
    const out = new Uint8Array(length);
    for (let filled = 0; filled < length; filled += 32) {
      const block = sha256(new Uint8Array([...seedBytes, ...new TextEncoder().encode(`/${counter++}`)]));
      out.set(block.slice(0, Math.min(32, length - filled)), filled);
    }
    return out;
  };
}

const TEST_SECRET = sha256(new TextEncoder().encode('sah-bridge golden vector test key'));

export interface TestKey extends KeySet {
  secretKey: Hex;
}

/** The fixed 2-of-3 test key of the vectors, dealt from a fixed secret (x < n holds for it). */
export function vectorTestKey(): TestKey {
  return { ...dealKeySet(2, 3, { secret: TEST_SECRET, rng: seededRng('dealer') }), secretKey: bytesToHex(TEST_SECRET) };
}

const evmAddr = (n: number) => addressToBytes32(`0x${n.toString(16).padStart(40, '0')}` as Hex);
const h = (label: string) => bytesToHex(sha256(new TextEncoder().encode(label)));
const SAH = addressToBytes32('0x5a4000000000000000000000000000000000c0de');
const sahMeta = { decimals: 18, symbol: packBytes32('SAH'), name: packBytes32('SAH Token') };

export const VALID_MESSAGES: { name: string; epoch: number; message: Message }[] = [
  {
    name: 'token transfer: SAH locked on Ethereum, minted on Cosmos',
    epoch: 1,
    message: {
      kind: 'TokenTransfer',
      sourceChain: ChainId.Ethereum,
      destinationChain: ChainId.Cosmos,
      nonce: 1n,
      sender: evmAddr(0xa11ce),
      recipient: h('cosmos recipient'),
      payload: { originChain: ChainId.Ethereum, originToken: SAH, amount: 1_000n * 10n ** 18n, ...sahMeta },
    },
  },
  {
    name: 'token transfer: wrapped SAH burned on Polkadot, unlocked on Ethereum',
    epoch: 1,
    message: {
      kind: 'TokenTransfer',
      sourceChain: ChainId.Polkadot,
      destinationChain: ChainId.Ethereum,
      nonce: 18_446_744_073_709_551_615n,
      sender: h('polkadot sender'),
      recipient: evmAddr(0xb0b),
      payload: {
        originChain: ChainId.Ethereum,
        originToken: SAH,
        amount: 340282366920938463463374607431768211455n,
        ...sahMeta,
      },
    },
  },
  {
    name: 'token transfer: Cosmos-native token to Polkadot (wrapped, never touching Ethereum)',
    epoch: 7,
    message: {
      kind: 'TokenTransfer',
      sourceChain: ChainId.Cosmos,
      destinationChain: ChainId.Polkadot,
      nonce: 42n,
      sender: h('cosmos sender'),
      recipient: h('polkadot recipient'),
      payload: {
        originChain: ChainId.Cosmos,
        originToken: h('denom:uatom'),
        amount: 1n,
        decimals: 6,
        symbol: packBytes32('ATOM'),
        name: packBytes32('Cosmos Hub Atom — 32 bytes max'),
      },
    },
  },
  {
    name: 'token transfer: devnet anvil A to anvil B',
    epoch: 1,
    message: {
      kind: 'TokenTransfer',
      sourceChain: ChainId.DevEthereumA,
      destinationChain: ChainId.DevEthereumB,
      nonce: 1n,
      sender: evmAddr(0xf39f),
      recipient: evmAddr(0x7099),
      payload: { originChain: ChainId.DevEthereumA, originToken: evmAddr(0x5fbd), amount: 5n * 10n ** 17n, ...sahMeta },
    },
  },
  {
    name: 'data attestation: register',
    epoch: 1,
    message: {
      kind: 'DataAttestation',
      sourceChain: ChainId.Ethereum,
      destinationChain: ChainId.Polkadot,
      nonce: 2n,
      sender: evmAddr(0xda7a),
      recipient: ZERO32,
      payload: {
        action: 'Register',
        dataHash: h('dataset v1'),
        timestamp: 1_767_225_600n,
        ownerDid: 'did:pkh:eip155:1:0x000000000000000000000000000000000000da7a',
        uri: 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi',
        license: 'CC-BY-4.0',
      },
    },
  },
  {
    name: 'data attestation: revoke',
    epoch: 1,
    message: {
      kind: 'DataAttestation',
      sourceChain: ChainId.Cosmos,
      destinationChain: ChainId.Ethereum,
      nonce: 3n,
      sender: h('cosmos owner'),
      recipient: ZERO32,
      payload: {
        action: 'Revoke',
        dataHash: h('dataset v1'),
        timestamp: 1_767_312_000n,
        ownerDid: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
        uri: '',
        license: '',
      },
    },
  },
  {
    name: 'compute job: post',
    epoch: 2,
    message: {
      kind: 'ComputeJob',
      sourceChain: ChainId.Ethereum,
      destinationChain: ChainId.Cosmos,
      nonce: 9n,
      sender: evmAddr(0xda99),
      recipient: h('cosmos job board'),
      payload: {
        action: 'Post',
        jobId: h('job 1'),
        specHash: h('model:llama data:dataset v1'),
        paymentOriginChain: ChainId.Ethereum,
        paymentOriginToken: SAH,
        paymentAmount: 25n * 10n ** 18n,
        deadline: 1_767_229_200n,
        payer: evmAddr(0xda99),
      },
    },
  },
  {
    name: 'compute job: cancel',
    epoch: 2,
    message: {
      kind: 'ComputeJob',
      sourceChain: ChainId.Ethereum,
      destinationChain: ChainId.Cosmos,
      nonce: 10n,
      sender: evmAddr(0xda99),
      recipient: h('cosmos job board'),
      payload: { action: 'Cancel', jobId: h('job 1') },
    },
  },
  {
    name: 'compute result: completed',
    epoch: 2,
    message: {
      kind: 'ComputeResult',
      sourceChain: ChainId.Cosmos,
      destinationChain: ChainId.Ethereum,
      nonce: 11n,
      sender: h('cosmos job board'),
      recipient: evmAddr(0x10b),
      payload: {
        outcome: 'Completed',
        jobId: h('job 1'),
        resultHash: h('result'),
        executor: evmAddr(0xe8ec),
        timestamp: 1_767_228_000n,
      },
    },
  },
  {
    name: 'compute result: expired',
    epoch: 2,
    message: {
      kind: 'ComputeResult',
      sourceChain: ChainId.Cosmos,
      destinationChain: ChainId.Ethereum,
      nonce: 12n,
      sender: h('cosmos job board'),
      recipient: evmAddr(0x10b),
      payload: {
        outcome: 'Expired',
        jobId: h('job 2'),
        resultHash: ZERO32,
        executor: ZERO32,
        timestamp: 1_767_229_201n,
      },
    },
  },
  {
    name: 'governance: rotate key',
    epoch: 1,
    message: {
      kind: 'Governance',
      sourceChain: ChainId.Governance,
      destinationChain: ChainId.Ethereum,
      nonce: 1n,
      sender: ZERO32,
      recipient: evmAddr(0xb41d6e),
      payload: {
        action: 'RotateKey',
        newEpoch: 2,
        newGroupKey: '0x02f37c34b66ced1fb51c34a90bdae006901f10625cc06c4f64663b0eae87d87b4f',
        graceSeconds: 86_400,
      },
    },
  },
  {
    name: 'governance: pause',
    epoch: 1,
    message: {
      kind: 'Governance',
      sourceChain: ChainId.Governance,
      destinationChain: ChainId.Cosmos,
      nonce: 2n,
      sender: ZERO32,
      recipient: h('cosmos bridge'),
      payload: { action: 'Pause' },
    },
  },
  {
    name: 'governance: unpause',
    epoch: 1,
    message: {
      kind: 'Governance',
      sourceChain: ChainId.Governance,
      destinationChain: ChainId.Cosmos,
      nonce: 3n,
      sender: ZERO32,
      recipient: h('cosmos bridge'),
      payload: { action: 'Unpause' },
    },
  },
  {
    name: 'governance: set rate limit',
    epoch: 1,
    message: {
      kind: 'Governance',
      sourceChain: ChainId.Governance,
      destinationChain: ChainId.Polkadot,
      nonce: 4n,
      sender: ZERO32,
      recipient: h('polkadot bridge'),
      payload: {
        action: 'SetRateLimit',
        originChain: ChainId.Ethereum,
        originToken: SAH,
        capacity: 1_000_000n * 10n ** 18n,
      },
    },
  },
  {
    name: 'governance: set pauser',
    epoch: 1,
    message: {
      kind: 'Governance',
      sourceChain: ChainId.Governance,
      destinationChain: ChainId.Ethereum,
      nonce: 5n,
      sender: ZERO32,
      recipient: evmAddr(0xb41d6e),
      payload: { action: 'SetPauser', pauser: evmAddr(0x9a05e) },
    },
  },
  {
    // a leading U+FEFF is content, not a byte-order mark to drop: decode then encode is the identity
    name: 'data attestation: register, uri starting with U+FEFF (byte-order mark kept)',
    epoch: 1,
    message: {
      kind: 'DataAttestation',
      sourceChain: ChainId.Ethereum,
      destinationChain: ChainId.Cosmos,
      nonce: 13n,
      sender: evmAddr(0xda7a),
      recipient: ZERO32,
      payload: {
        action: 'Register',
        dataHash: h('dataset v2'),
        timestamp: 1_767_398_400n,
        ownerDid: 'did:pkh:eip155:1:0x000000000000000000000000000000000000da7a',
        uri: '\uFEFFhttps://data.example/v2',
        license: 'CC0-1.0',
      },
    },
  },
  {
    // ownerDid is the 3 bytes ef bb bf: non-empty, so valid (a BOM-stripping decoder would call it empty)
    name: 'data attestation: revoke by an owner DID that is only U+FEFF',
    epoch: 1,
    message: {
      kind: 'DataAttestation',
      sourceChain: ChainId.Polkadot,
      destinationChain: ChainId.Ethereum,
      nonce: 7n,
      sender: h('polkadot owner'),
      recipient: ZERO32,
      payload: {
        action: 'Revoke',
        dataHash: h('dataset v2'),
        timestamp: 1_767_484_800n,
        ownerDid: '\uFEFF',
        uri: '',
        license: '',
      },
    },
  },
];

type Mutation = {
  name: string;
  base: number;
  scope: string;
  mutate: (b: Uint8Array) => Uint8Array;
  error: string;
  solidityError: string;
  /** For InvalidField: the field the decoder must name (checked here, not written to the vectors). */
  field?: string;
};

const setU32 = (b: Uint8Array, at: number, v: number) => {
  new DataView(b.buffer, b.byteOffset).setUint32(at, v);
  return b;
};
const setByte = (b: Uint8Array, at: number, v: number) => {
  b[at] = v;
  return b;
};
const splice = (b: Uint8Array, at: number, bytes: number[] | Uint8Array) => {
  b.set(bytes, at);
  return b;
};
const bigBytes = (v: bigint) => hexToBytes(`0x${v.toString(16).padStart(64, '0')}`);
const utf8 = (text: string) => new TextEncoder().encode(text);

/** Malformed encodings, derived from the valid vectors; `base` indexes VALID_MESSAGES. */
export const MUTATIONS: Mutation[] = [
  {
    name: 'header cut to 81 bytes',
    base: 0,
    scope: 'header',
    mutate: (b) => b.slice(0, 81),
    error: 'MessageTooShort',
    solidityError: 'MessageTooShort(uint256)',
  },
  {
    name: 'empty message',
    base: 0,
    scope: 'header',
    mutate: () => new Uint8Array(0),
    error: 'MessageTooShort',
    solidityError: 'MessageTooShort(uint256)',
  },
  {
    name: 'version 2',
    base: 0,
    scope: 'header',
    mutate: (b) => setByte(b, 0, 2),
    error: 'UnsupportedVersion',
    solidityError: 'UnsupportedVersion(uint8)',
  },
  {
    name: 'version 0',
    base: 0,
    scope: 'header',
    mutate: (b) => setByte(b, 0, 0),
    error: 'UnsupportedVersion',
    solidityError: 'UnsupportedVersion(uint8)',
  },
  {
    name: 'kind 0',
    base: 0,
    scope: 'header',
    mutate: (b) => setByte(b, 1, 0),
    error: 'UnknownKind',
    solidityError: 'UnknownKind(uint8)',
  },
  {
    name: 'kind 6',
    base: 0,
    scope: 'header',
    mutate: (b) => setByte(b, 1, 6),
    error: 'UnknownKind',
    solidityError: 'UnknownKind(uint8)',
  },
  {
    name: 'destination chain 0',
    base: 0,
    scope: 'header',
    mutate: (b) => setU32(b, 6, 0),
    error: 'InvalidChainRoute',
    solidityError: 'InvalidChainRoute(uint32,uint32)',
  },
  {
    name: 'source equals destination',
    base: 0,
    scope: 'header',
    mutate: (b) => setU32(b, 6, ChainId.Ethereum),
    error: 'InvalidChainRoute',
    solidityError: 'InvalidChainRoute(uint32,uint32)',
  },
  {
    name: 'token transfer from governance chain 0',
    base: 0,
    scope: 'header',
    mutate: (b) => setU32(b, 2, 0),
    error: 'InvalidChainRoute',
    solidityError: 'InvalidChainRoute(uint32,uint32)',
  },
  {
    name: 'governance from chain 1',
    base: 10,
    scope: 'header',
    mutate: (b) => setU32(b, 2, 1),
    error: 'InvalidChainRoute',
    solidityError: 'InvalidChainRoute(uint32,uint32)',
  },
  {
    name: 'token transfer payload one byte short',
    base: 0,
    scope: 'TokenTransfer',
    mutate: (b) => b.slice(0, b.length - 1),
    error: 'PayloadLength',
    solidityError: 'PayloadLength(uint8,uint256)',
  },
  {
    name: 'token transfer payload one byte long',
    base: 0,
    scope: 'TokenTransfer',
    mutate: (b) => new Uint8Array([...b, 0]),
    error: 'PayloadLength',
    solidityError: 'PayloadLength(uint8,uint256)',
  },
  {
    name: 'token transfer without payload',
    base: 0,
    scope: 'TokenTransfer',
    mutate: (b) => b.slice(0, 82),
    error: 'PayloadLength',
    solidityError: 'PayloadLength(uint8,uint256)',
  },
  {
    name: 'token transfer amount zero',
    base: 0,
    scope: 'TokenTransfer',
    mutate: (b) => splice(b, 82 + 36, new Uint8Array(16)),
    error: 'ZeroAmount',
    solidityError: 'ZeroAmount()',
  },
  {
    name: 'token transfer origin chain zero',
    base: 0,
    scope: 'TokenTransfer',
    mutate: (b) => setU32(b, 82, 0),
    error: 'InvalidField',
    solidityError: 'InvalidField(string)',
    field: 'originChain',
  },
  {
    name: 'token transfer origin token zero',
    base: 0,
    scope: 'TokenTransfer',
    mutate: (b) => splice(b, 86, new Uint8Array(32)),
    error: 'InvalidField',
    solidityError: 'InvalidField(string)',
    field: 'originToken',
  },
  {
    name: 'token transfer recipient zero',
    base: 0,
    scope: 'TokenTransfer',
    mutate: (b) => splice(b, 50, new Uint8Array(32)),
    error: 'InvalidField',
    solidityError: 'InvalidField(string)',
    field: 'recipient',
  },
  // the recipient is checked last (§3.1): with another fault too, the other fault names the error
  {
    name: 'token transfer recipient zero and payload one byte short',
    base: 0,
    scope: 'TokenTransfer',
    mutate: (b) => splice(b, 50, new Uint8Array(32)).slice(0, b.length - 1),
    error: 'PayloadLength',
    solidityError: 'PayloadLength(uint8,uint256)',
  },
  {
    name: 'token transfer recipient zero and origin chain zero',
    base: 0,
    scope: 'TokenTransfer',
    mutate: (b) => setU32(splice(b, 50, new Uint8Array(32)), 82, 0),
    error: 'InvalidField',
    solidityError: 'InvalidField(string)',
    field: 'originChain',
  },
  {
    name: 'token transfer recipient zero and origin token zero',
    base: 0,
    scope: 'TokenTransfer',
    mutate: (b) => splice(splice(b, 50, new Uint8Array(32)), 86, new Uint8Array(32)),
    error: 'InvalidField',
    solidityError: 'InvalidField(string)',
    field: 'originToken',
  },
  {
    name: 'token transfer recipient zero and amount zero',
    base: 0,
    scope: 'TokenTransfer',
    mutate: (b) => splice(splice(b, 50, new Uint8Array(32)), 82 + 36, new Uint8Array(16)),
    error: 'ZeroAmount',
    solidityError: 'ZeroAmount()',
  },
  {
    name: 'governance unknown action 9',
    base: 11,
    scope: 'Governance',
    mutate: (b) => setByte(b, 82, 9),
    error: 'UnknownAction',
    solidityError: 'UnknownAction(uint8,uint8)',
  },
  {
    name: 'governance action 0',
    base: 11,
    scope: 'Governance',
    mutate: (b) => setByte(b, 82, 0),
    error: 'UnknownAction',
    solidityError: 'UnknownAction(uint8,uint8)',
  },
  {
    name: 'governance empty payload',
    base: 11,
    scope: 'Governance',
    mutate: (b) => b.slice(0, 82),
    error: 'PayloadLength',
    solidityError: 'PayloadLength(uint8,uint256)',
  },
  {
    name: 'governance pause with a trailing byte',
    base: 11,
    scope: 'Governance',
    mutate: (b) => new Uint8Array([...b, 1]),
    error: 'PayloadLength',
    solidityError: 'PayloadLength(uint8,uint256)',
  },
  {
    name: 'governance rotate key one byte short',
    base: 10,
    scope: 'Governance',
    mutate: (b) => b.slice(0, b.length - 1),
    error: 'PayloadLength',
    solidityError: 'PayloadLength(uint8,uint256)',
  },
  {
    name: 'governance rotate key to epoch 0',
    base: 10,
    scope: 'Governance',
    mutate: (b) => setU32(b, 83, 0),
    error: 'InvalidField',
    solidityError: 'InvalidField(string)',
    field: 'newEpoch',
  },
  {
    name: 'governance rotate key with prefix 04',
    base: 10,
    scope: 'Governance',
    mutate: (b) => setByte(b, 87, 4),
    error: 'InvalidGroupKey',
    solidityError: 'InvalidGroupKey()',
  },
  {
    name: 'governance rotate key with x not on the curve',
    base: 10,
    scope: 'Governance',
    mutate: (b) => splice(b, 88, bigBytes(5n)),
    error: 'InvalidGroupKey',
    solidityError: 'InvalidGroupKey()',
  },
  {
    name: 'governance rotate key with x >= p',
    base: 10,
    scope: 'Governance',
    mutate: (b) => splice(b, 88, bigBytes(FIELD_PRIME + 1n)),
    error: 'InvalidGroupKey',
    solidityError: 'InvalidGroupKey()',
  },
  {
    // x = n is on the curve (n + 1 is not), so only the x < n rule can refuse it
    name: 'governance rotate key with x >= n (on the curve)',
    base: 10,
    scope: 'Governance',
    mutate: (b) => splice(b, 88, bigBytes(CURVE_ORDER)),
    error: 'InvalidGroupKey',
    solidityError: 'InvalidGroupKey()',
  },
  {
    name: 'governance set rate limit for origin chain 0',
    base: 13,
    scope: 'Governance',
    mutate: (b) => setU32(b, 83, 0),
    error: 'InvalidField',
    solidityError: 'InvalidField(string)',
    field: 'originChain',
  },
  {
    name: 'attestation with invalid UTF-8 in the DID',
    base: 4,
    scope: 'DataAttestation',
    mutate: (b) => setByte(b, 82 + 43, 0xff),
    error: 'InvalidField',
    solidityError: '',
    field: 'ownerDid',
  },
  {
    name: 'attestation with a trailing byte',
    base: 4,
    scope: 'DataAttestation',
    mutate: (b) => new Uint8Array([...b, 0]),
    error: 'PayloadLength',
    solidityError: '',
  },
  {
    name: 'attestation with a DID length past the end',
    base: 4,
    scope: 'DataAttestation',
    mutate: (b) => setByte(setByte(b, 82 + 41, 0xff), 82 + 42, 0xff),
    error: 'PayloadLength',
    solidityError: '',
  },
  {
    name: 'attestation revoke carrying a uri',
    base: 5,
    scope: 'DataAttestation',
    // the revoke ends with uri length 0, license length 0: give the uri 3 bytes
    mutate: (b) => new Uint8Array([...b.slice(0, b.length - 4), 0, 3, ...utf8('a:b'), 0, 0]),
    error: 'InvalidField',
    solidityError: '',
    field: 'uri',
  },
  {
    name: 'attestation revoke carrying a license',
    base: 5,
    scope: 'DataAttestation',
    mutate: (b) => new Uint8Array([...b.slice(0, b.length - 2), 0, 3, ...utf8('MIT')]),
    error: 'InvalidField',
    solidityError: '',
    field: 'license',
  },
  {
    name: 'attestation action 3',
    base: 4,
    scope: 'DataAttestation',
    mutate: (b) => setByte(b, 82, 3),
    error: 'UnknownAction',
    solidityError: '',
  },
  {
    name: 'compute job post one byte short',
    base: 6,
    scope: 'ComputeJob',
    mutate: (b) => b.slice(0, b.length - 1),
    error: 'PayloadLength',
    solidityError: '',
  },
  {
    name: 'compute job post payment origin chain zero',
    base: 6,
    scope: 'ComputeJob',
    mutate: (b) => setU32(b, 82 + 65, 0),
    error: 'InvalidField',
    solidityError: '',
    field: 'paymentOriginChain',
  },
  {
    name: 'compute job post payment origin token zero',
    base: 6,
    scope: 'ComputeJob',
    mutate: (b) => splice(b, 82 + 69, new Uint8Array(32)),
    error: 'InvalidField',
    solidityError: '',
    field: 'paymentOriginToken',
  },
  {
    name: 'compute job post amount zero',
    base: 6,
    scope: 'ComputeJob',
    mutate: (b) => splice(b, 82 + 101, new Uint8Array(16)),
    error: 'ZeroAmount',
    solidityError: '',
  },
  {
    name: 'compute result expired with an executor',
    base: 9,
    scope: 'ComputeResult',
    mutate: (b) => setByte(b, 82 + 65 + 31, 1),
    error: 'InvalidField',
    solidityError: '',
    field: 'resultHash',
  },
  {
    name: 'compute result outcome 4',
    base: 9,
    scope: 'ComputeResult',
    mutate: (b) => setByte(b, 82, 4),
    error: 'UnknownAction',
    solidityError: '',
  },
];

const json = (v: unknown) =>
  JSON.parse(
    JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? bytesToHex(x) : x)),
  );

function signDigest(key: TestKey, digest: Hex, label: string) {
  const msg = hexToBytes(digest);
  const signature = signInProcess(key.keys.slice(0, key.threshold), msg, seededRng(`sign:${label}`));
  const parts = splitSignature(signature);
  return {
    signature: bytesToHex(signature),
    signatureEvm: evmSignature(signature),
    challenge: `0x${frostChallenge(parts.R, hexToBytes(key.groupKey.compressed), msg).toString(16).padStart(64, '0')}`,
  };
}

const pad32 = (n: bigint): Hex => `0x${n.toString(16).padStart(64, '0')}`;

/**
 * The verifying instance each family's test harness stands up (docs/PROTOCOL.md §2): every valid vector and the
 * batch are signed once per family, so each language delivers every vector through its own contract.
 */
export const VECTOR_INSTANCES = {
  /** Foundry's and anvil's default chain id; the Bridge deployed at `bridgeAddress` (deployCodeTo). */
  evm: { evmChainId: 31337, bridgeAddress: '0x5a4b000000000000000000000000000000000b1d' },
  /** cw-multi-test with its block's chain id set; the bridge is the app's first contract, which the harness's
   * address generator names by label: canonical bytes sha256("contract0"). */
  cosmwasm: { chainId: 'sah-vectors-1', canonicalAddress: bytesToHex(sha256(utf8('contract0'))) },
  /** The pallet's mock: frame_system's genesis hash before block 1 (hash69) and the mock's instance id. */
  substrate: {
    genesisHash: `0x${'45'.repeat(32)}` as Hex,
    instanceId: bytesToHex(sha256(utf8('sah-bridge vectors instance'))),
  },
} as const;

export const VECTOR_BINDINGS: Record<keyof typeof VECTOR_INSTANCES, InstanceBinding> = {
  evm: {
    chainBinding: pad32(BigInt(VECTOR_INSTANCES.evm.evmChainId)),
    bridge: pad32(BigInt(VECTOR_INSTANCES.evm.bridgeAddress)),
  },
  cosmwasm: {
    chainBinding: bytesToHex(sha256(utf8(VECTOR_INSTANCES.cosmwasm.chainId))),
    bridge: VECTOR_INSTANCES.cosmwasm.canonicalAddress,
  },
  substrate: { chainBinding: VECTOR_INSTANCES.substrate.genesisHash, bridge: VECTOR_INSTANCES.substrate.instanceId },
};

/** One signature per family's instance over the same (epoch, destination, root). */
function deliveries(key: TestKey, epoch: number, destinationChain: number, root: Hex, label: string) {
  return Object.fromEntries(
    Object.entries(VECTOR_BINDINGS).map(([family, instance]) => {
      const digest = signingDigest(epoch, destinationChain, instance, root);
      return [
        family,
        {
          preimage: bytesToHex(digestPreimage(epoch, destinationChain, instance, root)),
          signingDigest: digest,
          ...signDigest(key, digest, `${label}/${family}`),
        },
      ];
    }),
  ) as Record<keyof typeof VECTOR_INSTANCES, { preimage: Hex; signingDigest: Hex } & ReturnType<typeof signDigest>>;
}

export function buildVectors() {
  const key = vectorTestKey();
  const valid = VALID_MESSAGES.map(({ name, epoch, message }) => {
    const encoding = encodeMessage(message);
    const id = messageId(encoding);
    const { kind, payload, ...header } = message;
    return {
      name,
      kind,
      header,
      payload,
      encoding: bytesToHex(encoding),
      messageId: id,
      leaf: leafHash(id),
      epoch,
      deliveries: deliveries(key, epoch, message.destinationChain, buildBatch([id]).root, name),
    };
  });
  const invalid = MUTATIONS.map((m) => {
    const base = VALID_MESSAGES[m.base];
    if (!base) throw new Error(`mutation ${m.name}: no base ${m.base}`);
    const encoding = m.mutate(encodeMessage(base.message).slice());
    let got = 'none';
    try {
      decodeMessage(encoding);
    } catch (e) {
      got = e instanceof ProtocolError ? e.code : String(e);
      if (e instanceof InvalidFieldError) got += `(${e.field})`;
    }
    const expected = m.field === undefined ? m.error : `${m.error}(${m.field})`;
    if (got !== expected) throw new Error(`mutation ${m.name}: expected ${expected}, decoder says ${got}`);
    return {
      name: m.name,
      scope: m.scope,
      encoding: bytesToHex(encoding),
      error: m.error,
      solidityError: m.solidityError,
    };
  });
  const batchMembers = [0, 3, 1].map((i) => VALID_MESSAGES[i] as (typeof VALID_MESSAGES)[number]);
  // a batch shares one destination: reuse three transfers re-addressed to Ethereum B (devnet)
  const batchMessages = batchMembers.map((v, i) => ({
    ...v.message,
    sourceChain: ChainId.DevEthereumA,
    destinationChain: ChainId.DevEthereumB,
    nonce: BigInt(100 + i),
  })) as Message[];
  const ids = batchMessages.map((m) => messageId(encodeMessage(m)));
  const batch = buildBatch(ids);
  for (const [i, id] of ids.entries())
    if (batchRootFromProof(id, batch.proofs[i] ?? []) !== batch.root) throw new Error('batch proof does not verify');
  const digest0 = (valid[0] as { deliveries: ReturnType<typeof deliveries> }).deliveries.evm.signingDigest;
  const badSignatureBase = signDigest(key, digest0, 'bad signature base');
  const sigBytes = hexToBytes(badSignatureBase.signature as Hex);
  const flipped = sigBytes.slice();
  flipped[64] = (flipped[64] as number) ^ 1;
  const zTooBig = new Uint8Array([...sigBytes.slice(0, 33), ...bigBytes(CURVE_ORDER + 1n)]);
  const zZero = new Uint8Array([...sigBytes.slice(0, 33), ...new Uint8Array(32)]);
  const rOffCurve = new Uint8Array([2, ...bigBytes(5n), ...sigBytes.slice(33)]);
  const rBadPrefix = new Uint8Array([4, ...sigBytes.slice(1)]);
  // an inner node of the batch (the first two leaves' parent): refused where a message's leaf is expected
  const leaves = ids.map(leafHash);
  const innerNode = nodeHash(leaves[0] as Hex, leaves[1] as Hex);
  return json({
    description:
      'Golden vectors of the SAH bridge message protocol (docs/PROTOCOL.md). Generated by `npm run vectors`; checked byte for byte by the TypeScript, Solidity and Rust tests.',
    testKey: {
      note: 'A fixed 2-of-3 FROST test key. Never use it outside tests.',
      threshold: key.threshold,
      signers: key.signers,
      secretKey: key.secretKey,
      groupKey: key.groupKey.compressed,
      groupKeyX: `0x${key.groupKey.x.toString(16).padStart(64, '0')}`,
      groupKeyYParity: key.groupKey.yParity,
    },
    instances: Object.fromEntries(
      Object.entries(VECTOR_INSTANCES).map(([f, v]) => [
        f,
        { ...v, ...VECTOR_BINDINGS[f as keyof typeof VECTOR_BINDINGS] },
      ]),
    ),
    valid,
    invalid,
    batch: {
      destinationChain: ChainId.DevEthereumB,
      epoch: 1,
      encodings: batchMessages.map((m) => bytesToHex(encodeMessage(m))),
      messageIds: ids,
      leaves,
      root: batch.root,
      proofs: batch.proofs,
      innerNode,
      deliveries: deliveries(key, 1, ChainId.DevEthereumB, batch.root, 'batch'),
    },
    badSignatures: [
      {
        name: 'z with one bit flipped',
        digest: digest0,
        signature: bytesToHex(flipped),
        error: 'InvalidSignature',
        solidityError: 'InvalidSignature()',
      },
      {
        name: 'z >= n',
        digest: digest0,
        signature: bytesToHex(zTooBig),
        error: 'ScalarOutOfRange',
        solidityError: 'ScalarOutOfRange()',
      },
      {
        name: 'z = 0',
        digest: digest0,
        signature: bytesToHex(zZero),
        error: 'ScalarOutOfRange',
        solidityError: 'ScalarOutOfRange()',
      },
      {
        name: 'R not on the curve',
        digest: digest0,
        signature: bytesToHex(rOffCurve),
        error: 'InvalidCommitment',
        solidityError: 'InvalidCommitment()',
      },
      {
        name: 'R with prefix 04',
        digest: digest0,
        signature: bytesToHex(rBadPrefix),
        error: 'InvalidCommitment',
        solidityError: 'InvalidCommitment()',
      },
      {
        name: 'valid signature over another digest (wrong epoch)',
        digest: signingDigest(2, ChainId.Cosmos, VECTOR_BINDINGS.evm, (valid[0] as { leaf: Hex }).leaf),
        signature: badSignatureBase.signature,
        error: 'InvalidSignature',
        solidityError: 'InvalidSignature()',
      },
    ],
    rfc9591: {
      source: 'RFC 9591 appendix E.5, FROST(secp256k1, SHA-256) (same values in ZcashFoundation/frost vectors.json)',
      groupKey: '0x02f37c34b66ced1fb51c34a90bdae006901f10625cc06c4f64663b0eae87d87b4f',
      message: '0x74657374',
      signature:
        '0x024c1ad4e031872661fa6ebd05dfc7fb30db08b38d79f0edbc82051ae931381bc6a46881e25c7989d3816eae32074f1ab0d49ee908a59713ed5284c6bade7cfb02',
    },
  });
}

export function renderVectors(): string {
  // U+FEFF (in the byte-order-mark vectors) is written as an escape, not as an invisible character
  return `${JSON.stringify(buildVectors(), null, 2).replaceAll('\uFEFF', '\\ufeff')}\n`;
}
