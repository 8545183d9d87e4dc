import type { JsonObject } from './json.js';
import type { Logger } from './logger.js';
import type { SourceRecord } from './records.js';

/**
 * One chunk of a job: the piece that runs on one worker at a time, checkpoints as it goes and is resumed
 * from its last checkpoint when its worker dies. `spec` is plain JSON (it is stored in Redis).
 */
export interface JobUnit {
  readonly spec: JsonObject;
  /** How many records the unit is expected to produce, for progress and ETA; omit when unknown. */
  readonly estimatedRecords?: number;
}

/** What a job type's `plan` found: the units to run, each independently of the others. */
export interface JobPlan {
  readonly units: readonly JobUnit[];
}

/** What a unit sees while it runs. */
export interface JobUnitContext {
  readonly jobId: string;
  /** Where a resumed unit left off (its last `checkpoint`), null on the first run. */
  readonly resumeFrom: JsonObject | null;
  readonly logger: Logger;
  /**
   * Converts the records with the job's converters (the worker's, or the job config's `key.converter` /
   * `value.converter`) and produces them; resolves once Kafka acknowledged all of them.
   */
  produce(records: readonly SourceRecord[]): Promise<void>;
  /**
   * Records how far the unit got, after what it produced is acknowledged: a resumed unit starts there, so
   * only what was produced after the last checkpoint can be produced twice. Throws JOB_CANCELLED once the
   * job was cancelled, which ends the unit.
   */
  checkpoint(position: JsonObject): Promise<void>;
  /**
   * For a unit whose records something else produces (a connector's incremental snapshot): how many were
   * produced so far, shown as the unit's records.
   */
  reportRecords(records: number): Promise<void>;
}

/**
 * What a job type may ask about the worker's connectors, as the REST API would (a `snapshot` job reads the
 * config of the connector it signals, and follows its committed offsets).
 */
export interface JobConnectors {
  /** The connector's config; a 404 CONNECTOR_NOT_FOUND when there is none. */
  config(name: string): Promise<Readonly<Record<string, string>>>;
  /** The connector's committed source offsets, one per source partition. */
  sourceOffsets(name: string): Promise<
    readonly {
      readonly partition: Readonly<Record<string, unknown>>;
      readonly offset: Readonly<Record<string, unknown>> | null;
    }[]
  >;
}

/**
 * A kind of bounded work (`backfill`, `rewind`, ...). It registers like a connector plugin: a name, the
 * JSON Schema its config must match (checked before anything runs), how it splits into units, and how a
 * unit runs. Connectors contribute job types through this interface without knowing about the queue.
 */
export interface JobType {
  readonly name: string;
  readonly description: string;
  /** JSON Schema (draft-07) of the config object; the config is a map of strings, as connector configs are. */
  readonly configSchema: JsonObject;
  /**
   * Checks the config against the outside world (the table exists, the connector is stopped) and splits
   * the work. Throws a 400 or 409 SluiceError naming the problem; nothing is queued then.
   */
  plan(config: Readonly<Record<string, string>>, logger: Logger): Promise<JobPlan>;
  /** Runs one unit to its end (from `context.resumeFrom` when resumed); the result is shown with the job. */
  runUnit(
    config: Readonly<Record<string, string>>,
    unit: JsonObject,
    context: JobUnitContext,
  ): Promise<JsonObject>;
}
