// dump(value, process.stdout) must leave stdout open: the program writes on after it (a log
// line, the next dump), and an ended stdout loses that output or fails with
// ERR_STREAM_WRITE_AFTER_END. Same for stderr, and for a dump that fails. Run in a child
// process on the built package, with stdout a pipe and then a file.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useTempDir } from '../helpers/io.js';

const tmp = useTempDir('stdio');
const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

const script = `
import { dump, dumpLines } from ${JSON.stringify(dist)};
await dump({ a: 1 }, process.stdout);
process.stdout.write('\\nafter\\n');
await dumpLines([1, 2], process.stdout);
await dump([2], process.stderr);
process.stderr.write('\\nafter-err\\n');
const bad = { x: { toJSON() { throw new Error('bad row'); } } };
await dump(bad, process.stdout).catch((e) => process.stdout.write('failed: ' + e.message + '\\n'));
process.stdout.write('still here\\n');
`;

const STDOUT = '{"a":1}\nafter\n1\n2\nfailed: bad row\nstill here\n';
const STDERR = '[2]\nafter-err\n';

describe('stdout and stderr are never ended', () => {
  it('stdout and stderr pipes: everything written after the dumps arrives', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe(STDERR);
    expect(r.stdout).toBe(STDOUT);
    expect(r.status).toBe(0);
  });

  it('stdout and stderr files', () => {
    const out = tmp.file('out.txt');
    const err = tmp.file('err.txt');
    const fds = [fs.openSync(out, 'w'), fs.openSync(err, 'w')];
    try {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', fds[0], fds[1]], timeout: 30_000 });
      expect(fs.readFileSync(err, 'utf8')).toBe(STDERR);
      expect(fs.readFileSync(out, 'utf8')).toBe(STDOUT);
      expect(r.status).toBe(0);
    } finally {
      for (const fd of fds) fs.closeSync(fd);
    }
  });
});
