import type { JsonObject } from '../api/json.js';
import type { JobState, JobView } from './job-service.js';
import type { ParentData, UnitData } from './stored-job.js';

/** BullMQ's state names, as Job.getState() returns them. */
export type QueueState =
  'completed' | 'failed' | 'active' | 'waiting' | 'waiting-children' | 'delayed' | 'prioritized' | 'unknown';

export interface ParentSnapshot {
  readonly id: string;
  readonly data: ParentData;
  readonly state: QueueState;
  readonly finishedOn: number | null;
  readonly failedReason: string | null;
  readonly result: JsonObject | null;
  readonly cancelled: boolean;
}

export interface UnitSnapshot {
  readonly data: UnitData;
  readonly state: QueueState;
  readonly processedOn: number | null;
  readonly failedReason: string | null;
}

const SECRET_KEY = /password|secret|credential|token|key\.id$/i;

function redacted(config: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[hidden]' : v]));
}

function stateOf(parent: ParentSnapshot, units: readonly UnitSnapshot[]): JobState {
  if (parent.state === 'completed') return 'completed';
  if (parent.cancelled) return 'cancelled';
  if (parent.state === 'failed') return 'failed';
  if (parent.state === 'waiting-children') {
    const started = units.some((u) => u.state === 'active' || u.state === 'completed' || u.data.records > 0);
    return started ? 'active' : 'waiting';
  }
  // The parent itself runs once every unit is done: it sums their results.
  return parent.state === 'active' ? 'active' : units.length > 0 ? 'active' : 'waiting';
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** What GET /jobs/{id} shows, from the parent's and the units' stored state, at time `now`. */
export function jobView(parent: ParentSnapshot, units: readonly UnitSnapshot[], now: number): JobView {
  const state = stateOf(parent, units);
  const records = units.reduce((sum, u) => sum + u.data.records, 0);
  const bytes = units.reduce((sum, u) => sum + u.data.bytes, 0);
  const possibleDuplicates = units.reduce((sum, u) => sum + u.data.possibleDuplicates, 0);
  const unitsDone = units.filter((u) => u.state === 'completed').length;
  const starts = units.map((u) => u.processedOn).filter((t): t is number => t !== null);
  const startedAt = starts.length === 0 ? null : Math.min(...starts);
  const finished = state === 'completed' || state === 'failed' || state === 'cancelled';
  const finishedAt = finished ? (parent.finishedOn ?? now) : null;
  const elapsedS = startedAt === null ? 0 : Math.max(((finishedAt ?? now) - startedAt) / 1000, 0.001);
  const rate = startedAt === null ? 0 : records / elapsedS;
  const estimate = parent.data.estimatedRecords;
  const eta = finished || rate === 0 || estimate === null ? null : Math.max(estimate - records, 0) / rate;
  const unitError = units.find((u) => u.state === 'failed' && u.failedReason !== null)?.failedReason ?? null;
  return {
    id: parent.id,
    type: parent.data.type,
    config: redacted(parent.data.config),
    state,
    progress: {
      units_done: state === 'completed' ? parent.data.unitCount : unitsDone,
      units_total: parent.data.unitCount,
      records,
      bytes,
      estimated_records: estimate,
      records_per_second: Math.round(rate * 10) / 10,
      eta_seconds: eta === null ? null : Math.round(eta * 10) / 10,
      possible_duplicates: possibleDuplicates,
    },
    created_at: iso(parent.data.createdAt)!,
    started_at: iso(startedAt),
    finished_at: iso(finishedAt),
    error: state === 'failed' ? (unitError ?? parent.failedReason) : null,
    result: parent.result,
  };
}
