import pg from 'pg';
import { SluiceError } from '../../../runtime/api/index.js';
import type { CdcSettings } from './config.js';

type ConnectSettings = Pick<CdcSettings, 'host' | 'port' | 'user' | 'database'>;

/**
 * What the server's refusal of a new connection means for the configuration: an unknown database
 * (invalid_catalog_name), or a login the server will not accept (wrong password, unknown role, no pg_hba.conf
 * entry, CONNECT revoked). Those name the option to fix; any other error is returned as it is.
 */
export function explainConnectError(error: unknown, settings: ConnectSettings): unknown {
  if (!(error instanceof pg.DatabaseError)) return error;
  const { host, port, user, database } = settings;
  switch (error.code) {
    case '3D000':
      return new SluiceError('PG_CDC_DATABASE_NOT_FOUND', [database, host, port, quoted(database)], {
        cause: error,
      });
    case '28P01':
    case '28000':
    case '42501':
      return new SluiceError('PG_CDC_LOGIN_REJECTED', [host, port, user, database, error.message], {
        cause: error,
      });
    default:
      return error;
  }
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** Connects `client`, turning a refusal that points at the configuration into its error code. */
export async function connectExplained(client: pg.Client, settings: ConnectSettings): Promise<void> {
  try {
    await client.connect();
  } catch (error) {
    throw explainConnectError(error, settings);
  }
}
