import { randomUUID } from 'node:crypto';
import { FlowProducer, Queue, type FlowJob, type Job } from 'bullmq';
import type { JsonObject } from '../api/json.js';
import type { Logger } from '../api/logger.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { JobService, JobView } from './job-service.js';
import type { JobTypeRegistry } from './job-type-registry.js';
import { jobView, type ParentSnapshot, type QueueState, type UnitSnapshot } from './job-view.js';
import type { RedisConnectionOptions } from './redis-connection.js';
import {
  cancelledHash,
  PARENT_JOB,
  QUEUE_NAME,
  UNIT_JOB,
  unitJobId,
  type ParentData,
  type UnitData,
} from './stored-job.js';

/** Attempts of a unit failing with a retryable error (a Kafka leader election, a dropped connection). */
const UNIT_ATTEMPTS = 3;
/** Finished jobs kept for GET /jobs (the oldest are removed first). */
const KEEP_FINISHED = 1000;

export interface BullmqJobServiceOptions {
  readonly connection: RedisConnectionOptions;
  readonly prefix: string;
  readonly types: JobTypeRegistry;
  readonly logger: Logger;
}

/**
 * Jobs in a BullMQ flow shared through Redis: one parent per job, one child per unit. Any worker of the
 * cluster runs the units (so chunks of one job run in parallel across workers); the parent runs last and
 * sums the units' results. Every worker serves these calls from Redis: no request is forwarded.
 */
export class BullmqJobService implements JobService {
  private readonly queue: Queue;
  private readonly flows: FlowProducer;

  constructor(private readonly options: BullmqJobServiceOptions) {
    this.queue = new Queue(QUEUE_NAME, { connection: options.connection, prefix: options.prefix });
    this.flows = new FlowProducer({ connection: options.connection, prefix: options.prefix });
  }

  async submit(type: string, config: Readonly<Record<string, string>>): Promise<JobView> {
    this.options.types.assertValidConfig(type, config);
    const jobType = this.options.types.get(type);
    const plan = await jobType.plan(config, this.options.logger);
    const estimates = plan.units.map((u) => u.estimatedRecords);
    const id = randomUUID();
    const units: UnitData[] = plan.units.map((unit, index) =>
      unitNotStarted(id, type, { ...config }, index, unit.spec, unit.estimatedRecords ?? null),
    );
    const parent: ParentData = {
      type,
      config: { ...config },
      unitCount: units.length,
      estimatedRecords: estimates.every((e) => e !== undefined)
        ? estimates.reduce((sum: number, e) => sum + (e ?? 0), 0)
        : null,
      createdAt: Date.now(),
    };
    await this.addFlow(id, parent, units);
    this.options.logger.info(`job ${id} (${type}) queued with ${units.length} unit(s)`);
    return this.get(id);
  }

  private async addFlow(id: string, parent: ParentData, units: readonly UnitData[]): Promise<void> {
    const children: FlowJob[] = units.map((unit) => ({
      name: UNIT_JOB,
      queueName: QUEUE_NAME,
      data: unit,
      opts: {
        jobId: unitJobId(id, unit.index),
        failParentOnFailure: true,
        attempts: UNIT_ATTEMPTS,
        backoff: { type: 'exponential', delay: 1000 },
      },
    }));
    await this.flows.add({
      name: PARENT_JOB,
      queueName: QUEUE_NAME,
      data: parent,
      opts: { jobId: id, removeOnComplete: KEEP_FINISHED, removeOnFail: KEEP_FINISHED },
      children,
    });
  }

  async list(): Promise<JobView[]> {
    const jobs = await this.queue.getJobs([
      'waiting-children',
      'waiting',
      'active',
      'delayed',
      'prioritized',
      'completed',
      'failed',
    ]);
    const parents = jobs.filter((j) => j.name === PARENT_JOB && j.id !== undefined);
    const views = await Promise.all(parents.map((j) => this.viewOf(j)));
    return views.sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  async get(id: string): Promise<JobView> {
    return this.viewOf(await this.parentJob(id));
  }

  async cancel(id: string): Promise<JobView> {
    const parent = await this.parentJob(id);
    const view = await this.viewOf(parent);
    if (view.state === 'completed' || view.state === 'failed' || view.state === 'cancelled') return view;
    // Units see the mark at their next checkpoint (active) or when they start (waiting) and stop there.
    const client = await this.queue.client;
    await client.hset(cancelledHash(this.options.prefix), { [id]: Date.now() });
    this.options.logger.info(`job ${id} cancelled`);
    return this.viewOf(parent);
  }

  async retry(id: string): Promise<JobView> {
    const parent = await this.parentJob(id);
    const view = await this.viewOf(parent);
    if (view.state !== 'failed' && view.state !== 'cancelled')
      throw new SluiceError('JOB_CONFLICT', [
        `Job ${id} is ${view.state}: only a failed or cancelled job can be retried`,
      ]);
    const units = await this.unitJobs(parent);
    if (units.some((u) => u.state === 'active'))
      throw new SluiceError('JOB_CONFLICT', [
        `Job ${id} still has a unit running (it stops at its next checkpoint): retry in a moment`,
      ]);
    // The flow is queued again under the same id: finished units keep their result, the others their checkpoint.
    const data = parent.data as ParentData;
    const carried: UnitData[] = units.map((u) => ({
      ...u.data,
      result: u.state === 'completed' ? ((u.job?.returnvalue as JsonObject | undefined) ?? {}) : null,
    }));
    await parent.remove({ removeChildren: true });
    const client = await this.queue.client;
    await client.hdel(cancelledHash(this.options.prefix), id);
    await this.addFlow(id, data, carried);
    this.options.logger.info(`job ${id} retried`);
    return this.get(id);
  }

  async close(): Promise<void> {
    await Promise.all([this.queue.close(), this.flows.close()]);
  }

  private async parentJob(id: string): Promise<Job> {
    const job = await this.queue.getJob(id);
    if (job === undefined || job.name !== PARENT_JOB) throw new SluiceError('JOB_NOT_FOUND', [id]);
    return job;
  }

  private async unitJobs(
    parent: Job,
  ): Promise<{ job: Job | undefined; data: UnitData; state: QueueState }[]> {
    const data = parent.data as ParentData;
    const id = parent.id!;
    return Promise.all(
      Array.from({ length: data.unitCount }, async (_, index) => {
        const job = await this.queue.getJob(unitJobId(id, index));
        const state = job === undefined ? 'unknown' : ((await job.getState()) as QueueState);
        return { job, data: (job?.data as UnitData | undefined) ?? emptyUnit(id, data, index), state };
      }),
    );
  }

  private async viewOf(parent: Job): Promise<JobView> {
    const id = parent.id!;
    const client = await this.queue.client;
    const [state, cancelled, units] = await Promise.all([
      parent.getState() as Promise<QueueState>,
      client.hexists(cancelledHash(this.options.prefix), id),
      this.unitJobs(parent),
    ]);
    const snapshot: ParentSnapshot = {
      id,
      data: parent.data as ParentData,
      state,
      finishedOn: parent.finishedOn ?? null,
      failedReason: parent.failedReason ?? null,
      result: (parent.returnvalue as JsonObject | null | undefined) ?? null,
      cancelled: cancelled > 0,
    };
    const unitSnapshots: UnitSnapshot[] = units.map((u) => ({
      data: u.data,
      state: u.state,
      processedOn: u.job?.processedOn ?? null,
      failedReason: u.job?.failedReason ?? null,
    }));
    return jobView(snapshot, unitSnapshots, Date.now());
  }
}

/** A unit whose BullMQ job is gone (removed by hand): counted as nothing done. */
function emptyUnit(jobId: string, parent: ParentData, index: number): UnitData {
  return unitNotStarted(jobId, parent.type, parent.config, index, {}, null);
}

/** A unit's data before it ran: no checkpoint, nothing counted. */
function unitNotStarted(
  jobId: string,
  type: string,
  config: UnitData['config'],
  index: number,
  spec: UnitData['spec'],
  estimatedRecords: number | null,
): UnitData {
  return {
    jobId,
    type,
    config,
    index,
    spec,
    estimatedRecords,
    checkpoint: null,
    records: 0,
    bytes: 0,
    inFlight: 0,
    possibleDuplicates: 0,
    result: null,
  };
}
