/**
 * TypeScript types of the CosmWasm bridge's messages, from the JSON schema its `schema` binary writes
 * (contracts/cosmwasm/contracts/bridge/src/bin/schema.rs, cosmwasm-schema's write_api!), by json-schema-to-typescript:
 * InstantiateMsg, ExecuteMsg, QueryMsg, ReceiveMsg (the cw20 hook), every type they and the query answers use, and
 * QueryResponses (what each query answers, by the query's name). relayer/chains/cosmwasm/bridgeContract.ts builds its
 * messages as these types: a field renamed in msg.rs or state.rs fails tsc.
 *
 *   npm run gen:cosmwasm-bindings      (the schema binary, then this: scripts/gen-cosmwasm-bindings.sh)
 *   tsx scripts/gen-cosmwasm-types.ts [--schema DIR] [--out FILE]
 *
 * scripts/test.sh regenerates both into a temporary directory and compares them with the committed files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { formatTs, generatedHeader, ROOT } from './formatGenerated.js';

const SCHEMA = 'contracts/cosmwasm/contracts/bridge/schema';
const COMMITTED = 'relayer/chains/cosmwasm/msg.ts';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const schemaDir = resolve(ROOT, flag('--schema') ?? SCHEMA);
const outFile = resolve(ROOT, flag('--out') ?? COMMITTED);

type Schema = JSONSchema & { definitions?: Record<string, Schema> };
const read = (file: string) => JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as Schema;
const api = read('sah-bridge-cosmwasm.json') as Schema & {
  instantiate: Schema;
  execute: Schema;
  query: Schema;
  responses: Record<string, Schema>;
};

// Each schema carries the definitions it uses; one set of them serves all, each type declared once.
const definitions: Record<string, Schema> = {};
function define(name: string, schema: Schema): void {
  const known = definitions[name];
  if (known && JSON.stringify(known) !== JSON.stringify(schema))
    throw new Error(`two different schemas named ${name}: rename one of the Rust types`);
  definitions[name] = schema;
}
function body(schema: Schema): Schema {
  const { $schema: _, definitions: used, ...rest } = schema;
  for (const [name, s] of Object.entries(used ?? {})) define(name, s);
  return rest;
}

define('InstantiateMsg', body(api.instantiate));
define('ExecuteMsg', body(api.execute));
define('QueryMsg', body(api.query));
define('ReceiveMsg', body(read('receive_msg.json')));

// a query's answer: a named type (Config, JobResponse, Uint128...) by reference, a bare one (uint64, Nullable_Addr,
// Array_of_...) inline
const responses: Record<string, Schema> = {};
for (const [query, schema] of Object.entries(api.responses)) {
  const { title, ...answer } = body(schema);
  if (title && (definitions[title] || answer.type === 'object')) {
    if (!definitions[title]) define(title, { title, ...answer });
    responses[query] = { $ref: `#/definitions/${title}` };
  } else responses[query] = answer;
}

const root: Schema = {
  title: 'QueryResponses',
  description: "What each query answers, by the query's name (the key of its QueryMsg).",
  type: 'object',
  properties: responses,
  required: Object.keys(responses),
  additionalProperties: false,
  definitions,
};
const types = await compile(root, 'QueryResponses', {
  bannerComment: '',
  format: false,
  unreachableDefinitions: true,
  additionalProperties: false,
  strictIndexSignatures: true,
  unknownAny: true,
  cwd: schemaDir,
});
// json-schema-to-typescript notes under each type which definition it came from: noise here
const tidy = types
  .replace(/(\n \* ?)?\n \* This interface was referenced by .*\n \* via the `definition` .*/g, '')
  .replace(/\/\*\*\n \*\/\n/g, '');
const source = [
  generatedHeader('npm run gen:cosmwasm-bindings', `${SCHEMA} (${api.contract_name} ${api.contract_version})`),
  tidy,
].join('\n');
// a message without fields (`config {}`): an empty object, typed `Record<string, never>` (Biome refuses `{}`)
const formatted = formatTs(COMMITTED, source).replace(/^(\s+\w+\??): \{\};$/gm, '$1: Record<string, never>;');
if (/: \{\}/.test(formatted)) throw new Error('an empty object type is left as {}');
writeFileSync(outFile, formatted);
console.log(`wrote ${outFile}`);
