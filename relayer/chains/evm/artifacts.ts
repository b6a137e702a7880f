import { readFileSync } from 'node:fs';
import type { Abi, Hex } from 'viem';

/**
 * Compiled contract as forge writes it to contracts/evm/out/<File>.sol/<Name>.json. The ABIs the code calls are
 * also generated as typed consts (./abi/, `npm run gen:evm-bindings`): use those, and `typedArtifact` to deploy
 * with one; the bytecode, a build output, is read from out/ at run time.
 */
export interface Artifact<abi extends Abi = Abi> {
  abi: abi;
  bytecode: Hex;
}

export class ArtifactNotFoundError extends Error {
  override name = 'ArtifactNotFoundError';
  constructor(contract: string, path: string) {
    super(`no compiled artifact for ${contract} at ${path}: run \`npm run build:evm\` first`);
  }
}

const OUT = new URL('../../../contracts/evm/out/', import.meta.url);

export function loadArtifact(contract: string, file = contract): Artifact {
  const url = new URL(`${file}.sol/${contract}.json`, OUT);
  let text: string;
  try {
    text = readFileSync(url, 'utf8');
  } catch {
    throw new ArtifactNotFoundError(contract, url.pathname);
  }
  const json = JSON.parse(text) as { abi: Abi; bytecode: { object: Hex } };
  return { abi: json.abi, bytecode: json.bytecode.object };
}

/** The bytecode forge built for `contract` with its typed ABI (./abi/<name>.ts): what deployContract takes. */
export function typedArtifact<const abi extends Abi>(abi: abi, contract: string, file = contract): Artifact<abi> {
  return { abi, bytecode: loadArtifact(contract, file).bytecode };
}
