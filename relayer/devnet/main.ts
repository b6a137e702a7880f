/**
 * `npm run devnet`: starts the local devnet from config/devnet.json and keeps it running until
 * Ctrl-C. `--exit-after-deploy` stops it again once everything is deployed (a smoke check).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDevnetConfig } from '../config/devnetConfig.js';
import { ConfigError } from '../config/errors.js';
import { startDevnet, writeDevnetInfo } from './devnet.js';

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'config/devnet.json' },
    out: { type: 'string', default: '.devnet/devnet.json' },
    'exit-after-deploy': { type: 'boolean', default: false },
  },
});

try {
  const config = loadDevnetConfig(resolve(values.config as string));
  const devnet = await startDevnet(config);
  writeDevnetInfo(devnet, resolve(values.out as string));
  console.log(
    `devnet up: FROST ${devnet.keys.threshold}-of-${devnet.keys.signers} group key ${devnet.keys.groupKey.compressed}`,
  );
  for (const c of devnet.chains)
    console.log(
      `  ${c.name.padEnd(12)} chain ${c.protocolChainId}  ${c.rpcUrl}  bridge ${c.bridge}${c.sah ? `  SAH ${c.sah}` : ''}`,
    );
  console.log(`details in ${values.out}`);
  if (values['exit-after-deploy']) {
    await devnet.stop();
  } else {
    console.log('Ctrl-C stops the devnet');
    const shutdown = async () => {
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
  throw e;
}
