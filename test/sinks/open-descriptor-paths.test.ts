// A path such as /dev/stdout names an open file descriptor (through /proc/self/fd/1), not a
// file to replace: whatever it resolves to — a pipe, a FIFO, a terminal, /dev/null, or a
// regular file the shell opened for the process — is written in place, never renamed over.
// Run in child processes on the built package, with stdout each of those.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useTempDir } from '../helpers/io.js';

const tmp = useTempDir('fd-paths');
const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

const value = { rows: Array.from({ length: 3000 }, (_, i) => ({ i, s: 'é😀'.repeat(i % 5) })) };
const text = JSON.stringify(value);

/** A program that writes `value` to `target` with one of the three path functions. */
function program(way: string, target: string): string {
  const write: Record<string, string> = {
    dump: `await dump(value, ${JSON.stringify(target)}, { chunkSize: 512 });`,
    dumpSync: `dumpSync(value, ${JSON.stringify(target)}, { chunkSize: 512 });`,
    createFileWriteStream: `await new Promise((resolve, reject) => {
      const w = createFileWriteStream(${JSON.stringify(target)});
      w.on('error', reject).on('finish', resolve);
      w.end(JSON.stringify(value));
    });`,
  };
  return `import { createFileWriteStream, dump, dumpSync } from ${JSON.stringify(dist)};
const value = ${JSON.stringify(value)};
${write[way]}`;
}

/** Runs `node -e program` under `sh -c`, where "$@" is the node command. */
function shell(script: string, prog: string, cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('sh', ['-c', script, 'sh', process.execPath, '--input-type=module', '-e', prog], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A pseudo-terminal for the child's stdin, stdout and stderr; what it writes is copied out
const PTY = `
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b''
while True:
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    out += data
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status))
`;

const WAYS = ['dump', 'dumpSync', 'createFileWriteStream'];

describe.each(WAYS)('%s', (way) => {
  it('/dev/stdout, /dev/fd/1 and /proc/self/fd/1 on a pipe: the text goes down the pipe', () => {
    for (const target of ['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']) {
      const r = shell('"$@" | cat', program(way, target), tmp.path);
      expect({ target, stderr: r.stderr, status: r.status }).toEqual({ target, stderr: '', status: 0 });
      expect(r.stdout).toBe(text);
    }
  });

  it('/dev/stdout on a FIFO and on /dev/null: written in place, both stay what they are', () => {
    const dir = tmp.dir();
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const r = shell('cat fifo > got & "$@" > fifo; status=$?; wait; exit $status', program(way, '/dev/stdout'), dir);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(fs.readFileSync(path.join(dir, 'got'), 'utf8')).toBe(text);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    const { rdev } = fs.statSync('/dev/null');
    expect(shell('"$@" > /dev/null', program(way, '/dev/stdout'), dir)).toMatchObject({ status: 0, stderr: '' });
    expect(fs.lstatSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(fs.statSync('/dev/null').rdev).toBe(rdev);
    expect(fs.readdirSync(dir).sort()).toEqual(['fifo', 'got']);
  });

  it('/dev/stdout on a terminal (a pseudo-terminal): the text reaches it', () => {
    const r = spawnSync('python3', ['-c', PTY, process.execPath, '--input-type=module', '-e', program(way, '/dev/stdout')], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    // the terminal turns each line break into \r\n; the text has none
    expect(r.stdout).toBe(text);
  });

  it('/dev/stdout on a file the shell opened: appended to what the shell wrote, the same file', () => {
    const dir = tmp.dir();
    const out = path.join(dir, 'out.txt');
    fs.writeFileSync(out, 'before\n');
    const { ino } = fs.statSync(out);
    const r = shell('{ echo header; "$@"; echo; echo footer; } >> out.txt', program(way, '/dev/stdout'), dir);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(fs.readFileSync(out, 'utf8')).toBe(`before\nheader\n${text}\nfooter\n`);
    expect(fs.statSync(out).ino).toBe(ino);
    expect(fs.readdirSync(dir)).toEqual(['out.txt']);
  });
});
