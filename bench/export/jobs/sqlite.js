// Job module: an SQLite table to a JSON file. Contenders: sqlite3 -json (the C tool), CPython's
// sqlite3 + json.dump, jsondump export (JSON, JSON Lines, --jobs 2), and, as same-run ceilings,
// better-sqlite3 reading every row with no serialization at all, and --jobs 2's two workers
// reading (and encoding) their halves with nothing written (sqlite-halves.js).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOutput } from '../check.js';
import { buildSqlite } from '../sqlite-db.js';
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

/** The SQLite file of `rows` rows (built once, kept in the cache). */
export function sqliteDataset(ctx, rows) {
  const path = join(ctx.cache, `export-${rows}-${ctx.seed}.db`);
  if (!existsSync(path)) {
    console.error(`bench: building ${path}`);
    buildSqlite(path, rows, ctx.seed);
  }
  return path;
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
