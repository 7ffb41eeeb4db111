// The text sources (.json, .jsonl, stdin) of `jsondump export`, through the Source interface the
// CLI frame reads: records laid out for their place, numbers with their exact text whatever
// they look like, invalid UTF-8 refused with its byte offset (or replaced on request), a byte
// order mark skipped, compressed files read by name, usage errors before anything is opened.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { describe, expect, test } from 'vitest';
import type { DumpOptions } from '../../../src/index.js';
import { UsageError } from '../../../src/cli/errors.js';
import { jsonSource } from '../../../src/cli/sources/json.js';
import { jsonLinesSource } from '../../../src/cli/sources/jsonl.js';
import { SourceError } from '../../../src/cli/errors.js';
import type { TextSourceArgs } from '../../../src/cli/sources/text-input.js';
import { useTempDir } from '../../helpers/io.js';
import { pythonOracle, reformatText } from '../../helpers/reformat.js';
import { ROOT } from '../helpers/cli.js';
import { assemble } from '../helpers/text-source-frame.mjs';

const tmp = useTempDir('text-sources');

type Layout = { options: DumpOptions; lines: boolean };
const DOCUMENT: Layout = { options: {}, lines: false };

function kindOf(args: TextSourceArgs) {
  return [jsonLinesSource, jsonSource].find((k) => k.matches(args.source, args));
}

/** What the CLI frame would write for `args` with `layout`. */
async function exported(args: TextSourceArgs, layout: Layout = DOCUMENT): Promise<string> {
  const kind = kindOf(args);
  if (kind === undefined) throw new Error(`no text source matches ${args.source}`);
  const source = await kind.open(args, new AbortController().signal);
  const chunks: Buffer[] = [];
  try {
    await assemble(source, layout, (c) => chunks.push(Buffer.from(c)));
  } finally {
    await source.close();
  }
  return Buffer.concat(chunks).toString('utf8');
}

function file(name: string, content: string | Uint8Array): string {
  const path = join(tmp.dir(), name);
  writeFileSync(path, content);
  return path;
}

/** The same through a child process (dist/), with `stdin` as its standard input. */
function exportedInChild(args: TextSourceArgs, layout: Layout, stdin: Uint8Array | string = ''): { stdout: string; stderr: string } {
  const child = join(ROOT, 'test/cli/helpers/text-source-child.mjs');
  const r = spawnSync(process.execPath, [child, JSON.stringify({ args, layout })], { input: stdin, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr.replace(/maxrss \d+\n$/, '') };
}

describe('which source a name is', () => {
  test.each([
    ['x.json', null, 'json'],
    ['x.JSON.gz', null, 'json'],
    ['x.json.br', null, 'json'],
    ['x.jsonl', null, 'jsonl'],
    ['x.ndjson.zst', null, 'jsonl'],
    ['-', null, 'jsonl'],
    ['-', 'json', 'json'],
    ['data.txt', 'json', 'json'],
    ['data.txt', 'jsonl', 'jsonl'],
    ['data.txt', null, undefined],
  ] as const)('%s with --from %s: %s', (source, from, expected) => {
    const kind = kindOf({ source, from });
    expect(kind === undefined ? undefined : kind === jsonSource ? 'json' : 'jsonl').toBe(expected);
  });
});

describe('numbers keep their exact text, in both dialects, in .json and .jsonl', () => {
  // A string spelled like the previous JSON Lines source's internal number marker, and numbers a double cannot hold.
  const records = ['{"a": 1e400, "b": 1E-400, "c": 1.0, "d": 12345678901234567890}', '{"s": "\\u0000jsondump-number:0", "n": 1.00000000000000000001, "m": -0.0}'];

  test.each([
    ['jsonl', DOCUMENT],
    ['jsonl', { options: { dialect: 'python' }, lines: false }],
    ['jsonl', { options: { indent: 2 }, lines: false }],
    ['jsonl', { options: {}, lines: true }],
    ['json', { options: { dialect: 'python', indent: 2 }, lines: false }],
    ['json', { options: { dialect: 'python' }, lines: true }],
  ] as const)('%s %o', async (format, layout) => {
    const path = format === 'json' ? file('n.json', '[' + records.join(',\n') + ']') : file('n.jsonl', records.join('\n') + '\n');
    const python = (layout.options as DumpOptions).dialect === 'python';
    const args = layout.lines
      ? records.map((text) => ({ text, args: { ensure_ascii: python, ...(python ? {} : { separators: [',', ':'] as [string, string] }) } }))
      : [{ text: '[' + records.join(',') + ']', args: { indent: (layout.options as { indent?: number }).indent ?? null, ensure_ascii: python, ...(python || 'indent' in layout.options ? {} : { separators: [',', ':'] as [string, string] }) } }];
    const expected = pythonOracle(args).map((r) => (r as { ok: string }).ok + (layout.lines ? '\n' : '')).join('');
    expect(await exported({ source: path }, layout as Layout)).toBe(expected);
  });
});

describe('invalid UTF-8 is refused with its byte offset, or replaced on request', () => {
  const bytes = Buffer.concat([Buffer.from('{"a": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);

  test.each(['x.json', 'x.jsonl'])('%s', async (name) => {
    const path = file(name, bytes);
    const error = await exported({ source: path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toBe(`${path}: the input is not valid UTF-8 (byte offset 10); --replace-invalid-utf8 writes U+FFFD in place of such bytes`);
    // a .json document whose top level is an object is written bare; JSON Lines are an array
    const replaced = name.endsWith('.json') ? '{"a":"caf\ufffd"}' : '[{"a":"caf\ufffd"}]';
    expect(await exported({ source: path, replaceInvalidUTF8: true })).toBe(replaced);
  });

  test('stdin', async () => {
    const refused = exportedInChild({ source: '-' }, DOCUMENT, bytes);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe('SourceError: stdin: the input is not valid UTF-8 (byte offset 10); --replace-invalid-utf8 writes U+FFFD in place of such bytes\n');
    const replaced = exportedInChild({ source: '-', replaceInvalidUTF8: true }, DOCUMENT, bytes);
    expect(replaced.stdout).toBe('[{"a":"caf\ufffd"}]');
  });
});

describe('a byte order mark is skipped', () => {
  test.each([
    ['x.jsonl', '\ufeff{"a": 1}\n{"b": 2}\n', '[{"a":1},{"b":2}]'],
    ['x.json', '\ufeff[{"a": 1}, {"b": 2}]', '[{"a":1},{"b":2}]'],
  ])('%s', async (name, content, expected) => {
    expect(await exported({ source: file(name, content) })).toBe(expected);
  });

  test('stdin, JSON Lines and --from json', async () => {
    expect((exportedInChild({ source: '-' }, DOCUMENT, '\ufeff{"a": 1}\n')).stdout).toBe('[{"a":1}]');
    expect((exportedInChild({ source: '-', from: 'json' }, DOCUMENT, '\ufeff{"a": [1, 2]}')).stdout).toBe('{"a":[1,2]}');
  });
});

describe('--from json reads stdin as one JSON document', () => {
  test('a document whose top level is not an array is written bare', async () => {
    const r = exportedInChild({ source: '-', from: 'json' }, { options: { indent: 2 }, lines: false }, '{"a": [1, {"b": null}]}');
    expect(r.stdout).toBe(await reformatText('{"a": [1, {"b": null}]}', { indent: 2 }));
  });
  test('a top-level array is records', async () => {
    const r = exportedInChild({ source: '-', from: 'json' }, { options: {}, lines: true }, '[1, {"b": "é"}, [true]]');
    expect(r.stdout).toBe('1\n{"b":"é"}\n[true]\n');
  });
});

describe('compressed files are read by name', () => {
  const text = '[{"a": "é"}, 2, [3]]';
  const gzip = promisify(zlib.gzip);
  const brotli = promisify(zlib.brotliCompress);

  test.each([
    ['x.json.gz', () => gzip(text)],
    ['x.json.br', () => brotli(text)],
    ['x.jsonl.gz', () => gzip('{"a": "é"}\n2\n[3]\n')],
  ])('%s', async (name, compress) => {
    expect(await exported({ source: file(name, await compress()) })).toBe('[{"a":"é"},2,[3]]');
  });

  test('.zst: read where the runtime has zstd, else one clear line', async () => {
    const z = zlib as unknown as { zstdCompressSync?: (s: string) => Buffer };
    if (z.zstdCompressSync !== undefined) {
      expect(await exported({ source: file('x.json.zst', z.zstdCompressSync(text)) })).toBe('[{"a":"é"},2,[3]]');
      return;
    }
    const path = file('x.json.zst', 'not read');
    await expect(exported({ source: path })).rejects.toThrow(new SourceError(`${path}: this Node.js ${process.version} cannot read zstd (Node.js 22.15 or later can)`));
  });

  test('a corrupt file is one line naming it', async () => {
    const path = file('x.json.gz', 'not gzip at all');
    await expect(exported({ source: path })).rejects.toThrow(new SourceError(`${path}: cannot decompress (gzip): incorrect header check`));
  });
});

describe('records', () => {
  test('a record larger than a batch is streamed in pieces, and the frame puts it together', async () => {
    const big = 'x'.repeat(300_000);
    const path = file('big.jsonl', `{"a": "${big}"}\n[1]\n"${big}"\n`);
    expect(await exported({ source: path }, { options: { indent: 1 }, lines: false })).toBe(`[\n {\n  "a": "${big}"\n },\n [\n  1\n ],\n "${big}"\n]`);
  });

  test('progress: the fraction of the file read reaches 1', async () => {
    const path = file('p.jsonl', '[1]\n'.repeat(100_000));
    const source = await jsonLinesSource.open({ source: path }, new AbortController().signal);
    const fractions: (number | null)[] = [];
    const records = await assemble(source, DOCUMENT, () => fractions.push(source.fraction()));
    await source.close();
    expect(records).toBe(100_000);
    expect(fractions[0]).toBeLessThan(1);
    expect(fractions.at(-1)).toBe(1);
  });

});

describe('errors', () => {
  test('invalid JSON: one line with the file, line and column first, then the path and byte offset', async () => {
    const path = file('bad.json', '[\n  {"a": 1},\n  {"a": 2,}\n]');
    await expect(exported({ source: path })).rejects.toThrow(new SourceError(`${path}:3:11: invalid JSON: expected a string key, found '}' at $[1] (byte offset 24)`));
    const lines = file('bad.jsonl', '{"a": 1}\n{"a": 1e}\n');
    await expect(exported({ source: lines })).rejects.toThrow(new SourceError(`${lines}:2:9: invalid JSON: invalid number: expected a digit in the exponent, found '}' at $[1].a (byte offset 17)`));
  });

  test('a missing file fails when the source is opened', async () => {
    const path = join(tmp.path, 'missing.json');
    await expect(jsonSource.open({ source: path }, new AbortController().signal)).rejects.toThrow(new SourceError(`cannot read ${path}: no such file`));
  });

  test.each([
    [{ table: 't' }, '--table applies to database sources only'],
    [{ query: 'select 1' }, '--query applies to database sources only'],
    [{ params: ['1'] }, '--param applies to database sources only'],
    [{ jsonCols: true }, '--json-cols applies to database sources only'],
    [{ jobs: 2 }, '--jobs applies to database sources only'],
    [{ blob: 'hex' }, '--blob applies to database sources only'],
    [{ given: ['blob'], blob: 'base64' }, '--blob applies to database sources only'],
    [{ sortKeys: true }, '--sort-keys cannot be used with a JSON source: sorting needs whole objects in memory, which a stream never holds'],
    [{ canonical: true }, '--canonical cannot be used with a JSON source: sorting needs whole objects in memory, which a stream never holds'],
    [{ bigint: 'string' }, '--bigint cannot be used with a JSON source: every number keeps the text it has there'],
    [{ from: 'jsonl' as const }, '--from jsonl contradicts the name x.json (a JSON document)'],
  ])('%o is a usage error', async (flags, message) => {
    const args = { source: 'x.json', ...flags };
    const kind = jsonSource.matches(args.source, args) ? jsonSource : jsonLinesSource;
    await expect(kind.open(args, new AbortController().signal)).rejects.toThrow(new UsageError(message));
  });
});

describe('a FIFO (named pipe) is read as data comes', () => {
  test('a writer that opens it late and writes in pieces: every record, the end when it closes', async () => {
    const path = join(tmp.dir(), 'in.jsonl');
    execFileSync('mkfifo', [path]);
    // opened before any writer: the source must wait for one, not take the empty pipe for the end
    const source = await jsonLinesSource.open({ source: path }, new AbortController().signal);
    const writer = spawn('sh', ['-c', `sleep 0.3; { printf '{"a": 1}\\n{"b'; sleep 0.3; printf '": 2}\\n'; } > "$0"`, path]);
    const chunks: Buffer[] = [];
    try {
      expect(await assemble(source, DOCUMENT, (c) => chunks.push(Buffer.from(c)))).toBe(2);
    } finally {
      await source.close();
    }
    expect(Buffer.concat(chunks).toString('utf8')).toBe('[{"a":1},{"b":2}]');
    expect(await new Promise((resolve) => writer.on('close', resolve))).toBe(0);
  });
});
