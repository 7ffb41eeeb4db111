// Re-encodes one file with the library's reformat(), as a whole process: what the side-by-side
// timings against jq run (see bench/reformat/README.md).
//
//   node bench/reformat/reformat.js IN OUT [--indent N] [--dialect python] [--from jsonl] [--lines]

import { parseArgs } from 'node:util';
import { reformat } from '../../dist/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { indent: { type: 'string' }, dialect: { type: 'string' }, from: { type: 'string' }, lines: { type: 'boolean' } },
});
const [input, output] = positionals;
const started = performance.now();
const stats = await reformat(input, output, {
  indent: values.indent === undefined ? undefined : Number(values.indent),
  dialect: values.dialect,
  from: values.from,
  lines: values.lines,
});
const seconds = (performance.now() - started) / 1000;
process.stderr.write(`${stats.bytes} bytes, ${stats.items} records in ${seconds.toFixed(2)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB\n`);
