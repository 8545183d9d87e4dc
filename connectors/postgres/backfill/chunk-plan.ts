import type pg from 'pg';
import type { JobUnit } from '../../../runtime/api/index.js';
import { TEXT_TYPES } from '../cdc/pg-connect.js';
import type { BackfillTable } from './table-access.js';

/**
 * Cuts the table into chunks of `chunkSize` rows along its key: each chunk is (lower, upper] in key order
 * (no lower bound for the first, no upper for the last), so rows inserted meanwhile still fall in one.
 * Keys are carried as text and compared after PostgreSQL casts them back to the column types (so the bounds
 * are ordered by row number: ordered by the text output column, 12000 would sort before 4000).
 */
export async function planChunks(
  client: pg.Client,
  table: BackfillTable,
  chunkSize: number,
): Promise<JobUnit[]> {
  const keys = table.keyColumns.join(', ');
  const counted = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table.rowSource}`);
  const total = Number(counted.rows[0]?.n ?? 0);
  const bounds = await client.query<string[]>({
    text: `SELECT ${table.keyColumns.map((k) => `${k}::text`).join(', ')} FROM (SELECT ${keys}, row_number() OVER (ORDER BY ${keys}) AS sluice_rn FROM ${table.rowSource}) s WHERE sluice_rn % $1 = 0 ORDER BY sluice_rn`,
    values: [chunkSize],
    rowMode: 'array',
    types: TEXT_TYPES,
  });
  const uppers = bounds.rows.map((row) => row.map(String));
  const units: JobUnit[] = [];
  let lower: string[] | null = null;
  for (const upper of uppers) {
    units.push({ spec: { lower, upper }, estimatedRecords: chunkSize });
    lower = upper;
  }
  units.push({ spec: { lower, upper: null }, estimatedRecords: total - uppers.length * chunkSize });
  return units;
}
