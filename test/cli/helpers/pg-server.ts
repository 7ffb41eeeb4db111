// The PostgreSQL server for the tests: JSONDUMP_PG_URL when set, otherwise one scripts/pg.sh starts.
import pg from 'pg';
import { dbServer, type DbServer } from './db-server.js';

export type PgServer = DbServer;

export const pgServer = (): PgServer => dbServer('pg.sh', 'JSONDUMP_PG_URL', 'JSONDUMP_PG_DIR');

/** The test's server and a client connected to it (as `pg`, the driver the CLI uses, reads rows). */
export async function pgConnected(): Promise<{ server: PgServer; client: pg.Client }> {
  const server = pgServer();
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  return { server, client };
}

/** Ends what pgConnected started, whichever parts of it did start. */
export async function pgClosed(server: PgServer | undefined, client: pg.Client | undefined): Promise<void> {
  await client?.end();
  server?.stop();
}
