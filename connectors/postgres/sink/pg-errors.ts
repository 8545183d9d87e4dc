/**
 * Sorts errors from `pg` by what helps: a connection problem passes (retry), a problem with one record's data
 * (constraint or data exception) isolates that record, anything else is fatal. Decided by SQLSTATE and
 * socket error codes; pg's own client-side failures carry no code and are recognised as connection loss.
 */
const RETRIABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);
/** admin/crash shutdown, cannot connect now, too many connections, serialization failure, deadlock, lock timeout */
const RETRIABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01', '55P03']);
const PG_CONNECTION_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection error/i,
  /Client was closed/i,
  /not queryable/i,
];

export function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isConnectionProblem(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isConnectionProblem);
  const code = errorCodeOf(error);
  if (code !== undefined)
    return RETRIABLE_SOCKET_CODES.has(code) || RETRIABLE_SQLSTATES.has(code) || code.startsWith('08');
  const message = error instanceof Error ? error.message : String(error);
  return PG_CONNECTION_MESSAGES.some((pattern) => pattern.test(message));
}

/** Class 23 (integrity constraint violation) and 22 (data exception): the row, not the database, is at fault. */
export function isRecordProblem(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code !== undefined && (code.startsWith('23') || code.startsWith('22'));
}

/** The table changed under the sink (a column or the table was dropped): the cached shape is stale. */
export function isStaleShape(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code === '42703' || code === '42P01';
}

export function describePgError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const pg = error as Error & {
    code?: string;
    detail?: string;
    constraint?: string;
    table?: string;
    column?: string;
  };
  const parts = [pg.message];
  if (pg.detail) parts.push(pg.detail);
  if (pg.code) parts.push(`SQLSTATE ${pg.code}`);
  return parts.join('; ');
}
