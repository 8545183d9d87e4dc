import type { JobType } from '../api/job.js';
import type { Logger } from '../api/logger.js';
import type { WorkerConfig } from '../config/worker-config.js';
import type { KafkaClient } from '../kafka/types.js';
import { processMetrics } from '../metrics/process-metrics.js';
import type { PluginRegistry } from '../worker/plugin-registry.js';
import { BullmqJobService } from './bullmq-job-service.js';
import { JobMetrics } from './job-metrics.js';
import { JobRunner } from './job-runner.js';
import { disabledJobService, type JobService } from './job-service.js';
import { JobTypeRegistry } from './job-type-registry.js';
import { RecordProducer } from './record-producer.js';
import { redisConnectionOf } from './redis-connection.js';

export interface RunningJobs {
  readonly service: JobService;
  stop(): Promise<void>;
}

/**
 * Starts jobs on a worker, the same way in standalone and distributed mode: the REST side and a runner
 * on the queue `redis.url` names. Without `redis.url` the service answers every call with 503.
 */
export function startJobs(args: {
  readonly config: WorkerConfig;
  readonly kafka: KafkaClient;
  readonly plugins: PluginRegistry;
  readonly types: readonly JobType[];
  readonly logger: Logger;
}): RunningJobs {
  const { config, logger } = args;
  const url = config.raw['redis.url'];
  if (url === undefined || url.trim() === '') return { service: disabledJobService, stop: async () => {} };
  const connection = redisConnectionOf(url.trim());
  const prefix = config.raw['jobs.queue.prefix'] ?? 'sluice';
  const types = new JobTypeRegistry(args.types);
  const service = new BullmqJobService({ connection, prefix, types, logger });
  const metrics = JobMetrics.for(processMetrics().registry, async () =>
    (await service.list()).map((j) => j.state),
  );
  const producer = new RecordProducer(
    () => args.kafka.producer({ clientId: 'sluice-jobs' }),
    () => args.kafka.admin(),
  );
  const runner = new JobRunner({
    connection,
    prefix,
    concurrency: Number(config.raw['jobs.concurrency'] ?? 2),
    lockDurationMs: Number(config.raw['jobs.lock.duration.ms'] ?? 30000),
    types,
    plugins: args.plugins,
    workerConfig: {
      'key.converter': config.keyConverter,
      'value.converter': config.valueConverter,
      'header.converter': config.headerConverter,
      ...config.raw,
    },
    producer,
    metrics,
    logger,
  });
  logger.info(
    `jobs enabled on ${connection.host}:${connection.port} (queue prefix ${prefix}): ${types.names().join(', ')}`,
  );
  return {
    service,
    async stop() {
      await runner.close();
      await Promise.all([service.close(), producer.close()]);
    },
  };
}
