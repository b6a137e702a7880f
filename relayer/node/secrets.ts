/** What an operator keeps in its encrypted keystore, and the public group file the DKG writes. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, type Hex } from 'viem';
import type { NodeConfig } from '../config/nodeConfig.js';
import type { TestSignature } from '../dkg/testSign.js';
import { Keystore, keystorePassword } from '../keystore/keystore.js';
import type { Identity } from '../peer/identity.js';
import type { FrostKey } from '../protocol/frost.js';
import type { SerializedKey } from '../signer/keys.js';

export interface OperatorSecrets {
  identity: Identity;
  /** Delivery account key per chain name. */
  wallets: Record<string, Hex>;
  /** FROST key share per key epoch. */
  shares: Record<string, SerializedKey>;
}

export interface GroupFile {
  epoch: number;
  groupKey: Hex;
  threshold: number;
  operators: number[];
  /** The operator whose keystore holds the matching share, and that share's public image: binds file to keystore. */
  operatorId: number;
  verifyingShare: Hex;
  /** Signatures the new key made in the DKG, from subsets covering every operator (dkg/testSign.ts). */
  testSignatures?: TestSignature[];
}

/** A signing share's public image (its verifying share, compressed), as every key package records it. */
function verifyingShareOf(signingShare: Hex): Hex {
  return bytesToHex(secp256k1.Point.BASE.multiply(BigInt(signingShare)).toBytes(true));
}

export class GroupFileError extends Error {
  override name = 'GroupFileError';
}

/** The public group file for this operator's share of `epoch`. */
export function groupFileFor(
  config: Pick<NodeConfig, 'operatorId' | 'operators'>,
  epoch: number,
  key: FrostKey,
): GroupFile {
  return {
    epoch,
    groupKey: bytesToHex(key.public.commitments[0] as Uint8Array),
    threshold: key.public.signers.min,
    operators: config.operators.map((o) => o.id),
    operatorId: config.operatorId,
    verifyingShare: verifyingShareOf(bytesToHex(key.secret.signingShare as Uint8Array)),
  };
}

/**
 * The group file belongs to this keystore: same operator, same group key, and the share's public image
 * is the one the file (and every peer's key package) records. A file copied from another operator or
 * epoch, or a keystore restored from elsewhere, is refused at start.
 */
export function checkGroupFile(group: GroupFile, operatorId: number, share: SerializedKey | undefined): void {
  if (!share) throw new GroupFileError(`the keystore holds no key share for epoch ${group.epoch}`);
  if (group.operatorId !== operatorId)
    throw new GroupFileError(`the group file is operator ${group.operatorId}'s, this is operator ${operatorId}`);
  if (share.commitments[0]?.toLowerCase() !== group.groupKey.toLowerCase())
    throw new GroupFileError(
      `key share is for group key ${share.commitments[0]}, the group file says ${group.groupKey}`,
    );
  if (share.threshold !== group.threshold)
    throw new GroupFileError(`key share has threshold ${share.threshold}, the group file ${group.threshold}`);
  const image = verifyingShareOf(share.signingShare);
  const recorded = share.verifyingShares[share.identifier];
  if (image !== group.verifyingShare.toLowerCase() || image !== recorded?.toLowerCase())
    throw new GroupFileError('the keystore share does not match the group file (verifying share differs)');
}

export function operatorKeystore(config: Pick<NodeConfig, 'keystore'>): Keystore<OperatorSecrets> {
  return new Keystore<OperatorSecrets>(config.keystore.path, keystorePassword(config.keystore));
}

export function readGroupFile(path: string): GroupFile {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as GroupFile;
  } catch (e) {
    throw new Error(`cannot read group file ${path}: ${(e as Error).message} (run \`sah-bridge dkg\` first)`);
  }
}

/** Atomic: a crash leaves the old file or the new one, never half of one. */
export function writeGroupFile(path: string, group: GroupFile): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(group, null, 2)}\n`);
  renameSync(tmp, path);
}
