// A JSON Lines record is one line: a rawJSON fragment holding a line break ("\n" or "\r",
// legal whitespace inside JSON text) cannot be written there, and dumpLines refuses it with
// ERR_BAD_OPTION at its path instead of writing a record split over two lines.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { dumpLines, dumps, JSONDumpError, rawJSON } from '../../src/index.js';
import { collector, useTempDir } from '../helpers/io.js';

const tmp = useTempDir('lines-raw');

/** dumpLines to each kind of destination; the text written, or the error. */
const DESTINATIONS: Record<string, (records: unknown) => Promise<string>> = {
  path: async (records) => {
    const file = tmp.file();
    await dumpLines(records, file);
    return fs.readFileSync(file, 'utf8');
  },
  Writable: async (records) => {
    const c = collector();
    await dumpLines(records, c.w);
    return c.text();
  },
  fd: async (records) => {
    const file = tmp.file();
    const fd = fs.openSync(file, 'w');
    try {
      await dumpLines(records, fd);
    } finally {
      fs.closeSync(fd);
    }
    return fs.readFileSync(file, 'utf8');
  },
};

const REFUSED: [string, () => unknown, string][] = [
  ['a record that is a fragment with "\\n"', () => [1, rawJSON('[1,\n2]')], '$[1]'],
  ['a fragment with "\\r\\n" in a record', () => [{ id: 1, doc: rawJSON('{"a":\r\n1}') }], '$[0].doc'],
  ['a fragment with "\\r" deep in a record', () => [{}, { a: [0, { b: rawJSON('[\r]') }] }], '$[1].a[1].b'],
  ['from a generator', () => (function* () { yield { doc: rawJSON('{\n}') }; })(), '$[0].doc'],
];

describe('dumpLines refuses rawJSON fragments holding a line break', () => {
  for (const [name, make, path] of REFUSED) {
    for (const [dest, write] of Object.entries(DESTINATIONS)) {
      it(`${name}, to a ${dest}: ERR_BAD_OPTION at ${path}`, async () => {
        const error = await write(make()).then(
          (text) => `wrote ${JSON.stringify(text)}`,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(JSONDumpError);
        expect(error).toMatchObject({ code: 'ERR_BAD_OPTION', path });
      });
    }
  }

  it('fragments without line breaks are written verbatim, one record a line', async () => {
    const records = () => [rawJSON('{"a": [1, 2]}'), { doc: rawJSON('[ "x" ,\t3 ]') }];
    for (const write of Object.values(DESTINATIONS)) expect(await write(records())).toBe('{"a": [1, 2]}\n{"doc":[ "x" ,\t3 ]}\n');
  });

  it('outside JSON Lines, a fragment keeps its line breaks', () => {
    expect(dumps([rawJSON('[1,\n2]')])).toBe('[[1,\n2]]');
  });
});
