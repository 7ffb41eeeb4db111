// The MariaDB server for the tests: JSONDUMP_MYSQL_URL when set, otherwise one scripts/mariadb.sh starts.
import { dbServer, type DbServer } from './db-server.js';

export type MysqlServer = DbServer;

export const mysqlServer = (): MysqlServer => dbServer('mariadb.sh', 'JSONDUMP_MYSQL_URL', 'JSONDUMP_MYSQL_DIR');
