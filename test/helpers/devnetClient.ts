/** Test helpers over a running devnet: transfers, delivery checks and balances on both chains. */
import { type Address, getAbiItem, type Hex, parseAbi } from 'viem';
import { bridgeAbi } from '../../relayer/chains/evm/abi/bridge.js';
import { EvmBridge, type EvmWallet } from '../../relayer/chains/evm/bridgeContract.js';
import { evmClients } from '../../relayer/chains/evm/clients.js';
import { addressToBytes32 } from '../../relayer/protocol/strings.js';
import { chainsOf, type DevnetChainInfoOf, type DevnetInfo } from '../../relayer/sdk/devnetInfo.js';
import { refOf, rememberMessage } from './messageRefs.js';

type DevnetEvmChainInfo = DevnetChainInfoOf<'evm'>;

export const erc20 = parseAbi([
  'function approve(address,uint256) returns (bool)',
  'function balanceOf(address) view returns (uint256)',
  'function totalSupply() view returns (uint256)',
]);
const messageReceived = getAbiItem({ abi: bridgeAbi, name: 'MessageReceived' });

export class DevnetClient {
  readonly a: ReturnType<typeof evmClients>;
  readonly b: ReturnType<typeof evmClients>;
  readonly bridgeA: EvmBridge;
  readonly bridgeB: EvmBridge;
  readonly sah: Address;
  readonly user: EvmWallet;
  readonly userB: EvmWallet;

  constructor(readonly info: DevnetInfo) {
    const [ca, cb] = chainsOf(info, 'evm') as [DevnetEvmChainInfo, DevnetEvmChainInfo];
    this.a = evmClients(ca.rpcUrl, ca.evmChainId);
    this.b = evmClients(cb.rpcUrl, cb.evmChainId);
    this.bridgeA = new EvmBridge(ca.bridge, this.a.publicClient);
    this.bridgeB = new EvmBridge(cb.bridge, this.b.publicClient);
    this.sah = ca.sah as Address;
    const key = info.devAccounts[0]?.key as Hex;
    this.user = this.a.wallet(key);
    this.userB = this.b.wallet(key);
  }

  /** The first EVM chain (SAH's home). */
  get chainA(): DevnetEvmChainInfo {
    return chainsOf(this.info, 'evm')[0] as DevnetEvmChainInfo;
  }

  /** The second EVM chain. */
  get chainB(): DevnetEvmChainInfo {
    return chainsOf(this.info, 'evm')[1] as DevnetEvmChainInfo;
  }

  async approveAll(): Promise<void> {
    const hash = await this.user.writeContract({
      address: this.sah,
      abi: erc20,
      functionName: 'approve',
      args: [this.chainA.bridge, 2n ** 255n],
    });
    await this.a.publicClient.waitForTransactionReceipt({ hash });
  }

  async lock(amount: bigint, recipient: Address): Promise<Hex> {
    const { message } = await this.bridgeA.lock(
      this.user,
      this.sah,
      amount,
      this.chainB.protocolChainId,
      addressToBytes32(recipient),
    );
    rememberMessage(message.messageId, message.message);
    return message.messageId;
  }

  async wrapped(): Promise<Address> {
    return this.bridgeB.wrappedTokenOf(this.chainA.protocolChainId, addressToBytes32(this.sah));
  }

  async burn(amount: bigint, recipient: Address): Promise<Hex> {
    const { message } = await this.bridgeB.burn(
      this.userB,
      await this.wrapped(),
      amount,
      this.chainA.protocolChainId,
      addressToBytes32(recipient),
    );
    rememberMessage(message.messageId, message.message);
    return message.messageId;
  }

  balanceA(who: Address): Promise<bigint> {
    return this.a.publicClient.readContract({ address: this.sah, abi: erc20, functionName: 'balanceOf', args: [who] });
  }

  async balanceB(who: Address): Promise<bigint> {
    const token = await this.wrapped();
    if ((await this.b.publicClient.getCode({ address: token })) === undefined) return 0n;
    return this.b.publicClient.readContract({ address: token, abi: erc20, functionName: 'balanceOf', args: [who] });
  }

  async supplyB(): Promise<bigint> {
    const token = await this.wrapped();
    if ((await this.b.publicClient.getCode({ address: token })) === undefined) return 0n;
    return this.b.publicClient.readContract({ address: token, abi: erc20, functionName: 'totalSupply' });
  }

  /** Whether the bridge consumed message `id` (its replay bit; false while no node has observed it). */
  async isConsumed(bridge: EvmBridge, id: Hex): Promise<boolean> {
    const ref = await refOf(this.info, id);
    return ref !== undefined && bridge.isConsumed(ref.sourceChain, ref.nonce);
  }

  /** Waits until `id` is consumed on the chain `bridge` lives on. */
  async waitDelivered(bridge: EvmBridge, ids: Hex[], timeoutMs = 60_000): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const done = await Promise.all(ids.map((id) => this.isConsumed(bridge, id)));
      if (done.every(Boolean)) return Date.now() - started;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`not delivered within ${timeoutMs} ms: ${ids.length} message(s)`);
  }

  /** How many times each id was received on chain B (MessageReceived events). */
  async receivedCountB(id: Hex): Promise<number> {
    const logs = await this.b.publicClient.getLogs({
      address: this.chainB.bridge,
      event: messageReceived,
      args: { messageId: id },
      fromBlock: 0n,
    });
    return logs.length;
  }

  /** Chain B's MessageReceived events of these ids on its current chain, in block order. */
  async receivedLogsB(ids: Hex[]): Promise<{ messageId: Hex; blockNumber: bigint; transactionHash: Hex }[]> {
    const logs = await this.b.publicClient.getLogs({
      address: this.chainB.bridge,
      event: messageReceived,
      args: { messageId: ids },
      fromBlock: 0n,
    });
    return logs.map((l) => ({
      messageId: l.args.messageId as Hex,
      blockNumber: l.blockNumber,
      transactionHash: l.transactionHash,
    }));
  }

  /**
   * Reorganizes chain B: its last `depth` blocks are replaced by as many empty ones (anvil_reorg), so the
   * height stays and every transaction of those blocks is gone (not back in the pool).
   */
  async reorgB(depth: number): Promise<void> {
    await this.b.publicClient.request({ method: 'anvil_reorg' as never, params: [depth, []] as never });
  }

  async nextNonceA(): Promise<bigint> {
    const n = await this.a.publicClient.readContract({
      address: this.chainA.bridge,
      abi: bridgeAbi,
      functionName: 'outboundNonce',
    });
    return n + 1n;
  }

  async nodeRecord(api: string, id: Hex): Promise<{ stage: string } | undefined> {
    const res = await fetch(`${api}/v1/messages/${id}`);
    return res.ok ? ((await res.json()) as { stage: string }) : undefined;
  }
}
