import { loadNodeConfig } from '../../config/nodeConfig.js';
import { RelayerNode } from '../../node/node.js';

/** Runs a node until SIGINT/SIGTERM, then stops its workers, watchers and server cleanly. */
export async function nodeStart(configFile: string): Promise<number> {
  const node = new RelayerNode(loadNodeConfig(configFile));
  // a stray rejection (a peer or an RPC failing at the wrong moment) is logged, never fatal to the node
  process.on('unhandledRejection', (e) =>
    node.log('node.unhandled_rejection', { error: String((e as Error)?.message ?? e) }),
  );
  await node.start();
  // a second signal while stopping is ignored: the shutdown is already under way
  await new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
  node.log('node.stopping');
  // a clean stop needs Redis; if it is gone too (devnet Ctrl-C), do not hang on it
  await Promise.race([node.stop(), new Promise((r) => setTimeout(r, 5_000))]);
  process.exit(0);
}
