/**
 * The networked DKG among five operators over real loopback HTTP with signed peer requests, and the
 * attacks a single malicious operator can try on it: equivocation (a different polynomial per peer
 * with the same constant term: before, every check passed and no honest t could sign), a bad share,
 * a false accusation, and an overwrite of an existing epoch's share.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../devnet/ports.js';
import type { NodeConfig } from '../config/nodeConfig.js';
import { Keystore } from '../keystore/keystore.js';
import { checkGroupFile, type GroupFile, type OperatorSecrets, readGroupFile } from '../node/secrets.js';
import { newIdentity } from '../peer/identity.js';
import { frost, signInProcess, verifyFrost } from '../protocol/frost.js';
import { deserializeKey } from '../signer/keys.js';
import {
  DkgCheatingError,
  type DkgConduct,
  DkgError,
  type DkgOptions,
  honestConduct,
  runNetworkDkg,
} from './networkDkg.js';
import { checkTestSignatures, UntestedKeyError } from './testSign.js';

const N = 5;
const T = 3;

async function operatorSet(): Promise<NodeConfig[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sah-dkg-'));
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, 'dkg-test-password\n', { mode: 0o600 });
  const identities = Array.from({ length: N }, () => newIdentity());
  const ports = await Promise.all(identities.map(() => freePort()));
  const operators = identities.map((id, i) => ({
    id: i + 1,
    url: `http://127.0.0.1:${ports[i]}`,
    identityKey: id.publicKey,
  }));
  return identities.map((identity, i) => {
    const config = {
      operatorId: i + 1,
      listen: {
        host: '127.0.0.1',
        port: 0,
        peerHost: '127.0.0.1',
        peerPort: ports[i] as number,
        internalHost: '127.0.0.1',
      },
      api: {},
      redisUrl: 'redis://127.0.0.1:1',
      keystore: { path: join(dir, `keystore-${i + 1}.json`), passwordFile },
      groupFile: join(dir, `group-${i + 1}.json`),
      threshold: T,
      operators,
      chains: [],
      timeouts: { coordinatorMs: 4000, deliveryTakeoverMs: 6000, peerRequestMs: 2000, signingMs: 3000 },
      batch: { maxMessages: 64 },
      retry: { attempts: 12, baseDelayMs: 250 },
    } as NodeConfig;
    new Keystore<OperatorSecrets>(config.keystore.path, 'dkg-test-password').write({
      identity,
      wallets: {},
      shares: {},
    });
    return config;
  });
}

type Outcome = { ok: true; group: GroupFile } | { ok: false; error: Error };

async function runAll(
  configs: NodeConfig[],
  epoch: number,
  conductOf: (operator: number) => DkgOptions['conduct'] = () => undefined,
): Promise<Outcome[]> {
  return Promise.all(
    configs.map((c) => {
      const conduct = conductOf(c.operatorId);
      return runNetworkDkg(c, epoch, { timeoutMs: 90_000, ...(conduct === undefined ? {} : { conduct }) }).then(
        (group): Outcome => ({ ok: true, group }),
        (error: Error): Outcome => ({ ok: false, error }),
      );
    }),
  );
}

function secretsOf(c: NodeConfig): OperatorSecrets {
  return new Keystore<OperatorSecrets>(c.keystore.path, 'dkg-test-password').read();
}

/** Every honest operator failed with the culprit named; nothing was written anywhere. */
function expectNamed(outcomes: Outcome[], configs: NodeConfig[], culprit: number, offence: string): void {
  for (const [i, o] of outcomes.entries()) {
    if (i + 1 === culprit) continue;
    expect(o.ok, `operator ${i + 1} must not finish`).toBe(false);
    const error = (o as { error: Error }).error;
    expect(error).toBeInstanceOf(DkgCheatingError);
    const named = (error as DkgCheatingError).culprits;
    expect(named.map((c) => c.operator)).toEqual([culprit]);
    expect(named[0]?.offence).toBe(offence);
    expect(error.message).toContain(`operator ${culprit} (${offence}`);
  }
  for (const c of configs) expect(secretsOf(c).shares).toEqual({});
}

describe('network DKG (5 operators, t = 3, real loopback HTTP)', () => {
  it('honest operators agree on a key that any 3 of them can sign under; the group file is bound to the keystore', async () => {
    const configs = await operatorSet();
    const outcomes = await runAll(configs, 1);
    expect(outcomes.filter((o) => !o.ok).map((o) => (o as { error: Error }).error.message)).toEqual([]);
    const groups = outcomes.map((o) => (o as { group: GroupFile }).group);
    expect(new Set(groups.map((g) => g.groupKey)).size).toBe(1);
    const keys = configs.map((c) => deserializeKey(1, secretsOf(c).shares['1'] as never).key);
    const message = new TextEncoder().encode('subset check');
    for (const subset of [
      [0, 1, 2],
      [2, 3, 4],
      [0, 3, 4],
    ]) {
      const sig = signInProcess(
        subset.map((i) => keys[i] as (typeof keys)[number]),
        message,
      );
      expect(verifyFrost(sig, message, groups[0]?.groupKey as `0x${string}`)).toBe(true);
    }
    for (const c of configs) checkGroupFile(readGroupFile(c.groupFile), c.operatorId, secretsOf(c).shares['1']);
    // the key signed test messages from subsets covering all five operators before anyone wrote it
    const group = readGroupFile(configs[0]?.groupFile as string);
    expect(group.testSignatures?.map((s) => s.signers)).toEqual([
      [1, 2, 3],
      [4, 5, 1],
    ]);
    checkTestSignatures(group, group.testSignatures);
    // a group file whose key never signed, or with a signature that does not verify, cannot be rotated to
    expect(() => checkTestSignatures(group, undefined)).toThrow(UntestedKeyError);
    const tampered = group.testSignatures?.map((s, i) =>
      i === 1
        ? { ...s, signature: `${s.signature.slice(0, -2)}${s.signature.endsWith('00') ? '01' : '00'}` as Hex }
        : s,
    );
    expect(() => checkTestSignatures(group, tampered)).toThrow(/does not verify/);
    expect(() => checkTestSignatures(group, group.testSignatures?.slice(0, 1))).toThrow(/covers operator\(s\) 4, 5/);
    // another operator's group file does not fit this keystore
    expect(() =>
      checkGroupFile(
        readGroupFile(configs[1]?.groupFile as string),
        1,
        secretsOf(configs[0] as NodeConfig).shares['1'],
      ),
    ).toThrow(/operator 2's/);
    // a second DKG for the same epoch is refused before any network round: the share stays
    const before = readFileSync(configs[0]?.keystore.path as string, 'utf8');
    await expect(runNetworkDkg(configs[0] as NodeConfig, 1, { timeoutMs: 2000 })).rejects.toThrow(
      /already holds a key share for epoch 1/,
    );
    expect(readFileSync(configs[0]?.keystore.path as string, 'utf8')).toBe(before);
  }, 150_000);

  it('an operator sending each peer a different polynomial with the same constant term is named, nothing written', async () => {
    const configs = await operatorSet();
    const outcomes = await runAll(configs, 1, (id) =>
      id === 5
        ? ({ me, threshold, signers }) => {
            const secret = frost.DKG.round1(frost.Identifier.fromNumber(me), { min: threshold, max: signers });
            const constant = secret.secret.coefficients?.[0] as bigint;
            const bytes = Uint8Array.from(Buffer.from(constant.toString(16).padStart(64, '0'), 'hex'));
            const perPeer = new Map<number, ReturnType<typeof frost.DKG.round1>>();
            return {
              round1For: (peer) => {
                let s = perPeer.get(peer);
                if (!s) {
                  s = frost.DKG.round1(frost.Identifier.fromNumber(me), { min: threshold, max: signers }, bytes);
                  perPeer.set(peer, s);
                }
                return s;
              },
            } satisfies DkgConduct;
          }
        : undefined,
    );
    expectNamed(outcomes, configs, 5, 'equivocation');
  }, 150_000);

  it('an operator sending one peer a bad share is disqualified by the complaint round', async () => {
    const configs = await operatorSet();
    const outcomes = await runAll(configs, 1, (id) =>
      id === 4
        ? (round) => ({
            ...honestConduct(round),
            shareFor: (peer, share) => {
              if (peer !== 2) return share;
              const bad = Uint8Array.from(share);
              bad[31] = (bad[31] as number) ^ 1;
              return bad;
            },
          })
        : undefined,
    );
    expectNamed(outcomes, configs, 4, 'bad-share');
  }, 150_000);

  it('an operator accusing an honest one falsely is disqualified itself', async () => {
    const configs = await operatorSet();
    const outcomes = await runAll(configs, 1, (id) =>
      id === 3 ? (round) => ({ ...honestConduct(round), extraComplaints: (accuse) => [accuse(1)] }) : undefined,
    );
    expectNamed(outcomes, configs, 3, 'false-complaint');
  }, 150_000);

  it('a missing operator times out with its id named', async () => {
    const configs = await operatorSet();
    const outcomes = await Promise.allSettled(
      configs.slice(0, 4).map((c) => runNetworkDkg(c, 1, { timeoutMs: 10_000 })),
    );
    for (const o of outcomes) {
      expect(o.status).toBe('rejected');
      const e = (o as PromiseRejectedResult).reason as Error;
      expect(e).toBeInstanceOf(DkgError);
      expect(e.message).toMatch(/operator 5/);
    }
  }, 60_000);
});
