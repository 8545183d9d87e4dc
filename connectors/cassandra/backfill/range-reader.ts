import { setTimeout as delay } from 'node:timers/promises';
import cassandra from 'cassandra-driver';
import {
  sourceRecord,
  type Header,
  type JobUnitContext,
  type SourceRecord,
} from '../../../runtime/api/index.js';
import type { CassandraBackfillSettings } from './backfill-config.js';
import { plainValue } from './row-values.js';
import type { TokenRange } from './token-ranges.js';

/** A table as the backfill reads it. */
export interface BackfillTableShape {
  readonly partitionKey: readonly string[];
  /** Partition key then clustering columns: a record's key. */
  readonly primaryKey: readonly string[];
  readonly columns: readonly string[];
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const NO_HEADERS: readonly Header[] = [];

/** The table's key and columns from the driver's schema metadata; null when the table does not exist. */
export async function tableShape(
  client: cassandra.Client,
  settings: CassandraBackfillSettings,
): Promise<BackfillTableShape | null> {
  const table = await client.metadata.getTable(settings.keyspace, settings.table);
  if (table === null || table === undefined) return null;
  const partitionKey = table.partitionKeys.map((c) => c.name);
  return {
    partitionKey,
    primaryKey: [...partitionKey, ...table.clusteringKeys.map((c) => c.name)],
    columns: table.columns.map((c) => c.name),
  };
}

function toRecord(
  row: cassandra.types.Row,
  shape: BackfillTableShape,
  settings: CassandraBackfillSettings,
  jobId: string,
): SourceRecord {
  const pick = (names: readonly string[]): Record<string, unknown> =>
    Object.fromEntries(names.map((name) => [name, plainValue(row.get(name))]));
  return sourceRecord({
    sourcePartition: { keyspace: settings.keyspace, table: settings.table },
    sourceOffset: { backfill: jobId },
    topic: settings.topic,
    kafkaPartition: null,
    keySchema: null,
    key: pick(shape.primaryKey),
    valueSchema: null,
    value: pick(shape.columns),
    timestamp: null,
    headers: NO_HEADERS,
  });
}

/**
 * Reads the rows of one token range a page at a time, produces each page and checkpoints the driver's paging
 * state after it: a resumed range continues with the page after the last one checkpointed.
 */
export async function readTokenRange(
  client: cassandra.Client,
  shape: BackfillTableShape,
  settings: CassandraBackfillSettings,
  range: TokenRange,
  context: JobUnitContext,
): Promise<number> {
  const token = `token(${shape.partitionKey.map(quote).join(', ')})`;
  const query = `SELECT ${shape.columns.map(quote).join(', ')} FROM ${quote(settings.keyspace)}.${quote(settings.table)} WHERE ${token} > ? AND ${token} <= ?`;
  const params = [cassandra.types.Long.fromString(range.after), cassandra.types.Long.fromString(range.upTo)];
  const resumed = context.resumeFrom?.['page_state'];
  if (context.resumeFrom !== null && resumed === null) return 0; // The last page was checkpointed: done.
  let pageState = typeof resumed === 'string' ? resumed : undefined;
  const started = Date.now();
  let read = 0;
  for (;;) {
    const page = await client.execute(query, params, {
      prepare: true,
      fetchSize: settings.fetchSize,
      ...(pageState === undefined ? {} : { pageState }),
    });
    if (page.rows.length > 0)
      await context.produce(page.rows.map((row) => toRecord(row, shape, settings, context.jobId)));
    read += page.rows.length;
    const next = page.pageState ?? null;
    await context.checkpoint({ page_state: next, rows: read });
    if (next === null) break;
    pageState = next;
    if (settings.maxRecordsPerSecond > 0) {
      const due = started + (read * 1000) / settings.maxRecordsPerSecond;
      if (due > Date.now()) await delay(due - Date.now());
    }
  }
  return read;
}
