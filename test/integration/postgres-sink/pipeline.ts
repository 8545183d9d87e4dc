// A CDC-to-warehouse pipeline for the end-to-end test and the benchmark: a source database with tables of
// numeric, text, timestamp, json and bytea columns, the PostgresCdcSource reading it, and the PostgresSink
// applying the change events to a target database; both connectors in one standalone worker.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PG_URL } from '../../support/endpoints.js';
import { dropSlotAndDatabase } from '../../support/postgres-cleanup.js';
import { uniqueName, type WorkerProcess } from '../../support/worker-process.js';
import { TargetDatabase, urlFor } from './support.js';

/** Whether the CDC source plugin is built in (it is written by another helper). */
export async function cdcSourceAvailable(): Promise<boolean> {
  try {
    const { builtinPlugins } = await import('../../../cli/builtin-plugins.js');
    return builtinPlugins.some((p) => p.aliases.includes('PostgresCdcSource'));
  } catch {
    return false;
  }
}

export interface SourceTable {
  readonly name: string;
  readonly ddl: string;
  /** A SELECT that reads the same values from source and target (types normalised where they may differ). */
  readonly compare: string;
}

export const SOURCE_TABLES: readonly SourceTable[] = [
  {
    name: 'accounts',
    ddl: 'CREATE TABLE accounts (id integer PRIMARY KEY, balance numeric(12,2) NOT NULL, owner text, updated_at timestamp, meta jsonb, avatar bytea)',
    compare:
      "SELECT id, balance::text AS balance, owner, updated_at::text AS updated_at, meta::jsonb AS meta, encode(avatar, 'hex') AS avatar FROM accounts ORDER BY id",
  },
  {
    name: 'shipments',
    ddl: 'CREATE TABLE shipments (id bigint PRIMARY KEY, weight numeric(10,3), destination text NOT NULL, shipped_at timestamp, label json, manifest bytea)',
    compare:
      "SELECT id::text AS id, weight::text AS weight, destination, shipped_at::text AS shipped_at, label::jsonb AS label, encode(manifest, 'hex') AS manifest FROM shipments ORDER BY id",
  },
  {
    name: 'notes',
    ddl: 'CREATE TABLE notes (id integer PRIMARY KEY, body text, score double precision, created_at timestamp, tags jsonb)',
    compare: 'SELECT id, body, score, created_at::text AS created_at, tags FROM notes ORDER BY id',
  },
];

export class SourceDatabase {
  private constructor(
    readonly name: string,
    readonly client: pg.Client,
  ) {}

  static async create(tables: readonly SourceTable[] = SOURCE_TABLES): Promise<SourceDatabase> {
    const name = `sluice_cdcsrc_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const client = new pg.Client({ connectionString: urlFor(name) });
    await client.connect();
    for (const table of tables) {
      await client.query(table.ddl);
      // Deletes must carry the key (and updates the whole old row) for the sink to apply them.
      await client.query(`ALTER TABLE ${table.name} REPLICA IDENTITY FULL`);
    }
    return new SourceDatabase(name, client);
  }

  /** Drops the replication slot (whoever holds it) and the database. */
  async drop(slot: string): Promise<void> {
    await this.client.end().catch(() => undefined);
    await dropSlotAndDatabase(slot, this.name);
  }
}

export interface PipelineNames {
  readonly prefix: string;
  readonly slot: string;
  readonly publication: string;
  readonly source: string;
  readonly sink: string;
}

export function pipelineNames(label: string): PipelineNames {
  const id = randomUUID().replaceAll('-', '').slice(0, 10);
  return {
    prefix: `${label}${id}`,
    slot: `sluice_${label}_${id}`,
    publication: `sluice_pub_${label}_${id}`,
    source: uniqueName(`${label}-source`),
    sink: uniqueName(`${label}-sink`),
  };
}

export function sourceConfig(
  names: PipelineNames,
  source: SourceDatabase,
  tables: readonly string[],
): Record<string, string> {
  const url = new URL(PG_URL);
  return {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'tasks.max': '1',
    'database.hostname': url.hostname,
    'database.port': url.port || '5432',
    'database.user': decodeURIComponent(url.username || 'postgres'),
    'database.password': decodeURIComponent(url.password),
    'database.dbname': source.name,
    'topic.prefix': names.prefix,
    'plugin.name': 'pgoutput',
    'slot.name': names.slot,
    'publication.name': names.publication,
    'publication.autocreate.mode': 'filtered',
    'table.include.list': tables.map((t) => `public.${t}`).join(','),
    'snapshot.mode': 'initial',
    // Kept small so one produce request stays under the broker's 1 MB message.max.bytes: the runtime sends a
    // poll's records as one batch and does not split it (see the report to the lead).
    'max.batch.size': '100',
  };
}

/**
 * The sink names its topics (<prefix>.public.<table>, Debezium's naming) rather than using topics.regex: a regex
 * subscription sees topics the source creates later only at its next metadata refresh (metadata.max.age.ms).
 */
export function sinkConfig(
  names: PipelineNames,
  target: TargetDatabase,
  tables: readonly string[],
): Record<string, string> {
  return {
    'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
    'tasks.max': '1',
    topics: tables.map((t) => `${names.prefix}.public.${t}`).join(','),
    'connection.url': target.jdbcUrl,
    'insert.mode': 'upsert',
    'primary.key.mode': 'record_key',
    'delete.enabled': 'true',
    'truncate.enabled': 'true',
    'schema.evolution': 'basic',
    'table.name.format': '${source.table}',
    'batch.size': '1000',
  };
}

export async function startPipeline(
  worker: WorkerProcess,
  names: PipelineNames,
  source: SourceDatabase,
  target: TargetDatabase,
  tables: readonly string[],
): Promise<void> {
  await worker.createConnector(names.source, sourceConfig(names, source, tables));
  await worker.createConnector(names.sink, sinkConfig(names, target, tables));
}

/** Rows of `sql` in source and target, for a deep comparison (missing target table → []). */
export async function bothSides(
  source: SourceDatabase,
  target: TargetDatabase,
  sql: string,
): Promise<[unknown[], unknown[]]> {
  const a = (await source.client.query(sql)).rows;
  const b = await target.rows(sql).catch(() => []);
  return [a, b];
}
