import pg from 'pg';
import type { CdcSettings } from './config.js';
import { connectExplained } from './connect-errors.js';

/** ISO dates, UTC and ISO-8601 intervals, so text values parse the same way on both connections. */
const SESSION_OPTIONS =
  '-c DateStyle=ISO -c TimeZone=UTC -c IntervalStyle=iso_8601 -c bytea_output=hex -c extra_float_digits=3';

/** Every value as its text form: the snapshot converts it exactly like pgoutput's text tuples. */
export const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

const CLOSE_TIMEOUT_MS = 2_000;

export function baseConfig(settings: CdcSettings, applicationName: string): pg.ClientConfig {
  return {
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    database: settings.database,
    application_name: applicationName,
    options: SESSION_OPTIONS,
    connectionTimeoutMillis: 30_000,
  };
}

export async function connectQueryClient(settings: CdcSettings, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client(baseConfig(settings, applicationName));
  await connectExplained(client, settings);
  return client;
}

/**
 * Ends a client without hanging on a dead peer: a socket cut by the network may never answer the
 * Terminate message, so after a short wait the socket is destroyed.
 */
export async function closeClient(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.end().catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}
