/**
 * sah-bridge: the operator and user command line.
 *
 *   sah-bridge keygen --config <node.json> [--wallet <chain>=<key file>|-]...
 *   sah-bridge dkg --config <node.json> --epoch N [--timeout S] [--port-offset P]
 *   sah-bridge governance rotate --config <node.json> [--grace S] | approve --config <node.json> --message 0x..
 *   sah-bridge node start --config <node.json>
 *   sah-bridge config validate <node.json | devnet.json>
 *   sah-bridge transfer [--devnet .devnet/devnet.json] --from <chain> --to <chain> --amount <units> [--asset sah|unit|<denom>]
 *                       [--recipient 0x..|wasm1..|5...] [--key 0x..] [--mnemonic ".."] [--uri //Alice]
 *   sah-bridge status <message id | source tx> [--api http://..] [--follow]
 *   sah-bridge attest --on <chain> --data-hash 0x.. [--data-uri ..] [--license ..] [--to <chain>,..] [--revoke]
 *   sah-bridge job post|claim|result|expire|cancel|status --on <chain> [--job 0x..] [...] (see commands/flows.ts)
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

// Commands load their modules when they run: `--help` and a mistyped command answer at once.
const commands = {
  configValidate: () => import('./commands/configValidate.js'),
  dkg: () => import('./commands/dkg.js'),
  flows: () => import('./commands/flows.js'),
  governance: () => import('./commands/governance.js'),
  keygen: () => import('./commands/keygen.js'),
  nodeStart: () => import('./commands/nodeStart.js'),
  status: () => import('./commands/status.js'),
  transfer: () => import('./commands/transfer.js'),
};

const USAGE = `usage: sah-bridge <command>
  keygen --config <node.json> [--wallet <chain>=<file>|-]... create the operator keystore (wallet keys from mode-600 files or stdin)
  dkg --config <node.json> --epoch N [--port-offset P]      run the FROST DKG with the other operators
  governance rotate --config <node.json> [--grace S]        approve rotating every bridge to the group file's key
  governance approve --config <node.json> --message 0x..    approve one governance message on this operator's node
  node start --config <node.json>                           run a relayer node
  config validate <file>                                    check a node or devnet config
  transfer --from <chain> --to <chain> --amount <n> [...]   lock (or burn) SAH or a Cosmos denom on the devnet
  status <message id | source tx> [--api <url>] [--follow]  follow a message through its stages
  attest --on <chain> --data-hash 0x.. [--data-uri U] [--license L] [--to a,b] [--revoke]
                                                            attest (or revoke) data; the owner DID is the caller's
  job post --on <A> --executor <B> --amount <SAH> --spec-hash 0x.. --deadline +<s>|<unix>
  job claim|expire --on <B> --job 0x..  ·  job result --on <B> --job 0x.. --result-hash 0x.. [--pay-to 0x..]
  job cancel --on <A> --job 0x..  ·  job status --job 0x.. [--on <chain>]
                                                            compute jobs (signer: --key, --mnemonic or --uri)`;

export { UsageError };

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      wallet: { type: 'string', multiple: true },
      epoch: { type: 'string' },
      timeout: { type: 'string' },
      'port-offset': { type: 'string' },
      grace: { type: 'string' },
      message: { type: 'string' },
      devnet: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      amount: { type: 'string' },
      recipient: { type: 'string' },
      key: { type: 'string' },
      asset: { type: 'string' },
      mnemonic: { type: 'string' },
      uri: { type: 'string' },
      api: { type: 'string' },
      follow: { type: 'boolean', default: false },
      on: { type: 'string' },
      executor: { type: 'string' },
      'data-hash': { type: 'string' },
      'data-uri': { type: 'string' },
      license: { type: 'string' },
      revoke: { type: 'boolean', default: false },
      job: { type: 'string' },
      'spec-hash': { type: 'string' },
      'result-hash': { type: 'string' },
      'pay-to': { type: 'string' },
      deadline: { type: 'string' },
      'no-wait': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.help || !command) {
    // asked for: the usage and success; no command at all: the usage and a usage error
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const need = (name: keyof typeof values): string => {
    const v = values[name];
    if (typeof v !== 'string' || !v) throw new UsageError(`${command}: --${name} is required`);
    return v;
  };
  switch (command) {
    case 'keygen':
      return (await commands.keygen()).keygen(need('config'), values.wallet ?? []);
    case 'dkg': {
      // no default: a DKG for the wrong epoch would be refused at the rotation, after every operator ran it
      const epoch = need('epoch');
      if (!/^[1-9][0-9]{0,9}$/.test(epoch) || Number(epoch) > 2 ** 32 - 1)
        throw new UsageError(`dkg: --epoch must be an integer in 1..${2 ** 32 - 1}, got ${epoch}`);
      return (await commands.dkg()).dkgCommand(
        need('config'),
        Number(epoch),
        values.timeout ? Number(values.timeout) : 120,
        values['port-offset'] ? Number(values['port-offset']) : 0,
      );
    }
    case 'node':
      if (sub !== 'start') throw new UsageError('usage: sah-bridge node start --config <file>');
      return (await commands.nodeStart()).nodeStart(need('config'));
    case 'governance': {
      const { governanceApprove, governanceRotate } = await commands.governance();
      if (sub === 'approve') return governanceApprove(need('config'), need('message'));
      if (sub === 'rotate') return governanceRotate(need('config'), values.grace ? Number(values.grace) : 86_400);
      throw new UsageError(
        'usage: sah-bridge governance approve --config <file> --message 0x.. | rotate --config <file> [--grace S]',
      );
    }
    case 'config':
      if (sub !== 'validate' || !rest[0]) throw new UsageError('usage: sah-bridge config validate <file>');
      return (await commands.configValidate()).configValidate(rest[0]);
    case 'transfer':
      return (await commands.transfer()).transferCommand({
        devnet: values.devnet ?? '.devnet/devnet.json',
        from: need('from'),
        to: need('to'),
        amount: need('amount'),
        recipient: values.recipient,
        key: values.key,
        asset: values.asset,
        mnemonic: values.mnemonic,
        uri: values.uri,
        json: values.json ?? false,
      });
    case 'status':
      if (!sub) throw new UsageError('usage: sah-bridge status <message id | source tx> [--api <url>] [--follow]');
      return (await commands.status()).statusCommand(sub, {
        api: values.api,
        devnet: values.devnet ?? '.devnet/devnet.json',
        follow: values.follow ?? false,
      });
    case 'attest':
    case 'job': {
      const { attestCommand, jobCommand } = await commands.flows();
      const flow: Parameters<typeof attestCommand>[0] = {
        devnet: values.devnet ?? '.devnet/devnet.json',
        on: values.on,
        to: values.to,
        executor: values.executor,
        dataHash: values['data-hash'],
        dataUri: values['data-uri'],
        license: values.license,
        revoke: values.revoke ?? false,
        job: values.job,
        specHash: values['spec-hash'],
        resultHash: values['result-hash'],
        payTo: values['pay-to'],
        amount: values.amount,
        deadline: values.deadline,
        key: values.key,
        mnemonic: values.mnemonic,
        uri: values.uri,
        wait: !values['no-wait'],
        json: values.json ?? false,
      };
      return command === 'attest' ? attestCommand(flow) : jobCommand(sub, flow);
    }
    default:
      throw new UsageError(`unknown command ${command}\n${USAGE}`);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  const err = e as Error;
  const named = err instanceof Error && err.name !== 'Error' && err.name !== 'TypeError';
  if (named || String((e as NodeJS.ErrnoException).code ?? '').startsWith('ERR_PARSE_ARGS')) {
    // a named error says what and why: one line, no stack
    console.error(`sah-bridge: ${err.message}`);
    process.exitCode = 2;
  } else {
    // an unexpected failure: the message, and the stack only when asked for
    console.error(
      `sah-bridge: ${err?.message ?? e}${process.env.SAH_DEBUG ? `\n${err?.stack}` : ' (SAH_DEBUG=1 shows where)'}`,
    );
    process.exitCode = 1;
  }
}
