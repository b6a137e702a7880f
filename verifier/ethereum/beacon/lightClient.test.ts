import type { Hex } from 'viem';
import { beforeAll, describe, expect, it } from 'vitest';
import { flipHexBit } from '../../testing/bits.js';
import { reasonOf } from '../../testing/reason.js';
import { fixture } from '../testdata/fixtures.js';
import { type BeaconChainConfig, currentSlot, MAINNET } from './config.js';
import { beaconHeaderRoot, rootHex } from './containers.js';
import { parseBootstrap, parseUpdate } from './json.js';
import { hasSupermajority, isValidLightClientHeader, participation, SyncCommitteeLightClient } from './lightClient.js';
import type { LightClientBootstrap, LightClientHeader, LightClientUpdate, SyncCommittee } from './types.js';

const bootstrap = parseBootstrap(fixture('beacon-lc-capella/bootstrap.json'));
const updates = fixture<unknown[]>('beacon-lc-capella/updates.json').map(parseUpdate);
const finality = parseUpdate(fixture('beacon-lc-capella/finality.json'));
const optimistic = parseUpdate(fixture('beacon-lc-capella/optimistic.json'));
const checkpoint = rootHex(beaconHeaderRoot(bootstrap.header.beacon));
const now = currentSlot(MAINNET);

/** A client synced through the updates before `index` (the last one is left to the test). */
function clientBefore(index: number, config: BeaconChainConfig = MAINNET, boot: LightClientBootstrap = bootstrap) {
  const lc = SyncCommitteeLightClient.fromBootstrap(config, checkpoint, boot);
  for (const u of updates.slice(0, index)) lc.processUpdate(u, now);
  return lc;
}

describe('sync-committee light client (mainnet, Capella, periods 862..867)', () => {
  beforeAll(() => {
    // decodes every committee's keys once (cached by committee root), so the tests below time the rest
    clientBefore(updates.length);
  });

  it('bootstraps from the checkpoint: header root, execution branch, current committee branch', () => {
    const lc = SyncCommitteeLightClient.fromBootstrap(MAINNET, checkpoint, bootstrap);
    expect(lc.period).toBe(862n);
    expect(lc.hasNextSyncCommittee).toBe(false);
    expect(lc.finalizedExecution().blockNumber).toBe(17_883_333n);
    expect(lc.isCurrentCommittee(bootstrap.currentSyncCommittee)).toBe(true);
  });

  it('applies the updates for periods 862..867 in order, rotating the committee each period', () => {
    const lc = SyncCommitteeLightClient.fromBootstrap(MAINNET, checkpoint, bootstrap);
    const periods: bigint[] = [];
    for (const u of updates) {
      expect(lc.processUpdate(u, now)).toBe(true);
      periods.push(lc.period);
      expect(lc.hasNextSyncCommittee).toBe(true);
    }
    // the first update only teaches the next committee (its finalized header is older than the bootstrap)
    expect(periods).toEqual([862n, 863n, 864n, 865n, 866n, 867n]);
    expect(lc.isCurrentCommittee(updates[4]?.nextSyncCommittee as never)).toBe(true);
    expect(lc.finalizedHeader.beacon.slot).toBe(updates[5]?.finalizedHeader?.beacon.slot);
  });

  it('the finality update finalizes execution block 17,923,026; the optimistic update moves the optimistic head', () => {
    const lc = clientBefore(updates.length);
    expect(lc.processUpdate(finality, now)).toBe(true);
    expect(lc.finalizedExecution()).toEqual({
      beaconSlot: 7_109_344n,
      blockNumber: 17_923_026n,
      blockHash: '0xbc8499537876e5406c7a65e25f99063f1cd85a17014a3aa5ade38271b1fbf64f',
      stateRoot: '0x226f5ff47ab3725b5a4a3afc74b1e79e4aa3a29704561eccce590e58900baec3',
    });
    expect(lc.processUpdate(optimistic, now)).toBe(true);
    expect(lc.optimisticHeader.beacon.slot).toBe(7_109_431n);
    expect(lc.finalizedExecution().blockNumber).toBe(17_923_026n);
    // replaying an update it already has verifies but changes nothing
    expect(lc.processUpdate(finality, now)).toBe(false);
    // and once the store is past an update's attested slot, the update is refused
    expect(reasonOf(() => lc.processUpdate(updates[5] as LightClientUpdate, now))).toBe('bad-sync-committee-update');
  });

  it('refuses a bootstrap for another checkpoint or with a tampered committee or branch', () => {
    expect(reasonOf(() => SyncCommitteeLightClient.fromBootstrap(MAINNET, flipHexBit(checkpoint, 7), bootstrap))).toBe(
      'bad-sync-committee-update',
    );
    const pubkeys = bootstrap.currentSyncCommittee.pubkeys.slice();
    pubkeys[100] = flipHexBit(pubkeys[100] as Hex, 200);
    const badKeys = { ...bootstrap, currentSyncCommittee: { ...bootstrap.currentSyncCommittee, pubkeys } };
    expect(reasonOf(() => SyncCommitteeLightClient.fromBootstrap(MAINNET, checkpoint, badKeys))).toBe(
      'bad-sync-committee-update',
    );
    for (let i = 0; i < bootstrap.currentSyncCommitteeBranch.length; i++)
      for (const bit of [0, 101, 255]) {
        const branch = bootstrap.currentSyncCommitteeBranch.slice();
        branch[i] = flipHexBit(branch[i] as Hex, bit);
        expect(
          reasonOf(() =>
            SyncCommitteeLightClient.fromBootstrap(MAINNET, checkpoint, {
              ...bootstrap,
              currentSyncCommitteeBranch: branch,
            }),
          ),
        ).toBe('bad-sync-committee-update');
      }
    const execution = { ...bootstrap.header.execution, stateRoot: flipHexBit(bootstrap.header.execution.stateRoot, 3) };
    expect(
      reasonOf(() =>
        SyncCommitteeLightClient.fromBootstrap(MAINNET, checkpoint, {
          ...bootstrap,
          header: { ...bootstrap.header, execution },
        }),
      ),
    ).toBe('bad-sync-committee-update');
  });

  describe('tampered updates fail', () => {
    const last = updates.length;
    const tampered = (change: (u: LightClientUpdate) => LightClientUpdate, config: BeaconChainConfig = MAINNET) =>
      reasonOf(() => clientBefore(last - 1, config).processUpdate(change(updates[last - 1] as LightClientUpdate), now));
    const atFinality = (change: (u: LightClientUpdate) => LightClientUpdate, config: BeaconChainConfig = MAINNET) => {
      const lc = clientBefore(last);
      const cfg = config;
      return reasonOf(() =>
        (cfg === MAINNET ? lc : SyncCommitteeLightClient.fromBootstrap(cfg, checkpoint, bootstrap)).processUpdate(
          change(finality),
          now,
        ),
      );
    };

    it('under a wrong fork version or a wrong genesis validators root', () => {
      const wrongFork: BeaconChainConfig = {
        ...MAINNET,
        forks: MAINNET.forks.map((f) => (f.name === 'capella' ? { ...f, version: '0x03000001' as Hex } : f)),
      };
      const wrongGenesis: BeaconChainConfig = {
        ...MAINNET,
        genesisValidatorsRoot: flipHexBit(MAINNET.genesisValidatorsRoot, 255),
      };
      for (const config of [wrongFork, wrongGenesis]) {
        const lc = SyncCommitteeLightClient.fromBootstrap(config, checkpoint, bootstrap);
        expect(reasonOf(() => lc.processUpdate(updates[0] as LightClientUpdate, now))).toBe(
          'bad-sync-committee-update',
        );
      }
    });

    it('with a flipped bit in a next-committee pubkey, a finality or next-committee branch node, the attested header', () => {
      expect(
        tampered((u) => {
          const pubkeys = (u.nextSyncCommittee?.pubkeys ?? []).slice();
          pubkeys[7] = flipHexBit(pubkeys[7] as Hex, 100);
          return { ...u, nextSyncCommittee: { ...(u.nextSyncCommittee as SyncCommittee), pubkeys } };
        }),
      ).toBe('bad-sync-committee-update');
      for (const field of ['finalityBranch', 'nextSyncCommitteeBranch'] as const)
        for (let i = 0; i < (updates[last - 1]?.[field]?.length ?? 0); i++)
          expect(
            tampered((u) => {
              const branch = (u[field] as Hex[]).slice();
              branch[i] = flipHexBit(branch[i] as Hex, 255 - i);
              return { ...u, [field]: branch };
            }),
          ).toBe('bad-sync-committee-update');
      expect(
        tampered((u) => ({
          ...u,
          attestedHeader: { ...u.attestedHeader, beacon: { ...u.attestedHeader.beacon, proposerIndex: 1n } },
        })),
      ).toBe('bad-sync-committee-update');
      expect(
        tampered((u) => ({
          ...u,
          finalizedHeader: {
            ...(u.finalizedHeader as LightClientHeader),
            execution: { ...(u.finalizedHeader as LightClientHeader).execution, blockNumber: 1n },
          },
        })),
      ).toBe('bad-sync-committee-update');
    });

    it('with participation bits changed: a dropped signer, and below the 2/3 threshold', () => {
      expect(
        tampered((u) => {
          const bits = u.syncAggregate.bits.slice();
          bits[0] = (bits[0] as number) ^ 1;
          return { ...u, syncAggregate: { ...u.syncAggregate, bits } };
        }),
      ).toBe('bad-sync-committee-update');
      // 341 of 512 signers: not enough to finalize anything (a valid signature would not help)
      const few = new Uint8Array(64);
      for (let i = 0; i < 341; i++) few[i >> 3] = (few[i >> 3] as number) | (1 << (i & 7));
      expect(participation(few)).toBe(341);
      expect(hasSupermajority(few)).toBe(false);
      few[341 >> 3] = (few[341 >> 3] as number) | (1 << (341 & 7));
      expect(hasSupermajority(few)).toBe(true);
      expect(atFinality((u) => ({ ...u, syncAggregate: { ...u.syncAggregate, bits: new Uint8Array(64) } }))).toBe(
        'bad-sync-committee-update',
      );
    });

    it('with signature_slot not after the attested slot, or in the future', () => {
      expect(atFinality((u) => ({ ...u, signatureSlot: u.attestedHeader.beacon.slot }))).toBe(
        'bad-sync-committee-update',
      );
      const lc = clientBefore(last);
      expect(reasonOf(() => lc.processUpdate(finality, finality.signatureSlot - 1n))).toBe('bad-sync-committee-update');
    });

    it('an update two periods ahead of the store cannot be verified', () => {
      const lc = clientBefore(2);
      expect(reasonOf(() => lc.processUpdate(finality, now))).toBe('bad-sync-committee-update');
    });
  });

  it('checks the execution header branch of every header in the data', () => {
    for (const u of [...updates, finality, optimistic]) {
      expect(isValidLightClientHeader(MAINNET, u.attestedHeader)).toBe(true);
      if (u.finalizedHeader) expect(isValidLightClientHeader(MAINNET, u.finalizedHeader)).toBe(true);
    }
  });
});
