import { readFileSync } from 'node:fs';
import cassandra from 'cassandra-driver';
import type { CassandraConnectionSettings } from './config.js';

/** A driver client for the sink's settings. Maps and sets travel as JS Map and Set, so any key type works. */
export function newCassandraClient(
  settings: CassandraConnectionSettings,
  applicationName: string,
): cassandra.Client {
  return new cassandra.Client({
    contactPoints: [...settings.contactPoints],
    localDataCenter: settings.localDc,
    applicationName,
    credentials:
      settings.username === null
        ? undefined
        : { username: settings.username, password: settings.password ?? '' },
    sslOptions:
      settings.tls === null
        ? undefined
        : {
            ca: settings.tls.caFile === null ? undefined : [readFileSync(settings.tls.caFile)],
            rejectUnauthorized: true,
            ...(settings.tls.hostnameValidation ? {} : { checkServerIdentity: () => undefined }),
          },
    pooling: { coreConnectionsPerHost: { [cassandra.types.distance.local]: settings.poolSize } },
    socketOptions: { connectTimeout: 5_000, readTimeout: settings.queryTimeoutMs },
    encoding: { map: Map, set: Set },
    // Every statement runs prepared: parsed once per table, typed binding of the values.
    queryOptions: { prepare: true },
  });
}

export function describeContactPoints(settings: CassandraConnectionSettings): string {
  return `Cassandra at ${settings.contactPoints.join(',')} (dc ${settings.localDc})`;
}
