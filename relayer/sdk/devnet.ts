/**
 * A FlowClient for a devnet chain by name, from the devnet description: the chain's family (through the
 * registry) checks the signer, loads its client and connects it. No family is named here.
 */
import type { Asset, AssetId } from '../chains/family.js';
import { FAMILY_NAMES, type Signer, userFamily } from '../chains/registry.js';
import { chainsOf, type DevnetChainInfo, type DevnetInfo, devnetChain } from './devnetInfo.js';
import { FlowCallError, type FlowClient, InvalidRequestError } from './flows.js';

/**
 * Who signs, one field per family (an EVM `key`, a Cosmos `mnemonic`, a Substrate `uri`); each left out or
 * undefined takes the devnet's dev account of that family (`//Alice` on Substrate).
 */
export type DevnetSigner = Signer;

/** Every asset of the devnet, as users name them (`sah`, `unit`, a native denom), family by family. */
export function devnetAssets(info: DevnetInfo): Asset[] {
  return FAMILY_NAMES.flatMap((f) => userFamily(f).assets(chainsOf(info, f)));
}

/** An asset of the devnet by its name, any case (`sah`, `unit`, `stake`). */
export function devnetAsset(info: DevnetInfo, name: string): Asset | undefined {
  return devnetAssets(info).find((a) => a.symbol.toLowerCase() === name.toLowerCase());
}

/** SAH's home id on the devnet: the ERC-20 on the chain that holds it. */
export function devnetSah(info: DevnetInfo): AssetId {
  const sah = devnetAsset(info, 'sah');
  if (!sah) throw new FlowCallError('NoSah', 'the devnet has no SAH home chain');
  return { originChain: sah.originChain, originToken: sah.originToken };
}

/** A devnet chain by name or protocol chain id; `field` names the request's field that gave it. */
export function findDevnetChain(info: DevnetInfo, nameOrId: string, field = 'chain'): DevnetChainInfo {
  const chain = devnetChain(info.chains, nameOrId);
  if (!chain)
    throw new InvalidRequestError(
      field,
      `${nameOrId}: no such devnet chain (${info.chains.map((c) => c.name).join(', ')})`,
    );
  return chain;
}

/**
 * A client on a devnet chain, signing as `signer` (its family's field, else the devnet's dev account). An
 * unknown chain or a malformed signer is an InvalidRequestError; close the client when done.
 */
export async function flowClientFor(
  info: DevnetInfo,
  chainName: string,
  signer: DevnetSigner = {},
): Promise<FlowClient> {
  const chain = findDevnetChain(info, chainName);
  const family = userFamily(chain.family);
  const secret = family.secret(signer, info);
  const sah = devnetAsset(info, 'sah');
  const clients = await family.client();
  return clients.connect(chain, secret, sah && { originChain: sah.originChain, originToken: sah.originToken });
}
