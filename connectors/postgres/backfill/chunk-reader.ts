import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';
import {
  type Header,
  type JobUnitContext,
  type JsonObject,
  type SourceRecord,
} from '../../../runtime/api/index.js';
import { changeRecords } from '../cdc/events.js';
import { TEXT_TYPES } from '../cdc/pg-connect.js';
import type { TupleValue } from '../cdc/pgoutput-messages.js';
import type { BackfillSettings } from './backfill-config.js';
import { keyParameters, type BackfillTable } from './table-access.js';

export interface ChunkBounds {
  /** Exclusive; null: from the first row. */
  readonly lower: readonly string[] | null;
  /** Inclusive; null: to the last row. */
  readonly upper: readonly string[] | null;
}

const NO_HEADERS: readonly Header[] = [];

/** The rows of a page as PostgresCdcSource's snapshot reads (`op: "r"`) of the table. */
function readRecords(
  table: BackfillTable,
  rows: readonly Record<string, string | null>[],
  settings: BackfillSettings,
  jobId: string,
): SourceRecord[] {
  const tsUs = Date.now() * 1000;
  return rows.flatMap((raw) => {
    const row = new Map<string, TupleValue>();
    for (const [name, value] of Object.entries(raw))
      row.set(name, value === null ? { kind: 'null' } : { kind: 'text', text: value });
    return changeRecords(
      {
        model: table.model,
        op: 'r',
        before: null,
        after: row,
        source: {
          serverName: settings.cdc.topicPrefix,
          tsUs,
          snapshot: 'true',
          db: settings.cdc.database,
          sequence: null,
          schema: table.model.schema,
          table: table.model.table,
          txId: null,
          lsn: null,
        },
        // Backfill records are not source offsets anyone resumes from: the job's checkpoint is.
        offset: { backfill: jobId },
        transaction: null,
        tombstone: false,
        headers: NO_HEADERS,
      },
      settings.cdc.topicPrefix,
    );
  });
}

/**
 * Reads one chunk page by page in key order (keyset pagination: each page starts after the last key of
 * the one before, so a resumed chunk starts after its checkpoint), produces each page and checkpoints it.
 */
export async function readChunk(
  client: pg.Client,
  table: BackfillTable,
  settings: BackfillSettings,
  bounds: ChunkBounds,
  context: JobUnitContext,
): Promise<number> {
  const keys = `(${table.keyColumns.join(', ')})`;
  const width = table.keyColumns.length;
  let after: string[] | null =
    (context.resumeFrom?.['after'] as string[] | null | undefined) ??
    (bounds.lower === null ? null : [...bounds.lower]);
  const started = Date.now();
  let read = 0;
  for (;;) {
    const conditions: string[] = [];
    const values: string[] = [];
    if (after !== null) {
      conditions.push(`${keys} > ${keyParameters(width, values.length + 1)}`);
      values.push(...after);
    }
    if (bounds.upper !== null) {
      conditions.push(`${keys} <= ${keyParameters(width, values.length + 1)}`);
      values.push(...bounds.upper);
    }
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const page = await client.query<Record<string, string | null>>({
      text: `SELECT ${table.columns.join(', ')} FROM ${table.rowSource} ${where} ORDER BY ${table.keyColumns.join(', ')} LIMIT ${settings.fetchSize}`,
      values,
      types: TEXT_TYPES,
    });
    if (page.rows.length === 0) break;
    await context.produce(readRecords(table, page.rows, settings, context.jobId));
    const last = page.rows[page.rows.length - 1]!;
    after = table.keyNames.map((name) => String(last[name]));
    read += page.rows.length;
    const position: JsonObject = { after };
    await context.checkpoint(position);
    if (page.rows.length < settings.fetchSize) break;
    if (settings.maxRecordsPerSecond > 0) {
      const due = started + (read * 1000) / settings.maxRecordsPerSecond;
      if (due > Date.now()) await delay(due - Date.now());
    }
  }
  return read;
}
