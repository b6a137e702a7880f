import { runDkgInProcess, signInProcess } from './relayer/protocol/index.ts';

const t0 = performance.now();
const ks = runDkgInProcess(67, 100);
const t1 = performance.now();
signInProcess(ks.keys.slice(0, 67), new Uint8Array(32));
console.log('dkg100', ((t1 - t0) / 1000).toFixed(1), 's; sign', ((performance.now() - t1) / 1000).toFixed(1), 's');
