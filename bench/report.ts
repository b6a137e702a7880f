import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const FILE = new URL('../docs/BENCHMARKS.md', import.meta.url);
const HEADER = `# Benchmarks

Figures measured by the benchmarks in \`bench/\`; each section is rewritten by the command named in it.
Machine: the project's standard 2-core, 24 GiB Linux box.
`;

/** Replaces (or appends) the section delimited by `<!-- bench:NAME -->` markers in docs/BENCHMARKS.md. */
export function writeBenchmarkSection(name: string, markdown: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let doc = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  doc =
    from >= 0 && to > from ? doc.slice(0, from) + block + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(FILE, doc);
}
