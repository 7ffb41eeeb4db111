// --jobs N on a PostgreSQL table another session writes meanwhile: the connections share one
// snapshot, and the key ranges cover every row of that snapshot, also rows committed after the
// export looked at the table (keys past its maximum then). Each of the writer's transactions
// adds row n and sets row 0 to n: in the rows of one snapshot, row 0 names the last row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { runCli } from '../helpers/cli.js';
import { pgClosed, pgConnected, type PgServer } from '../helpers/pg-server.js';

const TABLE = `jsondump_live_${process.pid}`;
const ROWS = 40000;

let server: PgServer;
let client: pg.Client;

beforeAll(async () => {
  ({ server, client } = await pgConnected());
  await client.query(`CREATE TABLE ${TABLE} (id int8 PRIMARY KEY, v int8)`);
  await client.query(`INSERT INTO ${TABLE} SELECT i, i FROM generate_series(0, ${ROWS}) AS i`);
  await client.query(`UPDATE ${TABLE} SET v = ${ROWS} WHERE id = 0`);
});

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
  await pgClosed(server, client);
});

describe('--jobs on a table written meanwhile', () => {
  it('exports the rows of one snapshot, every one of them', async () => {
    let running = true;
    let n = ROWS;
    const writer = (async () => {
      while (running) {
        n++;
        await client.query(`BEGIN; INSERT INTO ${TABLE} VALUES (${n}, ${n}); UPDATE ${TABLE} SET v = ${n} WHERE id = 0; COMMIT`);
      }
    })();
    try {
      for (let run = 0; run < 6; run++) {
        const result = await runCli(['export', server.url, '--table', TABLE, '--lines', '--jobs', String(2 + (run % 3)), '--verbose']);
        expect(result.status).toBe(0);
        expect(result.stderr).not.toContain('one job used');
        const rows = result.stdout.split('\n').slice(0, -1).map((line) => JSON.parse(line) as { id: number; v: number });
        const last = rows[0].v;
        expect(rows.length, `row 0 says ${last}, and ${rows.length} rows came`).toBe(last + 1);
        expect(rows.at(-1)?.id).toBe(last);
      }
    } finally {
      running = false;
      await writer;
    }
    expect(n).toBeGreaterThan(ROWS + 10);
  });
});
