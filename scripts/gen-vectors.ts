// Regenerates test/vectors/messages.json. Run after any change to the message format.
import { writeFileSync } from 'node:fs';
import { renderVectors } from '../test/helpers/protocolVectors.js';

const out = new URL('../test/vectors/messages.json', import.meta.url);
writeFileSync(out, renderVectors());
console.log(`wrote ${out.pathname.split('/').slice(-3).join('/')}`);
