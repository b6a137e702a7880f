import { loadNodeConfig } from '../../config/nodeConfig.js';
import { runNetworkDkg } from '../../dkg/networkDkg.js';

/**
 * Runs the DKG for `epoch`. With `portOffset`, every operator listens (and is reached) on its configured
 * peer port + offset, so a DKG for the next epoch can run while the nodes serve the current one.
 */
export async function dkgCommand(
  configFile: string,
  epoch: number,
  timeoutSeconds: number,
  portOffset = 0,
): Promise<number> {
  const loaded = loadNodeConfig(configFile);
  const shift = (url: string) => {
    const u = new URL(url);
    u.port = String(Number(u.port) + portOffset);
    return u.toString().replace(/\/$/, '');
  };
  const config = portOffset
    ? {
        ...loaded,
        listen: { ...loaded.listen, peerPort: loaded.listen.peerPort + portOffset },
        operators: loaded.operators.map((o) => ({ ...o, url: shift(o.url) })),
      }
    : loaded;
  const group = await runNetworkDkg(config, epoch, {
    timeoutMs: timeoutSeconds * 1000,
    log: (s) => console.log(`[operator ${config.operatorId}] ${s}`),
  });
  console.log(JSON.stringify(group));
  return 0;
}
