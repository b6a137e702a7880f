/**
 * The network presets: their schedules are well formed and match values published elsewhere (fork
 * digests, execution timestamps of recorded blocks), and real Hoodi light-client data (testdata/hoodi-lc,
 * period 489, Fulu) verifies under the Hoodi preset and under nothing else: another network's preset, a
 * wrong genesis validators root, a wrong or unscheduled Fulu fork version, another Electra epoch.
 */
import type { Hex, PublicClient } from 'viem';
import { beforeAll, describe, expect, it } from 'vitest';
import { flipHexBit } from '../../testing/bits.js';
import { proofError, reasonOf, reasonOfAsync } from '../../testing/reason.js';
import { bytesOf } from '../bytes.js';
import { EthereumSourceVerifier } from '../sourceVerifier.js';
import { bytesVectorRoot, hash2 } from '../ssz.js';
import { fixture } from '../testdata/fixtures.js';
import type { LightClientSource } from './api.js';
import {
  BEACON_NETWORKS,
  type BeaconChainConfig,
  currentSlot,
  epochAtSlot,
  FORK_NAMES,
  forkAtEpoch,
  HOLESKY,
  HOODI,
  MAINNET,
  periodAtSlot,
  SEPOLIA,
} from './config.js';
import {
  beaconHeaderRoot,
  decodePubkey,
  fastAggregateVerify,
  rootHex,
  signingRoot,
  syncCommitteeDomain,
} from './containers.js';
import { parseBootstrap, parseUpdate } from './json.js';
import { participation, SyncCommitteeLightClient } from './lightClient.js';
import type { LightClientHeader, LightClientUpdate } from './types.js';

const hoodi = fixture<{ network: string; bootstrap: unknown; update: unknown }>('./hoodi-lc/period-489.json');
const bootstrap = parseBootstrap(hoodi.bootstrap);
const update = parseUpdate(hoodi.update);
const checkpoint = rootHex(beaconHeaderRoot(bootstrap.header.beacon));
/** The slot after the signature: the update is fresh (the light client refuses updates signed after "now"). */
const now = update.signatureSlot + 1n;

/** compute_fork_digest as published for genesis: hash_tree_root(ForkData(version, genesis_validators_root))[0:4]. */
const forkDigest = (version: Hex, genesisValidatorsRoot: Hex): Hex =>
  rootHex(hash2(bytesVectorRoot(bytesOf(version, 'version', 4)), bytesOf(genesisValidatorsRoot, 'gvr', 32))).slice(
    0,
    10,
  ) as Hex;

const withForks = (
  config: BeaconChainConfig,
  change: (f: BeaconChainConfig['forks']) => BeaconChainConfig['forks'],
) => ({
  ...config,
  forks: change(config.forks),
});

/** Bootstraps under `config` and applies the recorded update: the reason it fails, or 'passed'. */
const verdict = (config: BeaconChainConfig, u: LightClientUpdate = update) =>
  reasonOf(() => SyncCommitteeLightClient.fromBootstrap(config, checkpoint, bootstrap).processUpdate(u, now));

describe('beacon network presets', () => {
  const presets = Object.entries(BEACON_NETWORKS);

  it('are well-formed schedules: phase0 at epoch 0, forks in order, epochs never decreasing, Electra and Fulu scheduled', () => {
    expect(presets.map(([name]) => name)).toEqual(['mainnet', 'sepolia', 'holesky', 'hoodi']);
    for (const [, config] of presets) {
      expect(config.forks[0]).toMatchObject({ name: 'phase0', epoch: 0n });
      expect(config.forks.map((f) => f.name)).toEqual(FORK_NAMES);
      for (let i = 1; i < config.forks.length; i++)
        expect(config.forks[i]?.epoch).toBeGreaterThanOrEqual(config.forks[i - 1]?.epoch as bigint);
      for (const f of config.forks) expect(f.version).toMatch(/^0x[0-9a-f]{8}$/);
      expect(new Set(config.forks.map((f) => f.version)).size).toBe(config.forks.length);
      expect(config.genesisValidatorsRoot).toMatch(/^0x[0-9a-f]{64}$/);
      expect(config.secondsPerSlot).toBe(12);
    }
    // one network's fork versions are no other's: a signature can never verify on two of them
    const versions = presets.flatMap(([, c]) => c.forks.map((f) => f.version));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('match the genesis fork digests the networks publish (eth-clients/mainnet and eth-clients/sepolia READMEs)', () => {
    expect(forkDigest(MAINNET.forks[0]?.version as Hex, MAINNET.genesisValidatorsRoot)).toBe('0xb5303f2a');
    expect(forkDigest(SEPOLIA.forks[0]?.version as Hex, SEPOLIA.genesisValidatorsRoot)).toBe('0xa8fee8ee');
    // and the pre-genesis digests (zero validators root), which checks the digest computation itself
    expect(forkDigest(MAINNET.forks[0]?.version as Hex, `0x${'00'.repeat(32)}`)).toBe('0xf5a5fd42');
    expect(forkDigest(SEPOLIA.forks[0]?.version as Hex, `0x${'00'.repeat(32)}`)).toBe('0xd3010778');
  });

  it('place recorded blocks at their timestamps: genesis time + slot * seconds per slot', () => {
    const at = (config: BeaconChainConfig, h: LightClientHeader) =>
      BigInt(config.genesisTime) + h.beacon.slot * BigInt(config.secondsPerSlot ?? 12);
    for (const h of [bootstrap.header, update.attestedHeader, update.finalizedHeader as LightClientHeader])
      expect(at(HOODI, h)).toBe(h.execution.timestamp);
    const mainnetFinality = parseUpdate(fixture('./beacon-lc-capella/finality.json'));
    expect(at(MAINNET, mainnetFinality.attestedHeader)).toBe(mainnetFinality.attestedHeader.execution.timestamp);
  });

  it('the current slot follows the configured slot length', () => {
    const t = (HOODI.genesisTime + 1_200) * 1000;
    expect(currentSlot(HOODI, t)).toBe(100n);
    expect(currentSlot({ ...HOODI, secondsPerSlot: 6 }, t)).toBe(200n);
    // a config without a slot length is a 12-second chain
    const { secondsPerSlot: _, ...noSlotLength } = HOODI;
    expect(currentSlot(noSlotLength, t)).toBe(100n);
    expect(currentSlot(HOODI, (HOODI.genesisTime - 60) * 1000)).toBe(0n);
  });
});

describe('Hoodi light-client data (period 489, Fulu) under the network presets', () => {
  beforeAll(() => {
    // decodes the committee's keys once (cached by committee root)
    SyncCommitteeLightClient.fromBootstrap(HOODI, checkpoint, bootstrap);
  });

  it('is Fulu data of period 489 signed by 468 of 512 members', () => {
    expect(hoodi.network).toBe('hoodi');
    expect(periodAtSlot(bootstrap.header.beacon.slot)).toBe(489n);
    expect(periodAtSlot(update.signatureSlot)).toBe(489n);
    expect(forkAtEpoch(HOODI, epochAtSlot(update.signatureSlot - 1n))).toMatchObject({
      name: 'fulu',
      version: '0x70000910',
    });
    expect(participation(update.syncAggregate.bits)).toBe(468);
  });

  it('verifies under HOODI: bootstrap from its header root, then the update finalizes execution block 3,691,035', () => {
    const lc = SyncCommitteeLightClient.fromBootstrap(HOODI, checkpoint, bootstrap);
    expect(lc.period).toBe(489n);
    expect(lc.isCurrentCommittee(bootstrap.currentSyncCommittee)).toBe(true);
    expect(lc.finalizedExecution().blockNumber).toBe(3_691_006n);
    expect(lc.processUpdate(update, now)).toBe(true);
    expect(lc.finalizedExecution()).toEqual({
      beaconSlot: 4_007_903n,
      blockNumber: 3_691_035n,
      blockHash: '0x59b526a102a5e9d2e2161cae45c67e3ef9e3e848b8a621863212759459210831',
      stateRoot: '0x8516c450d886072dd6d5f51abfae161a03b0770faceff52919e1519debeceefa',
    });
    expect(lc.optimisticHeader.beacon.slot).toBe(4_007_981n);
  });

  it("the committee's signature verifies under Hoodi's sync-committee domain and under no other network's", () => {
    const keys = bootstrap.currentSyncCommittee.pubkeys
      .filter((_, i) => ((update.syncAggregate.bits[i >> 3] as number) >> (i & 7)) & 1)
      .map(decodePubkey);
    const signedUnder = (config: BeaconChainConfig) =>
      fastAggregateVerify(
        keys,
        signingRoot(beaconHeaderRoot(update.attestedHeader.beacon), syncCommitteeDomain(config, update.signatureSlot)),
        update.syncAggregate.signature,
      );
    expect(signedUnder(HOODI)).toBe(true);
    for (const other of [MAINNET, SEPOLIA, HOLESKY]) expect(signedUnder(other)).toBe(false);
  });

  it('is refused under the mainnet, Sepolia and Holesky presets', () => {
    // mainnet and Sepolia are before Deneb at these slots, so the header's blob fields do not belong;
    // Holesky is in Electra: the branches hold, but the signature is not over Holesky's domain
    expect(reasonOf(() => SyncCommitteeLightClient.fromBootstrap(MAINNET, checkpoint, bootstrap))).toBe(
      'bad-sync-committee-update',
    );
    expect(reasonOf(() => SyncCommitteeLightClient.fromBootstrap(SEPOLIA, checkpoint, bootstrap))).toBe(
      'bad-sync-committee-update',
    );
    expect(verdict(HOLESKY)).toBe('bad-sync-committee-update');
    expect(
      proofError(() =>
        SyncCommitteeLightClient.fromBootstrap(HOLESKY, checkpoint, bootstrap).processUpdate(update, now),
      )?.message,
    ).toMatch(/sync committee signature does not verify \(468 participants\)/);
    expect(verdict(HOODI)).toBe('passed');
  });

  it("is refused under Hoodi's schedule with a wrong genesis validators root, Fulu version or Fulu epoch", () => {
    expect(verdict({ ...HOODI, genesisValidatorsRoot: MAINNET.genesisValidatorsRoot })).toBe(
      'bad-sync-committee-update',
    );
    expect(verdict({ ...HOODI, genesisValidatorsRoot: flipHexBit(HOODI.genesisValidatorsRoot, 200) })).toBe(
      'bad-sync-committee-update',
    );
    const wrongFulu = withForks(HOODI, (forks) =>
      forks.map((f) => (f.name === 'fulu' ? { ...f, version: '0x70000911' as Hex } : f)),
    );
    expect(verdict(wrongFulu)).toBe('bad-sync-committee-update');
    // Fulu left unscheduled: the signature is checked under Electra's version
    expect(verdict(withForks(HOODI, (forks) => forks.filter((f) => f.name !== 'fulu')))).toBe(
      'bad-sync-committee-update',
    );
    // Fulu scheduled after the signature slot: the same
    const lateFulu = withForks(HOODI, (forks) =>
      forks.map((f) => (f.name === 'fulu' ? { ...f, epoch: epochAtSlot(update.signatureSlot) + 1n } : f)),
    );
    expect(verdict(lateFulu)).toBe('bad-sync-committee-update');
    // the other forks' versions do not matter at these slots: changing Altair's changes nothing
    const otherAltair = withForks(HOODI, (forks) =>
      forks.map((f) => (f.name === 'altair' ? { ...f, version: '0x20000911' as Hex } : f)),
    );
    expect(verdict(otherAltair)).toBe('passed');
  });

  it("is refused when Electra is placed after the data: the state's branches are one level shallower before Electra", () => {
    const lateElectra = withForks(HOODI, (forks) =>
      forks.map((f) => (f.name === 'electra' || f.name === 'fulu' ? { ...f, epoch: 200_000n + f.epoch } : f)),
    );
    expect(reasonOf(() => SyncCommitteeLightClient.fromBootstrap(lateElectra, checkpoint, bootstrap))).toBe(
      'bad-sync-committee-update',
    );
  });

  it('is refused with a flipped bit in the signature, the finality branch or the finalized header', () => {
    const signature = flipHexBit(update.syncAggregate.signature, 100);
    expect(verdict(HOODI, { ...update, syncAggregate: { ...update.syncAggregate, signature } })).toBe(
      'bad-sync-committee-update',
    );
    for (let i = 0; i < (update.finalityBranch?.length ?? 0); i++) {
      const finalityBranch = (update.finalityBranch as Hex[]).slice();
      finalityBranch[i] = flipHexBit(finalityBranch[i] as Hex, 17 + i);
      expect(verdict(HOODI, { ...update, finalityBranch })).toBe('bad-sync-committee-update');
    }
    const finalized = update.finalizedHeader as LightClientHeader;
    const stateRoot = flipHexBit(finalized.execution.stateRoot, 9);
    expect(
      verdict(HOODI, {
        ...update,
        finalizedHeader: { ...finalized, execution: { ...finalized.execution, stateRoot } },
      }),
    ).toBe('bad-sync-committee-update');
  });
});

describe('EthereumSourceVerifier with the Hoodi chain config', () => {
  const source = (): LightClientSource => ({
    bootstrap: async () => bootstrap,
    updates: async (start) => (start === 489n ? [update] : []),
    finalityUpdate: async () => update,
  });
  /** One slot after the signature slot, in wall-clock ms under Hoodi's genesis and slot length. */
  const then = () => (HOODI.genesisTime + Number(update.signatureSlot + 1n) * 12) * 1000;
  const rpc = { request: async () => Promise.reject(new Error('no execution node in this test')) };
  const verifier = (chain: BeaconChainConfig | undefined) =>
    new EthereumSourceVerifier({
      mode: 'sync-committee',
      protocolChainId: 560048,
      rpc: rpc as unknown as PublicClient,
      bridge: '0x00000000219ab540356cbb839cbe05303d7705fa',
      beacon: source(),
      checkpoint,
      ...(chain ? { chain } : {}),
      now: then,
    });

  it('syncs to the finalized block under the chain it is given, and refuses the data under the mainnet default', async () => {
    expect((await verifier(HOODI).sync()).blockNumber).toBe(3_691_035n);
    expect(await reasonOfAsync(verifier(undefined).sync())).toBe('bad-sync-committee-update');
  });

  it("reads the clock with the chain's slot length: at 24-second slots the update is signed in the future", async () => {
    expect(await reasonOfAsync(verifier({ ...HOODI, secondsPerSlot: 24 }).sync())).toBe('bad-sync-committee-update');
  });
});
