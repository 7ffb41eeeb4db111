// SIGINT, SIGTERM and SIGHUP during an export, for every source: one line on stderr, exit
// 128 + the signal's number, no output or temporary file, the old target intact, the
// connection closed. Sources are a table: each new kind of source adds a row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket, type Server } from 'node:net';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import pg from 'pg';
import { makeBigTable } from './helpers/big-table.js';
import { CLI, tempDir } from './helpers/cli.js';
import { pgServer, type PgServer } from './helpers/pg-server.js';

const SIGNALS = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const;

let dir = '';
let bigDb = '';
let server: PgServer;
let admin: pg.Client;
let silent: Server;
let silentPort = 0;
const silentSockets = new Set<Socket>();

beforeAll(async () => {
  dir = tempDir('signals');
  bigDb = join(dir, 'big.db');
  makeBigTable(bigDb, 2_000_000, 100);
  writeInputs();
  server = pgServer();
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  // A server that accepts connections and never says a word
  silent = createServer((socket) => {
    silentSockets.add(socket);
    socket.resume(); // reads (and ignores) what comes, so that the client's close is seen
    socket.on('close', () => silentSockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
});

afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  silent?.close();
  await admin?.end();
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

function start(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [CLI, 'export', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const running: Running = { child, stdout: '', stderr: '', exited: new Promise((resolve) => child.on('close', resolve)) };
  child.stdin!.on('error', () => {}); // EPIPE once it has exited
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (running.stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (running.stderr += s));
  return running;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// Large enough that the export is still under way when the signal comes
const RECORDS = 400_000;
let jsonlFile = '';
let jsonFile = '';

function writeInputs(): void {
  const record = (i: number) => JSON.stringify({ i, s: 'é'.repeat(20) });
  jsonlFile = join(dir, 'in.jsonl');
  writeFileSync(jsonlFile, Array.from({ length: RECORDS }, (_, i) => record(i)).join('\n') + '\n');
  jsonFile = join(dir, 'in.json');
  writeFileSync(jsonFile, '[' + Array.from({ length: RECORDS }, (_, i) => record(i)).join(',\n') + ']');
}

interface SourceCase {
  name: string;
  /** The source's arguments, in the case's own directory. */
  open(caseDir: string, id: string): { args: string[]; env?: Record<string, string> };
  /** Called once the export is started: feeds its input; resolves with what releases it afterwards. */
  started?(running: Running, caseDir: string): Promise<() => void>;
  /** The export is under way once the temporary file exists; false: signal it while it connects. */
  writes: boolean;
  /** Without `writes`: true once it is connecting (or waiting for its input). */
  connecting?: (pid: number, caseDir: string) => boolean;
  /** Resolves once the source's connection is gone. */
  closed?(id: string): Promise<void>;
}

const pgSessions = async (id: string) =>
  Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [id])).rows[0].n);

/** A FIFO (named pipe) in the case's directory. */
function fifoIn(caseDir: string, name: string): string {
  const path = join(caseDir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

/** Whether process `pid` has `path` open, or one of its threads waits to open a FIFO. */
function opening(pid: number, path: string): boolean {
  return hasOpen(pid, path) || waitsForFifo(pid);
}

/** Whether process `pid` has `path` open. */
function hasOpen(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** Opens the FIFO once the export has it open, writes `bytes` and keeps it open, silent: the export waits for more. */
async function silentWriter(running: Running, fifo: string, bytes: Buffer): Promise<() => void> {
  await until(() => opening(running.child.pid!, fifo), 'the FIFO to be opened');
  const writer = new Socket({ fd: openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK), readable: false, writable: true });
  writer.on('error', () => {}); // EPIPE once the export has gone
  writer.write(bytes);
  return () => writer.destroy();
}

const SOURCES: SourceCase[] = [
  { name: 'SQLite', writes: true, open: () => ({ args: [`sqlite:${bigDb}`, '--table', 'big'] }) },
  { name: 'a JSON Lines file', writes: true, open: () => ({ args: [jsonlFile] }) },
  { name: 'a JSON document', writes: true, open: () => ({ args: [jsonFile, '--indent', '2'] }) },
  {
    name: 'stdin',
    writes: true,
    open: () => ({ args: ['-'] }),
    // stdin stays open: more may come
    started: async (running) => (running.child.stdin!.write(readFileSync(jsonlFile).subarray(0, 1 << 20)), () => {}),
  },
  {
    name: 'a JSON Lines FIFO nobody writes to',
    writes: false,
    open: (caseDir) => ({ args: [fifoIn(caseDir, 'in.jsonl')] }),
    connecting: (pid, caseDir) => opening(pid, join(caseDir, 'in.jsonl')),
  },
  {
    name: 'a JSON FIFO whose writer has gone silent',
    writes: true,
    open: (caseDir) => ({ args: [fifoIn(caseDir, 'in.json'), '--indent', '2'] }),
    started: (running, caseDir) => silentWriter(running, join(caseDir, 'in.json'), readFileSync(jsonFile).subarray(0, 1 << 20)),
  },
  {
    name: 'a gzip-compressed JSON Lines FIFO whose writer has gone silent',
    writes: true,
    open: (caseDir) => ({ args: [fifoIn(caseDir, 'in.jsonl.gz')] }),
    started: (running, caseDir) => silentWriter(running, join(caseDir, 'in.jsonl.gz'), gzipSync(readFileSync(jsonlFile).subarray(0, 1 << 20))),
  },
  {
    name: 'PostgreSQL',
    writes: true,
    open: (_caseDir, id) => ({
      // in the select list, generate_series streams its rows (in FROM, it would make them all first)
      args: [server.url, '--query', "SELECT generate_series(1, 100000000) AS i, repeat('x', 100) AS pad"],
      env: { PGAPPNAME: id },
    }),
    closed: (id) => until(async () => (await pgSessions(id)) === 0, `the session ${id} to end`),
  },
  {
    name: 'a PostgreSQL server that never answers',
    writes: false,
    open: () => ({ args: [`postgres://someone@127.0.0.1:${silentPort}/db`, '--table', 't'] }),
    connecting: () => silentSockets.size > 0,
    closed: () => until(() => silentSockets.size === 0, 'the connection to close'),
  },
];

let seq = 0;

describe.each(SOURCES)('$name', (source) => {
  it.each(SIGNALS)('%s: one line, exit %i, no temporary file, the old target intact, the connection closed', async (signal, status) => {
    const caseDir = join(dir, `case-${seq++}`);
    mkdirSync(caseDir);
    const id = `jsondump-signals-${process.pid}-${seq}`;
    const out = join(caseDir, 'out.json');
    writeFileSync(out, 'old content');
    const { args, env } = source.open(caseDir, id);
    const running = start([...args, '-o', out], env);
    let release = () => {};
    try {
      release = (await source.started?.(running, caseDir)) ?? release;
      if (source.writes) await until(() => readdirSync(caseDir).some((name) => name.endsWith('.tmp')), 'the temporary file');
      else await until(() => source.connecting!(running.child.pid!, caseDir), 'the connection');
      running.child.kill(signal);
      // a stuck thread would hold the exit: a second signal is not sent
      expect(await Promise.race([running.exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))])).toBe(status);
    } finally {
      running.child.kill('SIGKILL');
      release();
    }
    expect(running.stderr).toBe(`jsondump: interrupted by ${signal}\n`);
    expect(running.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe('old content');
    expect(readdirSync(caseDir).filter((name) => name !== 'out.json' && !name.startsWith('in.'))).toEqual([]);
    await source.closed?.(id);
  });
});

describe('split output', () => {
  it.each(SIGNALS)('%s: no part and no manifest of its own left, the earlier set as it was', async (signal, status) => {
    const caseDir = join(dir, `split-${seq++}`);
    mkdirSync(caseDir);
    // an earlier set: one part and the manifest that lists it
    const oldManifest = JSON.stringify({ files: [{ name: 'out-00001.jsonl', rows: 0, bytes: 8, sha256: '' }], rows: 0, bytes: 8 });
    writeFileSync(join(caseDir, 'out-00001.jsonl'), 'old part');
    writeFileSync(join(caseDir, 'out.manifest.json'), oldManifest);
    const running = start([`sqlite:${bigDb}`, '--table', 'big', '--lines', '--split-rows', '100000', '-o', join(caseDir, 'out.jsonl')]);
    // the second part under way: the first is complete (staged) by then
    await until(() => readdirSync(caseDir).filter((name) => name.endsWith('.tmp') || name.endsWith('.part')).length >= 2, 'the second part');
    running.child.kill(signal);
    expect(await running.exited).toBe(status);
    expect(running.stderr).toBe(`jsondump: interrupted by ${signal}\n`);
    expect(readdirSync(caseDir).sort()).toEqual(['out-00001.jsonl', 'out.manifest.json']);
    expect(readFileSync(join(caseDir, 'out-00001.jsonl'), 'utf8')).toBe('old part');
    expect(readFileSync(join(caseDir, 'out.manifest.json'), 'utf8')).toBe(oldManifest);
  });
});

/** Whether one of `pid`'s threads waits in the kernel for the other end of a FIFO (Linux). */
function waitsForFifo(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).some((task) => /wait_for_partner|fifo/.test(readFileSync(`/proc/${pid}/task/${task}/wchan`, 'utf8')));
  } catch {
    return false;
  }
}

describe('a second signal', () => {
  it('ends the process at once, by the signal, while the first one cannot finish (-o a FIFO nobody opens)', async () => {
    const fifo = join(dir, 'nobody-reads');
    execFileSync('mkfifo', [fifo]);
    const running = start([`sqlite:${bigDb}`, '--table', 'big', '-o', fifo, '--no-atomic']);
    const closed = new Promise<NodeJS.Signals | null>((resolve) => running.child.on('exit', (_code, signal) => resolve(signal)));
    try {
      await until(() => waitsForFifo(running.child.pid!), 'the FIFO to be opened');
      running.child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 300));
      running.child.kill('SIGINT');
      expect(await Promise.race([closed, new Promise((r) => setTimeout(() => r('still running'), 5000))])).toBe('SIGINT');
    } finally {
      running.child.kill('SIGKILL');
    }
    expect(existsSync(fifo)).toBe(true);
  });
});
