/**
 * The network presets: their schedules are well formed and match values published elsewhere (fork
 * digests, execution timestamps of real blocks), and Hoodi light-client data (period 489, Fulu) verifies
 * under the Hoodi preset and under nothing else: another network's preset, a wrong genesis validators
 * root, a wrong or unscheduled Fulu fork version, another Electra epoch.
 *
 * The Hoodi data is made here (../../testing/syntheticSyncCommittee.ts): a committee of BLS keys this test
 * derives, a bootstrap and a finality update it signs under Hoodi's published constants, written out below
 * with their sources, not read from the preset under test. No Hoodi data recorded by others is kept in the
 * project or in ../shared/fixtures/. The slots and block numbers are those of Hoodi's period 489.
 */
import type { Hex, PublicClient } from 'viem';
import { beforeAll, describe, expect, it } from 'vitest';
import { flipHexBit } from '../../testing/bits.js';
import { proofError, reasonOf, reasonOfAsync } from '../../testing/reason.js';
import { type ChainFacts, makeLightClientData } from '../../testing/syntheticSyncCommittee.js';
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

/**
 * Hoodi's constants, as published (the HOODI preset must agree with them; the data below is signed under them):
 * - genesis validators root, genesis time ("Linux Epoch time: 1742213400"): eth-clients/hoodi README.md
 *   (commit 363c577fa308142d4ea04064fee4a3f2446022ae);
 * - Fulu fork version 0x70000910 from epoch 50,688, Electra from epoch 2,048: sigp/lighthouse
 *   common/eth2_network_config/built_in_network_configs/hoodi/config.yaml
 *   (commit 044b604f940046020178984a38a0b55a075374b8).
 */
const HOODI_FACTS: ChainFacts = {
  genesisValidatorsRoot: '0x212f13fc4df078b6cb7db228f1c8307566dcecf900867401a92023d7ba99cb5f',
  genesisTime: 1742213400,
  secondsPerSlot: 12,
  fork: { name: 'fulu', version: '0x70000910' },
};
const HOODI_FULU_EPOCH = 50_688n;
const HOODI_ELECTRA_EPOCH = 2_048n;

/**
 * A block of the real Hoodi chain, to check the preset's genesis time against: the beacon block at slot
 * 4,007,903 carries execution block 3,691,035, whose timestamp is 1,790,308,236 (the block's header on
 * any Hoodi execution node, eth_getBlockByNumber 0x38521b; the beacon block via /eth/v2/beacon/blocks/4007903).
 */
const HOODI_BLOCK_3691035 = { beaconSlot: 4_007_903n, timestamp: 1_790_308_236n };

/** Period 489 of Hoodi, Fulu: the bootstrap's slot, the finalized and attested blocks, the signature slot. */
const hoodi = makeLightClientData(HOODI_FACTS, {
  seed: 'sah-bridge networks.test hoodi period 489',
  bootstrap: { slot: 4_007_872n, blockNumber: 3_691_006n },
  finalized: { slot: 4_007_903n, blockNumber: 3_691_035n },
  attested: { slot: 4_007_981n, blockNumber: 3_691_098n },
  signatureSlot: 4_007_982n,
  // 468 of 512 members sign (i -> 7i mod 512 is a permutation, so exactly 468 pass), spread over the committee
  signs: (i) => (i * 7) % 512 < 468,
});
const bootstrap = parseBootstrap(hoodi.bootstrap);
const update = parseUpdate(hoodi.update);
const finalizedHoodi = update.finalizedHeader as LightClientHeader;
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

  it('place real blocks at their timestamps: genesis time + slot * seconds per slot', () => {
    const slotTime = (config: BeaconChainConfig, slot: bigint) =>
      BigInt(config.genesisTime) + slot * BigInt(config.secondsPerSlot ?? 12);
    const at = (config: BeaconChainConfig, h: LightClientHeader) => slotTime(config, h.beacon.slot);
    expect(slotTime(HOODI, HOODI_BLOCK_3691035.beaconSlot)).toBe(HOODI_BLOCK_3691035.timestamp);
    // the data made for Hoodi agrees (it is dated by HOODI_FACTS, not by the preset)
    for (const h of [bootstrap.header, update.attestedHeader, finalizedHoodi])
      expect(at(HOODI, h)).toBe(h.execution.timestamp);
    const mainnetFinality = parseUpdate(fixture('beacon-lc-capella/finality.json'));
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

  it("the HOODI preset holds Hoodi's published constants", () => {
    expect(HOODI.genesisValidatorsRoot).toBe(HOODI_FACTS.genesisValidatorsRoot);
    expect(HOODI.genesisTime).toBe(HOODI_FACTS.genesisTime);
    expect(HOODI.secondsPerSlot).toBe(HOODI_FACTS.secondsPerSlot);
    expect(HOODI.forks.find((f) => f.name === 'fulu')).toEqual({
      name: 'fulu',
      epoch: HOODI_FULU_EPOCH,
      version: HOODI_FACTS.fork.version,
    });
    expect(HOODI.forks.find((f) => f.name === 'electra')?.epoch).toBe(HOODI_ELECTRA_EPOCH);
  });

  it('is Fulu data of period 489 signed by 468 of 512 members', () => {
    expect(hoodi.bootstrap.version).toBe('fulu');
    expect(hoodi.update.version).toBe('fulu');
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
      blockHash: finalizedHoodi.execution.blockHash,
      stateRoot: finalizedHoodi.execution.stateRoot,
    });
    expect(lc.finalizedExecution().blockHash).not.toBe(bootstrap.header.execution.blockHash);
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
    const stateRoot = flipHexBit(finalizedHoodi.execution.stateRoot, 9);
    expect(
      verdict(HOODI, {
        ...update,
        finalizedHeader: { ...finalizedHoodi, execution: { ...finalizedHoodi.execution, stateRoot } },
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
