// Every test removes what it creates in the temporary directory: vitest.config.ts gives each
// test file a directory of its own there and fails a file that leaves anything in it, naming
// what was left. Checked on a copy of the configuration running a file that leaves a directory
// and a file that cleans up.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './scratch.js';

const COPIED = ['vitest.config.ts', 'test/helpers/temp-root.ts', 'test/helpers/temp-per-file.ts', 'test/helpers/run-servers.ts'];

const LEAVES = `import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
it('makes a directory and keeps it', () => void mkdtempSync(join(tmpdir(), 'jsondump-kept-')));
`;

const CLEANS = `import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
it('makes a directory and removes it', () => rmSync(mkdtempSync(join(tmpdir(), 'jsondump-gone-')), { recursive: true }));
`;

let project = '';

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'jsondump-leftovers-'));
  for (const file of COPIED) fs.cpSync(path.join(ROOT, file), path.join(project, file));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(project, 'test', 'leaves.test.ts'), LEAVES);
  fs.writeFileSync(path.join(project, 'test', 'cleans.test.ts'), CLEANS);
});

afterAll(() => {
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

function vitest(...files: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...files], { cwd: project, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('a test file that leaves something in the temporary directory', () => {
  it('fails, naming what it left', () => {
    const r = vitest('test/leaves.test.ts');
    expect(r.status, r.output).toBe(1);
    expect(r.output).toMatch(/FAIL .*test\/leaves\.test\.ts/);
    expect(r.output).toMatch(/left in the temporary directory: jsondump-kept-\w+/);
  });

  it('and one that removes what it made passes', () => {
    const r = vitest('test/cleans.test.ts');
    expect(r.status, r.output).toBe(0);
  });
});
