// `-o /dev/stdout` (and /dev/fd/1, /proc/self/fd/1): the output goes to what the descriptor
// holds, written in place — a pipe, a FIFO, a terminal, /dev/null, or a file the shell opened
// (appended to what the shell wrote there, never renamed over). A socket cannot be opened by
// its name: the message says to use -o -.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, runCli, tempDir } from '../helpers/cli.js';

let dir = '';
let input = '';
const records = Array.from({ length: 5000 }, (_, i) => ({ id: i, name: `Zoë ${i} 😀`, ok: i % 3 === 0 }));
const expected = JSON.stringify(records);

beforeAll(() => {
  dir = tempDir('descriptor-paths');
  input = join(dir, 'in.jsonl');
  writeFileSync(input, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The CLI under `sh -c script`, where "$@" is the export command. */
function shell(script: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('sh', ['-c', script, 'sh', process.execPath, CLI, 'export', input, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

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

describe('-o /dev/stdout', () => {
  it('on a pipe: the output goes down the pipe, atomic or not, by any of its names', () => {
    for (const target of ['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']) {
      for (const more of [[], ['--no-atomic']]) {
        const r = shell('"$@" | cat', ['-o', target, ...more], dir);
        expect({ target, more, status: r.status, stderr: r.stderr }).toEqual({ target, more, status: 0, stderr: '' });
        expect(r.stdout).toBe(expected);
      }
    }
  });

  it('on a FIFO and on /dev/null: written in place, both stay what they are', () => {
    const here = mkdtempSync(join(dir, 'fifo-'));
    execFileSync('mkfifo', [join(here, 'fifo')]);
    const r = shell('cat fifo > got & "$@" > fifo; status=$?; wait; exit $status', ['-o', '/dev/stdout'], here);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(readFileSync(join(here, 'got'), 'utf8')).toBe(expected);
    expect(lstatSync(join(here, 'fifo')).isFIFO()).toBe(true);
    expect(shell('"$@" > /dev/null', ['-o', '/dev/stdout'], here)).toMatchObject({ status: 0, stderr: '' });
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync(here).sort()).toEqual(['fifo', 'got']);
  });

  it('on a terminal (a pseudo-terminal): the output reaches it', () => {
    // -q: stderr is the same terminal, and the summary would follow the output there
    const r = spawnSync('python3', ['-c', PTY, process.execPath, CLI, 'export', input, '-o', '/dev/stdout', '-q'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    // no line break in the output for the terminal to turn into \r\n
    expect(r.stdout === expected).toBe(true);
    // without -q: no progress line drawn over the output on that terminal, the summary after it
    const loud = spawnSync('python3', ['-c', PTY, process.execPath, CLI, 'export', input, '-o', '/dev/stdout'], { encoding: 'utf8', timeout: 60_000 });
    expect(loud.status).toBe(0);
    expect(loud.stdout.startsWith(expected)).toBe(true);
    expect(loud.stdout.slice(expected.length)).toMatch(/^jsondump: wrote 5,000 rows, [\d.]+ kB to \/dev\/stdout\r\n$/);
  });

  it('on a file the shell opened: after what the shell wrote there, in the same file', () => {
    const here = mkdtempSync(join(dir, 'file-'));
    const out = join(here, 'out.txt');
    writeFileSync(out, 'before\n');
    const { ino } = statSync(out);
    const r = shell('{ echo header; "$@"; echo; echo footer; } >> out.txt', ['-o', '/dev/stdout'], here);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(readFileSync(out, 'utf8')).toBe(`before\nheader\n${expected}\nfooter\n`);
    expect(statSync(out).ino).toBe(ino);
    expect(readdirSync(here)).toEqual(['out.txt']);
  });

  it('on a socket (a child process of node): cannot be opened by its name, and the message says -o -', async () => {
    const r = await runCli(['export', input, '-o', '/dev/stdout']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^jsondump: cannot write \/dev\/stdout: .*ENXIO.*-o -/);
  });
});
