// No open handle: after dumps that fail in every way (helpers/faults.ts values, destinations
// that fail, consumers that give up), a process exits by itself. The library and a child script
// (helpers/exit-child.ts) are compiled with tsc into a temporary directory; the child runs the
// cases, prints a summary and returns without process.exit: if anything is left open (a
// timer, a file descriptor, a stream, a pending write) it does not exit, and this test fails at
// its timeout. The child also reports unhandled rejections and file descriptors left open on
// the files it wrote.
// Seeded and bounded (helpers/fuzz.ts); `npm run fuzz` runs more.

import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE_SEED, describeRun, seedFor, RUNS_OVERRIDE } from '../helpers/fuzz.js';
import { useTempDir } from '../helpers/io.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tmp = useTempDir('exit-check');
let out = '';

beforeAll(() => {
  out = path.join(tmp.path, 'build');
  const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
  execFileSync(tsc, [
    '--outDir', out, '--rootDir', ROOT, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
    '--ignoreConfig', '--types', 'node', '--skipLibCheck', '--strict', '--declaration', 'false', '--sourceMap', 'false',
    path.join(ROOT, 'src', 'index.ts'), path.join(ROOT, 'test', 'helpers', 'exit-child.ts'),
  ], { stdio: 'pipe', cwd: ROOT });
  fs.writeFileSync(path.join(out, 'package.json'), '{"type": "module"}\n');
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(out, 'node_modules'));
});

interface Summary {
  cases: number;
  counts: Record<string, number>;
  unhandled: string[];
  /** File descriptors still open on the cases' files. */
  leftOpen: string[];
}

/** Runs a node script; resolves with its output and whether it exited by itself within `ms`. */
function runNode(script: string, args: string[], ms: number): Promise<{ exited: boolean; code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ exited: signal === null, code, stdout, stderr });
    });
  });
}

/** The child's summary line. */
function summaryOf(stdout: string): Summary | null {
  const line = stdout.trim().split('\n').pop() ?? '';
  return line.startsWith('{') ? (JSON.parse(line) as Summary) : null;
}

const NAME = 'exit check';
const RUNS = 100;

describe(`no open handle: the process exits by itself (base seed ${BASE_SEED})`, () => {
  it(`after failed and given-up dumps of values with faults (${describeRun(NAME, RUNS)})`, async () => {
    const runs = RUNS_OVERRIDE ?? RUNS;
    const dir = tmp.dir();
    const child = path.join(out, 'test', 'helpers', 'exit-child.js');
    const r = await runNode(child, [path.join(out, 'src', 'index.js'), String(seedFor(NAME)), String(runs), dir], 20_000 + runs * 200);
    expect(r.stderr).toBe('');
    expect(r.exited, 'the child was still running at the timeout: something is left open').toBe(true);
    expect(r.code).toBe(0);
    const s = summaryOf(r.stdout);
    expect(s, r.stdout).not.toBeNull();
    expect(s!.unhandled).toEqual([]);
    expect(s!.leftOpen).toEqual([]);
    expect(Object.keys(s!.counts).filter((k) => k.startsWith('WRONG'))).toEqual([]);
    // the cases both succeed and fail
    expect(s!.counts.ok).toBeGreaterThan(0);
    expect(s!.counts['failed as expected']).toBeGreaterThan(0);
    expect(s!.cases).toBeGreaterThan(runs / 2);
  });

  it('the check can fail: a child that leaves a timer running is caught', async () => {
    const leaky = path.join(out, 'leaky.mjs');
    fs.writeFileSync(leaky, 'setInterval(() => {}, 1000);\nconsole.log("{}");\n');
    const { exited } = await runNode(leaky, [], 1500);
    expect(exited).toBe(false);
  });
});
