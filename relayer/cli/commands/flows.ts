/**
 * `sah-bridge attest` and `sah-bridge job post|claim|result|expire|cancel|status` on the devnet, through the
 * SDK's FlowClient; messages are followed stage by stage on a relayer node's API (`--no-wait` skips it).
 *
 *   attest --on <chain> --data-hash 0x.. [--data-uri ..] [--license ..] [--to <chain>,..] [signer]
 *   attest --on <chain> --data-hash 0x.. --revoke [--to ..]
 *   job post --on <chain A> --executor <chain B> --amount <SAH> --spec-hash 0x.. --deadline <+seconds | unix>
 *   job claim|expire --on <chain B> --job 0x..        job result --on <chain B> --job 0x.. --result-hash 0x.. [--pay-to ..]
 *   job cancel --on <chain A> --job 0x..              job status --job 0x.. [--on <chain>]
 * Signer: --key 0x.. (EVM), --mnemonic ".." (Cosmos), --uri //Alice (Polkadot); default: the devnet's dev account.
 */
import { type Hex, parseUnits } from 'viem';
import { type DevnetSigner, flowClientFor } from '../../sdk/devnet.js';
import { type DevnetChainInfo, readDevnetInfo } from '../../sdk/devnetInfo.js';
import { FlowCallError, type FlowClient, InvalidRequestError, type Submitted } from '../../sdk/flows.js';
import { followMessages, MessageNotDeliveredError } from '../../sdk/progress.js';
import { ChainRefusalError, chainDetail, oneLine, UsageError } from '../errors.js';
import { cliError, findChain } from './transfer.js';

export interface FlowOptions {
  devnet: string;
  on?: string | undefined;
  to?: string | undefined;
  executor?: string | undefined;
  dataHash?: string | undefined;
  dataUri?: string | undefined;
  license?: string | undefined;
  revoke: boolean;
  job?: string | undefined;
  specHash?: string | undefined;
  resultHash?: string | undefined;
  payTo?: string | undefined;
  amount?: string | undefined;
  deadline?: string | undefined;
  key?: string | undefined;
  mnemonic?: string | undefined;
  /** Substrate signer URI (`//Alice`), as in `transfer`. */
  uri?: string | undefined;
  wait: boolean;
  json: boolean;
}

const HASH = /^0x[0-9a-fA-F]{64}$/;

function hash(value: string | undefined, flag: string): Hex {
  if (!value || !HASH.test(value)) throw new UsageError(`--${flag} must be 0x and 32 bytes of hex`);
  return value.toLowerCase() as Hex;
}

function chainOf(chains: DevnetChainInfo[], name: string | undefined, flag: string): DevnetChainInfo {
  if (!name) throw new UsageError(`--${flag} <chain> is required (${chains.map((c) => c.name).join(', ')})`);
  return findChain(chains, name, `--${flag}`);
}

/** A refusal by the chain, named by its own error (`UnknownJob: wasmd refused: ...`); a bad request, by its option. */
function refusal(e: unknown, chain: string): unknown {
  if (e instanceof InvalidRequestError) return cliError(e);
  if (!(e instanceof FlowCallError)) return e;
  const said = chainDetail(e.message.startsWith(`${e.reason}: `) ? e.message.slice(e.reason.length + 2) : e.message);
  const detail = said.startsWith(`${e.reason}: `) ? said.slice(e.reason.length + 2) : said;
  return new ChainRefusalError(e.reason, `${chain} refused${detail ? `: ${detail}` : ''}`, { cause: e });
}

async function withClient<T>(o: FlowOptions, run: (client: FlowClient, chains: DevnetChainInfo[]) => Promise<T>) {
  const info = readDevnetInfo(o.devnet);
  const chain = chainOf(info.chains, o.on, 'on');
  const signer: DevnetSigner = {};
  if (o.key !== undefined) signer.key = o.key;
  if (o.mnemonic !== undefined) signer.mnemonic = o.mnemonic;
  if (o.uri !== undefined) signer.uri = o.uri;
  let client: FlowClient;
  try {
    client = await flowClientFor(info, chain.name, signer);
  } catch (e) {
    throw refusal(e, chain.name);
  }
  try {
    return await run(client, info.chains);
  } catch (e) {
    throw refusal(e, chain.name);
  } finally {
    await client.close();
  }
}

/** Prints the submission and, unless --no-wait, follows its messages to delivery. */
async function report(
  o: FlowOptions,
  what: string,
  s: Submitted,
  extra: Record<string, unknown> = {},
): Promise<number> {
  if (o.json) console.log(JSON.stringify({ what, tx: s.tx, messageIds: s.messageIds, ...extra }));
  else {
    console.log(`${what}: tx ${s.tx}`);
    for (const [k, v] of Object.entries(extra)) console.log(`  ${k}: ${v}`);
    for (const id of s.messageIds) console.log(`  message ${id}`);
  }
  if (!o.wait || s.messageIds.length === 0) return 0;
  const api = readDevnetInfo(o.devnet).nodes[0]?.api;
  if (!api) return 0;
  try {
    await followMessages(api, s.messageIds, (e) => {
      if (!o.json)
        console.log(
          `[${e.elapsed.toFixed(1)}s] ${e.messageId.slice(0, 10)}… ${e.sourceChain} -> ${e.destinationChain}: ${e.stage}`,
        );
    });
    return 0;
  } catch (e) {
    if (e instanceof MessageNotDeliveredError) {
      console.error(`error: ${e.name}: ${oneLine(e.message)}`);
      return 1;
    }
    throw e;
  }
}

export function attestCommand(o: FlowOptions): Promise<number> {
  const dataHash = hash(o.dataHash, 'data-hash');
  return withClient(o, async (client, chains) => {
    const destinations = o.to
      ? o.to.split(',').map((name) => chainOf(chains, name.trim(), 'to').protocolChainId)
      : chains.map((c) => c.protocolChainId).filter((id) => id !== client.protocolChainId);
    const owner = await client.ownerDid();
    if (o.revoke) return report(o, 'revoke', await client.revoke(dataHash, destinations), { owner });
    const s = await client.attest(dataHash, o.dataUri ?? '', o.license ?? '', destinations);
    return report(o, 'attest', s, { owner, destinations: destinations.join(',') });
  });
}

export async function jobCommand(sub: string | undefined, o: FlowOptions): Promise<number> {
  switch (sub) {
    case 'post':
      return withClient(o, async (client, chains) => {
        const executor = chainOf(chains, o.executor, 'executor').protocolChainId;
        if (!o.amount || !/^\d+(\.\d+)?$/.test(o.amount)) throw new UsageError('--amount <SAH> is required');
        if (!o.deadline || !/^\+?\d+$/.test(o.deadline))
          throw new UsageError('--deadline must be +<seconds from now> or a unix time');
        // deadlines are compared with the executor chain's clock; "+N" is N seconds after this chain's
        const deadline = o.deadline.startsWith('+')
          ? (await client.chainTime()) + BigInt(o.deadline.slice(1))
          : BigInt(o.deadline);
        const posted = await client.postJob({
          specHash: hash(o.specHash, 'spec-hash'),
          executorChain: executor,
          amount: parseUnits(o.amount, 18),
          deadline,
        });
        return report(o, 'job post', posted, { job: posted.jobId, deadline: deadline.toString() });
      });
    case 'claim':
      return withClient(o, async (c) => report(o, 'job claim', await c.claimJob(hash(o.job, 'job'))));
    case 'expire':
      return withClient(o, async (c) => report(o, 'job expire', await c.expireJob(hash(o.job, 'job'))));
    case 'cancel':
      return withClient(o, async (c) => report(o, 'job cancel', await c.cancelJob(hash(o.job, 'job'))));
    case 'result':
      return withClient(o, async (c, chains) => {
        const jobId = hash(o.job, 'job');
        // by default the executor is paid on chain A at this account's own 32-byte form: only meaningful
        // when A is of the same chain family (the same key gives the same account there)
        let payTo: Hex;
        if (o.payTo) payTo = hash(o.payTo, 'pay-to');
        else {
          const escrowChain = (await c.job(jobId)).executor?.escrowChain;
          const here = chains.find((x) => x.protocolChainId === c.protocolChainId);
          const there = chains.find((x) => x.protocolChainId === escrowChain);
          if (!there || there.family !== here?.family)
            throw new UsageError('--pay-to <32-byte account on the escrow chain> is required for this job');
          payTo = c.account;
        }
        const s = await c.submitResult(jobId, hash(o.resultHash, 'result-hash'), payTo);
        return report(o, 'job result', s, { payTo });
      });
    case 'status': {
      const jobId = hash(o.job, 'job');
      const info = readDevnetInfo(o.devnet);
      const api = info.nodes[0]?.api;
      const res = api ? await fetch(`${api}/v1/jobs/${jobId}`) : undefined;
      const bridged = res?.ok ? await res.json() : undefined;
      const onChain = o.on ? await withClient(o, (c) => c.job(jobId)) : undefined;
      const out = { jobId, bridge: bridged ?? null, chain: onChain ?? null };
      console.log(JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), o.json ? 0 : 2));
      return bridged || onChain ? 0 : 1;
    }
    default:
      throw new UsageError('usage: sah-bridge job post|claim|result|expire|cancel|status --on <chain> [...]');
  }
}
