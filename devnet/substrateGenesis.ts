/**
 * A raw genesis chain spec for the dev runtime, built without a node: the runtime's own GenesisBuilder API
 * (`get_preset` then `build_state`) runs in chopsticks' executor, and its storage writes plus `:code` (the
 * wasm) become `genesis.raw.top`. The preset's JSON goes from one call to the next as bytes, never through
 * JS numbers, so u128 balances survive.
 *
 *   tsx devnet/substrateGenesis.ts <runtime.wasm> <out.json> [preset]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { destroyWorker, emptyTaskHandler, getRuntimeVersion, runTask } from '@acala-network/chopsticks-core';
import { compactToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import type { HexString } from '@polkadot/util/types';

/** Well-known storage key of the runtime code. */
const CODE_KEY = '0x3a636f6465';

export class GenesisBuildError extends Error {
  override name = 'GenesisBuildError';
}

export interface RawChainSpec {
  id: string;
  name: string;
  chainType: 'Development';
  properties: { ss58Format: number; tokenDecimals: number; tokenSymbol: string };
  genesis: { raw: { top: Record<string, string>; childrenDefault: Record<string, never> } };
}

export async function buildRawGenesis(
  wasmBytes: Uint8Array,
  opts: { preset?: string | undefined; properties: RawChainSpec['properties']; id: string; name: string },
): Promise<RawChainSpec> {
  const wasm = u8aToHex(wasmBytes) as HexString;
  // genesis building reads storage (all empty); the default handler throws on reads
  const empty = { ...emptyTaskHandler, getStorage: async () => undefined, getNextKey: async () => undefined };
  const task = { wasm, mockSignatureHost: false, allowUnresolvedImports: false, runtimeLogLevel: 0 };
  try {
    await getRuntimeVersion(wasm); // decodes the version section: a runtime chopsticks cannot read fails here
    const presetId = stringToU8a(opts.preset ?? 'development');
    // get_preset(id: &Option<PresetId>): Some(String)
    const preset = await runTask(
      {
        ...task,
        calls: [['GenesisBuilder_get_preset', [u8aToHex(u8aConcat([1], compactToU8a(presetId.length), presetId))]]],
      },
      empty as never,
    );
    if ('Error' in preset) throw new GenesisBuildError(`GenesisBuilder_get_preset: ${preset.Error}`);
    // Option<Vec<u8>>: 0x01 ++ the SCALE Vec<u8> that build_state takes as its argument
    if (!preset.Call.result.startsWith('0x01'))
      throw new GenesisBuildError(`the runtime has no preset "${opts.preset ?? 'development'}"`);
    const built = await runTask(
      { ...task, calls: [['GenesisBuilder_build_state', [`0x${preset.Call.result.slice(4)}`]]] },
      empty as never,
    );
    if ('Error' in built) throw new GenesisBuildError(`GenesisBuilder_build_state: ${built.Error}`);
    if (built.Call.result !== '0x00')
      throw new GenesisBuildError(`GenesisBuilder_build_state returned ${built.Call.result}`);
    const top: Record<string, string> = {};
    for (const [key, value] of built.Call.storageDiff) if (value !== null) top[key.toLowerCase()] = value;
    top[CODE_KEY] = wasm;
    return {
      id: opts.id,
      name: opts.name,
      chainType: 'Development',
      properties: opts.properties,
      genesis: { raw: { top, childrenDefault: {} } },
    };
  } finally {
    await destroyWorker();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [wasmFile, outFile, preset] = process.argv.slice(2);
  if (!wasmFile || !outFile) {
    console.error('usage: tsx devnet/substrateGenesis.ts <runtime.wasm> <out.json> [preset]');
    process.exit(2);
  }
  const spec = await buildRawGenesis(readFileSync(wasmFile), {
    preset,
    id: 'sah-dev',
    name: 'SAH Dev',
    properties: { ss58Format: 42, tokenDecimals: 12, tokenSymbol: 'UNIT' },
  });
  writeFileSync(outFile, `${JSON.stringify(spec, null, 1)}\n`);
  console.log(`${outFile}: ${Object.keys(spec.genesis.raw.top).length} storage entries`);
}
