// reformat() and createReformatStream(): numbers kept, errors with line, column, offset and
// path, options refused, stats, progress, abort, and a failed run that leaves its target as it was.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, test } from 'vitest';
import { createReformatStream, JSONDumpError, JSONInputError, reformat, type ReformatOptions } from '../../src/index.js';
import { useTempDir } from '../helpers/io.js';
import { pythonOracle, reformatText } from '../helpers/reformat.js';

const tmp = useTempDir('reformat-api');

describe('numbers keep their exact text, in both dialects', () => {
  const NUMBERS = ['1e400', '1E-400', '1.0', '-0', '-0.0', '12345678901234567890', '0.1000000000000000055511151231257827', '1E+2', '5e-324', '9007199254740993'];
  const input = `{"n": [${NUMBERS.join(', ')}], "s": "1e400"}`;

  test.each([{}, { indent: 2 }, { dialect: 'python' as const }, { dialect: 'python' as const, indent: 4 }])('%o', async (options) => {
    const text = await reformatText(input, options);
    const [python] = pythonOracle([{ text: input, args: options.dialect === 'python' ? { indent: options.indent } : { indent: options.indent, separators: options.indent === undefined ? [',', ':'] : undefined, ensure_ascii: false } }]);
    expect(text).toBe((python as { ok: string }).ok);
    for (const n of NUMBERS) expect(text).toContain(n);
  });
});

describe('invalid JSON: one line with the line, column, byte offset and JSON path', () => {
  test.each([
    ['{"a": [1, 2,\n  3,, 4]}', "invalid JSON: expected a value, found ',' (line 2, column 5, byte offset 17) at $.a[3]"],
    ['{"users": [{"name": "x"}, {"name" "y"}]}', "invalid JSON: expected ':', found '\"' (line 1, column 35, byte offset 34) at $.users[1].name"],
    ['{"odd key": {"k": tru}}', "invalid JSON: invalid literal: expected 'true', found '}' (line 1, column 22, byte offset 21) at $[\"odd key\"].k"],
    ['[1.]', "invalid JSON: invalid number: expected a digit after '.', found ']' (line 1, column 4, byte offset 3) at $[0]"],
    ['[01]', 'invalid JSON: invalid number: a leading zero is followed by a digit (line 1, column 3, byte offset 2) at $[0]'],
    ['["a\\x"]', "invalid JSON: invalid escape '\\x' in a string (line 1, column 4, byte offset 3) at $[0]"],
    ['["\\u12G4"]', "invalid JSON: invalid \\u escape: 'G' is not a hex digit (line 1, column 7, byte offset 6) at $[0]"],
    ['["tab\there"]', 'invalid JSON: unescaped control character U+0009 in a string (line 1, column 6, byte offset 5) at $[0]'],
    ['{"a": 1}\n{"b": 2}', "invalid JSON: unexpected '{' after the JSON value (line 2, column 1, byte offset 9) at $"],
    ['[1, 2', 'invalid JSON: the input ends inside an array (line 1, column 6, byte offset 5) at $[1]'],
    ['{"a": "b', 'invalid JSON: the input ends inside a string (line 1, column 9, byte offset 8) at $.a'],
    ['  \n ', 'invalid JSON: the input holds no JSON value (line 2, column 2, byte offset 4) at $'],
    ['[1}', "invalid JSON: expected ',' or ']', found '}' (line 1, column 3, byte offset 2) at $[0]"],
  ])('%j', async (input, message) => {
    const error = await reformatText(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JSONInputError);
    expect(error).toBeInstanceOf(JSONDumpError);
    expect((error as Error).message).toBe(message);
    expect((error as JSONDumpError).code).toBe('ERR_INVALID_JSON');
    const [, line, column, offset] = /line (\d+), column (\d+), byte offset (\d+)/.exec(message)!;
    expect(error).toMatchObject({ line: Number(line), column: Number(column), offset: Number(offset) });
  });

  test('JSON Lines: a record is one line', async () => {
    await expect(reformatText('{"a": 1}\n{"b":\n 2}\n', { from: 'jsonl' })).rejects.toThrow(
      'invalid JSON: the line ends inside a record (each JSON Lines record is one line) (line 2, column 6, byte offset 14) at $[1].b',
    );
    await expect(reformatText('{"a": 1} {"b": 2}\n', { from: 'jsonl' })).rejects.toThrow(
      "invalid JSON: expected the end of the line, found '{' (line 1, column 10, byte offset 9) at $[0]",
    );
  });
});

describe('options', () => {
  test.each([
    [{ sortKeys: true }, 'option sortKeys cannot be used when re-encoding JSON text: sorting needs whole objects in memory at $'],
    [{ replacer: () => 1 }, 'option replacer cannot be used when re-encoding JSON text (it applies to values) at $'],
    [{ lines: true, indent: 2 }, 'option indent cannot be used with lines (each line is compact) at $'],
    [{ lines: true, separators: [',\n', ':'] }, 'separators cannot contain line breaks with lines at $'],
    [{ from: 'csv' }, "option from must be 'json' or 'jsonl' at $"],
    [{ invalidUTF8: 'skip' }, "option invalidUTF8 must be 'error' or 'replace' at $"],
    [{ escapeHTML: 'yes' }, 'option escapeHTML must be a boolean, got string at $'],
    [{ sort_keys: true }, 'unknown option sort_keys (did you mean sortKeys?) at $'],
  ])('%o is refused', async (options, message) => {
    const target = tmp.file();
    await expect(reformat(Buffer.from('[]'), target, options as ReformatOptions)).rejects.toThrow(new JSONDumpError('ERR_BAD_OPTION', message.replace(/ at \$$/, '')));
    expect(() => createReformatStream(options as ReformatOptions)).toThrow(message);
    expect(existsSync(target)).toBe(false);
  });

  test('a bad input or destination is refused before anything is opened', async () => {
    await expect(reformat(42 as never, tmp.file())).rejects.toThrow('input must be a path, a file: URL, a Uint8Array, a Readable or an (async) iterable of bytes or strings at $');
    await expect(reformat(Buffer.from('[]'), {} as never)).rejects.toThrow('destination must be a path, a file: URL, a Writable, a WritableStream, a FileHandle or a file descriptor at $');
  });
});

describe('destinations and stats', () => {
  const input = '[{"a": [1, 2]}, {"b": "x"}, 3]';

  test('stats count bytes, values at every depth and top-level elements; progress reports them', async () => {
    const seen: number[] = [];
    const target = tmp.file();
    const stats = await reformat(Buffer.from(input), target, { chunkSize: 4, onProgress: (p) => seen.push(p.bytes) });
    expect(stats).toEqual({ bytes: readFileSync(target).length, values: 8, items: 3 });
    expect(seen.at(-1)).toBe(stats.bytes);
    expect(seen.length).toBeGreaterThan(1);
  });

  test('a file descriptor and a FileHandle', async () => {
    const expected = await reformatText(input, { indent: 1 });
    const viaHandle = tmp.file();
    const handle = await open(viaHandle, 'w');
    await reformat(Buffer.from(input), handle, { indent: 1 });
    await handle.close();
    expect(readFileSync(viaHandle, 'utf8')).toBe(expected);
  });

  test('a Writable with end: false stays open', async () => {
    const out = new PassThrough();
    await reformat(Buffer.from(input), out, { end: false });
    expect(out.writableEnded).toBe(false);
    out.end();
    expect(Buffer.concat(await out.toArray()).toString()).toBe(await reformatText(input));
  });

  test('a failure leaves a path target as it was, and no temporary file', async () => {
    const dir = tmp.dir();
    const target = `${dir}/out.json`;
    writeFileSync(target, 'before');
    const input = Readable.from([Buffer.from('[1, 2, '), Buffer.from('oops]')]);
    await expect(reformat(input, target)).rejects.toThrow("invalid JSON: expected a value, found 'o'");
    expect(readFileSync(target, 'utf8')).toBe('before');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  test('an error of the input rejects with that error', async () => {
    const broken = new Readable({ read() {} });
    broken.push('[1, ');
    setTimeout(() => broken.destroy(new Error('disk gone')), 5);
    await expect(reformat(broken, tmp.file())).rejects.toThrow('disk gone');
    await expect(reformat(tmp.file('missing.json'), tmp.file())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('abort: rejects with ERR_ABORTED while waiting for input, and the input is destroyed', async () => {
    const controller = new AbortController();
    const slow = new Readable({ read() {} });
    slow.push('[1, ');
    const target = tmp.file();
    const done = reformat(slow, target, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(done).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(slow.destroyed).toBe(true);
    expect(existsSync(target)).toBe(false);
  });

  test('createReformatStream: errors destroy the stream with the JSONDumpError', async () => {
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    await expect(pipeline(Readable.from(['{"a": ', '}']), createReformatStream(), sink)).rejects.toThrow("invalid JSON: expected a value, found '}'");
    const controller = new AbortController();
    const stream = createReformatStream({ signal: controller.signal });
    controller.abort();
    await expect(pipeline(new Readable({ read() {} }), stream, sink)).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });
});
