/**
 * Gas of the EVM side, measured on a real anvil node: FROST verification of a 32-byte digest for key
 * sets made by 5, 19 and 100 signers, and receipts of lock, burn and receiveMessage transactions.
 * Writes the "gas" section of docs/BENCHMARKS.md.  Run: `npm run bench:gas`
 */
import { type Address, type Hex, hexToBytes, parseAbi, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ANVIL_KEYS, startAnvil } from '../devnet/anvil.js';
import { deployEvmBridge } from '../devnet/deployEvm.js';
import { loadArtifact } from '../relayer/chains/evm/artifacts.js';
import { deployContract } from '../relayer/chains/evm/bridgeContract.js';
import { evmClients } from '../relayer/chains/evm/clients.js';
import { evmInstanceBinding } from '../relayer/chains/evm/instance.js';
import {
  addressToBytes32,
  ChainId,
  encodeMessage,
  evmSignature,
  type KeySet,
  leafHash,
  messageId,
  runDkgInProcess,
  signInProcess,
  signingDigest,
} from '../relayer/protocol/index.js';
import { dealKeySet } from '../test/helpers/trustedDealer.js';
import { writeBenchmarkSection } from './report.js';

const erc20 = parseAbi(['function approve(address,uint256) returns (bool)']);
const harnessAbi = parseAbi([
  'function verifyDigestGas(uint256 keyX, uint8 keyParity, bytes32 digest, bytes signature) view returns (bool ok, uint256 gasUsed)',
]);
const [deployerKey, aliceKey, bobKey] = ANVIL_KEYS;

function sign(keys: KeySet, epoch: number, destination: number, to: Hex, message: Uint8Array): { rfc: Hex; evm: Hex } {
  const instance = evmInstanceBinding(31_337, to);
  const digest = hexToBytes(signingDigest(epoch, destination, instance, leafHash(messageId(message))));
  const sig = signInProcess(keys.keys.slice(0, keys.threshold), digest);
  return { rfc: `0x${Buffer.from(sig).toString('hex')}`, evm: evmSignature(sig) };
}

async function main() {
  const anvil = await startAnvil({ chainId: 31_337 });
  const rows: string[] = [];
  const log = (line: string) => {
    console.log(line);
    rows.push(line);
  };
  try {
    const nodeInfo = (await (
      await fetch(anvil.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'anvil_nodeInfo', params: [] }),
      })
    ).json()) as { result: { hardFork: string } };
    const hardfork = nodeInfo.result.hardFork;
    // ---------------------------------------------------------------- FROST verification
    const clients = evmClients(anvil.rpcUrl, anvil.chainId);
    const deployer = clients.wallet(deployerKey);
    const harness = await deployContract(
      deployer,
      clients.publicClient,
      loadArtifact('FrostVerifierHarness', 'FrostTestBase'),
      [],
    );
    log(
      '| Key set (t-of-n) | Made by, time | verifyDigest, 97-byte signature (R.y supplied) | verifyDigest, 65-byte RFC signature (R decompressed) |',
    );
    log('|---|---|---|---|');
    const digest = signingDigest(1, ChainId.DevEthereumB, evmInstanceBinding(31_337, harness), `0x${'5a'.repeat(32)}`);
    let keys5: KeySet | undefined;
    // An in-process DKG does every participant's share checks in one process: O(n^2 t) point
    // multiplications, minutes for n = 100. Above DKG_LIMIT the key set is dealt instead (RFC 9591
    // appendix C); the chain sees the same thing either way: one group key, one signature by t shares.
    const DKG_LIMIT = 40;
    const sizes = (process.env.BENCH_SIGNERS ?? '5,19,100').split(',').map(Number);
    const thresholds: Record<number, number> = { 5: 3, 19: 13, 100: 67 };
    for (const n of sizes) {
      const t = thresholds[n] ?? Math.floor((2 * n) / 3) + 1;
      const started = performance.now();
      const keys = n <= DKG_LIMIT ? runDkgInProcess(t, n) : dealKeySet(t, n);
      const made = `${n <= DKG_LIMIT ? 'DKG' : 'dealer'}, ${((performance.now() - started) / 1000).toFixed(1)} s`;
      if (n === 5) keys5 = keys;
      const sig = signInProcess(keys.keys.slice(0, t), hexToBytes(digest));
      const gas = async (signature: Hex) => {
        const [ok, used] = await clients.publicClient.readContract({
          address: harness,
          abi: harnessAbi,
          functionName: 'verifyDigestGas',
          args: [keys.groupKey.x, keys.groupKey.yParity, digest, signature],
        });
        if (!ok) throw new Error(`signature of the ${t}-of-${n} key did not verify`);
        return used;
      };
      const withY = await gas(evmSignature(sig));
      const rfc = await gas(`0x${Buffer.from(sig).toString('hex')}`);
      log(`| ${t}-of-${n} | ${made} | ${withY} gas | ${rfc} gas |`);
    }
    if (!keys5) throw new Error('no 3-of-5 key');
    const keys = keys5;

    // ---------------------------------------------------------------- bridge transactions
    const alice = privateKeyToAccount(aliceKey);
    const home = await deployEvmBridge({
      rpcUrl: anvil.rpcUrl,
      evmChainId: anvil.chainId,
      protocolChainId: ChainId.DevEthereumA,
      groupKey: keys.groupKey,
      deployerKey,
      sah: { holder: alice.address, supply: parseEther('1000000') },
    });
    // a second bridge on the same node stands for chain B: receipts are per transaction anyway
    const remote = await deployEvmBridge({
      rpcUrl: anvil.rpcUrl,
      evmChainId: anvil.chainId,
      protocolChainId: ChainId.DevEthereumB,
      groupKey: keys.groupKey,
      deployerKey,
    });
    const aliceWallet = clients.wallet(aliceKey);
    const bobWallet = clients.wallet(bobKey);
    const courier = clients.wallet(deployerKey);
    const sah = home.sah as Address;
    await clients.publicClient.waitForTransactionReceipt({
      hash: await aliceWallet.writeContract({
        address: sah,
        abi: erc20,
        functionName: 'approve',
        args: [home.bridge.address, parseEther('1000000')],
      }),
    });

    const fresh = (i: number) => addressToBytes32(`0x${(0xf2e5400 + i).toString(16).padStart(40, '0')}`);
    const lock1 = await home.bridge.lock(aliceWallet, sah, parseEther('10'), ChainId.DevEthereumB, fresh(1));
    const lock2 = await home.bridge.lock(aliceWallet, sah, parseEther('10'), ChainId.DevEthereumB, fresh(2));
    const lock3 = await home.bridge.lock(
      aliceWallet,
      sah,
      parseEther('10'),
      ChainId.DevEthereumB,
      addressToBytes32(privateKeyToAccount(bobKey).address),
    );

    const deliver = async (message: Hex, form: 'evm' | 'rfc') => {
      const sig = sign(keys, 1, ChainId.DevEthereumB, remote.bridge.address, hexToBytes(message));
      return (await remote.bridge.receiveMessage(courier, message, 1, sig[form])).gasUsed;
    };
    const firstMint = await deliver(lock1.message.message, 'evm');
    const mintFresh = await deliver(lock2.message.message, 'evm');
    const mintRfc = await deliver(lock3.message.message, 'rfc');

    const wrapped = await remote.bridge.wrappedTokenOf(ChainId.DevEthereumA, addressToBytes32(sah));
    const burn = await remote.bridge.burn(bobWallet, wrapped, parseEther('4'), ChainId.DevEthereumA, fresh(3));
    const unlock = sign(keys, 1, ChainId.DevEthereumA, home.bridge.address, hexToBytes(burn.message.message));
    const unlockGas = (await home.bridge.receiveMessage(courier, burn.message.message, 1, unlock.evm)).gasUsed;

    // a governance message for completeness: pause, signed like any other message
    const pause = encodeMessage({
      kind: 'Governance',
      sourceChain: ChainId.Governance,
      destinationChain: ChainId.DevEthereumB,
      nonce: 1n,
      sender: `0x${'00'.repeat(32)}`,
      recipient: addressToBytes32(remote.bridge.address),
      payload: { action: 'Pause' },
    });
    const pauseSig = sign(keys, 1, ChainId.DevEthereumB, remote.bridge.address, pause);
    const pauseGas = (
      await remote.bridge.receiveMessage(courier, `0x${Buffer.from(pause).toString('hex')}`, 1, pauseSig.evm)
    ).gasUsed;

    log('');
    log('| Transaction (receipt gasUsed: 21,000 base, calldata and cold storage included) | Gas |');
    log('|---|---|');
    log(`| \`lock\` SAH, first lock of the token ever | ${lock1.receipt.gasUsed} |`);
    log(`| \`lock\` SAH, steady state | ${lock2.receipt.gasUsed} |`);
    log(`| \`receiveMessage\`, first transfer of a token (deploys its wrapped ERC-20, CREATE2) | ${firstMint} |`);
    log(
      `| **\`receiveMessage\`, mint to a recipient who never held the token, 97-byte signature** | **${mintFresh}** |`,
    );
    log(`| \`receiveMessage\`, mint to a new recipient, 65-byte RFC 9591 signature | ${mintRfc} |`);
    log(`| \`burn\` wrapped SAH | ${burn.receipt.gasUsed} |`);
    log(`| \`receiveMessage\`, unlock SAH at home to a new recipient | ${unlockGas} |`);
    log(`| \`receiveMessage\`, governance pause | ${pauseGas} |`);

    writeBenchmarkSection(
      'gas',
      `## EVM gas (\`npm run bench:gas\`)

Measured ${new Date().toISOString().slice(0, 10)} on anvil (Foundry 1.7.1, its default hardfork: ${hardfork}, i.e. Osaka gas rules with
EIP-7883 modexp pricing), contracts compiled by solc 0.8.30 for Cancun with the optimizer (10,000 runs).
Verification gas is the library call alone (\`gasleft()\` around \`FrostVerifier.verifyDigest\`, through
\`FrostVerifierHarness.verifyDigestGas\`); transaction figures are receipts of real transactions, one per block,
so every account and slot starts cold. Targets (issue "Protocol and Ethereum contracts"): verification <= 5,500
gas whatever n; \`receiveMessage\` minting to a new holder <= 110,000. For comparison, Wormhole's core bridge
spends ~123,000-135,000 gas checking 13 of 19 ECDSA signatures.
Key sets of up to 40 signers come from the in-process DKG; the 100-signer set is dealt (RFC 9591 appendix C)
because one process simulating all 100 participants' share checks takes many minutes; each set signs with t
of its shares, and the contract sees one group key and one 65-byte signature either way.

${rows.join('\n')}
`,
    );
    console.log('\nwrote the gas section of docs/BENCHMARKS.md');
  } finally {
    await anvil.stop();
  }
}

await main();
