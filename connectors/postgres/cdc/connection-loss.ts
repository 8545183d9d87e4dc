import pg from 'pg';
import { SluiceError } from '../../../runtime/api/index.js';

/**
 * SQLSTATEs that mean the session is gone or the server cannot take it right now, not that the request was
 * wrong: class 08 (connection exception), admin_shutdown (pg_terminate_backend, fast shutdown),
 * crash_shutdown, cannot_connect_now (starting up or in recovery) and too_many_connections.
 */
const TRANSIENT_SQLSTATES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03', '53300']);

/** Socket and name resolution failures Node reports with these codes. */
const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENETRESET',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * True when `error` means the connection to PostgreSQL was lost (or could not be opened for a transient
 * reason), so reconnecting may help. Decided by SQLSTATE or system error code, plus `socketClosed`: pg reports
 * an unexpected close ("Connection terminated unexpectedly", "not queryable") with errors that carry no code,
 * so whether the socket is gone is the evidence there. A server error with any other SQLSTATE (permission,
 * missing slot or publication, wal_level) is a real answer and stays fatal.
 */
export function isConnectionLoss(error: unknown, socketClosed: boolean): boolean {
  // The task's own verdicts (wal_level, permissions, slot in use...) say what is wrong: never retried here.
  if (error instanceof SluiceError) return false;
  if (error instanceof StreamEndedError || error instanceof ServerSilentError) return true;
  if (error instanceof pg.DatabaseError) {
    const state = error.code ?? '';
    return state.startsWith('08') || TRANSIENT_SQLSTATES.has(state);
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return true;
  return socketClosed;
}

/** The server ended the replication stream without an error (e.g. it is shutting down). */
export class StreamEndedError extends Error {
  constructor() {
    super('the server ended the replication stream');
    this.name = 'StreamEndedError';
  }
}

/** The replication connection brought no message for wal.receiver.timeout.ms (see ReplicationLiveness). */
export class ServerSilentError extends Error {
  constructor(silentMs: number) {
    super(
      `no message from the server for ${silentMs} ms (wal.receiver.timeout.ms), although a reply was requested; the network may be dropping packets`,
    );
    this.name = 'ServerSilentError';
  }
}

/** Watches a client's socket: true once it closed, whichever side closed it. */
export function socketClosedFlag(client: pg.Client): () => boolean {
  let closed = false;
  // pg's internal Connection emits 'end' when the socket closes, before the client fails its queries.
  const connection = (client as unknown as { connection: { once(event: 'end', f: () => void): void } })
    .connection;
  connection.once('end', () => {
    closed = true;
  });
  return () => closed;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
