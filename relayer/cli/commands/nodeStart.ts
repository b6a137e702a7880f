import { loadNodeConfig } from '../../config/nodeConfig.js';
import { RelayerNode } from '../../node/node.js';

/** Runs a node until SIGINT/SIGTERM, then stops its workers, watchers and server cleanly. */
export async function nodeStart(configFile: string): Promise<number> {
  const node = new RelayerNode(loadNodeConfig(configFile));
  await node.start();
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  node.log('node.stopping');
  await node.stop();
  return 0;
}
