import { connectError } from '../../../runtime/api/index.js';

/** What `pg` needs to connect, read from a JDBC or postgres:// URL. */
export interface PostgresConnectionSettings {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly ssl: boolean;
  /** `currentSchema` of the PgJDBC URL: where unqualified table names live. */
  readonly searchPath: string | undefined;
  readonly applicationName: string | undefined;
}

const DEFAULT_PORT = 5432;

/**
 * Accepts `jdbc:postgresql://host[:port]/database?user=..&password=..&currentSchema=..&ssl=true`
 * (the PgJDBC form Debezium users already have) and `postgres[ql]://user:password@host:port/database`.
 */
export function parseConnectionUrl(
  url: string,
  username: string | null,
  password: string | null,
): PostgresConnectionSettings {
  const trimmed = url.trim();
  const withoutJdbc = trimmed.startsWith('jdbc:') ? trimmed.slice('jdbc:'.length) : trimmed;
  if (!/^postgres(ql)?:\/\//.test(withoutJdbc)) {
    throw connectError(
      `connection.url ${trimmed} is not a jdbc:postgresql://host:port/database or postgres://host:port/database URL`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(withoutJdbc.replace(/^postgres(ql)?:/, 'http:'));
  } catch (error) {
    throw connectError(`connection.url ${trimmed} is not a valid URL`, error);
  }
  const query = parsed.searchParams;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database === '') throw connectError(`connection.url ${trimmed} names no database`);
  const sslMode = query.get('sslmode');
  const urlUser =
    parsed.username !== '' ? decodeURIComponent(parsed.username) : (query.get('user') ?? undefined);
  const urlPassword =
    parsed.password !== '' ? decodeURIComponent(parsed.password) : (query.get('password') ?? undefined);
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost',
    port: parsed.port === '' ? DEFAULT_PORT : Number(parsed.port),
    database,
    user: username ?? urlUser,
    password: password ?? urlPassword,
    ssl:
      query.get('ssl') === 'true' ||
      (sslMode !== null && sslMode !== 'disable' && sslMode !== 'allow' && sslMode !== 'prefer'),
    searchPath: query.get('currentSchema') ?? undefined,
    applicationName: query.get('ApplicationName') ?? query.get('application_name') ?? undefined,
  };
}

/** For log lines and error messages: the URL without credentials. */
export function describeConnection(settings: PostgresConnectionSettings): string {
  return `postgresql://${settings.host}:${settings.port}/${settings.database}`;
}
