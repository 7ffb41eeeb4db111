// Job module: the SQLite table as JSON Lines, by one process with --jobs 4 against a plan of 16
// shards run four processes at a time (`export --plan --all --jobs 4`, each shard a child
// process). The plan is made in setup, not timed (its time is printed). The peak RSS of the
// --all row is /usr/bin/time's: the largest of the parent and each shard process, i.e. the peak
// per process. Each round of the shards starts from an empty directory (a complete shard would
// be left as it is); their parts are checked joined in glob order, as one JSON Lines file.
import { execFileSync } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { checkOutput } from '../check.js';
import { ensureTool, versionOf } from '../tools.js';
import { sqliteDataset } from './sqlite.js';

const SHARDS = 16;
const AT_ONCE = 4;

/** The parts of `dir`, in glob order, written into one file at `path`. */
async function joinParts(dir, path) {
  const out = createWriteStream(path);
  for (const name of readdirSync(dir).filter((n) => /^part-\d+-\d+\.jsonl$/.test(n)).sort()) {
    if (!out.write(readFileSync(join(dir, name)))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

export default {
  name: 'shards',
  async setup(ctx) {
    const sqlite3 = ensureTool('sqlite3');
    ctx.versions.push(versionOf('sqlite3').replace(/^/, 'sqlite3 '));
    const db = sqliteDataset(ctx, ctx.rows);
    const out = (name) => join(ctx.out, name);
    const plan = out('plan.json');
    const started = performance.now();
    execFileSync(process.execPath, [ctx.cli, 'plan', `sqlite:${db}`, '--table', 't', '--shards', String(SHARDS), '--lines', '-o', plan]);
    console.error(`  plan of ${SHARDS} shards: ${((performance.now() - started) / 1000).toFixed(2)} s`);
    const shardsDir = out('shards');
    const joined = out('shards.jsonl');
    const check = (path) => checkOutput(path, 'lines', ctx.rows, ctx.seed);
    return {
      jobs: [
        {
          title: `SQLite table → JSON Lines: --jobs ${AT_ONCE} vs ${SHARDS} shards ${AT_ONCE} at a time`,
          contenders: [
            { name: 'sqlite3 -json', reference: true, argv: [sqlite3, '-json', db, 'select * from t'], stdout: out('sqlite3.json'), check: (path) => checkOutput(path, 'json', ctx.rows, ctx.seed) },
            { name: `jsondump export --jobs ${AT_ONCE} --lines`, argv: [process.execPath, ctx.cli, 'export', `sqlite:${db}`, '--table', 't', '--jobs', String(AT_ONCE), '--lines', '-o', out('jobs.jsonl')], output: out('jobs.jsonl'), check },
            {
              name: `jsondump export --plan (${SHARDS} shards) --all --jobs ${AT_ONCE}`,
              argv: ['sh', '-c', 'rm -rf "$1" && exec "$2" "$3" export --plan "$4" --all --jobs "$5" -o "$1"', 'sh', shardsDir, process.execPath, ctx.cli, plan, String(AT_ONCE)],
              output: joined,
              bytesOf: out('jobs.jsonl'),
              check: async (path) => {
                await joinParts(shardsDir, path);
                await check(path);
              },
            },
          ],
        },
      ],
    };
  },
  memory() {
    return [];
  },
};
