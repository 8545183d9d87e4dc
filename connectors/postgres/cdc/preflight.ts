import type pg from 'pg';
import { SluiceError } from '../../../runtime/api/index.js';
import {
  listPublicationTables,
  listUserTables,
  qualifiedName,
  quoteIdent,
  type TableRef,
} from './catalog.js';
import type { CdcSettings } from './config.js';
import type { CaptureFilters } from './filters.js';
import { parseLsn, type Lsn } from './lsn.js';

/** Fails with a clear error when the server cannot do logical replication for this user. */
export async function checkServerReady(client: pg.Client, user: string): Promise<void> {
  const wal = await client.query<{ wal_level: string }>('SHOW wal_level');
  const level = wal.rows[0]?.wal_level ?? 'unknown';
  if (level !== 'logical') throw new SluiceError('PG_CDC_WAL_LEVEL', [level]);
  const role = await client.query<{ rolreplication: boolean; rolsuper: boolean }>(
    'SELECT rolreplication, rolsuper FROM pg_roles WHERE rolname = current_user',
  );
  const row = role.rows[0];
  if (row === undefined || (!row.rolreplication && !row.rolsuper))
    throw new SluiceError('PG_CDC_NO_REPLICATION_PERMISSION', [user, quoteIdent(user)]);
}

/** Creates (or, in filtered mode, re-targets) the publication, per publication.autocreate.mode. */
export async function ensurePublication(
  client: pg.Client,
  settings: CdcSettings,
  filters: CaptureFilters,
): Promise<void> {
  const name = settings.publicationName;
  const exists =
    (await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [name])).rowCount === 1;
  if (settings.autocreateMode === 'disabled') {
    if (!exists) throw new SluiceError('PG_CDC_PUBLICATION_MISSING', [name, quoteIdent(name)]);
    return;
  }
  if (settings.autocreateMode === 'all_tables') {
    if (!exists) await client.query(`CREATE PUBLICATION ${quoteIdent(name)} FOR ALL TABLES`);
    return;
  }
  const tables = (await listUserTables(client)).filter((t) => filters.tableCaptured(t.schema, t.table));
  if (tables.length === 0) {
    throw new SluiceError('CONNECT_ERROR', [
      `No table matches the configured filters, so publication "${name}" cannot be created in filtered mode`,
    ]);
  }
  const list = tables.map((t) => qualifiedName(t.schema, t.table)).join(', ');
  if (exists) await client.query(`ALTER PUBLICATION ${quoteIdent(name)} SET TABLE ${list}`);
  else await client.query(`CREATE PUBLICATION ${quoteIdent(name)} FOR TABLE ${list}`);
}

/** The captured tables: those the publication streams that the filters select. */
export async function capturedTables(
  client: pg.Client,
  settings: CdcSettings,
  filters: CaptureFilters,
): Promise<TableRef[]> {
  return (await listPublicationTables(client, settings.publicationName)).filter((t) =>
    filters.tableCaptured(t.schema, t.table),
  );
}

export interface SlotState {
  readonly confirmedFlush: Lsn | null;
  readonly activePid: number | null;
  readonly plugin: string;
}

export async function slotState(client: pg.Client, slotName: string): Promise<SlotState | null> {
  const result = await client.query<{
    confirmed_flush_lsn: string | null;
    active_pid: number | null;
    plugin: string;
  }>(
    'SELECT confirmed_flush_lsn::text, active_pid, plugin FROM pg_replication_slots WHERE slot_name = $1 AND database = current_database()',
    [slotName],
  );
  const row = result.rows[0];
  if (row === undefined) return null;
  return {
    confirmedFlush: row.confirmed_flush_lsn === null ? null : parseLsn(row.confirmed_flush_lsn),
    activePid: row.active_pid,
    plugin: row.plugin,
  };
}

export async function dropSlot(client: pg.Client, slotName: string): Promise<void> {
  await client.query(
    'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NULL',
    [slotName],
  );
}
