/**
 * Which key share signs for which destination. A node holds the shares of every epoch its keystore
 * has; each destination chain expects the epoch its bridge is at (read from the chain, refreshed), so
 * a node restarted between a DKG and the rotation landing everywhere keeps signing under the epoch
 * each destination still accepts, and moves to the new one chain by chain as the rotation lands.
 */
import type { SigningKey } from './keys.js';

export class NoKeyForEpochError extends Error {
  override name = 'NoKeyForEpochError';
}

export class KeyRing {
  private readonly byEpoch = new Map<number, SigningKey>();
  private readonly expected = new Map<number, number>();

  constructor(keys: SigningKey[]) {
    for (const k of keys) this.byEpoch.set(k.epoch, k);
  }

  /** The key share of `epoch`, if this node holds one. */
  ofEpoch(epoch: number): SigningKey | undefined {
    return this.byEpoch.get(epoch);
  }

  /** Records the epoch `destinationChain`'s bridge is at. */
  setExpected(destinationChain: number, epoch: number): void {
    this.expected.set(destinationChain, epoch);
  }

  expectedEpoch(destinationChain: number): number | undefined {
    return this.expected.get(destinationChain);
  }

  /** The key to sign for `destinationChain` with: the epoch its bridge is at. */
  forDestination(destinationChain: number): SigningKey {
    const epoch = this.expected.get(destinationChain);
    if (epoch === undefined) throw new NoKeyForEpochError(`the epoch of chain ${destinationChain} is not known yet`);
    const key = this.byEpoch.get(epoch);
    if (!key)
      throw new NoKeyForEpochError(
        `chain ${destinationChain} is at epoch ${epoch}; this node holds shares for epochs ${[...this.byEpoch.keys()].join(', ')}`,
      );
    return key;
  }

  /** Epoch per destination, for health and logs. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.expected].map(([chain, epoch]) => [String(chain), epoch]));
  }
}
