// escapeHTML (<, >, & as \u003c, \u003e, \u0026) and escapeLineTerminators (U+2028, U+2029 as
// \u2028, \u2029). The oracle is the browser's own reading of a page: the output is placed in an
// HTML page's <script>, the page is parsed by parse5 (the WHATWG HTML tokenizer, with its
// script-data states for `</script`, `<!--` and `<script`), and the script element's text is
// run by Node's vm: it must give back the value, and the page after the script must be intact.
// Through every API, the native fast path, streamed strings, keys, Map keys and rawJSON.
import { parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { runInNewContext } from 'node:vm';
import { parser } from 'stream-json';
import { dumps, encodeTokens, rawJSON } from '../../src/index.js';
import { everyApi } from '../helpers/every-api.js';

const NASTY = ['</script><!--', '<!--<script>', '</SCRIPT >', '&lt;&amp;', '<\u2028>\u2029', 'a\u2028b', '-->'];

/** Strings, keys and Map keys full of what ends a script element or a JS string in old engines. */
function nasty(): Record<string, unknown> {
  return {
    '</script>': NASTY,
    nested: { '<!--': NASTY.map((s, i) => ({ i, s, [s]: s })) },
    // Plain records: written by the native fast path.
    records: Array.from({ length: 40 }, (_, i) => ({ i, html: `<b>${i}</b> & <!-- ${i} -->`, sep: '\u2028\u2029' })),
    map: new Map<unknown, unknown>([['</script>', 1], [2, '<!--']]),
  };
}

/** The plain JSON value of nasty(), as the page must give it back. */
const EXPECTED = JSON.parse(JSON.stringify({ ...nasty(), map: { '</script>': 1, 2: '<!--' } })) as unknown;

interface Node { nodeName: string; childNodes?: Node[]; value?: string }

function elements(n: Node, name: string, out: Node[] = []): Node[] {
  if (n.nodeName === name) out.push(n);
  for (const c of n.childNodes ?? []) elements(c, name, out);
  return out;
}

const text = (n: Node): string => (n.childNodes ?? []).map((c) => c.value ?? '').join('');

/** What a browser's page gives back for JSON text in a <script>: the value, and whether the page after it survived. */
function throughPage(json: string): { scripts: number; value: unknown; after: string[] } {
  const page = `<!doctype html><html><head><script>window.data = ${json};</script></head><body><p>after</p></body></html>`;
  const doc = parse(page) as unknown as Node;
  const scripts = elements(doc, 'script');
  const window: { data?: unknown } = {};
  try {
    runInNewContext(text(scripts[0]), { window });
  } catch {
    // a script cut short by the HTML parser is a syntax error: data stays undefined
  }
  return { scripts: scripts.length, value: window.data, after: elements(doc, 'p').map(text) };
}

describe('escapeHTML: the text is safe inside an HTML <script>', () => {
  it('the oracle bites: without escapeHTML the page is broken', () => {
    const r = throughPage(dumps(nasty()));
    expect(r.value).toBeUndefined();
  });

  it('every API: the page gives back the value, and the rest of the page is intact', async () => {
    for (const options of [{ escapeHTML: true }, { escapeHTML: true, escapeLineTerminators: true }, { escapeHTML: true, indent: 2 }, { escapeHTML: true, ensureAscii: true }]) {
      const outputs = await everyApi(nasty, options);
      for (const [api, out] of Object.entries(outputs)) {
        expect(typeof out, api).toBe('string');
        expect(throughPage(out as string), `${api} ${JSON.stringify(options)}`).toEqual({ scripts: 1, value: EXPECTED, after: ['after'] });
        expect(out as string).not.toMatch(/[<>&]/);
      }
    }
  });

  it('writes exactly \\u003c, \\u003e and \\u0026, in keys and strings, and leaves the rest as JSON.stringify writes it', () => {
    const v = { '<k>': '&x<y>', plain: 'é\u2028' };
    expect(dumps(v, { escapeHTML: true })).toBe(JSON.stringify(v).replaceAll('<', '\\u003c').replaceAll('>', '\\u003e').replaceAll('&', '\\u0026'));
    expect(dumps(v, { escapeHTML: true })).toBe('{"\\u003ck\\u003e":"\\u0026x\\u003cy\\u003e","plain":"é\u2028"}');
  });

  it('streamed strings (byte Readables and Web streams) are escaped as they stream, even a character per chunk', async () => {
    const chars = [...'</script><!--\u2028'];
    const make = () => ({
      node: Readable.from(chars.map((c) => Buffer.from(c)), { objectMode: false }),
      web: new ReadableStream({ start(c) { for (const ch of chars) c.enqueue(new TextEncoder().encode(ch)); c.close(); } }),
    });
    const outputs = await everyApi(make, { escapeHTML: true, escapeLineTerminators: true, chunkSize: 1 }, { async: true });
    for (const out of Object.values(outputs)) {
      expect(throughPage(out as string)).toEqual({ scripts: 1, value: { node: chars.join(''), web: chars.join('') }, after: ['after'] });
    }
  });

  it('rawJSON fragments are escaped too: their value is unchanged, their text is safe', () => {
    const out = dumps({ raw: rawJSON('{"x":"</script><!--"}') }, { escapeHTML: true });
    expect(out).toBe('{"raw":{"x":"\\u003c/script\\u003e\\u003c!--"}}');
    expect(throughPage(out).value).toEqual({ raw: { x: '</script><!--' } });
  });

  it('encodeTokens escapes the strings and keys of a token stream', async () => {
    const json = JSON.stringify(EXPECTED);
    let out = '';
    await pipeline(Readable.from([json]), parser.asStream(), encodeTokens({ escapeHTML: true, escapeLineTerminators: true }), new Writable({
      write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()),
    }));
    expect(out).toBe(dumps(EXPECTED, { escapeHTML: true, escapeLineTerminators: true }));
    expect(throughPage(out)).toEqual({ scripts: 1, value: EXPECTED, after: ['after'] });
  });
});

describe('escapeLineTerminators', () => {
  it('no raw U+2028 or U+2029 is left, in any API, native path included; the value reads back', async () => {
    const outputs = await everyApi(nasty, { escapeLineTerminators: true });
    for (const out of Object.values(outputs)) {
      expect(out as string).not.toMatch(/[\u2028\u2029]/);
      expect(out as string).toContain('\\u2028');
      expect(JSON.parse(out as string)).toEqual(EXPECTED);
    }
    expect(dumps(nasty())).toMatch(/\u2028/);
  });

  it('alone, it leaves <, > and & as they are', () => {
    expect(dumps(['<\u2028&\u2029>'], { escapeLineTerminators: true })).toBe('["<\\u2028&\\u2029>"]');
  });
});

describe('with ensureAscii, the escapes compose', () => {
  it('all ASCII, no <, > or &, and the same value', () => {
    for (const dialect of ['js', 'python'] as const) {
      const out = dumps(EXPECTED, { dialect, escapeHTML: true, escapeLineTerminators: true, ensureAscii: true });
      expect(out).toMatch(/^[\x20-\x7e]*$/);
      expect(out).not.toMatch(/[<>&]/);
      expect(JSON.parse(out)).toEqual(EXPECTED);
    }
  });
});

describe('the options', () => {
  it('are booleans', () => {
    expect(() => dumps(1, { escapeHTML: 'yes' as never })).toThrow(expect.objectContaining({ code: 'ERR_BAD_OPTION' }));
    expect(() => dumps(1, { escapeLineTerminators: 1 as never })).toThrow(expect.objectContaining({ code: 'ERR_BAD_OPTION' }));
  });
});
