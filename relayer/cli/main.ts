/**
 * sah-bridge: the operator and user command line, on commander (one command per verb, each with its own
 * options and `--help`):
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
 *
 * A failure is one line on stderr, `error: <Name>: <what and why>` (a contract's revert by its error's name),
 * exit code 2 for a named error (wrong usage, a refused call, a bad config) and 1 for an unexpected one;
 * SAH_DEBUG=1 adds the stack.
 */
import { Command, Help, type HelpContext, InvalidArgumentError, Option } from 'commander';
import { failureReport, oneLine, UsageError } from './errors.js';

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

const DEVNET = '.devnet/devnet.json';

/** `governance rotate`: the command's path below the program, which every usage error starts with. */
function pathOf(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

const plainHelp = new Help();

/**
 * Options a command cannot run without. Checked before the action (a preAction hook), not by commander's
 * requiredOption, which checks them before unknown options: `transfer --amout 1` then said "--amount is
 * required" instead of naming the mistyped option.
 */
const requiredOptions = new WeakSet<Option>();

/** commander's Command, failing the way the rest of the CLI does: a UsageError, one line, exit code 2. */
class CliCommand extends Command {
  override createCommand(name?: string): CliCommand {
    return new CliCommand(name);
  }

  /** An option the command cannot run without (shown "(required)" in its help). */
  need(flags: string, description: string): this {
    const option = new Option(flags, description);
    requiredOptions.add(option);
    return this.addOption(option);
  }

  /** Every parse error (unknown option or command, missing option or value, extra argument). */
  override error(message: string): never {
    const text = oneLine(message.replace(/^error: /, ''));
    const path = pathOf(this);
    throw new UsageError(`${path ? `${path}: ` : ''}${text}`);
  }

  /** Asked for without its subcommand (`sah-bridge governance`): which ones there are, in one line. */
  override help(context?: HelpContext): never;
  /** @deprecated as in commander */
  override help(cb: (str: string) => string): never;
  override help(context?: HelpContext | ((str: string) => string)): never {
    if (typeof context === 'function' || !context?.error) return super.help(context as HelpContext);
    const path = pathOf(this);
    if (!path) {
      // no command at all: the overview on stdout, as --help shows it, and a usage error
      this.outputHelp();
      throw new UsageError('no command given');
    }
    const subs = this.commands.map((c) => c.name()).filter((n) => n !== 'help');
    throw new UsageError(`${path}: a subcommand is needed: ${subs.join(', ')} (sah-bridge ${path} --help)`);
  }
}

/** A whole number of seconds (or a port offset) within bounds, else a usage error naming the option. */
function integerIn(min: number, max: number) {
  return (text: string): number => {
    if (!/^-?\d+$/.test(text) || Number(text) < min || Number(text) > max)
      throw new InvalidArgumentError(`must be an integer in ${min}..${max}`);
    return Number(text);
  };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

interface SignerOpts {
  key?: string;
  mnemonic?: string;
  uri?: string;
}

interface FlowOpts extends SignerOpts {
  devnet: string;
  wait: boolean;
  json?: boolean;
  on?: string;
  to?: string;
  executor?: string;
  dataHash?: string;
  dataUri?: string;
  license?: string;
  revoke?: boolean;
  job?: string;
  specHash?: string;
  resultHash?: string;
  payTo?: string;
  amount?: string;
  deadline?: string;
}

/** The signer options of the user commands (transfer, attest, job). */
function signerOptions(cmd: CliCommand): CliCommand {
  return cmd
    .option('--key <0x..>', 'EVM private key that signs (default: the devnet dev account user1)')
    .option('--mnemonic <words>', 'Cosmos mnemonic that signs (default: the devnet account dev0)')
    .option('--uri <uri>', 'Substrate key URI that signs (default: //Alice)');
}

/** The options of attest and every job subcommand: the devnet, the signer, how to report. */
function flowOptions(cmd: CliCommand): CliCommand {
  return signerOptions(cmd.option('--devnet <file>', 'the devnet description', DEVNET))
    .option('--no-wait', 'return once the transaction is in: do not follow its messages to delivery')
    .option('--json', 'print JSON for scripts');
}

/** The CLI's commands, each running `run` and keeping its exit code. */
function program(setExitCode: (code: number) => void): Command {
  const root = new CliCommand('sah-bridge')
    .description('SAH bridge: operate a relayer node, move assets and follow messages between chains')
    .configureHelp({
      styleTitle: (title) => title.toLowerCase(),
      helpWidth: 100,
      optionDescription: (o: Option) =>
        requiredOptions.has(o) ? `${plainHelp.optionDescription(o)} (required)` : plainHelp.optionDescription(o),
    })
    .showSuggestionAfterError(true)
    .hook('preAction', (_root, action) => {
      for (const o of action.options)
        if (requiredOptions.has(o) && action.getOptionValue(o.attributeName()) === undefined)
          throw new UsageError(`${pathOf(action)}: ${o.long} is required`);
    })
    // a usage error is thrown (CliCommand.error); --help comes here, to return rather than exit
    .exitOverride();
  const run = (code: Promise<number>) => code.then(setExitCode);

  root
    .command('keygen')
    .description('create the operator keystore: a fresh identity key and the delivery wallet key of each chain')
    .need('--config <file>', 'the node config (node.json)')
    .option(
      '--wallet <chain=file>',
      'delivery wallet key of <chain>: from a mode-600 file, or <chain>=- for one line of stdin (repeatable; never the key itself)',
      collect,
    )
    .action(async (o: { config: string; wallet?: string[] }) =>
      run((await commands.keygen()).keygen(o.config, o.wallet ?? [])),
    );

  root
    .command('dkg')
    .description('run the FROST DKG with the other operators; prints the group file')
    .need('--config <file>', 'the node config (node.json)')
    // no default: a DKG for the wrong epoch would be refused at the rotation, after every operator ran it
    .need('--epoch <N>', `the epoch of the new key, 1..${2 ** 32 - 1} (the bridges' current epoch + 1)`)
    .option('--timeout <seconds>', 'give up after this long', integerIn(1, 86_400), 120)
    .option(
      '--port-offset <P>',
      'listen and reach the others at their peer port + P (a DKG beside running nodes; may be negative)',
      integerIn(-65_535, 65_535),
      0,
    )
    .action(async (o: { config: string; epoch: string; timeout: number; portOffset: number }) => {
      if (!/^[1-9][0-9]{0,9}$/.test(o.epoch) || Number(o.epoch) > 2 ** 32 - 1)
        throw new UsageError(`dkg: --epoch must be an integer in 1..${2 ** 32 - 1}, got ${o.epoch}`);
      return run((await commands.dkg()).dkgCommand(o.config, Number(o.epoch), o.timeout, o.portOffset));
    });

  const governance = root
    .command('governance')
    .description('approve governance messages (key rotation, ...) on this operator node');
  governance
    .command('rotate')
    .description("approve rotating every bridge to the group file's key (after `dkg --epoch N`)")
    .need('--config <file>', 'the node config (node.json)')
    .option('--grace <seconds>', 'how long the bridges still accept the old key', integerIn(0, 2 ** 32 - 1), 86_400)
    .action(async (o: { config: string; grace: number }) =>
      run((await commands.governance()).governanceRotate(o.config, o.grace)),
    );
  governance
    .command('approve')
    .description('approve one governance message on this operator node')
    .need('--config <file>', 'the node config (node.json)')
    .need('--message <0x..>', 'the governance message, hex encoded')
    .action(async (o: { config: string; message: string }) =>
      run((await commands.governance()).governanceApprove(o.config, o.message)),
    );

  root
    .command('node')
    .description('run a relayer node')
    .command('start')
    .description('run a relayer node until SIGINT or SIGTERM')
    .need('--config <file>', 'the node config (node.json)')
    .action(async (o: { config: string }) => run((await commands.nodeStart()).nodeStart(o.config)));

  root
    .command('config')
    .description('check configuration files')
    .command('validate')
    .description('check a node config or a devnet config (told apart by its relayers field)')
    .argument('<file>', 'the node.json or devnet.json to check')
    .action(async (file: string) => run((await commands.configValidate()).configValidate(file)));

  signerOptions(
    root
      .command('transfer')
      .description('lock (on its home chain) or burn (elsewhere) SAH, UNIT or a Cosmos denom on the devnet')
      .option('--devnet <file>', 'the devnet description', DEVNET)
      .need('--from <chain>', 'the chain it leaves (name or protocol chain id)')
      .need('--to <chain>', 'the chain it goes to (name or protocol chain id)')
      .need('--amount <n>', "how much, in the asset's units (10, 0.5)")
      .option('--asset <asset>', 'sah, unit (the Polkadot currency) or a native denom of a Cosmos chain', 'sah')
      .option('--recipient <address>', "the recipient in the destination's format (default: the dev account there)"),
  )
    .option('--json', 'print JSON for scripts')
    .action(
      async (
        o: SignerOpts & { devnet: string; from: string; to: string; amount: string; asset: string; json?: boolean } & {
          recipient?: string;
        },
      ) =>
        run(
          (await commands.transfer()).transferCommand({
            devnet: o.devnet,
            from: o.from,
            to: o.to,
            amount: o.amount,
            asset: o.asset,
            recipient: o.recipient,
            key: o.key,
            mnemonic: o.mnemonic,
            uri: o.uri,
            json: o.json ?? false,
          }),
        ),
    );

  root
    .command('status')
    .description("follow a message through its stages on a relayer node's API")
    .argument('<id>', 'the message id or the source transaction hash (64 hex digits, 0x optional)')
    .option('--api <url>', "a relayer node's API (default: the devnet's first node)")
    .option('--devnet <file>', 'the devnet description, for its node API when --api is not given', DEVNET)
    .option('--follow', 'keep following until it is delivered (or fails)')
    .action(async (id: string, o: { api?: string; devnet: string; follow?: boolean }) =>
      run((await commands.status()).statusCommand(id, { api: o.api, devnet: o.devnet, follow: o.follow ?? false })),
    );

  const flow = (o: FlowOpts): Parameters<Awaited<ReturnType<typeof commands.flows>>['attestCommand']>[0] => ({
    devnet: o.devnet,
    on: o.on,
    to: o.to,
    executor: o.executor,
    dataHash: o.dataHash,
    dataUri: o.dataUri,
    license: o.license,
    revoke: o.revoke ?? false,
    job: o.job,
    specHash: o.specHash,
    resultHash: o.resultHash,
    payTo: o.payTo,
    amount: o.amount,
    deadline: o.deadline,
    key: o.key,
    mnemonic: o.mnemonic,
    uri: o.uri,
    wait: o.wait,
    json: o.json ?? false,
  });

  flowOptions(
    root
      .command('attest')
      .description("attest (or revoke) a data hash; the owner DID is the caller's, carried to the other chains")
      .need('--on <chain>', 'the chain to attest on')
      .need('--data-hash <0x..>', 'the data hash (32 bytes)')
      .option('--data-uri <uri>', 'where the data is')
      .option('--license <license>', 'its license')
      .option('--to <chains>', 'the chains to carry it to, comma separated (default: every other chain)')
      .option('--revoke', 'revoke the attestation instead'),
  ).action(async (o: FlowOpts) => run((await commands.flows()).attestCommand(flow(o))));

  const job = root
    .command('job')
    .description('compute jobs paid in SAH: post on chain A, claim and result on executor chain B');
  // each job subcommand: its own options, then the devnet, signer and report options, then the run
  const jobSub = (name: string, description: string, own: (cmd: CliCommand) => CliCommand) =>
    flowOptions(own(job.command(name).description(description))).action(async (o: FlowOpts) =>
      run((await commands.flows()).jobCommand(name, flow(o))),
    );
  jobSub('post', 'post a job and escrow its payment on chain A; prints the job id', (c) =>
    c
      .need('--on <chain>', 'chain A, which escrows the payment')
      .need('--executor <chain>', 'chain B, where the job is claimed and its result given')
      .need('--amount <SAH>', 'the payment, in SAH')
      .need('--spec-hash <0x..>', 'hash of the job specification (32 bytes)')
      .need('--deadline <+s|unix>', "+seconds from now (chain A's clock) or a unix time"),
  );
  jobSub('claim', 'claim an open job on its executor chain B', (c) =>
    c.need('--on <chain>', 'chain B').need('--job <0x..>', 'the job id'),
  );
  jobSub('result', 'give the result of a claimed job on chain B: pays the executor on chain A', (c) =>
    c
      .need('--on <chain>', 'chain B')
      .need('--job <0x..>', 'the job id')
      .need('--result-hash <0x..>', 'hash of the result (32 bytes)')
      .option('--pay-to <0x..>', "the executor's 32-byte account on chain A (default: this account, same family only)"),
  );
  jobSub('expire', 'expire a job past its deadline without a result on chain B: refunds on chain A', (c) =>
    c.need('--on <chain>', 'chain B').need('--job <0x..>', 'the job id'),
  );
  jobSub('cancel', 'cancel an unclaimed job on chain A', (c) =>
    c.need('--on <chain>', 'chain A').need('--job <0x..>', 'the job id'),
  );
  jobSub('status', 'a job as the relayers and (with --on) a chain see it', (c) =>
    c.need('--job <0x..>', 'the job id').option('--on <chain>', 'also read the job on this chain'),
  );

  root.addHelpText(
    'after',
    `
Each command's options: sah-bridge <command> --help (sah-bridge job post --help, ...).
A failure prints one line on stderr, error: <Name>: <what and why>, and exits with 2 (1 if unexpected;
SAH_DEBUG=1 shows the stack).`,
  );
  return root;
}

// `sah-bridge --help | head`: a reader that leaves early is no failure
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});

let exitCode = 0;
try {
  await program((code) => {
    exitCode = code;
  }).parseAsync(process.argv.slice(2), { from: 'user' });
} catch (e) {
  const debug = Boolean(process.env.SAH_DEBUG);
  // a help page asked for with --help or `help`: commander's exit code (0)
  const commander = e as { code?: unknown; exitCode?: unknown };
  if (typeof commander.code === 'string' && commander.code.startsWith('commander.'))
    exitCode = typeof commander.exitCode === 'number' ? commander.exitCode : 2;
  else {
    // a contract's revert anywhere (not only in transfer): named by the Bridge's and the tokens' errors
    const named =
      e instanceof Error && typeof (e as { walk?: unknown }).walk === 'function'
        ? ((await import('./revert.js')).namedRevert(e) ?? e)
        : e;
    const report = failureReport(named, debug);
    console.error(report.line);
    // SAH_DEBUG=1: where it happened, and where each error it wraps did
    for (let c: unknown = debug ? named : undefined, first = true; c instanceof Error; c = c.cause, first = false)
      console.error(`${first ? '' : 'caused by: '}${c.stack ?? c.message}`);
    exitCode = report.exitCode;
  }
}
process.exitCode = exitCode;
