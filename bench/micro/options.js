// What the output options cost: dumps() of the same rows with the defaults and with each of
// circular, maxDepth, escapeHTML + escapeLineTerminators, bigint 'string' and canonical, on plain
// rows (the native fast path) and on rows the walk writes member by member (a Map in each).
// The defaults must not pay for the options: compare the first case with a build of the
// commit before them.

import { consume } from './common.js';
import { build } from '../datasets.js';

const lib = await import(new URL('../../dist/index.js', import.meta.url)).catch(() => null);

const plain = build('records', 0.0025, 1).value; // 1000 rows
const walked = plain.map((row) => ({ ...row, extra: new Map([['k', row]]) }));

const OPTIONS = {
  defaults: undefined,
  "circular: 'null'": { circular: 'null' },
  'maxDepth: 64': { maxDepth: 64 },
  'escapeHTML + escapeLineTerminators': { escapeHTML: true, escapeLineTerminators: true },
  "bigint: 'string'": { bigint: 'string' },
  canonical: { canonical: true },
};

function suite(name, rows) {
  const cases = {};
  for (const [label, o] of Object.entries(OPTIONS)) cases[label] = () => consume(lib.dumps(rows, o));
  return { name, cases };
}

export const suites = lib === null ? [] : [suite('options on plain rows (native path)', plain), suite('options on rows with a Map (the walk)', walked)];
