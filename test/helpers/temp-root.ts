// vitest globalSetup: the run gets a temporary directory of its own, TMPDIR for the test workers
// and every process they start, and the run fails when anything is left in it at the end (each
// test file also gets its own directory inside it, checked when the file ends: temp-per-file.ts).
// A directory of its own rather than a look at the system's before and after: other processes
// create and remove jsondump-* entries there meanwhile (the database servers .ci/run starts
// before the run and stops after it, another checkout's tests), and parallel workers would see
// each other's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The variable that hands the run's directory to temp-per-file.ts in the workers. */
export const RUN_TMP = 'JSONDUMP_TEST_TMP';

/**
 * An entry left in the run's directory; a test file's own directory (`f-…`, left when the file's
 * last after-hook did not run) with what it holds, whose names say which file made them.
 */
function describeEntry(root: string, name: string): string {
  const entry = path.join(root, name);
  if (!name.startsWith('f-') || !fs.statSync(entry).isDirectory()) return name;
  return `${name} (holding ${fs.readdirSync(entry).join(', ') || 'nothing'})`;
}

export default function setup(): () => void {
  const outer = process.env.TMPDIR;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jsondump-test-run-'));
  // as open as the system's: tests run processes as other users (nobody, postgres, mysql)
  fs.chmodSync(root, 0o1777);
  process.env.TMPDIR = root;
  process.env[RUN_TMP] = root;
  return () => {
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    const left = fs.readdirSync(root).map((name) => describeEntry(root, name));
    fs.rmSync(root, { recursive: true, force: true });
    if (left.length === 0) return;
    process.exitCode = 1;
    throw new Error(`the tests left ${left.length} entries in the temporary directory: ${left.join(', ')}`);
  };
}
