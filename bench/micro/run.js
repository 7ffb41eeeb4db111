// Microbenchmarks of the hot pieces (`npm run bench:micro`):
//   node bench/micro/run.js [escape|number|keys|chunks|native|options ...] [--max-time 1]
// Prints one markdown table per suite (ops/s, relative to the fastest case). Build jsondump
// first (npm run build) to include its own escape / number functions.

import { parseArgs } from 'node:util';
import { runSuite } from './common.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'max-time': { type: 'string', default: '1' } },
});
const ALL = ['escape', 'number', 'keys', 'chunks', 'native', 'options'];
const names = positionals.length ? positionals : ALL;
const options = { maxTime: Number(values['max-time']), minSamples: 5 };

console.log(`Node ${process.version}, benchmark.js, maxTime ${options.maxTime} s per case\n`);
for (const name of names) {
  if (!ALL.includes(name)) throw new Error(`unknown micro benchmark ${name} (have: ${ALL.join(', ')})`);
  const { suites } = await import(`./${name}.js`);
  for (const suite of suites) console.log(runSuite(suite, options) + '\n');
}
