import { parseDevnetConfig } from '../../config/devnetConfig.js';
import { configWarnings, parseNodeConfig } from '../../config/nodeConfig.js';
import { readJsonFile } from '../../config/validate.js';

/** Validates a node config (or a devnet config, told apart by its `relayers` field). */
export async function configValidate(file: string): Promise<number> {
  const raw = readJsonFile(file);
  if (typeof raw === 'object' && raw !== null && 'relayers' in raw) {
    const c = parseDevnetConfig(raw, file);
    console.log(
      `${file}: valid devnet config (${c.chains.length} chains, ${c.relayers.threshold}-of-${c.relayers.signers} relayers)`,
    );
  } else {
    const c = parseNodeConfig(raw, file);
    for (const w of configWarnings(c)) console.error(`warning: ${file}: ${w}`);
    console.log(
      `${file}: valid node config (operator ${c.operatorId}, ${c.threshold}-of-${c.operators.length}, ${c.chains.length} chains)`,
    );
  }
  return 0;
}
