import type pg from 'pg';
import { qualifiedName } from './catalog.js';

/** Debezium's signals, as rows of the signal table (`id`, `type`, `data`); `data` is a JSON document. */
export interface Signal {
  readonly id: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export const SignalTypes = {
  EXECUTE_SNAPSHOT: 'execute-snapshot',
  STOP_SNAPSHOT: 'stop-snapshot',
  WINDOW_OPEN: 'snapshot-window-open',
  WINDOW_CLOSE: 'snapshot-window-close',
} as const;

/** A signal from its three text fields; a `data` that is no JSON object reads as `{}`. */
export function parseSignal(id: string, type: string, data: string | null): Signal {
  let parsed: unknown = {};
  try {
    parsed = data === null || data.trim() === '' ? {} : JSON.parse(data);
  } catch {
    parsed = {};
  }
  const object =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  return { id, type: type.trim().toLowerCase(), data: object };
}

/** `data-collections` of an execute- or stop-snapshot signal: `schema.table` names (a bare table is in public). */
export function dataCollectionsOf(signal: Signal): string[] {
  const list = signal.data['data-collections'];
  if (!Array.isArray(list)) return [];
  return list
    .filter((c): c is string => typeof c === 'string' && c.trim() !== '')
    .map((c) => normalizeCollection(c));
}

export function normalizeCollection(name: string): string {
  const trimmed = name.trim();
  return trimmed.includes('.') ? trimmed : `public.${trimmed}`;
}

/** Splits `schema.table` (the table part may itself contain no dot). */
export function splitCollection(name: string): { schema: string; table: string } {
  const normalized = normalizeCollection(name);
  const dot = normalized.indexOf('.');
  return { schema: normalized.slice(0, dot), table: normalized.slice(dot + 1) };
}

/** The snapshot type a signal asks for: `incremental` unless it says otherwise (Debezium's default). */
export function snapshotTypeOf(signal: Signal): string {
  const type = signal.data['type'];
  return typeof type === 'string' ? type.trim().toLowerCase() : 'incremental';
}

/** Inserts one signal row (as an operator, the REST job or the window markers do). */
export async function insertSignal(
  client: pg.Client,
  signalTable: string,
  id: string,
  type: string,
  data: Readonly<Record<string, unknown>>,
): Promise<void> {
  const { schema, table } = splitCollection(signalTable);
  await client.query(`INSERT INTO ${qualifiedName(schema, table)} (id, type, data) VALUES ($1, $2, $3)`, [
    id,
    type,
    JSON.stringify(data),
  ]);
}
