// Job module: an SQLite table to a JSON file. Contenders: sqlite3 -json (the C tool), CPython's
// sqlite3 + json.dump, jsondump export (JSON, JSON Lines, --jobs 2), and, as same-run ceilings,
// better-sqlite3 reading every row with no serialization at all, and --jobs 2's two workers
// reading (and encoding) their halves with nothing written (sqlite-halves.js). A second job does
// the same on SQLite's everyday mix (sqlite-mixed.js), with each design of the one-job reader and
// its ceilings (sqlite-ceilings.js), and, where BENCH_NODE24 names a Node 24 binary, the export
// run by it (node:sqlite in place of better-sqlite3).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkMixedOutput, checkOutput } from '../check.js';
import { buildSqlite } from '../sqlite-db.js';
import { SQLITE_MIXED } from '../sqlite-mixed.js';
import { ensureTool, versionOf } from '../tools.js';

const PYTHON_DUMP = `
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cur = db.execute('select * from t')
names = [d[0] for d in cur.description]
with open(sys.argv[2], 'w', encoding='utf-8') as out:
    json.dump([dict(zip(names, row)) for row in cur], out, ensure_ascii=False)
`;

const ITERATE_ONLY = `
import Database from 'better-sqlite3';
const db = new Database(process.argv[1], { readonly: true });
let n = 0;
for (const row of db.prepare('select * from t').raw(true).safeIntegers(true).iterate()) n++;
if (n === 0) process.exit(1);
`;

const HALVES = fileURLToPath(new URL('../sqlite-halves.js', import.meta.url));
const CEILINGS = fileURLToPath(new URL('../sqlite-ceilings.js', import.meta.url));

/** The SQLite file of `rows` rows (built once, kept in the cache). */
export function sqliteDataset(ctx, rows) {
  const path = join(ctx.cache, `export-${rows}-${ctx.seed}.db`);
  if (!existsSync(path)) {
    console.error(`bench: building ${path}`);
    buildSqlite(path, rows, ctx.seed);
  }
  return path;
}

/** The SQLite file of the everyday mix (built once, kept in the cache). */
function mixedDataset(ctx, rows) {
  const path = join(ctx.cache, `export-mixed-${rows}-${ctx.seed}.db`);
  if (!existsSync(path)) {
    console.error(`bench: building ${path}`);
    buildSqlite(path, rows, ctx.seed, SQLITE_MIXED);
  }
  return path;
}

/** The everyday-mix job: sqlite3 -json against the export, its designs and ceilings. */
function mixedJob(ctx, sqlite3) {
  const db = mixedDataset(ctx, ctx.rows);
  const out = (name) => join(ctx.out, name);
  // sqlite3 -json writes a BLOB's bytes as the string's own
  const check = (blob) => (path) => checkMixedOutput(path, 'json', ctx.rows, ctx.seed, blob);
  const export_ = (node, ...flags) => [node, ctx.cli, 'export', `sqlite:${db}`, '--table', 't', ...flags];
  const node24 = process.env.BENCH_NODE24;
  const onNode24 = node24 === undefined ? [] : [
    { name: 'jsondump export, Node 24 (node:sqlite)', argv: export_(node24, '-o', out('mixed-node24.json')), output: out('mixed-node24.json'), check: check('base64') },
    { name: 'jsondump export --jobs 2, Node 24 (node:sqlite)', argv: export_(node24, '--jobs', '2', '-o', out('mixed-node24-2.json')), output: out('mixed-node24-2.json'), check: check('base64') },
    { name: 'design: export\'s reader, SQLite\'s text, Node 24 (node:sqlite), no output', argv: [node24, CEILINGS, db, 'encode-text'], cwd: ctx.root },
  ];
  return {
    title: 'SQLite everyday mix → JSON',
    contenders: [
      { name: 'sqlite3 -json', reference: true, argv: [sqlite3, '-json', db, 'select * from t'], stdout: out('mixed-sqlite3.json'), check: check('raw') },
      { name: 'jsondump export', argv: export_(process.execPath, '-o', out('mixed.json')), output: out('mixed.json'), check: check('base64') },
      { name: 'jsondump export --jobs 2', argv: export_(process.execPath, '--jobs', '2', '-o', out('mixed-2.json')), output: out('mixed-2.json'), check: check('base64'), bytesOf: out('mixed.json') },
      ...onNode24,
      { name: 'design: export\'s reader, every page read as values, no output', argv: [process.execPath, CEILINGS, db, 'encode-values'], cwd: ctx.root },
      { name: 'design: export\'s reader, SQLite\'s text + REALs stitched, no output', argv: [process.execPath, CEILINGS, db, 'encode-text'], cwd: ctx.root },
      { name: 'ceiling: sqlite3 -json into /dev/null', argv: [sqlite3, '-json', db, 'select * from t'], stdout: '/dev/null' },
      { name: 'ceiling: better-sqlite3 reading the pages as values', argv: [process.execPath, CEILINGS, db, 'values'], cwd: ctx.root },
      { name: 'ceiling: better-sqlite3 reading SQLite\'s text and the REALs', argv: [process.execPath, CEILINGS, db, 'text'], cwd: ctx.root },
      { name: 'ceiling of --jobs 2: two workers reading, no output', argv: [process.execPath, HALVES, db, 'read', '2'], cwd: ctx.root },
      { name: 'ceiling of --jobs 2: two workers reading and encoding, no output', argv: [process.execPath, HALVES, db, 'encode', '2'], cwd: ctx.root },
    ],
  };
}

export default {
  name: 'sqlite',
  async setup(ctx) {
    const sqlite3 = ensureTool('sqlite3');
    ctx.versions.push(versionOf('sqlite3').replace(/^/, 'sqlite3 '));
    const db = sqliteDataset(ctx, ctx.rows);
    const out = (name) => join(ctx.out, name);
    const check = (format) => (path) => checkOutput(path, format, ctx.rows, ctx.seed);
    const jsondump = (...flags) => [process.execPath, ctx.cli, 'export', `sqlite:${db}`, '--table', 't', ...flags];
    return {
      jobs: [
        {
          title: 'SQLite table → JSON',
          contenders: [
            { name: 'sqlite3 -json', reference: true, argv: [sqlite3, '-json', db, 'select * from t'], stdout: out('sqlite3.json'), check: check('json') },
            { name: 'CPython sqlite3 + json.dump', argv: ['python3', '-c', PYTHON_DUMP, db, out('python.json')], output: out('python.json'), check: check('json') },
            { name: 'jsondump export', argv: jsondump('-o', out('jsondump.json')), output: out('jsondump.json'), check: check('json') },
            { name: 'jsondump export --lines', argv: jsondump('--lines', '-o', out('jsondump.jsonl')), output: out('jsondump.jsonl'), check: check('lines') },
            { name: 'jsondump export --jobs 2', argv: jsondump('--jobs', '2', '-o', out('jsondump-2.json')), output: out('jsondump-2.json'), check: check('json'), bytesOf: out('jsondump.json') },
            { name: 'ceiling: better-sqlite3 iteration, no output', argv: [process.execPath, '--input-type=module', '-e', ITERATE_ONLY, db], cwd: ctx.root },
            { name: 'ceiling of --jobs 2: two workers reading, no output', argv: [process.execPath, HALVES, db, 'read', '2'], cwd: ctx.root },
            { name: 'ceiling of --jobs 2: two workers reading and encoding, no output', argv: [process.execPath, HALVES, db, 'encode', '2'], cwd: ctx.root },
          ],
        },
        mixedJob(ctx, sqlite3),
      ],
    };
  },
  /** Peak RSS of a one-job export at each row count (a second table is built for each). */
  memory(ctx) {
    return ctx.memoryRows.map((rows) => {
      const db = sqliteDataset(ctx, rows);
      return { rows, argv: [process.execPath, ctx.cli, 'export', `sqlite:${db}`, '--table', 't', '-o', join(ctx.out, `memory-${rows}.json`)] };
    });
  },
};
