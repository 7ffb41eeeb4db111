// How a PostgreSQL source names and reaches its server: URLs, libpq strings, PG* variables,
// the connect timeout, and a name that never holds the password.
import { describe, expect, it } from 'vitest';
import { parseLibpq, pgTarget, redact } from '../../../src/cli/sources/pg-connect.js';
import { UsageError } from '../../../src/cli/errors.js';

describe('PostgreSQL connection settings', () => {
  it('names a URL without its password, wherever the password is given', () => {
    for (const source of ['postgres://ann:p%40ss@db.example:6543/sales', 'postgresql://ann@db.example:6543/sales?password=p%40ss']) {
      const target = pgTarget(source, {});
      expect(target.name).toBe('postgresql://ann@db.example:6543/sales');
      expect(target.secrets).toContain('p@ss');
      expect(target.config).toEqual({ connectionString: source, connectionTimeoutMillis: 30_000 });
    }
  });

  it('reads a libpq connection string, quoted values included', () => {
    expect(parseLibpq("host=h port=5 dbname='my db' password='it\\'s' user = u")).toEqual({ host: 'h', port: '5', dbname: 'my db', password: "it's", user: 'u' });
    const target = pgTarget("host=h port=5 dbname='my db' user=u password='it\\'s' connect_timeout=3 sslmode=require", {});
    expect(target.name).toBe('postgresql://u@h:5/my%20db');
    expect(target.config).toEqual({ host: 'h', port: '5', database: 'my db', user: 'u', password: "it's", ssl: { rejectUnauthorized: false }, connectionTimeoutMillis: 3000 });
    expect(() => pgTarget('host=h servicefile=x', {})).toThrow(new UsageError('connection string: jsondump does not take the keyword servicefile'));
  });

  it('takes what the source leaves out from the PG* variables', () => {
    const env = { PGHOST: 'envhost', PGPORT: '7', PGUSER: 'envuser', PGDATABASE: 'envdb', PGPASSWORD: 'pw', PGCONNECT_TIMEOUT: '5' };
    const target = pgTarget('postgres:', env);
    expect(target.name).toBe('postgresql://envuser@envhost:7/envdb');
    expect(target.secrets).toEqual(['pw']);
    expect(target.config.connectionTimeoutMillis).toBe(5000);
  });

  it('never waits forever unless told to (connect_timeout=0), and waits at least 2 s as libpq does', () => {
    expect(pgTarget('postgres://h/db', {}).config.connectionTimeoutMillis).toBe(30_000);
    expect(pgTarget('postgres://h/db?connect_timeout=0', {}).config.connectionTimeoutMillis).toBe(0);
    expect(pgTarget('postgres://h/db?connect_timeout=1', {}).config.connectionTimeoutMillis).toBe(2000);
    expect(() => pgTarget('postgres://h/db?connect_timeout=soon', {})).toThrow(UsageError);
  });

  it('redacts every spelling of the password from a message', () => {
    expect(redact('failed for p@ss and p%40ss', ['p@ss', 'p%40ss'])).toBe('failed for *** and ***');
  });
});
