import { loadNodeConfig } from '../../config/nodeConfig.js';
import { runNetworkDkg } from '../../dkg/networkDkg.js';

export async function dkgCommand(configFile: string, epoch: number, timeoutSeconds: number): Promise<number> {
  const config = loadNodeConfig(configFile);
  const group = await runNetworkDkg(config, epoch, {
    timeoutMs: timeoutSeconds * 1000,
    log: (s) => console.log(`[operator ${config.operatorId}] ${s}`),
  });
  console.log(JSON.stringify(group));
  return 0;
}
