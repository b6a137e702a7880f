/**
 * `npm run devnet`: the whole bridge locally from config/devnet.json, until Ctrl-C stops everything
 * it started. `--exit-after-deploy` stops again once it is all up (a smoke check).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDevnetConfig } from '../relayer/config/devnetConfig.js';
import { ConfigError } from '../relayer/config/errors.js';
import { startDevnet } from './devnet.js';

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'config/devnet.json' },
    dir: { type: 'string', default: '.devnet' },
    'exit-after-deploy': { type: 'boolean', default: false },
  },
});

try {
  const config = loadDevnetConfig(resolve(values.config as string));
  const devnet = await startDevnet(config, { dir: values.dir as string, log: (line) => console.log(line) });
  const { info } = devnet;
  console.log('\ndevnet up');
  console.log(`  FROST ${info.threshold}-of-${info.nodes.length} group key ${info.groupKey} (epoch ${info.epoch})`);
  for (const [i, c] of info.chains.entries())
    console.log(`  chain ${c.protocolChainId} ${c.name.padEnd(11)} ${devnet.chains[i]?.where ?? ''}`);
  for (const nd of info.nodes) console.log(`  relayer ${nd.id}  ${nd.api}  (log ${nd.log})`);
  console.log(`  redis ${info.redis.replace(/\/0$/, '')} (database n = operator n)`);
  for (const a of info.devAccounts) console.log(`  dev account ${a.name} ${a.address} key ${a.key}`);
  for (const a of info.cosmosDevAccounts) console.log(`  cosmos dev account ${a.name} ${a.address}`);
  if (info.substrateDevAccounts.length)
    console.log(`  polkadot dev accounts ${info.substrateDevAccounts.map((a) => a.uri).join(', ')}`);
  console.log(
    `\ntry:  npx sah-bridge transfer --from ${info.chains[0]?.name} --to ${info.chains[1]?.name} --amount 10`,
  );
  console.log('      npx sah-bridge status <message id> --follow');
  if (values['exit-after-deploy']) {
    await devnet.stop();
  } else {
    console.log('\nCtrl-C stops everything the devnet started');
    // Ctrl-C reaches us more than once (tsx relays it too): stop once, ignore the rest
    let stopping = false;
    const shutdown = async () => {
      if (stopping) return;
      stopping = true;
      console.log('stopping the devnet');
      await devnet.stop();
      process.exit(0);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  }
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(`devnet: bad configuration: ${e.message}`);
    process.exit(2);
  }
  console.error(`devnet: ${(e as Error).message}`);
  process.exit(1);
}
