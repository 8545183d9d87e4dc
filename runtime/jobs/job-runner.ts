import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { JobUnitContext } from '../api/job.js';
import type { JsonObject } from '../api/json.js';
import type { Logger } from '../api/logger.js';
import type { SourceRecord } from '../api/records.js';
import { SluiceError, traceOf } from '../errors/sluice-error.js';
import { createConverters } from '../worker/converter-factory.js';
import type { PluginRegistry } from '../worker/plugin-registry.js';
import type { JobMetrics } from './job-metrics.js';
import type { JobTypeRegistry } from './job-type-registry.js';
import type { RecordProducer } from './record-producer.js';
import type { RedisConnectionOptions } from './redis-connection.js';
import { cancelledHash, PARENT_JOB, QUEUE_NAME, type UnitData } from './stored-job.js';

export interface JobRunnerOptions {
  readonly connection: RedisConnectionOptions;
  readonly prefix: string;
  readonly concurrency: number;
  /** How long a unit stays with a worker that stopped renewing its lock before another resumes it. */
  readonly lockDurationMs: number;
  readonly types: JobTypeRegistry;
  readonly plugins: PluginRegistry;
  /** The worker's properties: converters default to the worker's, as for connectors. */
  readonly workerConfig: Readonly<Record<string, string>>;
  readonly producer: RecordProducer;
  readonly metrics: JobMetrics;
  readonly logger: Logger;
}

/** A killed worker's unit may be resumed this many times before the job fails (a unit that kills its worker). */
const MAX_STALLED = 10;

function positiveInt(config: Readonly<Record<string, string>>, key: string, fallback: number): number {
  const value = Number(config[key] ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * Runs units of the shared queue on this worker: each unit from its checkpoint, producing through the
 * worker's producer; and, once all units of a job finished, the job itself, which sums their results.
 */
export class JobRunner {
  private readonly worker: Worker;
  private readonly queue: Queue;

  constructor(private readonly options: JobRunnerOptions) {
    this.queue = new Queue(QUEUE_NAME, { connection: options.connection, prefix: options.prefix });
    this.worker = new Worker(QUEUE_NAME, (job) => this.process(job), {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.lockDurationMs,
      maxStalledCount: MAX_STALLED,
    });
    this.worker.on('error', (error) => options.logger.warn('job queue error', { error: String(error) }));
    this.worker.on('failed', (job, error) => {
      if (job !== undefined)
        options.logger.warn(`job unit ${job.id ?? '?'} failed`, { error: error.message });
    });
  }

  private process(job: Job): Promise<JsonObject> {
    return job.name === PARENT_JOB ? this.finishJob(job) : this.runUnit(job);
  }

  private async finishJob(job: Job): Promise<JsonObject> {
    const values = Object.values(await job.getChildrenValues<JsonObject>());
    const sum = (key: string): number => values.reduce((s, v) => s + Number(v[key] ?? 0), 0);
    const result: JsonObject = {
      records: sum('records'),
      bytes: sum('bytes'),
      possible_duplicates: sum('possible_duplicates'),
      units: values.sort((a, b) => Number(a['unit'] ?? 0) - Number(b['unit'] ?? 0)),
    };
    this.options.logger.info(`job ${job.id ?? '?'} completed`, { records: result['records'] });
    return result;
  }

  private async cancelled(jobId: string): Promise<boolean> {
    const client = await this.queue.client;
    return (await client.hexists(cancelledHash(this.options.prefix), jobId)) > 0;
  }

  private async runUnit(job: Job): Promise<JsonObject> {
    const start = job.data as UnitData;
    if (start.result !== null) return start.result;
    if (await this.cancelled(start.jobId))
      throw new UnrecoverableError(new SluiceError('JOB_CANCELLED', [start.jobId]).message);
    // Records sent after the last checkpoint of an earlier run are sent again: count them as possible duplicates.
    let state: UnitData = {
      ...start,
      possibleDuplicates: start.possibleDuplicates + start.inFlight,
      inFlight: 0,
    };
    if (start.inFlight > 0) await job.updateData(state);
    let inFlightBytes = 0;
    const { types, plugins, workerConfig, producer, metrics } = this.options;
    const type = types.get(state.type);
    const converters = createConverters(plugins, workerConfig, state.config);
    const newTopic = {
      partitions: positiveInt(state.config, 'topic.partitions', 1),
      replicationFactor: positiveInt(state.config, 'topic.replication.factor', 1),
    };
    const context: JobUnitContext = {
      jobId: state.jobId,
      resumeFrom: state.checkpoint,
      logger: this.options.logger,
      produce: async (records: readonly SourceRecord[]) => {
        state = { ...state, inFlight: state.inFlight + records.length };
        await job.updateData(state);
        const batch = await producer.produce(records, converters, newTopic);
        inFlightBytes += batch.bytes;
        metrics.produced(state.type, batch.records, batch.bytes);
      },
      checkpoint: async (position: JsonObject) => {
        state = {
          ...state,
          checkpoint: position,
          records: state.records + state.inFlight,
          bytes: state.bytes + inFlightBytes,
          inFlight: 0,
        };
        inFlightBytes = 0;
        await job.updateData(state);
        if (await this.cancelled(state.jobId)) throw new SluiceError('JOB_CANCELLED', [state.jobId]);
      },
      reportRecords: async (records: number) => {
        if (records === state.records) return;
        state = { ...state, records };
        await job.updateData(state);
      },
    };
    try {
      const outcome = await type.runUnit(state.config, state.spec, context);
      state = {
        ...state,
        records: state.records + state.inFlight,
        bytes: state.bytes + inFlightBytes,
        inFlight: 0,
      };
      await job.updateData(state);
      return {
        ...outcome,
        unit: state.index,
        records: state.records,
        bytes: state.bytes,
        possible_duplicates: state.possibleDuplicates,
      };
    } catch (error) {
      // A fatal error (or a cancel) fails the unit at once; a retryable one uses the unit's attempts.
      if (error instanceof SluiceError && !error.retryable) {
        if (error.code !== 'JOB_CANCELLED')
          this.options.logger.error(`job ${state.jobId} unit ${state.index} failed`, {
            error: traceOf(error),
          });
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
  }

  async waitUntilReady(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
  }
}
