/** A fresh PostgreSQL database with one table of `rows` rows, and updates of it, for the CDC benchmarks. */
import pg from 'pg';
import { PG_URL } from '../../support/endpoints.js';

export const TABLE = 'bench_cdc';
const UPDATE_BATCH = 1000;

function urlFor(database: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(name: string, rows: number): Promise<void> {
  await withClient(PG_URL, (admin) => admin.query(`CREATE DATABASE ${name}`));
  await withClient(urlFor(name), async (client) => {
    await client.query(
      `CREATE TABLE ${TABLE} (id bigint PRIMARY KEY, name text NOT NULL, qty integer NOT NULL, price numeric(12,2) NOT NULL, updated_at timestamptz NOT NULL)`,
    );
    await client.query(
      `INSERT INTO ${TABLE} SELECT g, 'name ' || g, g % 1000, (g % 100000) / 100.0, now() FROM generate_series(1, $1::bigint) g`,
      [rows],
    );
  });
}

export async function runUpdates(database: string, rows: number, updates: number): Promise<void> {
  await withClient(urlFor(database), async (client) => {
    for (let done = 0; done < updates; done += UPDATE_BATCH) {
      const from = done % rows;
      const to = Math.min(from + Math.min(UPDATE_BATCH, updates - done), rows);
      await client.query(`UPDATE ${TABLE} SET qty = qty + 1, updated_at = now() WHERE id > $1 AND id <= $2`, [
        from,
        to,
      ]);
    }
  });
}

/** The CDC connector's config for one benchmark database, with Debezium's class name and keys. */
export function cdcConnectorConfig(
  database: string,
  names: { prefix: string; slot: string; publication: string },
): Record<string, string> {
  const url = new URL(PG_URL);
  return {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'tasks.max': '1',
    'database.hostname': url.hostname,
    'database.port': url.port || '5432',
    'database.user': decodeURIComponent(url.username || 'postgres'),
    ...(url.password === '' ? {} : { 'database.password': decodeURIComponent(url.password) }),
    'database.dbname': database,
    'topic.prefix': names.prefix,
    'plugin.name': 'pgoutput',
    'slot.name': names.slot,
    'publication.name': names.publication,
    'publication.autocreate.mode': 'filtered',
    'table.include.list': `public.${TABLE}`,
    'snapshot.mode': 'initial',
  };
}
