// The PostgreSQL server for the tests: JSONDUMP_PG_URL when set, otherwise one scripts/pg.sh starts.
import { dbServer, type DbServer } from './db-server.js';

export type PgServer = DbServer;

export const pgServer = (): PgServer => dbServer('pg.sh', 'JSONDUMP_PG_URL', 'JSONDUMP_PG_DIR');
