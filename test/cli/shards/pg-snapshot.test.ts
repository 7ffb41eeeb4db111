// PostgreSQL `--snapshot ID`: a coordinator holds a transaction open that exported its snapshot
// (`BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT pg_export_snapshot();`), the table is written
// meanwhile (rows inserted, deleted, a key moved), and the plan and every shard read in that
// snapshot: the shards joined are the rows as the coordinator's transaction sees them (the
// server's own row_to_json there), each manifest names the snapshot, and verify notes nothing.
// Once the coordinator's transaction ends the snapshot is gone, and a shard says so in one line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { runCli, tempDir } from '../helpers/cli.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';
import { skewedIdSql } from '../helpers/shards.js';

const ROWS = 20_000;
const T = `shsnap_t_${process.pid}`;

let server: PgServer;
let writer: pg.Client;
let coordinator: pg.Client;
let dir = '';

beforeAll(async () => {
  server = pgServer();
  dir = tempDir('pg-snapshot');
  writer = new pg.Client({ connectionString: server.url });
  coordinator = new pg.Client({ connectionString: server.url });
  await Promise.all([writer.connect(), coordinator.connect()]);
  await writer.query(`DROP TABLE IF EXISTS ${T}`);
  await writer.query(`CREATE TABLE ${T} (id int8 PRIMARY KEY, name text)`);
  await writer.query(`INSERT INTO ${T} SELECT ${skewedIdSql('i::int8', ROWS)}, 'row ' || i || ' "q" é' FROM generate_series(1, ${ROWS}) AS i ORDER BY random()`);
});

afterAll(async () => {
  await coordinator?.query('ROLLBACK').catch(() => {});
  await writer?.query(`DROP TABLE IF EXISTS ${T}`).catch(() => {});
  await Promise.all([writer?.end(), coordinator?.end()]);
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const stem = (k: number) => `part-${String(k).padStart(5, '0')}`;

describe('--snapshot ID', () => {
  it('plan and shards read the moment the coordinator exported, whatever is written meanwhile', async () => {
    await coordinator.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const snapshot = String((await coordinator.query('SELECT pg_export_snapshot() AS id')).rows[0].id);
    const expected = (await coordinator.query(`SELECT row_to_json(t)::text AS j FROM ${T} t ORDER BY id`)).rows.map((r) => `${r.j}\n`).join('');
    await writer.query(`INSERT INTO ${T} VALUES (-1, 'new low'), (9223372036854775000, 'new high'), (4, 'new middle')`);
    await writer.query(`DELETE FROM ${T} WHERE id % 7 = 0`);
    await writer.query(`UPDATE ${T} SET id = 2 WHERE id = 30000`);

    const plan = join(dir, 'plan.json');
    expect(await runCli(['plan', server.url, '--table', T, '--shards', '8', '--lines', '--snapshot', snapshot, '-o', plan])).toMatchObject({ status: 0, stderr: '' });
    const out = join(dir, 'out');
    expect(await runCli(['export', '--plan', plan, '--all', '--jobs', '4', '--snapshot', snapshot, '-o', out])).toMatchObject({ status: 0, stderr: '' });
    const names = readdirSync(out).sort();
    const joined = names.filter((n) => n.endsWith('.jsonl')).map((n) => readFileSync(join(out, n), 'utf8')).join('');
    expect(joined).toBe(expected);
    for (let k = 0; k < 8; k++) expect(JSON.parse(readFileSync(join(out, `${stem(k)}.manifest.json`), 'utf8')).snapshot).toBe(snapshot);
    const verified = await runCli(['manifest', 'verify', out, '--plan', plan]);
    expect(verified.status, verified.stdout).toBe(0);
    expect(verified.stdout.split('\n').filter((l) => l.startsWith('note: '))).toEqual([]);

    // without the snapshot a shard reads the table as it is now: shard 0 has the new low row
    const now = join(dir, 'now');
    expect(await runCli(['export', '--plan', plan, '--shard', '0', '-o', now])).toMatchObject({ status: 0, stderr: '' });
    expect(readFileSync(join(now, `${stem(0)}-00001.jsonl`), 'utf8')).toMatch(/^\{"id":-1,"name":"new low"\}\n/);

    await coordinator.query('COMMIT');
    const gone = await runCli(['export', '--plan', plan, '--shard', '1', '--snapshot', snapshot, '-o', join(dir, 'gone')]);
    expect(gone.status).toBe(1);
    expect(gone.stderr).toMatch(new RegExp(`^jsondump: cannot read in the snapshot ${snapshot} \\(the transaction that exported it must still be open\\): .*\n$`));
  });
});
