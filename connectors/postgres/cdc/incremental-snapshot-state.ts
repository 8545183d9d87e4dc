import type { JsonObject, SourceOffset } from '../../../runtime/api/index.js';

/**
 * Where an incremental snapshot stands, as the source offset carries it (so a restarted task goes on after
 * the last chunk it delivered). Debezium's keys, plus Sluice's progress keys; keys are JSON text instead of
 * Debezium's hex-serialized Java arrays.
 */
export interface IncrementalState {
  /** Collections still to read, the one being read first. */
  readonly collections: readonly string[];
  /** The last key delivered of the first collection (its text values); null: from its start. */
  readonly lastKey: readonly (string | null)[] | null;
  /** The largest key of the first collection when its reading began; rows beyond it are streamed anyway. */
  readonly maxKey: readonly (string | null)[] | null;
  /** The signal ids of the running snapshot (the first is Debezium's correlation id). */
  readonly signalIds: readonly string[];
  readonly rows: number;
  readonly chunks: number;
  /** Signal ids of the last snapshots that finished (or were stopped), newest last. */
  readonly completed: readonly string[];
}

export const NO_SNAPSHOT: IncrementalState = {
  collections: [],
  lastKey: null,
  maxKey: null,
  signalIds: [],
  rows: 0,
  chunks: 0,
  completed: [],
};

const KEEP_COMPLETED = 20;

export const OffsetKeys = {
  COLLECTIONS: 'incremental_snapshot_collections',
  PRIMARY_KEY: 'incremental_snapshot_primary_key',
  MAXIMUM_KEY: 'incremental_snapshot_maximum_key',
  CORRELATION_ID: 'incremental_snapshot_correlation_id',
  SIGNAL_IDS: 'incremental_snapshot_signal_ids',
  ROWS: 'incremental_snapshot_rows',
  CHUNKS: 'incremental_snapshot_chunks',
  COMPLETED: 'incremental_snapshot_completed',
  /** Debezium's: the offset of the last Kafka signal handled (partition 0 of signal.kafka.topic). */
  KAFKA_SIGNAL_OFFSET: 'incremental_snapshot_signal_offset',
} as const;

/** The Kafka signal offset a committed offset carries (null: none handled yet). */
export function kafkaSignalOffsetFrom(offset: SourceOffset | null): number | null {
  const value = offset?.[OffsetKeys.KAFKA_SIGNAL_OFFSET];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

export function isRunning(state: IncrementalState): boolean {
  return state.collections.length > 0;
}

/** The state once the running snapshot ended: its signal ids join the completed ones; its counts stay. */
export function finished(state: IncrementalState): IncrementalState {
  return {
    ...NO_SNAPSHOT,
    rows: state.rows,
    chunks: state.chunks,
    completed: [...state.completed, ...state.signalIds].slice(-KEEP_COMPLETED),
  };
}

/** The offset keys of a state; none while no incremental snapshot ever ran. */
export function stateOffsetFields(state: IncrementalState): JsonObject {
  if (!isRunning(state) && state.completed.length === 0) return {};
  // Rows and chunks of the running snapshot, or of the last one that finished.
  const fields: JsonObject = {
    [OffsetKeys.COMPLETED]: JSON.stringify(state.completed),
    [OffsetKeys.ROWS]: state.rows,
    [OffsetKeys.CHUNKS]: state.chunks,
  };
  if (!isRunning(state)) return fields;
  return {
    ...fields,
    [OffsetKeys.COLLECTIONS]: JSON.stringify(
      state.collections.map((id) => ({
        incremental_snapshot_collections_id: id,
        incremental_snapshot_collections_additional_condition: null,
        incremental_snapshot_collections_surrogate_key: null,
      })),
    ),
    [OffsetKeys.PRIMARY_KEY]: state.lastKey === null ? null : JSON.stringify(state.lastKey),
    [OffsetKeys.MAXIMUM_KEY]: state.maxKey === null ? null : JSON.stringify(state.maxKey),
    [OffsetKeys.CORRELATION_ID]: state.signalIds[0] ?? null,
    [OffsetKeys.SIGNAL_IDS]: JSON.stringify(state.signalIds),
  };
}

function jsonArray(value: unknown): unknown[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

function keyOf(value: unknown): (string | null)[] | null {
  if (typeof value !== 'string') return null;
  return jsonArray(value).map((v) => (v === null ? null : String(v)));
}

/** The state a committed offset carries (none: no snapshot). */
export function stateFromOffset(offset: SourceOffset | null): IncrementalState {
  if (offset === null) return NO_SNAPSHOT;
  const collections = jsonArray(offset[OffsetKeys.COLLECTIONS])
    .map((c) =>
      c !== null && typeof c === 'object'
        ? (c as Record<string, unknown>)['incremental_snapshot_collections_id']
        : c,
    )
    .filter((c): c is string => typeof c === 'string');
  return {
    collections,
    lastKey: keyOf(offset[OffsetKeys.PRIMARY_KEY]),
    maxKey: keyOf(offset[OffsetKeys.MAXIMUM_KEY]),
    signalIds: jsonArray(offset[OffsetKeys.SIGNAL_IDS]).map(String),
    rows: Number(offset[OffsetKeys.ROWS] ?? 0) || 0,
    chunks: Number(offset[OffsetKeys.CHUNKS] ?? 0) || 0,
    completed: jsonArray(offset[OffsetKeys.COMPLETED]).map(String),
  };
}
