#!/usr/bin/env node
// The export benchmark: whole commands (a C tool, CPython, jsondump) timed in turns (A B A B…)
// on the same seeded data, every output checked against the rows it was made from, and a table
// of seconds, MB/s, peak RSS and the ratio to the C tool. See bench/export/README.md… and
// bench/README.md, section "Export jobs", for the job-module interface.
//
//   npm run bench:export                         # 1M rows, 3 rounds, every job; writes bench/RESULTS.md
//   node bench/export/run.js --rows 100000 --jobs sqlite --reps 1   # a quick look (nothing written)
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS = join(ROOT, 'bench/RESULTS.md');
const DEFAULT_ROWS = 1_000_000;
const DEFAULT_REPS = 3;
const DEFAULT_MEMORY_ROWS = [1_000_000, 10_000_000];
const BUILTIN_JOBS = ['sqlite', 'postgres'];

const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string' },
    reps: { type: 'string' },
    seed: { type: 'string' },
    jobs: { type: 'string' }, // job modules by name (bench/export/jobs/NAME.js), comma-separated
    'memory-rows': { type: 'string' },
    'no-memory': { type: 'boolean' },
    'no-check': { type: 'boolean' },
    'no-write': { type: 'boolean' },
  },
});

const rowsFlag = (text) => text.split(',').map((n) => Math.round(Number(n)));
const ctx = {
  root: ROOT,
  cli: join(ROOT, 'dist/cli/main.js'),
  rows: flags.rows ? rowsFlag(flags.rows)[0] : DEFAULT_ROWS,
  seed: Number(flags.seed ?? 1),
  cache: join(ROOT, 'bench/.cache'),
  out: mkdtempSync(join(process.env.BENCH_TMPDIR ?? tmpdir(), 'jsondump-export-bench-')),
  memoryRows: flags['no-memory'] ? [] : flags['memory-rows'] ? rowsFlag(flags['memory-rows']) : DEFAULT_MEMORY_ROWS,
  versions: [`node ${process.version}`],
};
const reps = Number(flags.reps ?? DEFAULT_REPS);
const full = flags.rows === undefined && flags.reps === undefined && flags.jobs === undefined && flags['memory-rows'] === undefined && !flags['no-memory'] && !flags['no-check'];
mkdirSync(ctx.cache, { recursive: true });

/**
 * Runs one command under /usr/bin/time; resolves with wall seconds, CPU seconds (user + system,
 * children included: the machine may be shared, and CPU time is what a busy neighbour skews
 * least) and peak RSS in MiB.
 */
function measure(contender) {
  return new Promise((resolve, reject) => {
    const timeFile = join(ctx.out, 'time');
    const [command, ...args] = contender.argv;
    // Standard output goes straight to the file, as `tool > file` in a shell: through a pipe
    // into this process it would cost the tool a copy and a wait per pipe-full.
    const stdout = contender.stdout === undefined ? 'ignore' : openSync(contender.stdout, 'w');
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, command, ...args], { stdio: ['ignore', stdout, 'inherit'], cwd: contender.cwd ?? ROOT });
    if (typeof stdout === 'number') closeSync(stdout);
    const started = performance.now();
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`${contender.name}: exit ${code}`));
      const [rss, user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      resolve({ seconds, cpu: user + system, peak: rss / 1024 });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function runJob(job) {
  const runs = new Map(job.contenders.map((c) => [c, []]));
  for (let rep = 1; rep <= reps; rep++) {
    for (const contender of job.contenders) {
      const result = await measure(contender);
      runs.get(contender).push(result);
      console.error(`  ${job.title} · ${contender.name} · round ${rep}: ${result.seconds.toFixed(2)} s (CPU ${result.cpu.toFixed(2)} s), ${result.peak.toFixed(0)} MiB`);
    }
  }
  const checks = new Map();
  for (const contender of job.contenders) {
    if (contender.check === undefined || flags['no-check']) continue;
    const path = contender.output ?? contender.stdout;
    try {
      await contender.check(path);
      checks.set(contender, 'ok');
    } catch (error) {
      checks.set(contender, `FAILED: ${error.message}`);
    }
  }
  const reference = job.contenders.find((c) => c.reference);
  const refSeconds = median(runs.get(reference).map((r) => r.seconds));
  return job.contenders.map((contender) => {
    const seconds = median(runs.get(contender).map((r) => r.seconds));
    const sized = contender.output ?? contender.stdout ?? contender.bytesOf;
    const bytes = sized === undefined ? null : statSync(contender.bytesOf ?? sized).size;
    return {
      job: job.title,
      contender: contender.name,
      seconds,
      cpu: median(runs.get(contender).map((r) => r.cpu)),
      mbps: bytes === null ? null : bytes / 1e6 / seconds,
      peak: Math.max(...runs.get(contender).map((r) => r.peak)),
      ratio: refSeconds / seconds,
      check: checks.get(contender) ?? (contender.check === undefined ? 'no output' : 'not checked'),
    };
  });
}

function table(results) {
  const lines = ['| job | contender | seconds (median) | CPU s (median) | MB/s | peak RSS MiB | speed vs the C tool | output check |', '|---|---|---:|---:|---:|---:|---:|---|'];
  let last = '';
  for (const r of results) {
    lines.push(`| ${r.job === last ? '' : r.job} | ${r.contender} | ${r.seconds.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.mbps === null ? '–' : r.mbps.toFixed(0)} | ${r.peak.toFixed(0)} | ${r.ratio.toFixed(2)}× | ${r.check} |`);
    last = r.job;
  }
  return lines.join('\n');
}

async function main() {
  const names = flags.jobs ? flags.jobs.split(',') : BUILTIN_JOBS.concat(await extraJobs());
  const results = [];
  const memory = [];
  for (const name of names) {
    const module = (await import(pathToFileURL(join(ROOT, 'bench/export/jobs', `${name}.js`)).href)).default;
    console.error(`bench: ${module.name}`);
    let setup;
    try {
      setup = await module.setup(ctx);
    } catch (error) {
      console.error(`bench: ${module.name} skipped: ${error.message}`);
      continue;
    }
    try {
      for (const job of setup.jobs) results.push(...(await runJob(job)));
      for (const run of module.memory?.(ctx) ?? []) {
        const { seconds, peak } = await measure({ name: `memory ${run.rows}`, argv: run.argv });
        memory.push({ rows: run.rows, seconds, peak });
        console.error(`  memory · ${run.rows} rows: ${peak.toFixed(0)} MiB, ${seconds.toFixed(1)} s`);
      }
    } finally {
      await setup.teardown?.();
    }
  }
  const command = `node bench/export/run.js ${process.argv.slice(2).join(' ')}`.trim();
  let text = `## Export jobs, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC\n\n`;
  text += `\`${full ? 'npm run bench:export' : command}\`: ${ctx.rows.toLocaleString('en-US')} rows, ${reps} rounds in turns, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}).\n`;
  text += `Versions: ${ctx.versions.join('; ')}.\n\n${table(results)}\n`;
  if (memory.length > 0) {
    text += `\nPeak RSS of \`jsondump export sqlite:… --table t -o …\` by table size: ${memory.map((m) => `${m.rows.toLocaleString('en-US')} rows ${m.peak.toFixed(0)} MiB (${m.seconds.toFixed(1)} s)`).join(', ')}.\n`;
  }
  console.log(text);
  if (full && !flags['no-write']) {
    const old = readFileSync(RESULTS, 'utf8');
    const at = old.indexOf('\n## ');
    writeFileSync(RESULTS, at < 0 ? `${old}\n${text}` : `${old.slice(0, at + 1)}${text}\n${old.slice(at + 1)}`);
    console.error(`bench: results written to ${RESULTS}`);
  } else {
    console.error('bench: not a full run, bench/RESULTS.md left as it is');
  }
  rmSync(ctx.out, { recursive: true, force: true });
}

/** Job modules other than the built-in ones, in name order (e.g. reformat.js). */
async function extraJobs() {
  const { readdirSync } = await import('node:fs');
  return readdirSync(join(ROOT, 'bench/export/jobs'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3))
    .filter((name) => !BUILTIN_JOBS.includes(name))
    .sort();
}

main().catch((error) => {
  console.error(`bench: ${error.stack ?? error}`);
  rmSync(ctx.out, { recursive: true, force: true });
  process.exit(1);
});
