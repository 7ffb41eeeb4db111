// The CLI end to end: usage, exit codes, one-line errors, atomic -o, EPIPE, stdin, .json input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as zlib from 'node:zlib';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { makeBigTable } from './helpers/big-table.js';
import { CLI, ROOT, runCli, tempDir } from './helpers/cli.js';

let dir = '';
let smallDb = '';
let bigDb = '';
const BIG_ROWS = 300_000;

beforeAll(() => {
  dir = tempDir('cli');
  smallDb = join(dir, 'small.db');
  const small = new Database(smallDb);
  small.exec(`CREATE TABLE t (z TEXT, a INTEGER, b BLOB, r REAL);
    INSERT INTO t VALUES ('Zoë 😀', 9007199254740993, x'00ff10', 0.5), (NULL, -3, NULL, 1e21), ('tab	"q"', 0, x'', -0.25)`);
  small.close();
  bigDb = join(dir, 'big.db');
  makeBigTable(bigDb, BIG_ROWS, 200);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const SMALL_ROWS = [
  { z: 'Zoë 😀', a: '9007199254740993', b: 'AP8Q', r: 0.5 },
  { z: null, a: -3, b: null, r: 1e21 },
  { z: 'tab\t"q"', a: 0, b: '', r: -0.25 },
];

/** JSON.stringify, with the bigint column's digits put in place of its string. */
function expectedSmall(rows: object[], indent?: number): string {
  return JSON.stringify(rows, null, indent).replace('"9007199254740993"', '9007199254740993');
}

/** Names in `dir` that are neither `keep` nor the test's own files: leftovers such as temporary files. */
function strayFiles(keep: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('.') || name === `${keep}.tmp`);
}

function freeClosedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('help, version and usage errors', () => {
  it('--help prints the usage on stdout, grouped by task, with three worked examples; exit 0', async () => {
    const result = await runCli(['--help']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Usage: jsondump export <source> \[options\]\n/);
    const groups = [...result.stdout.matchAll(/^([A-Z][\w ]+(?:\([^)]*\))?):$/gm)].map((m) => m[1]);
    expect(groups).toEqual([
      'Sources', 'Choose the rows (database sources)', 'Read a text source (JSON, JSON Lines)', 'Shape each row (database sources)', 'Format the JSON',
      'Write the output', 'Check the result (fail with exit 1 and no file when not met)', 'Sharded exports (SQLite and PostgreSQL tables; see the README)', 'Messages', 'Examples',
    ]);
    const examples = result.stdout.slice(result.stdout.indexOf('Examples:'));
    expect(examples.match(/^ {2}jsondump export /gm)).toHaveLength(3);
    // no line wider than a terminal
    expect(result.stdout.split('\n').filter((line) => line.length > 80)).toEqual([]);
  });

  /** Every flag of the parser: its long name, and its short one if it has one. */
  const parserOptions = (): [string, string | undefined][] => {
    const source = readFileSync(join(ROOT, 'src/cli/args.ts'), 'utf8');
    const table = source.slice(source.indexOf('const OPTIONS'), source.indexOf('} as const;'));
    return [...table.matchAll(/^ {2}'?([a-z0-9-]+)'?: \{(.*)\}/gm)].map((m) => [m[1], /short: '(\w)'/.exec(m[2])?.[1]]);
  };
  const parserFlags = (): string[] => parserOptions().map(([name]) => name);

  it('every flag the parser knows is in --help', async () => {
    const { stdout } = await runCli(['--help']);
    const flags = parserFlags();
    expect(flags.length).toBeGreaterThan(30);
    for (const flag of flags) expect(stdout, flag).toMatch(new RegExp(`^ +(-\\w, )?--${flag}\\b`, 'm'));
  });

  it('every flag the parser knows is in the synopsis of the README and of docs/API.md', () => {
    for (const doc of ['README.md', 'docs/API.md']) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      const synopsis = /```\n(jsondump export <source>[\s\S]*?)```/.exec(text)?.[1] ?? '';
      const missing = parserOptions().filter(([flag, short]) => !new RegExp(`--${flag}\\b${short === undefined ? '' : `|-${short}\\b`}`).test(synopsis));
      expect(missing, doc).toEqual([]);
    }
  });

  it('-V and --version print the name and version, as psql does', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await runCli(['--version'])).toMatchObject({ status: 0, stdout: `jsondump ${version}\n`, stderr: '' });
    expect(await runCli(['-V'])).toMatchObject({ status: 0, stdout: `jsondump ${version}\n`, stderr: '' });
  });

  // The whole table of usage errors is in cli-args.test.ts; these go through the process.
  const bad: [string, string[], string][] = [
    ['no command', [], 'missing command: jsondump export <source> [options]'],
    ['an unknown option', ['export', 'x.jsonl', '--nope'], 'unknown option --nope'],
    ['-v', ['-v'], 'unknown option -v (-V or --version shows the version, --verbose says more)'],
    ['-o with an empty name', ['export', 'x.jsonl', '-o', ''], '-o needs a file name (or - for stdout)'],
    ['--indent 99999999999', ['export', 'x.jsonl', '--indent', '99999999999'], '--indent takes a number from -1000 to 1000, not 99999999999'],
    ['separators that break JSON Lines', ['export', 'x.json', '--lines', '--separators', '[",\\n", ":"]'], '--separators cannot hold line breaks with --lines: each record is one line'],
    ['--table on a file source', ['export', 'data.jsonl', '--table', 't'], '--table applies to database sources only'],
    ['--blob on stdin', ['export', '-', '--blob', 'hex'], '--blob applies to database sources only'],
    ['a database without --table or --query', ['export', 'sqlite:x.db'], 'an SQLite source needs --table NAME or --query SQL'],
    ['an unknown source kind', ['export', 'data.csv'], 'unknown source "data.csv": expected sqlite:PATH, postgres://…, mysql://…, FILE.jsonl, FILE.json or - (stdin)'],
    ['--sort-keys on a .json source', ['export', 'x.json', '--sort-keys'], '--sort-keys cannot be used with a JSON source: sorting needs whole objects in memory, which a stream never holds'],
    ['--sort-keys on stdin', ['export', '-', '--sort-keys'], '--sort-keys cannot be used with a JSON Lines source: sorting needs whole objects in memory, which a stream never holds'],
    ['.zst output without zstd in node:zlib', ['export', 'x.jsonl', '-o', 'out.json.zst'], `out.json.zst: this Node.js ${process.version} has no zstd in node:zlib (Node 22.15 or later has); use .gz or .br`],
  ];
  for (const [what, args, message] of bad) {
    if (what.startsWith('.zst') && 'createZstdCompress' in zlib) continue;
    it(`${what}: one line and a pointer to --help, exit 2`, async () => {
      const result = await runCli(args);
      expect(result).toMatchObject({ status: 2, stdout: '', stderr: `jsondump: ${message}\nTry 'jsondump --help' for more information.\n` });
    });
  }
});

describe('source and destination errors: one line, exit 1', () => {
  it('a missing SQLite file', async () => {
    const result = await runCli(['export', 'sqlite:/nonexistent/x.db', '--table', 't']);
    expect(result).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: cannot read /nonexistent/x.db: no such file\n' });
  });

  it('bad SQL and an unknown table', async () => {
    const syntax = await runCli(['export', `sqlite:${smallDb}`, '--query', 'SELEC 1']);
    expect(syntax).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: SQL error: near "SELEC": syntax error\n' });
    const table = await runCli(['export', `sqlite:${smallDb}`, '--table', 'nope']);
    // the same line for every database: the name given, not the statement jsondump built
    expect(table).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: no such table: nope\n' });
  });

  it('a refused PostgreSQL connection', async () => {
    const port = await freeClosedPort();
    const url = `postgres://someone:secret@127.0.0.1:${port}/db`;
    const result = await runCli(['export', url, '--table', 't']);
    expect(result).toMatchObject({
      status: 1,
      stdout: '',
      // the server named without the password, not even masked
      stderr: `jsondump: cannot connect to postgresql://someone@127.0.0.1:${port}/db: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    });
  });

  it('a missing input file and a bad JSON line', async () => {
    const missing = await runCli(['export', join(dir, 'none.jsonl')]);
    expect(missing).toMatchObject({ status: 1, stderr: `jsondump: cannot read ${join(dir, 'none.jsonl')}: no such file\n` });
    const badLine = await runCli(['export', '-'], { input: '{"a":1}\n{"a":\n' });
    expect(badLine).toMatchObject({
      status: 1,
      stdout: '',
      stderr: 'jsondump: stdin:2:6: invalid JSON: the line ends inside a record (each JSON Lines record is one line) at $[1].a (byte offset 13)\n',
    });
  });

  it('a malformed .json file', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '[1, 2,, 3]');
    const result = await runCli(['export', file]);
    expect(result).toMatchObject({ status: 1, stdout: '', stderr: `jsondump: ${file}:1:7: invalid JSON: expected a value, found ',' at $[2] (byte offset 6)\n` });
  });

  it('an output directory that does not exist', async () => {
    const result = await runCli(['export', `sqlite:${smallDb}`, '--table', 't', '-o', '/nonexistent/dir/out.json']);
    expect(result).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: cannot write /nonexistent/dir/out.json: ENOENT: no such file or directory\n' });
  });
});

describe('atomic -o', () => {
  /** `name` in the test directory, holding 'old content'. */
  const oldFile = (name: string): string => {
    const out = join(dir, name);
    writeFileSync(out, 'old content');
    return out;
  };
  /** `out` (named `name`) still holds 'old content' and no temporary file is left beside it. */
  const expectKept = (out: string, name: string): void => {
    expect(readFileSync(out, 'utf8')).toBe('old content');
    expect(strayFiles(name)).toEqual([]);
  };

  it('keeps the old file, and leaves no temporary file, when the query fails midway', async () => {
    const out = oldFile('failed.json');
    // abs() of the smallest int64 overflows: an error raised at row 150,001, long after output began
    const query = 'SELECT id, CASE WHEN id > 150000 THEN abs(-9223372036854775807 - 1) ELSE id END AS x FROM big';
    const result = await runCli(['export', `sqlite:${bigDb}`, '--query', query, '-o', out]);
    expect(result).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: SQL error: integer overflow\n' });
    expectKept(out, 'failed.json');
  });

  it('replaces the old file on success', async () => {
    const out = oldFile('replaced.json');
    const result = await runCli(['export', `sqlite:${smallDb}`, '--table', 't', '-o', out, '--quiet']);
    expect(result).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(readFileSync(out, 'utf8')).toBe(expectedSmall(SMALL_ROWS));
  });
});

describe('stdout closed early (| head -c 100)', () => {
  const sources: [string, string][] = [
    ['SQLite', `sqlite:${'$BIG'} --table big`],
    ['SQLite, JSON Lines', `sqlite:${'$BIG'} --table big --lines`],
  ];
  for (const [what, source] of sources) {
    it(`${what}: exit 0, nothing on stderr`, () => {
      const script = `node "$CLI" export ${source} 2>"$ERR" | head -c 100 >"$OUT"; echo "\${PIPESTATUS[0]}"`;
      const env = { ...process.env, CLI, BIG: bigDb, ERR: join(dir, 'epipe.err'), OUT: join(dir, 'epipe.out') };
      const status = execFileSync('bash', ['-c', script], { env, encoding: 'utf8' });
      expect(status).toBe('0\n');
      expect(readFileSync(env.ERR, 'utf8')).toBe('');
      expect(readFileSync(env.OUT, 'utf8')).toHaveLength(100);
    });
  }
});

describe('SQLite options', () => {
  it('writes the rows like JSON.stringify, with BLOBs as base64 and int64 exact', async () => {
    const result = await runCli(['export', `sqlite:${smallDb}`, '--table', 't']);
    expect(result).toMatchObject({ status: 0, stderr: '', stdout: expectedSmall(SMALL_ROWS) + '\n' });
  });

  it('--indent, --sort-keys, --ensure-ascii, --separators', async () => {
    const indented = await runCli(['export', `sqlite:${smallDb}`, '--table', 't', '--indent', '2']);
    expect(indented.stdout).toBe(expectedSmall(SMALL_ROWS, 2) + '\n');
    const sorted = await runCli(['export', `sqlite:${smallDb}`, '--query', 'SELECT z, a FROM t LIMIT 1', '--sort-keys', '--ensure-ascii']);
    expect(sorted.stdout).toBe('[{"a":9007199254740993,"z":"Zo\\u00eb \\ud83d\\ude00"}]\n');
    const separated = await runCli(['export', `sqlite:${smallDb}`, '--query', 'SELECT a, r FROM t LIMIT 2', '--separators', '[" ,\\t", " : "]']);
    expect(separated.stdout).toBe('[{"a" : 9007199254740993 ,\t"r" : 0.5} ,\t{"a" : -3 ,\t"r" : 1e+21}]\n');
  });

  it('--dialect python writes as json.dumps', async () => {
    const result = await runCli(['export', `sqlite:${smallDb}`, '--query', 'SELECT z, r FROM t', '--dialect', 'python', '--lines']);
    expect(result.stdout).toBe(
      '{"z": "Zo\\u00eb \\ud83d\\ude00", "r": 0.5}\n{"z": null, "r": 1e+21}\n{"z": "tab\\t\\"q\\"", "r": -0.25}\n',
    );
  });
});

describe('JSON Lines in', () => {
  const input = '{"a":1,"big":123456789012345678901234567890}\n\n{"b":"é","c":[1.5,null],"f":0.1234567890123456789}\r\n';

  it('reads stdin (-) one record at a time, big numbers exact', async () => {
    const result = await runCli(['export', '-'], { input });
    expect(result).toMatchObject({
      status: 0,
      stderr: '',
      stdout: '[{"a":1,"big":123456789012345678901234567890},{"b":"é","c":[1.5,null],"f":0.1234567890123456789}]\n',
    });
  });

  it('re-encodes stdin with options: --lines --dialect python, members in their order', async () => {
    const result = await runCli(['export', '-', '--lines', '--dialect', 'python'], { input: '{"b":2,"a":[1,"é"]}\n{"z":null,"y":true}\n' });
    expect(result).toMatchObject({ status: 0, stderr: '', stdout: '{"b": 2, "a": [1, "\\u00e9"]}\n{"z": null, "y": true}\n' });
  });

  it('reads a .jsonl file into -o', async () => {
    const file = join(dir, 'in.jsonl');
    const out = join(dir, 'from-jsonl.json');
    writeFileSync(file, input);
    const result = await runCli(['export', file, '-o', out, '--indent', '1', '--verbose']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^jsondump: wrote 2 rows, \\d+ B to ${out}\\n$`));
    expect(readFileSync(out, 'utf8')).toBe(
      '[\n {\n  "a": 1,\n  "big": 123456789012345678901234567890\n },\n {\n  "b": "é",\n  "c": [\n   1.5,\n   null\n  ],\n  "f": 0.1234567890123456789\n }\n]',
    );
  });
});

describe('.json in', () => {
  const doc = '{"rows": [{"id": 12345678901234567890123, "name": "Zoë"}, {"id": 1.50, "tags": []}], "empty": {}}';

  it('re-encodes a document with --indent, numbers keeping their text', async () => {
    const file = join(dir, 'doc.json');
    writeFileSync(file, doc);
    const result = await runCli(['export', file, '--indent', '2']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toBe(
      '{\n  "rows": [\n    {\n      "id": 12345678901234567890123,\n      "name": "Zoë"\n    },\n    {\n      "id": 1.50,\n      "tags": []\n    }\n  ],\n  "empty": {}\n}\n',
    );
  });

  it('turns a top-level array into JSON Lines with --lines, into -o', async () => {
    const file = join(dir, 'array.json');
    const out = join(dir, 'array.jsonl');
    writeFileSync(file, '[\n  {"a": 1e400, "b": "é"},\n  [1, 2],\n  "x"\n]\n');
    const result = await runCli(['export', file, '--lines', '--dialect', 'python', '-o', out, '--quiet']);
    expect(result).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(readFileSync(out, 'utf8')).toBe('{"a": 1e400, "b": "\\u00e9"}\n[1, 2]\n"x"\n');
  });
});

describe('atomic -o from a .json source', () => {
  it('keeps the old file, and leaves no temporary file, when the document turns out malformed', async () => {
    const file = join(dir, 'truncated.json');
    const out = join(dir, 'truncated-out.json');
    writeFileSync(file, '[' + '{"a": [1, 2, 3]},'.repeat(20000) + '{"a": [1,');
    writeFileSync(out, 'old content');
    const result = await runCli(['export', file, '-o', out, '--indent', '2']);
    expect(result).toMatchObject({
      status: 1,
      stderr: `jsondump: ${file}:1:340011: invalid JSON: the input ends inside an array at $[20000].a[1] (byte offset 340010)\n`,
    });
    expect(readFileSync(out, 'utf8')).toBe('old content');
    expect(strayFiles('truncated-out.json')).toEqual([]);
  });
});
