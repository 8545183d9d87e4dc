/**
 * Sorts cassandra-driver errors by what helps: the cluster is busy or out of reach (retry the batch), one
 * write's data is refused (that record goes to the dead letter queue), or the setup is wrong (fail the task).
 * Decided by the driver's error classes and the protocol's error codes, never by message text.
 */
import cassandra from 'cassandra-driver';

const codes = cassandra.types.responseErrorCodes;
const { errors } = cassandra;

const RETRIABLE_RESPONSE_CODES = new Set<number>([
  codes.unavailableException,
  codes.overloaded,
  codes.isBootstrapping,
  codes.truncateError,
  codes.writeTimeout,
  codes.readTimeout,
  codes.writeFailure,
  codes.serverError,
]);

function isAuthentication(error: unknown): boolean {
  if (error instanceof errors.AuthenticationError) return true;
  if (error instanceof errors.ResponseError && error.code === codes.badCredentials) return true;
  if (error instanceof errors.NoHostAvailableError)
    return Object.values(error.innerErrors ?? {}).some((inner) => isAuthentication(inner));
  return false;
}

export type CassandraFailure = 'retriable' | 'record' | 'authentication' | 'fatal';

export function classifyCassandraError(error: unknown): CassandraFailure {
  if (isAuthentication(error)) return 'authentication';
  if (
    error instanceof errors.NoHostAvailableError ||
    error instanceof errors.OperationTimedOutError ||
    error instanceof errors.BusyConnectionError
  )
    return 'retriable';
  if (error instanceof errors.ResponseError) {
    if (RETRIABLE_RESPONSE_CODES.has(error.code)) return 'retriable';
    if (error.code === codes.invalid) return 'record';
    return 'fatal';
  }
  if (error instanceof errors.DriverError) return 'retriable';
  const code = (error as { code?: unknown } | null)?.code;
  if (
    typeof code === 'string' &&
    /^E(CONNREFUSED|CONNRESET|TIMEDOUT|HOSTUNREACH|NETUNREACH|PIPE|AI_AGAIN)$/.test(code)
  )
    return 'retriable';
  return 'fatal';
}

export function describeCassandraError(error: unknown): string {
  if (error instanceof errors.NoHostAvailableError) {
    const inner = Object.entries(error.innerErrors ?? {})
      .map(([host, e]) => `${host}: ${(e as Error).message}`)
      .join('; ');
    return inner === '' ? error.message : `no host answered (${inner})`;
  }
  return error instanceof Error ? error.message : String(error);
}
