import type { Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { flipHexBit } from '../../testing/bits.js';
import { fixture } from '../testdata/fixtures.js';
import { MAINNET } from './config.js';
import {
  beaconHeaderRoot,
  decodePubkey,
  fastAggregateVerify,
  rootHex,
  signingRoot,
  syncCommitteeDomain,
  syncCommitteeRoot,
} from './containers.js';
import { parseBootstrap, parseUpdate } from './json.js';

const bootstrap = parseBootstrap(fixture('beacon-lc-capella/bootstrap.json'));
// the last update of period 867 is signed by the committee update 866 announced
const updates = fixture<unknown[]>('beacon-lc-capella/updates.json').map(parseUpdate);
const signed = updates[5] as ReturnType<typeof parseUpdate>;
const committee = updates[4]?.nextSyncCommittee as NonNullable<ReturnType<typeof parseUpdate>['nextSyncCommittee']>;

describe('consensus containers and BLS', () => {
  it('hash_tree_root of a beacon header and a sync committee', () => {
    // slot 7,109,431's parent is slot 7,109,430: its parent_root is the root of the finality update's attested header
    const finality = parseUpdate(fixture('beacon-lc-capella/finality.json'));
    const optimistic = parseUpdate(fixture('beacon-lc-capella/optimistic.json'));
    expect(rootHex(beaconHeaderRoot(finality.attestedHeader.beacon))).toBe(optimistic.attestedHeader.beacon.parentRoot);
    expect(rootHex(syncCommitteeRoot(bootstrap.currentSyncCommittee))).not.toBe(rootHex(syncCommitteeRoot(committee)));
    // the fork data root of the Capella domain on mainnet (domain type 0x07000000)
    expect(rootHex(syncCommitteeDomain(MAINNET, 7_109_431n)).slice(0, 10)).toBe('0x07000000');
  });

  const keys = committee.pubkeys.map(decodePubkey);
  const signers = keys.filter((_, i) => ((signed.syncAggregate.bits[i >> 3] as number) >> (i & 7)) & 1);
  const message = signingRoot(
    beaconHeaderRoot(signed.attestedHeader.beacon),
    syncCommitteeDomain(MAINNET, signed.signatureSlot),
  );
  const signature = signed.syncAggregate.signature;

  it('the real aggregate signature verifies, and every one of its 768 bits flipped fails', () => {
    expect(fastAggregateVerify(signers, message, signature)).toBe(true);
    let failed = 0;
    for (let bit = 0; bit < 96 * 8; bit++)
      if (!fastAggregateVerify(signers, message, flipHexBit(signature, bit))) failed++;
    expect(failed).toBe(768);
  });

  it('fails for another message, a missing signer, an extra signer, a changed key', () => {
    const other = message.slice();
    other[0] = (other[0] as number) ^ 1;
    expect(fastAggregateVerify(signers, other, signature)).toBe(false);
    expect(fastAggregateVerify(signers.slice(1), message, signature)).toBe(false);
    expect(fastAggregateVerify([], message, signature)).toBe(false);
    const notSigning = keys.find((_, i) => !(((signed.syncAggregate.bits[i >> 3] as number) >> (i & 7)) & 1));
    if (notSigning) expect(fastAggregateVerify([...signers, notSigning], message, signature)).toBe(false);
    // a flipped bit in a member key: either not a valid key at all, or another key that did not sign
    for (const bit of [8, 100, 200, 383]) {
      const flipped = flipHexBit(committee.pubkeys[3] as Hex, bit);
      let ok = false;
      try {
        const changed = signers.slice();
        changed[3] = decodePubkey(flipped);
        ok = fastAggregateVerify(changed, message, signature);
      } catch {
        ok = false;
      }
      expect(ok).toBe(false);
    }
  });
});
