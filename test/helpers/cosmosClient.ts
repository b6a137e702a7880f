/** Test helpers over the devnet's wasmd chain: the bridge's queries, dev-account transactions, balances. */
import { CosmWasmClient, SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { toBase64, toUtf8 } from '@cosmjs/encoding';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { type DeliverTxResponse, GasPrice } from '@cosmjs/stargate';
import type { Hex } from 'viem';
import { bech32ToBytes32 } from '../../relayer/chains/cosmwasm/account.js';
import { burnHookMsg, lockMsg, MESSAGE_SENT_EVENT, queries } from '../../relayer/chains/cosmwasm/bridgeContract.js';
import { chainsOf, type DevnetChainInfoOf, type DevnetInfo } from '../../relayer/sdk/devnetInfo.js';
import { refOf, rememberMessage } from './messageRefs.js';

export class CosmosClient {
  private constructor(
    readonly info: DevnetInfo,
    readonly chain: DevnetChainInfoOf<'cosmwasm'>,
    readonly query: CosmWasmClient,
    private readonly signers: Map<string, { address: string; client: SigningCosmWasmClient }>,
  ) {}

  static async connect(info: DevnetInfo): Promise<CosmosClient> {
    const chain = chainsOf(info, 'cosmwasm')[0];
    if (!chain) throw new Error('the devnet has no Cosmos chain');
    const signers = new Map<string, { address: string; client: SigningCosmWasmClient }>();
    for (const a of info.cosmosDevAccounts) {
      const wallet = await DirectSecp256k1HdWallet.fromMnemonic(a.mnemonic, { prefix: chain.prefix });
      const client = await SigningCosmWasmClient.connectWithSigner(chain.rpcUrl, wallet, {
        gasPrice: GasPrice.fromString(chain.gasPrice),
      });
      signers.set(a.name, { address: a.address, client });
    }
    return new CosmosClient(info, chain, await CosmWasmClient.connect(chain.rpcUrl), signers);
  }

  disconnect(): void {
    this.query.disconnect();
    for (const s of this.signers.values()) s.client.disconnect();
  }

  account(name: string): { address: string; form: Hex } {
    const s = this.signers.get(name);
    if (!s) throw new Error(`no dev account ${name}`);
    return { address: s.address, form: bech32ToBytes32(s.address, this.chain.prefix) };
  }

  private signer(name: string) {
    const s = this.signers.get(name);
    if (!s) throw new Error(`no dev account ${name}`);
    return s;
  }

  /** Whether the bridge consumed message `id` (its replay bit; false while no node has observed it). */
  async isConsumed(id: Hex): Promise<boolean> {
    const ref = await refOf(this.info, id);
    if (!ref) return false;
    return this.query.queryContractSmart(
      this.chain.bridge,
      queries.isConsumed(ref.sourceChain, ref.nonce),
    ) as Promise<boolean>;
  }

  async waitConsumed(ids: Hex[], timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await Promise.all(ids.map((id) => this.isConsumed(id)))).every(Boolean)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`not delivered on ${this.chain.name} within ${timeoutMs} ms`);
  }

  wrappedToken(originChain: number, originToken: Hex): Promise<string | null> {
    return this.query.queryContractSmart(this.chain.bridge, queries.wrappedToken(originChain, originToken)) as Promise<
      string | null
    >;
  }

  async wrappedSupply(originChain: number, originToken: Hex): Promise<bigint> {
    return BigInt(
      (await this.query.queryContractSmart(
        this.chain.bridge,
        queries.wrappedSupply(originChain, originToken),
      )) as string,
    );
  }

  async locked(denom: string): Promise<bigint> {
    return BigInt((await this.query.queryContractSmart(this.chain.bridge, queries.locked(denom))) as string);
  }

  async cw20Balance(token: string, address: string): Promise<bigint> {
    const r = (await this.query.queryContractSmart(token, { balance: { address } })) as { balance: string };
    return BigInt(r.balance);
  }

  async cw20Supply(token: string): Promise<bigint> {
    const r = (await this.query.queryContractSmart(token, { token_info: {} })) as { total_supply: string };
    return BigInt(r.total_supply);
  }

  async bank(address: string, denom = this.chain.denom): Promise<bigint> {
    return BigInt((await this.query.getBalance(address, denom)).amount);
  }

  /** Locks `amount` of the native denom from a dev account; returns the message id. */
  async lock(from: string, amount: bigint, destinationChain: number, recipient: Hex): Promise<Hex> {
    return messageIdOf((await this.lockTx(from, amount, destinationChain, recipient)).events);
  }

  lockTx(from: string, amount: bigint, destinationChain: number, recipient: Hex) {
    const s = this.signer(from);
    return s.client.execute(s.address, this.chain.bridge, lockMsg(destinationChain, recipient), 'auto', '', [
      { denom: this.chain.denom, amount: amount.toString() },
    ]);
  }

  /** Burns wrapped tokens of a dev account (cw20 Send to the bridge); returns the message id. */
  async burn(from: string, token: string, amount: bigint, destinationChain: number, recipient: Hex): Promise<Hex> {
    return messageIdOf((await this.burnTx(from, token, amount, destinationChain, recipient)).events);
  }

  burnTx(from: string, token: string, amount: bigint, destinationChain: number, recipient: Hex) {
    const s = this.signer(from);
    const hook = toBase64(toUtf8(JSON.stringify(burnHookMsg(destinationChain, recipient))));
    return s.client.execute(
      s.address,
      token,
      { send: { contract: this.chain.bridge, amount: amount.toString(), msg: hook } },
      'auto',
    );
  }

  /** Sends a burn and returns once the mempool took it (its hash), without waiting for a block. */
  async burnSync(
    from: string,
    token: string,
    amount: bigint,
    destinationChain: number,
    recipient: Hex,
  ): Promise<string> {
    const s = this.signer(from);
    const hook = toBase64(toUtf8(JSON.stringify(burnHookMsg(destinationChain, recipient))));
    return s.client.signAndBroadcastSync(
      s.address,
      [
        {
          typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract',
          value: {
            sender: s.address,
            contract: token,
            msg: toUtf8(
              JSON.stringify({ send: { contract: this.chain.bridge, amount: amount.toString(), msg: hook } }),
            ),
            funds: [],
          },
        },
      ],
      'auto',
    );
  }

  /**
   * Executes on the bridge with a fixed fee, so no simulation stops it: a refused message lands in a block
   * as a failed transaction whose log names the bridge's error.
   */
  async executeUnsimulated(from: string, msg: object): Promise<DeliverTxResponse> {
    const s = this.signer(from);
    return s.client.signAndBroadcast(
      s.address,
      [
        {
          typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract',
          value: { sender: s.address, contract: this.chain.bridge, msg: toUtf8(JSON.stringify(msg)), funds: [] },
        },
      ],
      { amount: [{ denom: this.chain.denom, amount: '50000' }], gas: '2000000' },
    );
  }
}

/** The id of the bridge message the transaction emitted (its encoding remembered for consumed checks). */
function messageIdOf(events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[]): Hex {
  const sent = events.find((e) => e.type === MESSAGE_SENT_EVENT)?.attributes;
  const id = sent?.find((a) => a.key === 'message_id')?.value;
  const message = sent?.find((a) => a.key === 'message')?.value;
  if (!id || !message) throw new Error('the transaction emitted no bridge message');
  rememberMessage(id as Hex, message as Hex);
  return id as Hex;
}
