import type pg from 'pg';
import { SluiceError } from '../../../runtime/api/index.js';
import { loadTableDefinition, qualifiedName, quoteIdent } from '../cdc/catalog.js';
import { CaptureFilters } from '../cdc/filters.js';
import { ModelCache } from '../cdc/model-cache.js';
import { PgTypeRegistry } from '../cdc/pg-types.js';
import { parseKeyColumns, type TableModel } from '../cdc/table-model.js';
import type { CdcSettings } from '../cdc/config.js';
import type { BackfillSettings } from './backfill-config.js';

/** A table as a backfill reads it: its CDC model (record shape) and the key it pages by. */
export interface BackfillTable {
  readonly model: TableModel;
  readonly qualifiedName: string;
  /** What the reads select from: the table, or the backfill's `query` as a subquery. */
  readonly rowSource: string;
  /** Quoted key columns, in key order: the keyset the pages and chunks are cut along. */
  readonly keyColumns: readonly string[];
  readonly keyNames: readonly string[];
  /** Every column, quoted, in table order. */
  readonly columns: readonly string[];
  /** Every column's name, in table order. */
  readonly columnNames: readonly string[];
}

/**
 * Looks the table up and builds the same model PostgresCdcSource builds for it, so a backfill's records
 * have the connector's key, envelope and topic. An unknown table, or one without a key, is a 400.
 */
export async function openBackfillTable(
  client: pg.Client,
  settings: BackfillSettings,
): Promise<BackfillTable> {
  const table = await openKeyedTable(client, settings.cdc, settings.schema, settings.table, 'backfill');
  if (settings.query === null) return table;
  const rowSource = `(${settings.query}) AS sluice_backfill_rows`;
  let returned: string[];
  try {
    const probe = await client.query(`SELECT * FROM ${rowSource} LIMIT 0`);
    returned = probe.fields.map((f) => f.name);
  } catch (error) {
    throw new SluiceError('JOB_CONFIG_INVALID', [
      'backfill',
      `query does not run as a SELECT over ${table.qualifiedName}: ${(error as Error).message}`,
    ]);
  }
  const columns = table.columnNames;
  const missing = columns.filter((c) => !returned.includes(c));
  const extra = returned.filter((c) => !columns.includes(c));
  if (missing.length > 0 || extra.length > 0)
    throw new SluiceError('JOB_CONFIG_INVALID', [
      'backfill',
      `query must return the columns of ${table.qualifiedName} (its records have the table's shape)` +
        (missing.length > 0 ? `; missing: ${missing.join(', ')}` : '') +
        (extra.length > 0 ? `; not in the table: ${extra.join(', ')}` : ''),
    ]);
  return { ...table, rowSource };
}

/**
 * The same for any job (or the incremental snapshot) that reads a table in key order: `job` names the job
 * type in the 400 an unknown or keyless table gets.
 */
export async function openKeyedTable(
  client: pg.Client,
  cdc: CdcSettings,
  schema: string,
  tableName: string,
  job: string,
): Promise<BackfillTable> {
  const settings = { cdc, schema, table: tableName };
  const name = qualifiedName(settings.schema, settings.table);
  const found = await client.query<{ oid: number | null }>('SELECT to_regclass($1)::oid::int AS oid', [name]);
  const oid = found.rows[0]?.oid ?? null;
  if (oid === null)
    throw new SluiceError('JOB_CONFIG_INVALID', [
      job,
      `table ${settings.schema}.${settings.table} does not exist in database ${settings.cdc.database}`,
    ]);
  const definition = await loadTableDefinition(client, oid);
  if (definition === null) throw new SluiceError('JOB_CONFIG_INVALID', [job, `table ${name} was dropped`]);
  const keyColumns = parseKeyColumns(settings.cdc.messageKeyColumns);
  const override = keyColumns.find((k) => k.table.test(`${definition.schema}.${definition.table}`));
  const keyNames = override?.columns ?? definition.primaryKey;
  if (keyNames.length === 0)
    throw new SluiceError('JOB_CONFIG_INVALID', [
      job,
      `table ${name} has no primary key to page by: set message.key.columns=${definition.schema}.${definition.table}:<unique columns>`,
    ]);
  const filters = new CaptureFilters(settings.cdc);
  const models = new ModelCache(client, new PgTypeRegistry(client), filters, {
    topicPrefix: settings.cdc.topicPrefix,
    filters,
    keyColumns,
    decimalMode: settings.cdc.decimalMode,
    timePrecisionMode: settings.cdc.timePrecisionMode,
  });
  return {
    model: await models.forTable(definition),
    qualifiedName: name,
    rowSource: name,
    keyColumns: keyNames.map(quoteIdent),
    keyNames,
    columns: definition.columns.map((c) => quoteIdent(c.name)),
    columnNames: definition.columns.map((c) => c.name),
  };
}

/** `($1, $2)` for a key of two columns starting at parameter `from`. */
export function keyParameters(count: number, from: number): string {
  return `(${Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ')})`;
}
