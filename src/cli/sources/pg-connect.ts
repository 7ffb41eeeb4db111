// Where a PostgreSQL source connects: a postgres:// URL, a libpq connection string
// ("host=… dbname=…"), or `postgres:` alone; what neither gives comes from the PG* environment
// variables, as psql takes it. The password never appears in the source's name.
import { UsageError } from '../errors.js';

export interface PgTarget {
  /** Passed to pg.Client. */
  config: Record<string, unknown> & { connectionTimeoutMillis: number };
  /** postgresql://user@host:port/db, never with a password. */
  name: string;
  /** Texts that must not appear in a message (the password). */
  secrets: string[];
}

// libpq's connection keywords (those jsondump passes on; the rest are refused by name).
const KEYWORDS: Record<string, string> = {
  host: 'host',
  hostaddr: 'host',
  port: 'port',
  dbname: 'database',
  user: 'user',
  password: 'password',
  connect_timeout: 'connect_timeout',
  application_name: 'application_name',
  options: 'options',
  sslmode: 'sslmode',
};

// A connect that neither succeeds nor fails in this long is a server that will not answer.
const DEFAULT_CONNECT_TIMEOUT_S = 30;

const URL_PREFIX = /^postgres(?:ql)?:\/\//;
const BARE = /^postgres(?:ql)?:$/;
const LIBPQ = /^\s*([a-z_]+)\s*=/;

export function isPostgres(source: string): boolean {
  const libpq = LIBPQ.exec(source);
  return URL_PREFIX.test(source) || BARE.test(source) || (libpq !== null && libpq[1] in KEYWORDS);
}

/** libpq's keyword = value pairs; values may be single-quoted with \' and \\ inside. */
export function parseLibpq(text: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  const re = /\s*([a-z_]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|([^\s']*))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const match = re.exec(text);
    if (match === null) throw new UsageError(`cannot read the connection string near ${JSON.stringify(text.slice(at, at + 20))}`);
    const [, key, quoted, bare] = match;
    pairs[key] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare;
    at = re.lastIndex;
  }
  return pairs;
}

function sslOf(mode: string | undefined): unknown {
  if (mode === undefined || mode === 'disable' || mode === 'allow' || mode === 'prefer') return undefined;
  if (mode === 'require') return { rejectUnauthorized: false };
  return true; // verify-ca, verify-full
}

function fromLibpq(text: string): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parseLibpq(text))) {
    const name = KEYWORDS[key];
    if (name === undefined) throw new UsageError(`connection string: jsondump does not take the keyword ${key}`);
    config[name] = value;
  }
  return config;
}

function timeoutSeconds(config: Record<string, unknown>, env: NodeJS.ProcessEnv): number {
  const given = config.connect_timeout ?? env.PGCONNECT_TIMEOUT;
  if (given === undefined || given === '') return DEFAULT_CONNECT_TIMEOUT_S;
  const seconds = Number(given);
  if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError(`connect_timeout must be a number of seconds, not ${JSON.stringify(given)}`);
  // libpq: 0 waits forever; values under 2 s are raised to 2 s
  return seconds === 0 ? 0 : Math.max(seconds, 2);
}

/** The parts of a postgres:// URL that name the server; pg reads the URL itself. */
function fromUrl(source: string): Record<string, unknown> {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new UsageError('cannot read the PostgreSQL URL (expected postgres://user@host:port/database)');
  }
  const config: Record<string, unknown> = { connectionString: source };
  const param = (name: string) => url.searchParams.get(name) ?? undefined;
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') config[key] = value;
  };
  set('user', url.username === '' ? param('user') : decodeURIComponent(url.username));
  set('password', url.password === '' ? param('password') : decodeURIComponent(url.password));
  set('host', url.hostname === '' ? param('host') : decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1'));
  set('port', url.port === '' ? param('port') : url.port);
  set('database', url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : param('dbname'));
  set('connect_timeout', param('connect_timeout'));
  set('sslmode', param('sslmode'));
  return config;
}

/** The connection settings of `source`; the PG* variables fill what it leaves out. */
export function pgTarget(source: string, env: NodeJS.ProcessEnv = process.env): PgTarget {
  const given = URL_PREFIX.test(source) ? fromUrl(source) : BARE.test(source) ? {} : fromLibpq(source);
  const seconds = timeoutSeconds(given, env);
  const user = (given.user as string | undefined) ?? env.PGUSER ?? env.USER ?? 'postgres';
  const host = (given.host as string | undefined) ?? env.PGHOST ?? 'localhost';
  const port = (given.port as string | undefined) ?? env.PGPORT ?? '5432';
  const database = (given.database as string | undefined) ?? env.PGDATABASE ?? user;
  const password = (given.password as string | undefined) ?? env.PGPASSWORD;
  const where = host.startsWith('/') ? encodeURIComponent(host) : `${host.includes(':') ? `[${host}]` : host}:${port}`;
  let config: Record<string, unknown>;
  if (given.connectionString !== undefined) {
    config = { connectionString: given.connectionString }; // pg reads the URL itself, sslmode included
  } else {
    config = { ...given };
    const ssl = sslOf((config.sslmode as string | undefined) ?? env.PGSSLMODE);
    if (ssl !== undefined) config.ssl = ssl;
    delete config.sslmode;
    delete config.connect_timeout;
  }
  return {
    config: { ...config, connectionTimeoutMillis: seconds * 1000 },
    name: `postgresql://${encodeURIComponent(user)}@${where}/${encodeURIComponent(database)}`,
    secrets: password === undefined || password === '' ? [] : [...new Set([password, encodeURIComponent(password)])],
  };
}

/** `text` with every secret replaced by ***. */
export function redact(text: string, secrets: readonly string[]): string {
  for (const secret of secrets) text = text.split(secret).join('***');
  return text;
}
