/**
 * The devnet's CosmWasm chains: a single-validator wasmd each (the operators' delivery accounts funded in its
 * genesis), the bridge and cw20 code built once per devnet and instantiated under the group key.
 */
import { join } from 'node:path';
import type { Hex } from 'viem';
import type { DevnetChainInfoOf } from '../../relayer/chains/registry.js';
import { fetchTrustedCheckpoint } from '../../verifier/cometbft/sourceVerifier.js';
import { buildCosmwasmArtifacts, cosmosAddressOf, deployCosmwasmBridge } from '../deployCosmwasm.js';
import {
  startWasmd,
  WASMD_BECH32_PREFIX,
  WASMD_DENOM,
  WASMD_DEV_ACCOUNTS,
  WASMD_DEV_COINS,
  WASMD_GAS_PRICE,
  wasmdBinary,
} from '../wasmd.js';
import { type DevnetFamily, devnetNodeChain } from './launcher.js';

/** Written in the node configs before the bridge exists (the nodes start after it does). */
const UNDEPLOYED_BRIDGE = 'wasm1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqtwu3vy';
/** What each operator's delivery account holds, for fees. */
const OPERATOR_COINS = `100000000000${WASMD_DENOM}`;

export const cosmwasmDevnet: DevnetFamily<'cosmwasm'> = {
  startsAfterDkg: false,
  launcher(ctx) {
    // built and derived once per devnet, on the first chain's start
    let shared: Promise<{ artifacts: string; binary: string; operators: { address: string; coins: string }[] }>;
    const prepare = () => {
      shared ??= (async () => {
        ctx.say('      building wasmd and the CosmWasm contracts (cached after the first time)');
        const artifacts = buildCosmwasmArtifacts();
        const binary = wasmdBinary();
        const operators = await Promise.all(
          Array.from({ length: ctx.operators }, async (_, i) => ({
            address: await cosmosAddressOf(ctx.operatorWallet(i + 1), WASMD_BECH32_PREFIX),
            coins: OPERATOR_COINS,
          })),
        );
        return { artifacts, binary, operators };
      })();
      return shared;
    };
    return {
      async start(c) {
        const { artifacts, binary, operators } = await prepare();
        const node = await startWasmd({
          binary,
          dir: join(ctx.dir, c.name),
          chainId: c.cosmosChainId,
          rpcPort: ctx.freePorts ? undefined : c.port || undefined,
          accounts: WASMD_DEV_ACCOUNTS.map((a) => ({ ...a, coins: WASMD_DEV_COINS })),
          fundAddresses: operators,
        });
        // trust on first use, devnet only: a real deployment configures a checkpoint from a source it trusts
        const checkpoint = await fetchTrustedCheckpoint(node.rpcUrl);
        const info: DevnetChainInfoOf<'cosmwasm'> = {
          family: 'cosmwasm',
          name: c.name,
          protocolChainId: c.protocolChainId,
          cosmosChainId: c.cosmosChainId,
          rpcUrl: node.rpcUrl,
          restUrl: node.restUrl,
          bridge: '',
          prefix: WASMD_BECH32_PREFIX,
          denom: WASMD_DENOM,
          gasPrice: WASMD_GAS_PRICE,
          cw20CodeId: 0,
          bridgeCodeId: 0,
          trustedCheckpoint: { height: Number(checkpoint.height), hash: checkpoint.hash as Hex },
        };
        return {
          info,
          nodeChain: (startBlock) => ({
            ...devnetNodeChain(c, startBlock),
            cosmosChainId: c.cosmosChainId,
            rpcUrl: info.rpcUrl,
            bridge: info.bridge || UNDEPLOYED_BRIDGE,
            prefix: info.prefix,
            gasPrice: info.gasPrice,
            verifier: {
              mode: 'cometbft-light-client',
              trustedHeight: info.trustedCheckpoint.height,
              trustedHash: info.trustedCheckpoint.hash,
              trustingPeriodSeconds: 14 * 86_400,
              maxClockDriftSeconds: 10,
            },
          }),
          async deploy(d) {
            const deployment = await deployCosmwasmBridge({
              rpcUrl: info.rpcUrl,
              deployerMnemonic: (WASMD_DEV_ACCOUNTS[0] as { mnemonic: string }).mnemonic,
              prefix: info.prefix,
              gasPrice: info.gasPrice,
              protocolChainId: c.protocolChainId,
              groupKey: d.groupKeyHex,
              artifacts,
              nativeDenoms: [{ denom: WASMD_DENOM, decimals: 6, symbol: 'STAKE', name: 'Devnet staking token' }],
            });
            info.bridge = deployment.bridge;
            info.cw20CodeId = deployment.cw20CodeId;
            info.bridgeCodeId = deployment.bridgeCodeId;
            d.say(`      ${c.name}: bridge ${deployment.bridge}`);
            return BigInt(deployment.height);
          },
          describe: () => `${info.rpcUrl}  bridge ${info.bridge}  (${info.cosmosChainId}, denom ${info.denom})`,
          stop: () => node.stop(),
        };
      },
    };
  },
  devAccounts: (present) => ({
    cosmosDevAccounts: present
      ? WASMD_DEV_ACCOUNTS.map((a) => ({ name: a.name, address: a.address, mnemonic: a.mnemonic }))
      : [],
  }),
};
