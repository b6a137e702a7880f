/**
 * Which bridge instance each destination is (protocol v2, docs/PROTOCOL.md §2): the signed digest binds the
 * destination's chain binding and its bridge, so a node signs for exactly the instances its own adapters name.
 * Never from a peer's request: a coordinator could otherwise get a signature that is good on another bridge.
 */
import type { Hex } from 'viem';
import { type InstanceBinding, signingDigest } from '../protocol/digest.js';

export class UnknownDestinationError extends Error {
  override name = 'UnknownDestinationError';
  constructor(readonly destinationChain: number) {
    super(`chain ${destinationChain} is not a destination this node knows`);
  }
}

export class DestinationInstances {
  private readonly byChain: ReadonlyMap<number, InstanceBinding>;

  constructor(chains: Iterable<{ protocolChainId: number; instance: InstanceBinding }>) {
    this.byChain = new Map([...chains].map((c) => [c.protocolChainId, c.instance]));
  }

  /** @throws UnknownDestinationError */
  of(destinationChain: number): InstanceBinding {
    const instance = this.byChain.get(destinationChain);
    if (!instance) throw new UnknownDestinationError(destinationChain);
    return instance;
  }

  /** The digest the set signs for a batch with `root` to `destinationChain` under `epoch`. */
  digest(epoch: number, destinationChain: number, root: Hex): Hex {
    return signingDigest(epoch, destinationChain, this.of(destinationChain), root);
  }
}
