// vitest setupFiles: each test file gets a temporary directory of its own inside the run's
// (temp-root.ts), as TMPDIR for os.tmpdir() and every process it starts, and fails when it leaves
// anything there: the error names the file that left it. Its afterAll is the first registered,
// so it runs after the file's own (vitest runs after-hooks in reverse order).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { RUN_TMP } from './temp-root.js';

const runDir = process.env[RUN_TMP];
if (runDir !== undefined) {
  const dir = fs.mkdtempSync(path.join(runDir, 'f-'));
  fs.chmodSync(dir, 0o1777);
  process.env.TMPDIR = dir;
  afterAll(() => {
    process.env.TMPDIR = runDir;
    const left = fs.readdirSync(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    if (left.length > 0) {
      throw new Error(`left in the temporary directory: ${left.join(', ')} (remove what the tests create, in afterAll or finally)`);
    }
  });
}
