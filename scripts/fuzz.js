#!/usr/bin/env node
// The long fuzz run: the fuzz test files (test/fuzz-*.test.ts, test/async/exit-check.test.ts) with
// a seed and a run count of your choice, instead of the fixed seed and small counts `npm test`
// uses.
//
//   npm run fuzz                                  a random seed, 2000 runs per property
//   npm run fuzz -- --seed 42 --runs 10000        reproducible, longer
//   npm run fuzz -- --seed 42 test/async/fuzz-faults.test.ts
//
// A failure names the property, the base seed and fast-check's counterexample; the same
// command with the same --seed and --runs replays it.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';

const FILES = ['test/dialects/fuzz-options-js.test.ts', 'test/dialects/fuzz-options-python.test.ts', 'test/async/fuzz-faults.test.ts', 'test/async/exit-check.test.ts'];

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      runs: { type: 'string', default: '2000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (e) {
  const what = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `unknown option ${e.message.match(/'([^']+)'/)?.[1] ?? ''}` : 'bad arguments';
  console.error(`fuzz: ${what}. Try 'npm run fuzz -- --help'`);
  process.exit(2);
}
const { values, positionals } = args;
if (values.help) {
  console.log('npm run fuzz -- [--seed N] [--runs N] [test files…]');
  process.exit(0);
}
const seed = values.seed ?? String(randomInt(2 ** 31));
for (const [name, v] of [['--seed', seed], ['--runs', values.runs]]) {
  if (!/^-?\d+$/.test(v)) {
    console.error(`fuzz: ${name} must be an integer, got ${JSON.stringify(v)}. Try 'npm run fuzz -- --help'`);
    process.exit(2);
  }
}

console.log(`fuzz: seed ${seed}, ${values.runs} runs per property`);
const r = spawnSync('npx', ['vitest', 'run', '--testTimeout=0', '--hookTimeout=0', ...(positionals.length ? positionals : FILES)], {
  stdio: 'inherit',
  env: { ...process.env, JSONDUMP_FUZZ_SEED: seed, JSONDUMP_FUZZ_RUNS: values.runs },
});
console.log(`fuzz: seed ${seed}, ${values.runs} runs per property: ${r.status === 0 ? 'passed' : 'FAILED'}`);
process.exit(r.status ?? 1);
