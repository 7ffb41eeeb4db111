// The tests pass from a checkout that only its owner can read (a clone in a private home
// directory or in a `mktemp -d`): a test that runs a process as another user must give it files
// that user can read, never the checkout's own. The files that do so (they use
// test/helpers/other-user.ts) run here from such a copy of the checkout.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './scratch.js';

/** What a test run needs from the checkout; node_modules is linked, not copied. */
const COPIED = ['dist', 'src', 'test', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.test.json', 'vitest.config.ts'];

/** The test files that run a process as another user: those that import the helper. */
function otherUserTests(): string[] {
  const imports = /^import [^;]* from '(?:\.\.\/)+helpers\/other-user\.js';$/m;
  return fs.readdirSync(path.join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts') && imports.test(fs.readFileSync(path.join(ROOT, 'test', f), 'utf8')))
    .map((f) => path.join('test', f))
    .sort();
}

let base = '';
let checkout = '';

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'jsondump-private-'));
  expect(fs.statSync(base).mode & 0o777).toBe(0o700);
  checkout = path.join(base, 'checkout');
  for (const entry of COPIED) {
    fs.cpSync(path.join(ROOT, entry), path.join(checkout, entry), {
      recursive: true,
      filter: (source) => path.basename(source) !== 'node_modules',
    });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(checkout, 'node_modules'), 'dir');
});

afterAll(() => {
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

describe('a checkout only its owner can read', () => {
  it('passes the tests that run a process as another user', () => {
    const files = otherUserTests();
    expect(files.length).toBeGreaterThan(0);
    const vitest = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const r = spawnSync(process.execPath, [vitest, 'run', ...files], { cwd: checkout, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  });
});
