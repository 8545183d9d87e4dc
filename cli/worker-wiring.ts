import type { ConnectorPlugin } from '../runtime/api/plugin.js';
import type { ConfigInfos } from '../runtime/cluster/rest-types.js';
import { createConfigTransformer } from '../runtime/config/config-providers.js';
import type { WorkerConfig } from '../runtime/config/worker-config.js';
import { KafkajsAccess } from '../runtime/kafka/kafkajs-access.js';
import type { KafkaClient } from '../runtime/kafka/types.js';
import type { LogRegistry } from '../runtime/logging/log-registry.js';
import { processMetrics, processMetricsHistory } from '../runtime/metrics/process-metrics.js';
import type { PrometheusMetrics } from '../runtime/metrics/prometheus-metrics.js';
import type { WorkerMetrics } from '../runtime/metrics/worker-metrics.js';
import type { ConnectorOffsetStores } from '../runtime/storage/connector-offset-stores.js';
import { buildTransformChain } from '../runtime/transforms/transform-chain.js';
import type { PluginRegistry } from '../runtime/worker/plugin-registry.js';
import { Worker, type StatusEvent, type TopicUsedEvent } from '../runtime/worker/worker.js';
import { connectorValidator } from './connector-validation.js';

export interface WorkerWiring {
  readonly worker: Worker;
  /** Connect's validate, with ${provider:...} placeholders resolved first (as its AbstractHerder). */
  readonly validate: (plugin: ConnectorPlugin, config: Record<string, string>) => Promise<ConfigInfos>;
  /** The `host:port` statuses carry; fixed once the REST listener is bound. */
  readonly workerId: string;
  setWorkerId(id: string): void;
  /** This worker's counters behind GET /metrics; distributed mode reports group rounds here (recordRebalance). */
  readonly metrics: WorkerMetrics;
}

/** Builds the worker the same way for every mode, so standalone and distributed workers cannot drift apart. */
export function wireWorker(args: {
  readonly config: WorkerConfig;
  readonly plugins: PluginRegistry;
  readonly kafka: KafkaClient;
  readonly offsetStores: ConnectorOffsetStores;
  readonly logs: LogRegistry;
  readonly onStatus: (event: StatusEvent) => void;
  readonly onTopicUsed: (event: TopicUsedEvent) => void;
  /** Where GET /metrics reads this worker's counters (default: the process-wide registry). */
  readonly metrics?: PrometheusMetrics;
}): WorkerWiring {
  const { config, plugins, logs } = args;
  const configTransformer = createConfigTransformer(config.raw);
  const transformLookup = {
    transformation: (n: string) => plugins.transformation(n),
    predicate: (n: string) => plugins.predicate(n),
  };
  const settings = {
    workerId: '',
    // Converter defaults from the worker ConfigDef, overridden by what the file says.
    workerConfig: {
      'key.converter': config.keyConverter,
      'value.converter': config.valueConverter,
      'header.converter': config.headerConverter,
      ...config.raw,
    },
    offsetFlushIntervalMs: config.offsetFlushIntervalMs,
    offsetFlushTimeoutMs: config.offsetFlushTimeoutMs,
    gracefulShutdownMs: config.taskShutdownGracefulTimeoutMs,
    topicCreationEnable: config.topicCreationEnable,
    tasksMaxLimit: config.tasksMaxLimit,
    exactlyOnceSource: config.exactlyOnceSourceSupport === 'enabled',
    transactionalIdPrefix: config.mode === 'distributed' ? config.groupId : config.offsetStorageTopic,
    topicTrackingEnable: config.topicTrackingEnable,
  };
  const metrics = (args.metrics ?? processMetrics()).addWorker();
  // The process's workers are sampled for GET /metrics/history from their start on.
  if (args.metrics === undefined) processMetricsHistory();
  const worker = new Worker(settings, {
    plugins,
    kafka: args.kafka,
    offsetStores: args.offsetStores,
    logger: (name) => logs.logger(name),
    resolveConfig: (c) => configTransformer.transform(c),
    createTransformer: (c) => buildTransformChain(c, transformLookup),
    onStatus: args.onStatus,
    onTopicUsed: args.onTopicUsed,
    kafkaAccess: new KafkajsAccess(logs.logger('sluice.kafka')),
    metrics,
  });
  const validateConnector = connectorValidator(
    plugins,
    config.tasksMaxLimit,
    settings.workerConfig,
    config.exactlyOnceSourceSupport === 'enabled',
  );
  return {
    worker,
    validate: async (plugin, connectorConfig) =>
      validateConnector(plugin, await configTransformer.transform(connectorConfig)),
    get workerId() {
      return settings.workerId;
    },
    setWorkerId(id) {
      settings.workerId = id;
    },
    metrics,
  };
}
