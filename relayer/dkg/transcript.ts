/**
 * The DKG's evidence and its judge, as pure functions: signed round-1 packages and sealed shares, the
 * echo check that every node saw the same round 1, share checks against the sender's commitment, and
 * the verdict on a complaint. Every verdict names an operator with evidence any other node can check,
 * so all honest nodes reach the same one.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import { type Identity, signBytes, verifyBytes } from '../peer/identity.js';
import {
  openRevealed,
  type SealedShare,
  SealedShareError,
  type ShareContext,
  type ShareKeyReveal,
  ShareKeyRevealError,
} from './sealedShare.js';

const encoder = new TextEncoder();
const ORDER = secp256k1.Point.Fn.ORDER;

/** A round-1 broadcast: the commitment vector and proof of knowledge, signed by its sender. */
export interface Round1Package {
  session: string;
  sender: number;
  identifier: string;
  commitment: Hex[];
  proofOfKnowledge: Hex;
  signature: Hex;
}

/** A round-2 share for one recipient, sealed, signed by its sender (so a complaint can carry it). */
export interface SharePackage extends SealedShare {
  session: string;
  sender: number;
  recipient: number;
  signature: Hex;
}

/** A recipient's complaint: the share as the sender signed it, and the key that opens it. */
export interface Complaint {
  against: number;
  share: SharePackage;
  reveal: ShareKeyReveal;
}

export type Offence =
  | 'equivocation'
  | 'forged-echo'
  | 'bad-share'
  | 'false-complaint'
  | 'inconsistent-result'
  | 'bad-test-share';

export interface Culprit {
  operator: number;
  offence: Offence;
  detail: string;
}

/**
 * What every statement is bound to: the epoch's operator set (ids and identity keys), t and n. A
 * package of another set or threshold does not verify here.
 */
export function dkgSetup(threshold: number, operators: { id: number; identityKey: Hex }[]): string {
  const list = [...operators].sort((a, b) => a.id - b.id).map((o) => `${o.id}:${o.identityKey.toLowerCase()}`);
  return bytesToHex(sha256(encoder.encode(`SAH-DKG-SETUP-V2\n${threshold}\n${list.join(',')}`)));
}

function round1Statement(setup: string, p: Omit<Round1Package, 'signature'>): Uint8Array {
  const body = sha256(
    new Uint8Array([...p.commitment.flatMap((c) => [...hexToBytes(c)]), ...hexToBytes(p.proofOfKnowledge)]),
  );
  return encoder.encode(`SAH-DKG-R1-V2\n${setup}\n${p.session}\n${p.sender}\n${p.identifier}\n${bytesToHex(body)}`);
}

function shareStatement(setup: string, p: Omit<SharePackage, 'signature'>): Uint8Array {
  const body = sha256(new Uint8Array([...hexToBytes(p.ephemeral), ...encoder.encode(p.box)]));
  return encoder.encode(`SAH-DKG-R2-V2\n${setup}\n${p.session}\n${p.sender}\n${p.recipient}\n${bytesToHex(body)}`);
}

export function signRound1(identity: Identity, setup: string, p: Omit<Round1Package, 'signature'>): Round1Package {
  return { ...p, signature: signBytes(identity, round1Statement(setup, p)) };
}

export function round1SignatureValid(setup: string, p: Round1Package, senderKey: Hex): boolean {
  return verifyBytes(senderKey, round1Statement(setup, p), p.signature);
}

export function signSharePackage(identity: Identity, setup: string, p: Omit<SharePackage, 'signature'>): SharePackage {
  return { ...p, signature: signBytes(identity, shareStatement(setup, p)) };
}

export function shareSignatureValid(setup: string, p: SharePackage, senderKey: Hex): boolean {
  return verifyBytes(senderKey, shareStatement(setup, p), p.signature);
}

/** Two round-1 packages carry the same commitment and proof (signatures may differ: ed25519 is deterministic, but do not rely on it). */
export function samePackage(a: Round1Package, b: Round1Package): boolean {
  return (
    a.session === b.session &&
    a.sender === b.sender &&
    a.identifier === b.identifier &&
    a.proofOfKnowledge.toLowerCase() === b.proofOfKnowledge.toLowerCase() &&
    a.commitment.length === b.commitment.length &&
    a.commitment.every((c, i) => c.toLowerCase() === b.commitment[i]?.toLowerCase())
  );
}

/**
 * Compares every echoed round-1 package with this node's own view. A validly signed package that
 * differs from ours proves its sender equivocated; a package that does not verify can only have been
 * made up by the node that echoed it.
 */
export function judgeEchoes(
  setup: string,
  mine: ReadonlyMap<number, Round1Package>,
  echoes: ReadonlyMap<number, Round1Package[]>,
  keys: ReadonlyMap<number, Hex>,
): Culprit[] {
  const culprits = new Map<number, Culprit>();
  const name = (c: Culprit) => {
    if (!culprits.has(c.operator)) culprits.set(c.operator, c);
  };
  for (const [echoer, packages] of echoes) {
    for (const p of packages) {
      const key = keys.get(p.sender);
      if (!key || !round1SignatureValid(setup, p, key)) {
        name({
          operator: echoer,
          offence: 'forged-echo',
          detail: `echoed a round-1 package of operator ${p.sender} that operator ${p.sender} did not sign`,
        });
        continue;
      }
      const own = mine.get(p.sender);
      if (own && !samePackage(own, p))
        name({
          operator: p.sender,
          offence: 'equivocation',
          detail: `signed two different round-1 packages (one seen by operator ${echoer})`,
        });
    }
  }
  return [...culprits.values()];
}

/** share·G == Σ C_k·i^k: the share operator `recipient` got lies on the sender's committed polynomial. */
export function shareMatchesCommitment(share: bigint, recipient: number, commitment: Hex[]): boolean {
  if (share <= 0n || share >= ORDER) return false;
  let expected = secp256k1.Point.ZERO;
  let power = 1n;
  const x = BigInt(recipient);
  for (const c of commitment) {
    let point: InstanceType<typeof secp256k1.Point>;
    try {
      point = secp256k1.Point.fromBytes(hexToBytes(c));
    } catch {
      return false;
    }
    expected = expected.add(point.multiply(power));
    power = (power * x) % ORDER;
  }
  return secp256k1.Point.BASE.multiply(share).equals(expected);
}

/** A share's plaintext: the 32-byte big-endian scalar. */
export function encodeShare(share: Uint8Array): Uint8Array {
  if (share.length !== 32) throw new SealedShareError('a share is 32 bytes');
  return share;
}

export function decodeShare(plain: Uint8Array): bigint {
  if (plain.length !== 32) throw new SealedShareError(`share is ${plain.length} bytes, expected 32`);
  return BigInt(bytesToHex(plain));
}

export function shareContext(p: Pick<SharePackage, 'session' | 'sender' | 'recipient'>): ShareContext {
  return { session: p.session, sender: p.sender, recipient: p.recipient };
}

/**
 * The verdict on one complaint by `accuser`: the sender if the share it signed is bad (does not open
 * with the proven key, or is off its commitment), the accuser if its complaint is false or malformed.
 */
export function judgeComplaint(
  setup: string,
  session: string,
  accuser: number,
  complaint: Complaint,
  keys: ReadonlyMap<number, Hex>,
  commitmentOf: (sender: number) => Hex[] | undefined,
): Culprit {
  const s = complaint.share;
  const falseComplaint = (detail: string): Culprit => ({ operator: accuser, offence: 'false-complaint', detail });
  const senderKey = keys.get(s.sender);
  const accuserKey = keys.get(accuser);
  if (s.session !== session || s.recipient !== accuser || s.sender !== complaint.against || !senderKey || !accuserKey)
    return falseComplaint('complaint about a share of another session, pair or operator');
  if (!shareSignatureValid(setup, s, senderKey))
    return falseComplaint(`complaint carries a share operator ${s.sender} did not sign`);
  const commitment = commitmentOf(s.sender);
  if (!commitment) return falseComplaint(`no round-1 commitment of operator ${s.sender}`);
  let plain: Uint8Array;
  try {
    plain = openRevealed(shareContext(s), accuserKey, s, complaint.reveal);
  } catch (e) {
    if (e instanceof ShareKeyRevealError) return falseComplaint(`revealed key does not hold: ${e.message}`);
    return {
      operator: s.sender,
      offence: 'bad-share',
      detail: `share for operator ${accuser}: ${(e as Error).message}`,
    };
  }
  let share: bigint;
  try {
    share = decodeShare(plain);
  } catch (e) {
    return {
      operator: s.sender,
      offence: 'bad-share',
      detail: `share for operator ${accuser}: ${(e as Error).message}`,
    };
  }
  if (!shareMatchesCommitment(share, accuser, commitment))
    return {
      operator: s.sender,
      offence: 'bad-share',
      detail: `share for operator ${accuser} is not on its committed polynomial`,
    };
  return falseComplaint(`complained about operator ${s.sender}'s valid share`);
}

/** sha256 over every operator's round-1 package, in operator order: what the group key was built from. */
export function transcriptHash(packages: Round1Package[]): Hex {
  const sorted = [...packages].sort((a, b) => a.sender - b.sender);
  const parts = sorted.map((p) => `${p.sender}:${p.identifier}:${p.commitment.join(',')}:${p.proofOfKnowledge}`);
  return bytesToHex(sha256(encoder.encode(parts.join('\n').toLowerCase())));
}

export function describeCulprits(culprits: Culprit[]): string {
  return culprits.map((c) => `operator ${c.operator} (${c.offence}: ${c.detail})`).join('; ');
}
