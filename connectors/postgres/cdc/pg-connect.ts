import pg from 'pg';
import type { CdcSettings } from './config.js';

/** ISO dates, UTC and ISO-8601 intervals, so text values parse the same way on both connections. */
const SESSION_OPTIONS =
  '-c DateStyle=ISO -c TimeZone=UTC -c IntervalStyle=iso_8601 -c bytea_output=hex -c extra_float_digits=3';

/** Every value as its text form: the snapshot converts it exactly like pgoutput's text tuples. */
export const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

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
  await client.connect();
  return client;
}
