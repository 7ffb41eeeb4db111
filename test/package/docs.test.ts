// docs/API.md against the code, both ways: every export, option and error code of the library is
// in the reference, and every function and option the reference lists exists.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const doc = fs.readFileSync(path.join(root, 'docs', 'API.md'), 'utf8');
const source = (file: string): string => fs.readFileSync(path.join(root, 'src', file), 'utf8');

/** The first column of the markdown table that follows `heading`, backticks removed. */
function firstColumn(heading: string): string[] {
  const start = doc.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThan(0);
  const rows = doc.slice(start).split('\n').slice(1);
  const table = rows.slice(rows.findIndex((l) => l.startsWith('|')));
  return table.slice(2, table.findIndex((l) => !l.startsWith('|'))).map((l) => l.split('|')[1]!.trim().replace(/`/g, ''));
}

/** Member names of an exported interface in a source file. */
function members(file: string, name: string): string[] {
  const m = new RegExp(`export interface ${name}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(source(file));
  expect(m, `${name} in ${file}`).not.toBeNull();
  return [...m![1]!.matchAll(/^ {2}(?:readonly )?(\w+)\??:/gm)].map((x) => x[1]!);
}

describe('docs/API.md', () => {
  it('names every export of the package', () => {
    for (const name of Object.keys(api)) expect(doc, name).toMatch(new RegExp(`\`${name}\\b`));
  });

  it('the function table lists functions the package exports', () => {
    const listed = firstColumn('## Functions').map((cell) => /^(\w+)/.exec(cell)![1]!);
    for (const name of listed) expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
  });

  it('the options table lists every option of the option types, and only options the library accepts', () => {
    const documented = firstColumn('## Options');
    const declared = [...new Set([...members('options.ts', 'StringifyOptions'), ...members('options.ts', 'DumpOptions')])];
    expect(declared.filter((o) => !documented.includes(o))).toEqual([]);
    for (const option of documented) {
      let error: unknown = null;
      try {
        api.dumps(1, { [option]: undefined } as api.DumpOptions);
      } catch (e) {
        error = e;
      }
      expect(error, option).toBeNull();
    }
  });

  it('the error table gives every error code', () => {
    const codes = [...source('errors.ts').matchAll(/'(ERR_[A-Z0-9_]+)'/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(5);
    const documented = firstColumn('## Errors');
    expect([...new Set(codes)].filter((c) => !documented.includes(c))).toEqual([]);
  });
});
