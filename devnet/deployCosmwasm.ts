/**
 * Deploys the CosmWasm side of the bridge on a running wasmd: uploads the wrapped-token (cw20) and
 * bridge wasm built by scripts/build-cosmwasm.sh, and instantiates the bridge under the group key.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice } from '@cosmjs/stargate';
import type { Hex } from 'viem';

export interface CosmwasmDeployment {
  bridge: string;
  bridgeCodeId: number;
  cw20CodeId: number;
  /** Height after the deployment: the relayers scan from here. */
  height: number;
}

/** Builds the contracts if their sources changed (cached otherwise); returns the artifacts directory. */
export function buildCosmwasmArtifacts(): string {
  const out = execFileSync('bash', ['scripts/build-cosmwasm.sh'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').pop() as string;
}

export async function deployCosmwasmBridge(opts: {
  rpcUrl: string;
  deployerMnemonic: string;
  prefix: string;
  gasPrice: string;
  protocolChainId: number;
  groupKey: Hex;
  artifacts: string;
  /** Metadata carried by locks of the chain's native denoms. */
  nativeDenoms: { denom: string; decimals: number; symbol: string; name: string }[];
}): Promise<CosmwasmDeployment> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(opts.deployerMnemonic, { prefix: opts.prefix });
  const [deployer] = await wallet.getAccounts();
  if (!deployer) throw new Error('deployer wallet has no account');
  const client = await SigningCosmWasmClient.connectWithSigner(opts.rpcUrl, wallet, {
    gasPrice: GasPrice.fromString(opts.gasPrice),
  });
  try {
    const cw20 = await client.upload(
      deployer.address,
      readFileSync(join(opts.artifacts, 'sah_wrapped_token.wasm')),
      'auto',
    );
    const bridgeCode = await client.upload(
      deployer.address,
      readFileSync(join(opts.artifacts, 'sah_bridge_cosmwasm.wasm')),
      'auto',
    );
    const { contractAddress } = await client.instantiate(
      deployer.address,
      bridgeCode.codeId,
      {
        chain_id: opts.protocolChainId,
        group_key: opts.groupKey.slice(2),
        pauser: null,
        cw20_code_id: cw20.codeId,
        native_denoms: opts.nativeDenoms,
      },
      'sah-bridge',
      'auto',
    );
    return {
      bridge: contractAddress,
      bridgeCodeId: bridgeCode.codeId,
      cw20CodeId: cw20.codeId,
      height: await client.getHeight(),
    };
  } finally {
    client.disconnect();
  }
}

/** The bech32 address of a secp256k1 private key on a Cosmos chain (the operators reuse their EVM key). */
export async function cosmosAddressOf(key: Hex, prefix: string): Promise<string> {
  const { DirectSecp256k1Wallet } = await import('@cosmjs/proto-signing');
  const wallet = await DirectSecp256k1Wallet.fromKey(Buffer.from(key.slice(2), 'hex'), prefix);
  const [account] = await wallet.getAccounts();
  return account?.address as string;
}
