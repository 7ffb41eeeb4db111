// encodeTokens: documents parsed by stream-json and re-encoded must match JSON.stringify (js
// dialect) and CPython's json.dumps (python dialect), whatever token flavour the parser sends.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parser } from 'stream-json';
import type { ParserOptions } from 'stream-json/parser.js';
import { encodeTokens, JSONDumpError } from '../../src/index.js';
import type { EncodeTokensOptions } from '../../src/api/encode-tokens.js';

type Token = { name: string; value?: unknown };

/** Cuts text into small pieces so that the parser streams strings and numbers in several chunks. */
function pieces(text: string, size = 7): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

async function collect(source: Readable, options?: EncodeTokensOptions): Promise<string[]> {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  await pipeline(source, encodeTokens(options), sink);
  return chunks;
}

async function encodeText(text: string, options?: EncodeTokensOptions, parserOptions?: ParserOptions): Promise<string> {
  const tokens = Readable.from(pieces(text)).pipe(parser.asStream(parserOptions));
  return (await collect(tokens, options)).join('');
}

function encodeTokenList(tokens: Token[], options?: EncodeTokensOptions): Promise<string> {
  return collect(Readable.from(tokens, { objectMode: true }), options).then((c) => c.join(''));
}

function pythonDumps(text: string, kwargs: Record<string, unknown>): string {
  const script = 'import json,sys\nd=json.load(sys.stdin)\nsys.stdout.write(json.dumps(json.loads(d["text"]), **d["kw"]))';
  const result = spawnSync('python3', ['-c', script], {
    input: JSON.stringify({ text, kw: kwargs }),
    encoding: 'utf8',
    env: { ...process.env, PYTHONIOENCODING: 'utf-8' },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

// Numbers here are written as JSON.stringify writes them, so that JSON.parse → stringify is exact.
const JS_DOC = JSON.stringify({
  empty: { object: {}, array: [], string: '' },
  numbers: [0, -1, 0.5, -2.25, 1e-7, 1.5e300, 123456789],
  text: ['plain', 'Zoë Øvergård 東京 😀', 'quote " backslash \\ slash /', 'ctl \u0000\u0001\b\f\n\r\t\u001f', '\u007f\u2028\u2029'],
  'key with spaces': { 'ünï': [true, false, null], '😀': [[[]], [{}]] },
  long: 'x'.repeat(5000),
  nested: [[1, [2, [3, { deep: [4] }]]]],
});

const PY_DOC = `{"ints": [0, -7, 12345678901234567890123, -98765432109876543210], "floats": [0.5, -2.25, 1e-07, 1.5e+300],
  "text": ["Zo\\u00eb", "\\ud83d\\ude00 \\u6771", "ctl \\u0000\\n\\t\\u007f", "q \\" b \\\\"], "empty": [{}, [], ""],
  "nested": {"a": [1, {"b": [null, true, false]}]}}`;

const TOKEN_FLAVOURS: [string, ParserOptions][] = [
  ['streamed and packed (the default)', {}],
  ['packed only', { streamValues: false }],
  ['streamed only', { packValues: false }],
];

describe('encodeTokens: js dialect matches JSON.stringify', () => {
  for (const [flavour, parserOptions] of TOKEN_FLAVOURS) {
    for (const indent of [undefined, 1, 2, 4, '\t', '--']) {
      it(`${flavour}, indent ${JSON.stringify(indent)}`, async () => {
        const expected = JSON.stringify(JSON.parse(JS_DOC), null, indent);
        expect(await encodeText(JS_DOC, { indent }, parserOptions)).toBe(expected);
      });
    }
  }

  it('separators and ensureAscii', async () => {
    const out = await encodeText('{"a": [1, "é😀"]}', { separators: [' ; ', ' = '], ensureAscii: true });
    expect(out).toBe('{"a" = [1 ; "\\u00e9\\ud83d\\ude00"]}');
  });
});

describe('encodeTokens: python dialect matches json.dumps', () => {
  const variants: [EncodeTokensOptions, Record<string, unknown>][] = [
    [{}, {}],
    [{ indent: 2 }, { indent: 2 }],
    [{ indent: 0 }, { indent: 0 }],
    [{ indent: -3 }, { indent: -3 }],
    [{ indent: '\t' }, { indent: '\t' }],
    [{ ensureAscii: false }, { ensure_ascii: false }],
    [{ separators: [',', ':'] }, { separators: [',', ':'] }],
    [{ indent: 3, separators: [' ,', ' : '], ensureAscii: false }, { indent: 3, separators: [' ,', ' : '], ensure_ascii: false }],
  ];
  for (const [flavour, parserOptions] of TOKEN_FLAVOURS) {
    for (const [options, kwargs] of variants) {
      it(`${flavour}, ${JSON.stringify(kwargs)}`, async () => {
        const out = await encodeText(PY_DOC, { dialect: 'python', ...options }, parserOptions);
        expect(out).toBe(pythonDumps(PY_DOC, kwargs));
      });
    }
  }
});

describe('encodeTokens: numbers keep their original text', () => {
  const text = '[12345678901234567890123456789012345678901,-0.0,1.000,1E5,2.5e-8,-9007199254740993]';
  for (const [flavour, parserOptions] of TOKEN_FLAVOURS) {
    it(`${flavour}, both dialects`, async () => {
      expect(await encodeText(text, {}, parserOptions)).toBe(text);
      expect(await encodeText(text, { dialect: 'python' }, parserOptions)).toBe(text.replaceAll(',', ', '));
    });
  }
});

describe('encodeTokens: streamed strings', () => {
  const pair: Token[] = [{ name: 'startString' }, { name: 'stringChunk', value: 'a\ud83d' }, { name: 'stringChunk', value: '\ude00b' }, { name: 'endString' }];

  it('never splits a surrogate pair between chunks', async () => {
    expect(await encodeTokenList(pair)).toBe('"a😀b"');
    expect(await encodeTokenList(pair, { ensureAscii: true })).toBe('"a\\ud83d\\ude00b"');
  });

  it('escapes lone surrogates as JSON.stringify does', async () => {
    const lone: Token[] = [{ name: 'startArray' }, { name: 'startString' }, { name: 'stringChunk', value: 'x\ud83d' }, { name: 'endString' },
      { name: 'startString' }, { name: 'stringChunk', value: '\ude00' }, { name: 'endString' }, { name: 'endArray' }];
    expect(await encodeTokenList(lone)).toBe(JSON.stringify(['x\ud83d', '\ude00']));
  });

  it('ignores the packed duplicate only right after its streamed value', async () => {
    const tokens: Token[] = [
      { name: 'startArray' },
      ...pair,
      { name: 'stringValue', value: 'a😀b' }, // the duplicate
      { name: 'stringValue', value: 'next' }, // a value of its own
      { name: 'startNumber' }, { name: 'numberChunk', value: '1' }, { name: 'numberChunk', value: '.50' }, { name: 'endNumber' },
      { name: 'numberValue', value: '1.50' },
      { name: 'numberValue', value: '7' },
      { name: 'endArray' },
    ];
    expect(await encodeTokenList(tokens)).toBe('["a😀b","next",1.50,7]');
  });
});

describe('encodeTokens: output chunks', () => {
  it('batches the text into chunks of about chunkSize characters', async () => {
    const doc = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ i, s: 'v' + i })));
    const tokens = Readable.from(pieces(doc, 1000)).pipe(parser.asStream());
    const chunks = await collect(tokens, { chunkSize: 1024 });
    expect(chunks.join('')).toBe(doc);
    expect(chunks.length).toBeGreaterThan(doc.length / 2048);
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil(doc.length / 1024));
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(1024);
  });

  it('reports progress: bytes, values and top-level items', async () => {
    const seen: { bytes: number; values: number; items: number }[] = [];
    const doc = '[{"a":"é"},[1,2],3]';
    const tokens = Readable.from([doc]).pipe(parser.asStream());
    await collect(tokens, { chunkSize: 4, onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toEqual({ bytes: Buffer.byteLength(doc), values: 7, items: 3 });
  });
});

describe('encodeTokens: lines', () => {
  it('writes a top-level array as JSON Lines', async () => {
    expect(await encodeText('[1, {"a": [2, "é"]}, "x", []]', { lines: true })).toBe('1\n{"a":[2,"é"]}\n"x"\n[]\n');
    expect(await encodeText('[1, {"a": 2}]', { lines: true, dialect: 'python' })).toBe('1\n{"a": 2}\n');
    expect(await encodeText('[]', { lines: true })).toBe('');
  });

  it('writes any other top-level value as one line', async () => {
    expect(await encodeText('{"a": [1]}', { lines: true })).toBe('{"a":[1]}\n');
  });
});

describe('encodeTokens: refusals and errors', () => {
  const refused: [string, EncodeTokensOptions][] = [
    ['sortKeys', { sortKeys: true }],
    ['replacer', { replacer: ['a'] }],
    ['indent with lines', { lines: true, indent: 2 }],
    ['an unknown option', { nope: 1 } as EncodeTokensOptions],
  ];
  for (const [what, options] of refused) {
    it(`refuses ${what} with ERR_BAD_OPTION`, () => {
      expect(() => encodeTokens(options)).toThrow(expect.objectContaining({ code: 'ERR_BAD_OPTION' }));
    });
  }

  it('fails on a malformed token stream, naming where', async () => {
    const bad: Token[] = [{ name: 'startObject' }, { name: 'keyValue', value: 'list' }, { name: 'startArray' }, { name: 'nullValue' }, { name: 'endObject' }];
    const error = await encodeTokenList(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JSONDumpError);
    expect(error).toMatchObject({ code: 'ERR_UNSERIALIZABLE', path: '$.list[0]' });
  });

  it('fails on a token stream that ends inside a value', async () => {
    const error = await encodeTokenList([{ name: 'startArray' }, { name: 'trueValue' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JSONDumpError);
    expect(error).toMatchObject({ code: 'ERR_UNSERIALIZABLE', message: expect.stringMatching(/unexpected end of tokens/) });
  });

  it('stops with ERR_ABORTED when its signal aborts', async () => {
    const controller = new AbortController();
    const endless = Readable.from(
      (function* () {
        yield { name: 'startArray' };
        for (;;) yield { name: 'nullValue' };
      })(),
      { objectMode: true },
    );
    const stream = encodeTokens({ signal: controller.signal, chunkSize: 10 });
    stream.once('data', () => controller.abort());
    const error = await pipeline(endless, stream, new Writable({ write: (_c, _e, cb) => cb() })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_ABORTED' });
  });
});
