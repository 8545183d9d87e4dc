import type { JsonObject } from '../api/json.js';

/** BullMQ job names: one parent per REST job, one child per unit. */
export const PARENT_JOB = 'job';
export const UNIT_JOB = 'unit';
/** The queue every worker of a cluster shares (its keys are `<jobs.queue.prefix>:jobs:*`). */
export const QUEUE_NAME = 'jobs';

/** The parent's data: what was asked for. */
export interface ParentData {
  readonly type: string;
  readonly config: Record<string, string>;
  readonly unitCount: number;
  readonly estimatedRecords: number | null;
  readonly createdAt: number;
}

/** A unit's data, rewritten at each checkpoint, so a unit resumed elsewhere starts where it left off. */
export interface UnitData {
  readonly jobId: string;
  readonly type: string;
  readonly config: Record<string, string>;
  readonly index: number;
  readonly spec: JsonObject;
  readonly estimatedRecords: number | null;
  readonly checkpoint: JsonObject | null;
  /** Records and bytes produced up to the checkpoint. */
  readonly records: number;
  readonly bytes: number;
  /** Records produced since the checkpoint: produced again if the unit is resumed. */
  readonly inFlight: number;
  readonly possibleDuplicates: number;
  /** Set when a retried job re-queues a unit that had already finished: it is not run again. */
  readonly result: JsonObject | null;
}

/** BullMQ's custom ids may not contain ':'; a unit's id derives from its job's. */
export function unitJobId(jobId: string, index: number): string {
  return `${jobId}-u${index}`;
}

/** The Redis hash whose fields are the ids of cancelled jobs (value: when). */
export function cancelledHash(prefix: string): string {
  return `${prefix}:${QUEUE_NAME}:cancelled`;
}
