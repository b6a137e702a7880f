/**
 * End to end on PROTOCOL §7 (data attestations and compute jobs) through the SDK's FlowClients, on the full
 * devnet: two anvil chains, wasmd, chopsticks with the GRANDPA voter, Redis, 5 relayer nodes, t = 3.
 *
 * - attestations made on ethereum-a, wasmd and polkadot, read on the other two with the owner DID of §7.1
 *   and their origin; the relayer API by data hash, owner DID and chain; a second owner's attestation is a
 *   conflict everywhere; the owner's revoke travels;
 * - compute jobs Ethereum -> Cosmos, Cosmos -> Polkadot, Polkadot -> Ethereum paid in SAH (bridged from
 *   ethereum-a first): paid on time, refunded on expiry, the two races at the deadline (a result in a block
 *   whose time is the deadline is on time, in one a second later it is refused), the relayers down from
 *   before the result until after the deadline, cancellation while open and after a claim;
 * - bad input refused by name with no state change: unknown job, double claim, a result from a non-claimer,
 *   a late result, a replayed delivery of a job message.
 *
 * One devnet for the whole file. The chains' clocks differ: anvil keeps wall time until a block is mined at
 * a chosen time, wasmd keeps wall time, chopsticks adds 12 s per block. So the routes run in an order where
 * no clock a later step needs has been moved past it (anvil's is moved last, by Polkadot -> Ethereum).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTxRaw } from '@cosmjs/proto-signing';
import { MsgExecuteContract } from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import {
  type Address,
  type BaseError,
  bytesToHex,
  ContractFunctionRevertedError,
  decodeFunctionData,
  type Hex,
  hexToBytes,
  keccak256,
  parseEther,
  toHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANVIL_KEYS } from '../../devnet/anvil.js';
import { type Devnet, startDevnet } from '../../devnet/devnet.js';
import { exited, spawnCli } from '../../devnet/processes.js';
import { bytes32ToBech32, plainHex } from '../../relayer/chains/cosmwasm/account.js';
import { bridgeErrorName, queries } from '../../relayer/chains/cosmwasm/bridgeContract.js';
import { bridgeAbi } from '../../relayer/chains/evm/abi/bridge.js';
import { jobBoardAbi } from '../../relayer/chains/evm/abi/jobBoard.js';
import { bytes32ToSs58 } from '../../relayer/chains/substrate/account.js';
import { loadDevnetConfig } from '../../relayer/config/devnetConfig.js';
import { addressToBytes32, cosmosOwnerDid, evmOwnerDid, substrateOwnerDid } from '../../relayer/protocol/index.js';
import { decodeMessage } from '../../relayer/protocol/message.js';
import { type DevnetSigner, flowClientFor } from '../../relayer/sdk/devnet.js';
import type { DevnetChainInfoOf } from '../../relayer/sdk/devnetInfo.js';
import { FlowCallError, type FlowClient, type PostedJob, type Submitted } from '../../relayer/sdk/flows.js';
import { followMessages } from '../../relayer/sdk/progress.js';
import {
  anvilBlockAt,
  chopsticksAdvanceTo,
  chopsticksTime,
  inAnvilBlockAt,
  inChopsticksBlockAt,
  inWasmdBlockAt,
  type Outcome,
  until,
  wasmdPast,
} from '../helpers/chainClock.js';
import { CosmosClient } from '../helpers/cosmosClient.js';
import { DevnetClient } from '../helpers/devnetClient.js';
import { SubstrateClient } from '../helpers/substrateClient.js';

const ETH = 'ethereum-a';
const CW = 'wasmd';
const DOT = 'polkadot';
type Chain = typeof ETH | typeof CW | typeof DOT;
const CHAINS: Chain[] = [ETH, CW, DOT];

/** Who does what on each chain: one FlowClient per account, so one nonce sequence per account. */
type Role = 'owner' | 'other' | 'worker' | 'onTime' | 'late' | 'down';

const hash = (label: string): Hex => keccak256(toHex(`${label} ${Date.now()} ${Math.random()}`));
const randomHash = (): Hex => bytesToHex(randomBytes(32));
const later = (x: bigint, y: bigint) => (x >= y ? x : y);

/** The error name a call was refused with (FlowCallError.reason), or 'ok'. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof FlowCallError) return e.reason;
    throw e;
  }
}

describe('PROTOCOL §7 flows on the full devnet: anvil x2, wasmd, chopsticks + GRANDPA voter, 5 nodes, t = 3', () => {
  let devnet: Devnet;
  let c: DevnetClient;
  let cosmos: CosmosClient;
  let sub: SubstrateClient;
  const clients = new Map<string, Promise<FlowClient>>();
  let ids: Record<Chain, number>;
  let sahCw20: string;
  let sahAsset: number;
  const started = Date.now();
  const api = () => devnet.info.nodes[0]?.api as string;

  const signer = (chain: Chain, role: Role): DevnetSigner => {
    const { devAccounts, cosmosDevAccounts } = devnet.info;
    const table: Record<Chain, Record<Role, DevnetSigner>> = {
      [ETH]: {
        owner: { key: devAccounts[0]?.key },
        other: { key: devAccounts[1]?.key },
        worker: { key: devAccounts[1]?.key },
        down: { key: devAccounts[1]?.key },
        // anvil's last dev accounts: no devnet process signs with them
        onTime: { key: ANVIL_KEYS[8] },
        late: { key: ANVIL_KEYS[9] },
      },
      [CW]: {
        owner: { mnemonic: cosmosDevAccounts[0]?.mnemonic },
        other: { mnemonic: cosmosDevAccounts[1]?.mnemonic },
        worker: { mnemonic: cosmosDevAccounts[0]?.mnemonic },
        down: { mnemonic: cosmosDevAccounts[0]?.mnemonic },
        onTime: { mnemonic: cosmosDevAccounts[1]?.mnemonic },
        late: { mnemonic: cosmosDevAccounts[2]?.mnemonic },
      },
      [DOT]: {
        owner: { uri: '//Alice' },
        other: { uri: '//Bob' },
        worker: { uri: '//Bob' },
        onTime: { uri: '//Charlie' },
        late: { uri: '//Dave' },
        down: { uri: '//Eve' },
      },
    };
    return table[chain][role];
  };

  /** The FlowClient of `role` on `chain` (one per account). */
  const fc = (chain: Chain, role: Role): Promise<FlowClient> => {
    const s = signer(chain, role);
    const key = `${chain}/${s.key ?? s.mnemonic ?? s.uri}`;
    let client = clients.get(key);
    if (!client) {
      client = flowClientFor(devnet.info, chain, s);
      clients.set(key, client);
    }
    return client;
  };

  /** Waits until every message is consumed on `chain`. */
  const delivered = (chain: Chain, messageIds: Hex[]) =>
    chain === ETH
      ? c.waitDelivered(c.bridgeA, messageIds, 90_000)
      : chain === CW
        ? cosmos.waitConsumed(messageIds, 90_000)
        : sub.waitConsumed(messageIds, 90_000);

  const consumed = (chain: Chain, id: Hex) =>
    chain === ETH ? c.isConsumed(c.bridgeA, id) : chain === CW ? cosmos.isConsumed(id) : sub.isConsumed(id);

  /** A new account on `chain` (32-byte form) that never sent anything: its SAH balance starts at 0. */
  function freshAccount(chain: Chain): { form: Hex; sah: () => Promise<bigint> } {
    if (chain === ETH) {
      const address = privateKeyToAccount(bytesToHex(randomBytes(32))).address;
      return { form: addressToBytes32(address), sah: () => c.balanceA(address) };
    }
    if (chain === CW) {
      const form = bytesToHex(new Uint8Array([...new Uint8Array(12), ...randomBytes(20)]));
      const address = bytes32ToBech32(form, cosmos.chain.prefix);
      return { form, sah: () => cosmos.cw20Balance(sahCw20, address) };
    }
    const form = randomHash();
    const address = bytes32ToSs58(form, sub.chain.ss58Prefix);
    return { form, sah: () => sub.assetBalance(sahAsset, address) };
  }

  /** SAH held in escrow by the job board of `chain` (all jobs posted there and not settled). */
  async function escrowOn(chain: Chain): Promise<bigint> {
    if (chain === ETH) {
      const info = c.chainA as DevnetChainInfoOf<'evm'>;
      const [total, held] = await Promise.all([
        c.a.publicClient.readContract({
          address: info.jobBoard as Address,
          abi: jobBoardAbi,
          functionName: 'escrowed',
          args: [c.sah],
        }),
        c.balanceA(info.jobBoard as Address),
      ]);
      expect(held).toBe(total); // the board holds exactly what it escrows
      return total;
    }
    if (chain === CW) {
      const [total, held] = await Promise.all([
        cosmos.query.queryContractSmart(cosmos.chain.bridge, queries.jobEscrow({ cw20: { token: sahCw20 } })),
        cosmos.cw20Balance(sahCw20, cosmos.chain.bridge),
      ]);
      expect(held).toBe(BigInt(total as string)); // wrapped SAH is burned, never held: the bridge holds escrow only
      return BigInt(total as string);
    }
    const total = await sub.api.query.sahBridge.jobEscrow({ Asset: sahAsset });
    return BigInt(total.toString());
  }

  /** Waits until the job's escrow side on `chain` reaches `status`. */
  const escrowStatus = (client: FlowClient, jobId: Hex, status: string) =>
    until(`job ${jobId.slice(0, 10)} ${status} on ${client.protocolChainId}`, async () => {
      const j = await client.job(jobId);
      return j.escrow?.status === status ? j : undefined;
    });

  /** The node's record of a delivered message, with its delivery transaction. */
  const deliveryOf = (id: Hex) =>
    until(`the delivery of ${id.slice(0, 10)}`, async () => {
      const res = await fetch(`${api()}/v1/messages/${id}`);
      if (!res.ok) return undefined;
      const r = (await res.json()) as { stage: string; deliveryTx?: Hex; message: Hex };
      return r.stage === 'delivered' && r.deliveryTx ? r : undefined;
    });

  /**
   * Re-submits the transaction that delivered `id` to `chain`, as it was, from another account: the
   * bridge's refusal name (MessageAlreadyConsumed, or BatchAlreadyDelivered for a batch).
   */
  async function replayDelivery(chain: Chain, id: Hex): Promise<{ error: string; batch: boolean }> {
    const { deliveryTx } = await deliveryOf(id);
    if (chain === ETH) {
      const tx = await c.a.publicClient.getTransaction({ hash: deliveryTx as Hex });
      const call = decodeFunctionData({ abi: bridgeAbi, data: tx.input });
      const wallet = c.a.wallet(ANVIL_KEYS[8] as Hex);
      // the same calldata, sent for real (no simulation): reverted in its block
      const sent = await wallet.sendTransaction({ to: tx.to as Address, data: tx.input, gas: 3_000_000n });
      const receipt = await c.a.publicClient.waitForTransactionReceipt({ hash: sent });
      expect(receipt.status).toBe('reverted');
      const error = await c.a.publicClient
        .simulateContract({
          address: tx.to as Address,
          abi: bridgeAbi,
          functionName: call.functionName,
          args: call.args,
          account: wallet.account,
          blockNumber: receipt.blockNumber,
        } as never)
        .then(
          () => 'ok',
          (e: unknown) =>
            ((e as BaseError).walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError)
              ?.data?.errorName ?? String(e),
        );
      return { error, batch: call.functionName === 'receiveBatch' };
    }
    if (chain === CW) {
      const tx = await cosmos.query.getTx(plainHex(deliveryTx as Hex).toUpperCase());
      const execute = MsgExecuteContract.decode(
        decodeTxRaw(tx?.tx as Uint8Array).body.messages[0]?.value as Uint8Array,
      );
      const msg = JSON.parse(new TextDecoder().decode(execute.msg)) as { receive_batch?: unknown };
      const res = await cosmos.executeUnsimulated('dev2', msg);
      expect(res.code).not.toBe(0);
      return { error: bridgeErrorName(res.rawLog ?? '') ?? String(res.rawLog), batch: !!msg.receive_batch };
    }
    const call = await sub.deliveryCall(deliveryTx as Hex);
    return { error: await sub.submitCall('//Ferdie', call.method, call.args), batch: call.method === 'receiveBatch' };
  }

  beforeAll(async () => {
    devnet = await startDevnet(loadDevnetConfig('config/devnet.json'), {
      dir: mkdtempSync(join(tmpdir(), 'sah-devnet-flows-')),
      freePorts: true,
    });
    c = new DevnetClient(devnet.info);
    [cosmos, sub] = await Promise.all([CosmosClient.connect(devnet.info), SubstrateClient.connect(devnet.info)]);
    ids = { [ETH]: c.chainA.protocolChainId, [CW]: cosmos.chain.protocolChainId, [DOT]: sub.chain.protocolChainId };
    // SAH to the payers on wasmd and polkadot, with the bridge (the dev accounts hold SAH on ethereum-a)
    await c.approveAll();
    const [cwPayer, dotPayer] = await Promise.all([fc(CW, 'owner'), fc(DOT, 'owner')]);
    const toCw = await c.bridgeA.lock(c.user, c.sah, parseEther('100'), ids[CW], cwPayer.account);
    const toDot = await c.bridgeA.lock(c.user, c.sah, parseEther('100'), ids[DOT], dotPayer.account);
    await Promise.all([delivered(CW, [toCw.message.messageId]), delivered(DOT, [toDot.message.messageId])]);
    const sahId = [ids[ETH], addressToBytes32(c.sah)] as const;
    sahCw20 = (await cosmos.wrappedToken(...sahId)) as string;
    sahAsset = (await sub.wrappedAsset(...sahId)) as number;
    expect(await cwPayer.sahBalance()).toBe(parseEther('100'));
    expect(await dotPayer.sahBalance()).toBe(parseEther('100'));
    console.log(`[flows] devnet up and SAH bridged in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  afterAll(async () => {
    for (const client of clients.values()) await (await client.catch(() => undefined))?.close();
    await sub?.disconnect();
    cosmos?.disconnect();
    await devnet?.stop();
    console.log(`[flows] whole file ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  // ------------------------------------------------------------------------------------------ §7.1, §7.2

  describe('data attestations', () => {
    /** Per source chain: the data hash it attested and the record every chain holds of it. */
    const attested = new Map<Chain, { dataHash: Hex; ownerDid: string }>();

    async function expectedDid(chain: Chain): Promise<string> {
      const owner = await fc(chain, 'owner');
      if (chain === ETH) return evmOwnerDid(c.chainA.evmChainId, devnet.info.devAccounts[0]?.address as Address);
      if (chain === CW)
        return cosmosOwnerDid(cosmos.chain.cosmosChainId, devnet.info.cosmosDevAccounts[0]?.address as string);
      const genesis = (await sub.api.rpc.chain.getBlockHash(0)).toHex() as Hex;
      return substrateOwnerDid(genesis, owner.account, sub.chain.ss58Prefix);
    }

    it('made on each chain, readable on the other two with its owner DID and origin; the API by data hash, owner and chain', async () => {
      await Promise.all(
        CHAINS.map(async (source) => {
          const owner = await fc(source, 'owner');
          const others = CHAINS.filter((x) => x !== source);
          const dataHash = hash(`data on ${source}`);
          const uri = `ipfs://sah-e2e/${source}`;
          const sent = await owner.attest(
            dataHash,
            uri,
            'CC-BY-4.0',
            others.map((x) => ids[x]),
          );
          expect(sent.messageIds).toHaveLength(2);
          // followed stage by stage on a node's API (the SDK's progress), then read on the chains
          const stages: string[] = [];
          const progress = await followMessages(api(), sent.messageIds, (e) => stages.push(e.stage), {
            timeoutMs: 90_000,
          });
          expect(progress.map((e) => [e.sourceChain, e.destinationChain, e.stage])).toEqual(
            others.map((x) => [ids[source], ids[x], 'delivered']),
          );
          expect(progress.every((e) => e.deliveryTx)).toBe(true);
          expect(stages.at(-1)).toBe('delivered');
          // every node names the same delivering transaction, whoever of them delivered (the others ask the chain)
          for (const e of progress) {
            const named = await until(`all nodes name the delivery of ${e.messageId.slice(0, 10)}`, async () => {
              const txs = await Promise.all(
                devnet.info.nodes.map(async (n) => {
                  const r = (await (await fetch(`${n.api}/v1/messages/${e.messageId}`)).json()) as {
                    stage: string;
                    deliveryTx?: Hex;
                  };
                  return r.stage === 'delivered' ? r.deliveryTx : undefined;
                }),
              );
              return txs.every(Boolean) ? txs : undefined;
            });
            expect(new Set(named)).toEqual(new Set([e.deliveryTx]));
          }
          await Promise.all(others.map((x, i) => delivered(x, [sent.messageIds[i] as Hex])));
          const did = await expectedDid(source);
          expect(await owner.ownerDid()).toBe(did);
          attested.set(source, { dataHash, ownerDid: did });

          // the nonce each destination's message carries (its id is keccak256 of these very bytes)
          const nonces = new Map<number, bigint>();
          for (const id of sent.messageIds) {
            const { message } = await deliveryOf(id);
            expect(keccak256(message)).toBe(id);
            const m = decodeMessage(hexToBytes(message));
            expect(m.sourceChain).toBe(ids[source]);
            nonces.set(m.destinationChain, m.nonce);
          }
          for (const x of CHAINS) {
            const record = await (await fc(x, 'owner')).attestation(dataHash);
            expect(record, `${source}'s attestation on ${x}`).toEqual({
              ownerDid: did,
              originChain: ids[source],
              originNonce: x === source ? 0n : nonces.get(ids[x]),
              uri,
              license: 'CC-BY-4.0',
              timestamp: expect.any(BigInt),
              revoked: false,
              conflicts: 0,
            });
          }

          // the relayer API: by data hash, by owner DID, by chain (source and each destination)
          const view = (await (await fetch(`${api()}/v1/attestations/${dataHash}`)).json()) as {
            owners: string[];
            messages: {
              ownerDid: string;
              sourceChain: number;
              destinationChain: number;
              stage: string;
              nonce: string;
            }[];
          };
          expect(view.owners).toEqual([did]);
          expect(
            view.messages.map((m) => [m.sourceChain, m.destinationChain, m.ownerDid, m.stage, m.nonce]).sort(),
          ).toEqual(others.map((x) => [ids[source], ids[x], did, 'delivered', String(nonces.get(ids[x]))]).sort());
          const byOwner = (await (await fetch(`${api()}/v1/attestations?owner=${encodeURIComponent(did)}`)).json()) as {
            attestations: { dataHash: Hex }[];
          };
          expect(byOwner.attestations.map((a) => a.dataHash)).toContain(dataHash);
          for (const x of CHAINS) {
            const byChain = (await (await fetch(`${api()}/v1/attestations?chain=${ids[x]}`)).json()) as {
              attestations: { dataHash: Hex }[];
            };
            expect(byChain.attestations.map((a) => a.dataHash)).toContain(dataHash);
          }
        }),
      );
    });

    it("a second owner's attestation is a conflict everywhere, the record unchanged; only the owner revokes, and the revoke travels", async () => {
      await Promise.all(
        CHAINS.map(async (source, i) => {
          const { dataHash, ownerDid } = attested.get(source) as { dataHash: Hex; ownerDid: string };
          const readers = await Promise.all(CHAINS.map((x) => fc(x, 'owner')));
          const before = await Promise.all(readers.map((r) => r.attestation(dataHash)));

          // another owner, on the next chain, attests the same hash to the two others
          const rivalChain = CHAINS[(i + 1) % 3] as Chain;
          const rival = await fc(rivalChain, 'other');
          const rivalDid = await rival.ownerDid();
          expect(rivalDid).not.toBe(ownerDid);
          const conflicting = await rival.attest(
            dataHash,
            'ipfs://not-mine',
            'MIT',
            CHAINS.filter((x) => x !== rivalChain).map((x) => ids[x]),
          );
          await Promise.all(
            CHAINS.filter((x) => x !== rivalChain).map((x, k) => delivered(x, [conflicting.messageIds[k] as Hex])),
          );
          for (const [k, r] of readers.entries()) {
            const after = await r.attestation(dataHash);
            // recorded as a conflict on all three (the rival's own chain too), the record untouched
            expect(after, `conflict on ${CHAINS[k]}`).toEqual({ ...before[k], conflicts: 1 });
          }

          // the rival cannot revoke it (its DID does not own the record on its chain): nothing changes
          expect(await refusal(rival.revoke(dataHash, [ids[source]]))).toBe('NotOwner');
          expect(await readers[(i + 1) % 3]?.attestation(dataHash)).toEqual({ ...before[(i + 1) % 3], conflicts: 1 });

          // the owner revokes on its chain: revoked there and, once delivered, on the two others
          const owner = await fc(source, 'owner');
          const others = CHAINS.filter((x) => x !== source);
          const revoked = await owner.revoke(
            dataHash,
            others.map((x) => ids[x]),
          );
          await Promise.all(others.map((x, k) => delivered(x, [revoked.messageIds[k] as Hex])));
          for (const [k, r] of readers.entries()) {
            // only `revoked` changes: owner, origin, nonce, timestamp, uri, license stay the last register's
            expect(await r.attestation(dataHash), `revoked on ${CHAINS[k]}`).toEqual({
              ...before[k],
              revoked: true,
              conflicts: 1,
            });
          }
          // revocation is final: the owner cannot attest the hash again
          expect(await refusal(owner.attest(dataHash, 'ipfs://again', 'MIT', [ids[rivalChain]]))).toBe(
            'AttestationRevoked',
          );
          expect(await owner.attestation(dataHash)).toEqual({ ...before[i], revoked: true, conflicts: 1 });

          // the API: both owners' messages, the revocations delivered
          const view = (await (await fetch(`${api()}/v1/attestations/${dataHash}`)).json()) as {
            owners: string[];
            messages: { action: string; ownerDid: string; stage: string }[];
          };
          expect(new Set(view.owners)).toEqual(new Set([ownerDid, rivalDid]));
          const revokes = await until('the revocations in the API', async () => {
            const v = (await (await fetch(`${api()}/v1/attestations/${dataHash}`)).json()) as typeof view;
            const r = v.messages.filter((m) => m.action === 'Revoke' && m.stage === 'delivered');
            return r.length === 2 ? r : undefined;
          });
          expect(revokes.every((m) => m.ownerDid === ownerDid)).toBe(true);
        }),
      );
    });

    it('the CLI: `sah-bridge attest` follows its message to delivery; `job claim` of an unknown job is refused by name', async () => {
      const dir = devnet.info.nodes[0]?.log.replace(/\/node-1\/node\.log$/, '') as string;
      const cli = async (args: string[], name: string) => {
        const log = join(dir, `cli-${name}.log`);
        const code = await exited(spawnCli([...args, '--devnet', join(dir, 'devnet.json')], { log }), 120_000, name);
        return { code, out: readFileSync(log, 'utf8') };
      };
      const dataHash = bytesToHex(randomBytes(32));
      const attest = await cli(
        [
          'attest',
          '--on',
          'wasmd',
          '--data-hash',
          dataHash,
          '--data-uri',
          'ipfs://cli',
          '--license',
          'MIT',
          '--to',
          'ethereum-a',
        ],
        'attest',
      );
      expect(attest.code).toBe(0);
      expect(attest.out).toMatch(/attest: tx 0x[0-9a-f]{64}/);
      expect(attest.out).toContain(`${ids[CW]} -> ${ids[ETH]}: delivered`);
      const record = await (await fc(ETH, 'owner')).attestation(dataHash);
      expect(record).toMatchObject({
        ownerDid: cosmosOwnerDid(cosmos.chain.cosmosChainId, devnet.info.cosmosDevAccounts[0]?.address as string),
        originChain: ids[CW],
        uri: 'ipfs://cli',
        license: 'MIT',
        revoked: false,
      });
      const unknown = bytesToHex(randomBytes(32));
      const claim = await cli(['job', 'claim', '--on', 'wasmd', '--job', unknown], 'claim');
      expect(claim.code).toBe(2);
      // one line naming the contract's error: `error: UnknownJob: wasmd refused: ...`
      expect(claim.out).toMatch(/^error: UnknownJob: wasmd refused: [^\n]*\n$/);
    });
  });

  // ------------------------------------------------------------------------------------------ §7.3

  interface Job extends PostedJob {
    amount: bigint;
    deadline: bigint;
  }

  /** Posts a job of `amount` on A (the payer's client) for B. */
  async function post(payer: FlowClient, b: Chain, amount: bigint, deadline: bigint, label: string): Promise<Job> {
    const posted = await payer.postJob({ specHash: hash(`spec ${label}`), executorChain: ids[b], amount, deadline });
    return { ...posted, amount, deadline };
  }

  /** The deadline of the race jobs of a route whose executor chain is `b` (the late job's is one less). */
  async function raceDeadline(a: Chain, b: Chain): Promise<bigint> {
    const [aNow, bNow] = await Promise.all([(await fc(a, 'owner')).chainTime(), (await fc(b, 'owner')).chainTime()]);
    let deadline: bigint;
    if (b === CW)
      deadline = bNow + 22n; // wall time: what the route's other steps take, no more
    else if (b === DOT)
      deadline = bNow + 12n * 45n; // a block time (12 s steps), past the blocks the route makes before the race
    else deadline = later(aNow, bNow) + 12n * 15n; // past polkadot's clock after the route's posts
    if (deadline - 1n <= aNow)
      throw new Error(`${a} is at ${aNow}: it cannot post a job with deadline ${deadline - 1n}`);
    return deadline;
  }

  /** Puts the two results into one block of B whose time is `time`. */
  async function raceOn(
    b: Chain,
    time: bigint,
    calls: { role: Role; run: () => Promise<Submitted> }[],
  ): Promise<Outcome<Submitted>[]> {
    if (b === ETH) {
      const from = await Promise.all(
        calls.map(async (x) => `0x${(await fc(ETH, x.role)).account.slice(-40)}` as Address),
      );
      return inAnvilBlockAt(
        c.a.publicClient,
        time,
        calls.map((x, i) => ({ from: from[i] as Address, run: x.run })),
      );
    }
    if (b === DOT) {
      const signers = await Promise.all(
        calls.map(async (x) => bytes32ToSs58((await fc(DOT, x.role)).account, sub.chain.ss58Prefix)),
      );
      return inChopsticksBlockAt(
        sub.api,
        time,
        calls.map((x, i) => ({ signer: signers[i] as string, run: x.run })),
      );
    }
    return inWasmdBlockAt(
      cosmos.chain.rpcUrl,
      time,
      calls.map((x) => x.run),
    );
  }

  /** The time of the block a submission landed in, on B. */
  async function blockTimeOf(b: Chain, s: Submitted): Promise<bigint> {
    if (b === ETH) {
      const receipt = await c.a.publicClient.getTransactionReceipt({ hash: s.tx });
      return (await c.a.publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp;
    }
    if (b === CW) {
      const tx = await cosmos.query.getTx(plainHex(s.tx).toUpperCase());
      return BigInt(Math.floor(Date.parse((await cosmos.query.getBlock(tx?.height)).header.time) / 1000));
    }
    return chopsticksTime(sub.api); // the race block is the best block until the next one is built
  }

  /** Moves B's clock past `time`. */
  async function passDeadline(b: Chain, time: bigint): Promise<void> {
    if (b === ETH) await anvilBlockAt(c.a.publicClient, time + 1n);
    else if (b === CW) await wasmdPast(cosmos.chain.rpcUrl, time);
    else await chopsticksAdvanceTo(sub.api, time + 1n);
  }

  function jobRoute(a: Chain, b: Chain): void {
    describe(`compute jobs ${a} -> ${b}`, () => {
      let payer: FlowClient;
      let worker: FlowClient;
      let onTime: FlowClient;
      let late: FlowClient;
      let payerBefore: bigint;
      let race: bigint;
      const jobs = {} as Record<'paid' | 'cancelOpen' | 'cancelClaimed' | 'onTime' | 'late' | 'expiry', Job>;
      const paidTo = new Map<string, { form: Hex; sah: () => Promise<bigint> }>();
      let routeStarted = 0;

      /** Submits the worker's (or `by`'s) result for `job`, paid to a new account on A; returns it. */
      async function result(by: FlowClient, job: Job, label: string) {
        const to = freshAccount(a);
        paidTo.set(label, to);
        return { to, sent: await by.submitResult(job.jobId, hash(`result ${label}`), to.form) };
      }

      beforeAll(async () => {
        routeStarted = Date.now();
        [payer, worker, onTime, late] = await Promise.all([
          fc(a, 'owner'),
          fc(b, 'worker'),
          fc(b, 'onTime'),
          fc(b, 'late'),
        ]);
        expect(await escrowOn(a)).toBe(0n);
        payerBefore = await payer.sahBalance();
        race = await raceDeadline(a, b);
        const far = race + 3600n;
        // distinct amounts, so that the payer's balance at the end tells which jobs were paid
        const sah = (n: number) => parseEther('1') + BigInt(n);
        jobs.paid = await post(payer, b, sah(1), far, 'paid');
        jobs.cancelOpen = await post(payer, b, sah(2), far, 'cancel while open');
        jobs.cancelClaimed = await post(payer, b, sah(3), far, 'cancel after claim');
        jobs.onTime = await post(payer, b, sah(4), race, 'result at the deadline');
        jobs.late = await post(payer, b, sah(5), race - 1n, 'result a second late');
        jobs.expiry = await post(payer, b, sah(6), race - 1n, 'never claimed');
        expect(payerBefore - (await payer.sahBalance())).toBe(21n + 6n * parseEther('1'));
        await delivered(
          b,
          Object.values(jobs).flatMap((j) => j.messageIds),
        );
        await Promise.all([
          (async () => {
            await worker.claimJob(jobs.paid.jobId);
            await worker.claimJob(jobs.cancelClaimed.jobId);
          })(),
          onTime.claimJob(jobs.onTime.jobId),
          late.claimJob(jobs.late.jobId),
        ]);
        console.log(
          `[flows] ${a} -> ${b}: 6 jobs posted, delivered, 4 claimed in ${((Date.now() - routeStarted) / 1000).toFixed(1)} s`,
        );
      });

      afterAll(() => {
        console.log(`[flows] ${a} -> ${b} done in ${((Date.now() - routeStarted) / 1000).toFixed(1)} s`);
      });

      it('paid on time: the executor gets exactly the amount on A; unknown job, double claim, non-claimer refused by name, nothing changed', async () => {
        const bSide = await fc(b, 'owner');
        const job = jobs.paid;
        expect((await payer.job(job.jobId)).escrow).toMatchObject({
          status: 'posted',
          amount: job.amount,
          executorChain: ids[b],
          payer: payer.account,
        });
        const claimed = await bSide.job(job.jobId);
        expect(claimed.executor).toMatchObject({
          status: 'claimed',
          escrowChain: ids[a],
          claimer: worker.account,
          deadline: job.deadline,
        });

        // an unknown job: nothing to claim, and nothing is created
        const unknown = randomHash();
        expect(await refusal(onTime.claimJob(unknown))).toBe('UnknownJob');
        expect(await bSide.job(unknown)).toEqual({});
        // a double claim, a result from another account than the claimer: refused, the job as it was
        expect(await refusal(onTime.claimJob(job.jobId))).toBe('JobNotOpen');
        expect(await refusal(onTime.submitResult(job.jobId, hash('not mine'), freshAccount(a).form))).toBe(
          'NotClaimer',
        );
        expect(await bSide.job(job.jobId)).toEqual(claimed);

        const { to, sent } = await result(worker, job, 'paid');
        expect((await bSide.job(job.jobId)).executor).toMatchObject({ status: 'completed', claimer: worker.account });
        await delivered(a, sent.messageIds);
        expect((await payer.job(job.jobId)).escrow?.status).toBe('paid');
        expect(await to.sah()).toBe(job.amount);

        // decided: no second result, no expiry on B; no cancel on A (by another account: NotPayer)
        const decided = await bSide.job(job.jobId);
        expect(await refusal(worker.submitResult(job.jobId, hash('again'), to.form))).toBe('JobNotOpen');
        expect(await refusal(worker.expireJob(job.jobId))).toBe('JobNotOpen');
        expect(await bSide.job(job.jobId)).toEqual(decided);
        const settled = await payer.job(job.jobId);
        expect(await refusal(payer.cancelJob(job.jobId))).toBe('JobNotCancellable');
        expect(await refusal((await fc(a, 'other')).cancelJob(job.jobId))).toBe('NotPayer');
        expect(await payer.job(job.jobId)).toEqual(settled);
        expect(await to.sah()).toBe(job.amount);
      });

      it('cancellation: while open on B the payer is refunded; after a claim the cancel is ignored and the job is still paid', async () => {
        const bSide = await fc(b, 'owner');
        await Promise.all([
          (async () => {
            const job = jobs.cancelOpen;
            expect((await bSide.job(job.jobId)).executor?.status).toBe('open');
            const cancel = await payer.cancelJob(job.jobId);
            // (the relayers may carry the cancel there and the result back before this reads it)
            expect(['cancel-requested', 'refunded']).toContain((await payer.job(job.jobId)).escrow?.status);
            // cancelled on B, which sends `cancelled`: A refunds
            await delivered(b, cancel.messageIds);
            expect((await bSide.job(job.jobId)).executor?.status).toBe('cancelled');
            await escrowStatus(payer, job.jobId, 'refunded');
            const cancelled = await bSide.job(job.jobId);
            expect(await refusal(worker.claimJob(job.jobId))).toBe('JobNotOpen');
            expect(await bSide.job(job.jobId)).toEqual(cancelled);
          })(),
          (async () => {
            const job = jobs.cancelClaimed;
            const cancel = await payer.cancelJob(job.jobId);
            await delivered(b, cancel.messageIds);
            // ignored on B: the job runs on, A waits for B's result
            expect((await bSide.job(job.jobId)).executor).toMatchObject({ status: 'claimed', claimer: worker.account });
            const requested = await payer.job(job.jobId);
            expect(requested.escrow?.status).toBe('cancel-requested');
            expect(await refusal(payer.cancelJob(job.jobId))).toBe('JobNotCancellable');
            expect(await payer.job(job.jobId)).toEqual(requested);
            const { to, sent } = await result(worker, job, 'cancel after claim');
            await delivered(a, sent.messageIds);
            expect((await payer.job(job.jobId)).escrow?.status).toBe('paid');
            expect(await to.sah()).toBe(job.amount);
          })(),
        ]);
      });

      it('the deadline races: a result in a block whose time is the deadline is paid, one second later DeadlinePassed; expiry refunds', async () => {
        const bSide = await fc(b, 'owner');
        // too early to expire
        const open = await bSide.job(jobs.expiry.jobId);
        expect(open.executor?.status).toBe('open');
        expect(await refusal(worker.expireJob(jobs.expiry.jobId))).toBe('DeadlineNotPassed');
        expect(await bSide.job(jobs.expiry.jobId)).toEqual(open);
        const lateBefore = await bSide.job(jobs.late.jobId);
        expect(lateBefore.executor?.status).toBe('claimed');

        // one block of B at time `race`: the deadline of one job, one second past the other's
        const onTimeTo = freshAccount(a);
        const lateTo = freshAccount(a);
        const [first, second] = await raceOn(b, race, [
          { role: 'onTime', run: () => onTime.submitResult(jobs.onTime.jobId, hash('on time'), onTimeTo.form) },
          { role: 'late', run: () => late.submitResult(jobs.late.jobId, hash('late'), lateTo.form) },
        ]);
        expect(first?.error).toBeUndefined();
        const onTimeSent = first?.ok as Submitted;
        expect(await blockTimeOf(b, onTimeSent)).toBe(jobs.onTime.deadline);
        expect((await bSide.job(jobs.onTime.jobId)).executor?.status).toBe('completed');
        const refused = second?.error as FlowCallError;
        expect(refused).toBeInstanceOf(FlowCallError);
        expect(refused.reason).toBe('DeadlinePassed');
        console.log(`[flows] ${b}: late result refused: ${second?.error?.message.slice(0, 160)}`);
        expect(await bSide.job(jobs.late.jobId)).toEqual(lateBefore);

        // past the deadline: no claim; anyone expires (the claimed late job and the never-claimed one)
        const expiry = await bSide.job(jobs.expiry.jobId);
        expect(await refusal(worker.claimJob(jobs.expiry.jobId))).toBe('DeadlinePassed');
        expect(await bSide.job(jobs.expiry.jobId)).toEqual(expiry);
        const expired = [await worker.expireJob(jobs.late.jobId), await worker.expireJob(jobs.expiry.jobId)];
        expect((await bSide.job(jobs.late.jobId)).executor?.status).toBe('expired');
        expect((await bSide.job(jobs.expiry.jobId)).executor?.status).toBe('expired');

        await delivered(a, [...onTimeSent.messageIds, ...expired.flatMap((s) => s.messageIds)]);
        expect((await payer.job(jobs.onTime.jobId)).escrow?.status).toBe('paid');
        expect(await onTimeTo.sah()).toBe(jobs.onTime.amount);
        expect((await payer.job(jobs.late.jobId)).escrow?.status).toBe('refunded');
        expect((await payer.job(jobs.expiry.jobId)).escrow?.status).toBe('refunded');
        expect(await lateTo.sah()).toBe(0n);
      });

      it('a replayed delivery of a job message is refused by name, nothing changed; escrow back to 0, the payer refunded to the unit; the API', async () => {
        const bSide = await fc(b, 'owner');
        const post = jobs.paid.messageIds[0] as Hex;
        const before = await bSide.job(jobs.paid.jobId);
        const replay = await replayDelivery(b, post);
        expect(replay.error).toBe(replay.batch ? 'BatchAlreadyDelivered' : 'MessageAlreadyConsumed');
        expect(await consumed(b, post)).toBe(true);
        expect(await bSide.job(jobs.paid.jobId)).toEqual(before);

        // everything settled: the escrow is empty, the payer paid exactly the three jobs that were done
        expect(await escrowOn(a)).toBe(0n);
        expect(payerBefore - (await payer.sahBalance())).toBe(
          jobs.paid.amount + jobs.cancelClaimed.amount + jobs.onTime.amount,
        );

        // the relayer API: each job's status from its messages; the payer's jobs on A
        const expected: Record<keyof typeof jobs, string> = {
          paid: 'paid',
          cancelOpen: 'refunded',
          cancelClaimed: 'paid',
          onTime: 'paid',
          late: 'refunded',
          expiry: 'refunded',
        };
        for (const [name, job] of Object.entries(jobs) as [keyof typeof jobs, Job][]) {
          const view = await until(`job ${name} ${expected[name]} in the API`, async () => {
            const res = await fetch(`${api()}/v1/jobs/${job.jobId}`);
            const v = (await res.json()) as {
              status: string;
              escrowChain: number;
              executorChain: number;
              payer: Hex;
              payment: { amount: string };
            };
            return v.status === expected[name] ? v : undefined;
          });
          expect(view).toMatchObject({
            escrowChain: ids[a],
            executorChain: ids[b],
            payer: payer.account,
            payment: { amount: String(job.amount) },
          });
        }
        const mine = (await (await fetch(`${api()}/v1/jobs?payer=${payer.account}&chain=${ids[a]}`)).json()) as {
          jobs: { jobId: Hex }[];
        };
        expect(mine.jobs.map((j) => j.jobId)).toEqual(expect.arrayContaining(Object.values(jobs).map((j) => j.jobId)));
      });
    });
  }

  jobRoute(ETH, CW);
  jobRoute(CW, DOT);

  describe('relayers down from before the result until after the deadline', () => {
    it('a result submitted on time on B while no relayer runs is honoured on A once they are back: paid, not refunded', async () => {
      const t0 = Date.now();
      const routes: [Chain, Chain][] = [
        [ETH, CW],
        [CW, DOT],
        [DOT, ETH],
      ];
      const parties = await Promise.all(
        routes.map(async ([a, b]) => ({ a, b, payer: await fc(a, 'owner'), executor: await fc(b, 'down') })),
      );
      const amount = parseEther('2') + 7n;
      // deadlines: wasmd is wall time (a short one: the test waits it out); chopsticks in 12 s steps; anvil
      // after polkadot's clock (chain A of that route)
      const cwNow = await (await fc(CW, 'owner')).chainTime();
      const dotNow = await chopsticksTime(sub.api);
      const ethNow = await (await fc(ETH, 'owner')).chainTime();
      const deadlines = [cwNow + 20n, dotNow + 12n * 12n, later(dotNow, ethNow) + 12n * 12n];
      const jobs = await Promise.all(
        parties.map((p, i) => post(p.payer, p.b, amount, deadlines[i] as bigint, `relayers down ${p.a} -> ${p.b}`)),
      );
      await Promise.all(parties.map((p, i) => delivered(p.b, jobs[i]?.messageIds ?? [])));
      await Promise.all(parties.map((p, i) => p.executor.claimJob(jobs[i]?.jobId as Hex)));

      await Promise.all(devnet.nodes.map((n) => devnet.stopNode(n.id)));
      const payTo = parties.map((p) => freshAccount(p.a));
      const results: Submitted[] = [];
      try {
        for (const [i, p] of parties.entries()) {
          const job = jobs[i] as Job;
          results.push(await p.executor.submitResult(job.jobId, hash('while down'), (payTo[i] as { form: Hex }).form));
          expect(await p.executor.chainTime()).toBeLessThanOrEqual(job.deadline);
        }
        // B's clocks past every deadline, still no relayer
        await Promise.all(parties.map((p, i) => passDeadline(p.b, (jobs[i] as Job).deadline)));
        for (const [i, p] of parties.entries()) {
          const job = jobs[i] as Job;
          expect(await p.executor.chainTime()).toBeGreaterThan(job.deadline);
          const decided = await p.executor.job(job.jobId);
          expect(decided.executor?.status).toBe('completed');
          // B decided once: nobody can expire it now
          expect(await refusal(p.executor.expireJob(job.jobId))).toBe('JobNotOpen');
          expect(await p.executor.job(job.jobId)).toEqual(decided);
          // A has heard nothing yet
          expect((await p.payer.job(job.jobId)).escrow?.status).toBe('posted');
          expect(await consumed(p.a, results[i]?.messageIds[0] as Hex)).toBe(false);
        }
      } finally {
        await Promise.all(devnet.nodes.map((n) => devnet.startNode(n.id)));
      }
      console.log(
        `[flows] relayers down, results on time, deadlines passed, relayers back in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
      await Promise.all(parties.map((p, i) => delivered(p.a, results[i]?.messageIds ?? [])));
      for (const [i, p] of parties.entries()) {
        const job = jobs[i] as Job;
        expect((await p.payer.job(job.jobId)).escrow?.status).toBe('paid');
        expect(await payTo[i]?.sah()).toBe(amount);
        expect(await escrowOn(p.a)).toBe(0n);
      }
      console.log(`[flows] relayers-down test ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    });
  });

  jobRoute(DOT, ETH);
});
