/**
 * Test-side lookup of a message's (source chain, nonce): what a destination's replay bitmap is keyed by
 * (docs/PROTOCOL.md §2). The tests hold message ids; the helpers that send messages remember their encodings,
 * and a message someone else sent (cast send, the relayers' own) is read from a relayer node's record.
 */
import type { Hex } from 'viem';
import { type MessageRef, messageRef } from '../../relayer/chains/consumed.js';
import type { DevnetInfo } from '../../relayer/sdk/devnetInfo.js';

const known = new Map<string, MessageRef>();

/** Remembers the message `encoding` (id `id`) and returns its reference. */
export function rememberMessage(id: Hex, encoding: Hex): MessageRef {
  const ref = messageRef(id, encoding);
  known.set(id.toLowerCase(), ref);
  return ref;
}

/**
 * The reference of message `id`: remembered, or from the first relayer node that observed it. Undefined while
 * no node has (then no destination has consumed it either: the nodes observe every message before signing).
 */
export async function refOf(info: Pick<DevnetInfo, 'nodes'> | undefined, id: Hex): Promise<MessageRef | undefined> {
  const hit = known.get(id.toLowerCase());
  if (hit) return hit;
  for (const node of info?.nodes ?? []) {
    const res = await fetch(`${node.api}/v1/messages/${id}`).catch(() => undefined);
    if (res?.ok) return rememberMessage(id, ((await res.json()) as { message: Hex }).message);
  }
  return undefined;
}
