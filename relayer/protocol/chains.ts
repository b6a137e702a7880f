/**
 * Chain ids of the SAH protocol (u32). They are the protocol's own, independent of EVM chain ids
 * or Cosmos chain-id strings, so one numbering covers every chain family.
 */
export const ChainId = {
  /** Pseudo-source of governance messages: they come from the relayer set, not from a chain. */
  Governance: 0,
  Ethereum: 1,
  Cosmos: 2,
  Polkadot: 3,
  /** Local development chains (anvil, wasmd, chopsticks) started by `npm run devnet`. */
  DevEthereumA: 10001,
  DevEthereumB: 10002,
  DevCosmos: 10003,
  DevPolkadot: 10004,
} as const;

export type ChainName = keyof typeof ChainId;

export function chainName(id: number): string {
  for (const [name, value] of Object.entries(ChainId)) if (value === id) return name;
  return `chain-${id}`;
}
