// Job module: JSON text re-encoded. The input is the SQLite job's table as `sqlite3 -json`
// writes it (one JSON array, about 190 bytes a row) and, for JSON Lines, that array split into
// lines by CPython's json (jq 1.6 would round the integers past 2^53): text jsondump did not
// write. Contenders:
// jq (the C tool), CPython's json.tool, and `jsondump export`. jq holds the whole document;
// every output is checked row by row against the seeded table (jq 1.6 writes integers past
// 2^53 as the nearest double: its check then fails, and the table says so).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { checkOutput } from '../check.js';
import { ensureTool, versionOf } from '../tools.js';
import { sqliteDataset } from './sqlite.js';

const SPLIT_LINES = `
import json, sys
out = sys.stdout
for row in json.load(open(sys.argv[1], encoding='utf-8')):
    out.write(json.dumps(row, ensure_ascii=False, separators=(',', ':')) + '\\n')
`;

/** Runs `argv` with its standard output into `path` (written under a temporary name first). */
async function runInto(argv, path) {
  const temp = `${path}.partial`;
  const out = createWriteStream(temp);
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.pipe(out);
  const [[code]] = await Promise.all([once(child, 'close'), finished(out)]);
  if (code !== 0) throw new Error(`${argv.join(' ')} exited with ${code}`);
  renameSync(temp, path);
}

/** The table as a JSON array and as JSON Lines (made once, kept in the cache). */
async function inputs(ctx, sqlite3) {
  const db = sqliteDataset(ctx, ctx.rows);
  const json = join(ctx.cache, `reformat-${ctx.rows}-${ctx.seed}.json`);
  const lines = join(ctx.cache, `reformat-${ctx.rows}-${ctx.seed}.jsonl`);
  if (!existsSync(json)) {
    console.error(`bench: writing ${json}`);
    await runInto([sqlite3, '-json', db, 'select * from t'], json);
  }
  if (!existsSync(lines)) {
    console.error(`bench: writing ${lines}`);
    await runInto(['python3', '-c', SPLIT_LINES, json], lines);
  }
  return { json, lines };
}

export default {
  name: 'reformat',
  async setup(ctx) {
    const sqlite3 = ensureTool('sqlite3');
    const jq = ensureTool('jq');
    ctx.versions.push(execFileSync(jq, ['--version'], { encoding: 'utf8' }).trim());
    if (!ctx.versions.some((v) => v.startsWith('sqlite3'))) ctx.versions.push(`sqlite3 ${versionOf('sqlite3')}`);
    const { json, lines } = await inputs(ctx, sqlite3);
    const out = (name) => join(ctx.out, name);
    const check = (format) => (path) => checkOutput(path, format, ctx.rows, ctx.seed);
    const jsondump = (input, ...flags) => [process.execPath, ctx.cli, 'export', input, ...flags];
    return {
      jobs: [
        {
          title: 'JSON → indent 2',
          contenders: [
            { name: 'jq .', reference: true, argv: [jq, '--indent', '2', '.', json], stdout: out('jq.json'), check: check('json') },
            { name: 'python3 -m json.tool --indent 2', argv: ['python3', '-m', 'json.tool', '--indent', '2', '--no-ensure-ascii', json, out('python.json')], output: out('python.json'), check: check('json') },
            { name: 'jsondump export --indent 2', argv: jsondump(json, '--indent', '2', '-o', out('jsondump.json')), output: out('jsondump.json'), check: check('json') },
          ],
        },
        {
          title: 'JSON → python dialect',
          contenders: [
            { name: 'jq -c .', reference: true, argv: [jq, '-c', '.', json], stdout: out('jq-c.json'), check: check('json') },
            { name: 'jsondump export --dialect python', argv: jsondump(json, '--dialect', 'python', '-o', out('jsondump-py.json')), output: out('jsondump-py.json'), check: check('json') },
          ],
        },
        {
          title: 'JSON Lines → JSON',
          contenders: [
            { name: 'jq -c -s .', reference: true, argv: [jq, '-c', '-s', '.', lines], stdout: out('jq-s.json'), check: check('json') },
            { name: 'jsondump export', argv: jsondump(lines, '-o', out('jsondump-lines.json')), output: out('jsondump-lines.json'), check: check('json') },
          ],
        },
      ],
    };
  },
};
