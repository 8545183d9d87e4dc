import type { Logger } from '../runtime/api/logger.js';
import { dirname } from 'node:path';
import { SluiceError } from '../runtime/errors/sluice-error.js';
import { StandaloneHerder } from '../runtime/cluster/standalone-herder.js';
import { configKeyInfos } from '../runtime/config/config-key-info.js';
import { pluginConfigDef } from '../runtime/config/connector-config.js';
import { readConnectorFile, readPropertiesFile } from '../runtime/config/properties-file.js';
import { parseWorkerConfig, type StandaloneWorkerConfig } from '../runtime/config/worker-config.js';
import { KafkajsClient } from '../runtime/kafka/kafkajs-client.js';
import { LogRegistry } from '../runtime/logging/log-registry.js';
import { logFormatFrom } from '../runtime/logging/text-log-stream.js';
import { FileConfigStore } from '../runtime/storage/file-config-store.js';
import { FileOffsetStore } from '../runtime/storage/file-offset-store.js';
import { KafkaOffsetStore } from '../runtime/storage/kafka-offset-store.js';
import { KafkaTopicLog } from '../runtime/storage/kafka-topic-log.js';
import { ConnectorOffsetStores } from '../runtime/storage/connector-offset-stores.js';
import { LayeredOffsetStore } from '../runtime/storage/layered-offset-store.js';
import type { OffsetStore } from '../runtime/storage/offset-store.js';
import { warnUnknownWorkerKeys } from './unknown-worker-keys.js';
import { loadPluginPath } from '../runtime/worker/plugin-loader.js';
import { PluginRegistry } from '../runtime/worker/plugin-registry.js';
import { startJobs } from '../runtime/jobs/start-jobs.js';
import { builtinJobTypes } from './builtin-job-types.js';
import { builtinPlugins } from './builtin-plugins.js';
import { SLUICE_COMMIT, SLUICE_VERSION } from './version.js';
import { learnKafkaClusterId, startWorkerRest, workerRestSecurity } from './worker-rest.js';
import { wireWorker } from './worker-wiring.js';

export interface RunningStandalone {
  readonly url: string;
  readonly herder: StandaloneHerder;
  /** The worker's own logger: where the shutdown notices go, in the worker's log format. */
  readonly logger: Logger;
  stop(): Promise<void>;
}

/** Where standalone keeps connectors created over REST: beside the offsets file. */
export function connectorsFileFor(config: StandaloneWorkerConfig): string {
  return config.raw['sluice.connectors.file'] ?? `${config.offsetStorageFileFilename}.connectors.json`;
}

/**
 * Where source offsets go: the offsets file; with exactly-once source support, a Kafka offsets topic first
 * (transactions can only write to Kafka) with the file behind it, so connectors that ran before resume where
 * they were. A connector's own offsets.storage.topic is a topic store in front of either.
 */
function standaloneOffsetStores(
  config: StandaloneWorkerConfig,
  kafka: KafkajsClient,
  logs: LogRegistry,
): ConnectorOffsetStores {
  const topicStore = (topic: string): KafkaOffsetStore =>
    new KafkaOffsetStore(
      new KafkaTopicLog(
        kafka,
        {
          topic,
          partitions: config.offsetStoragePartitions,
          replicationFactor: config.offsetStorageReplicationFactor,
        },
        { logger: logs.logger('sluice.internal-topics') },
      ),
    );
  const file = new FileOffsetStore(config.offsetStorageFileFilename);
  const exactlyOnce = config.exactlyOnceSourceSupport === 'enabled';
  const workerStore: OffsetStore = exactlyOnce
    ? new LayeredOffsetStore(topicStore(config.offsetStorageTopic), file)
    : file;
  return new ConnectorOffsetStores(workerStore, exactlyOnce ? config.offsetStorageTopic : null, topicStore);
}

/** Starts a standalone worker: REST first (answers within a second), then the stored and given connectors. */
export async function startStandalone(
  workerFile: string,
  connectorFiles: readonly string[],
): Promise<RunningStandalone> {
  const raw = await readPropertiesFile(workerFile);
  const config = parseWorkerConfig(raw, 'standalone') as StandaloneWorkerConfig;
  const connectors = await Promise.all(connectorFiles.map((f) => readConnectorFile(f)));
  const logs = new LogRegistry({
    level: raw['log.level'] ?? process.env['SLUICE_LOG_LEVEL'] ?? 'INFO',
    format: logFormatFrom(raw),
  });
  const log = logs.logger('sluice.worker');
  warnUnknownWorkerKeys(raw, 'standalone', log);
  // Read before anything starts: a bad security key or file stops the worker now. Plugin names are
  // resolved only when a request asks, long after the registry below exists.
  const security = workerRestSecurity(
    config,
    (name) => logs.logger(name),
    (name) => plugins.connector(name)?.className,
  );

  const plugins = new PluginRegistry([
    ...builtinPlugins,
    ...(await loadPluginPath(config.pluginPath, dirname(workerFile), log)),
  ]);
  const kafka = new KafkajsClient(
    {
      bootstrapServers: config.bootstrapServers.join(','),
      clientId: raw['client.id'] ?? 'sluice',
      properties: raw,
    },
    logs.logger('sluice.kafka'),
  );
  const offsetStores = standaloneOffsetStores(config, kafka, logs);
  const configStore = new FileConfigStore(connectorsFileFor(config));
  await Promise.all([offsetStores.workerStore.start(), configStore.start()]);

  const serverInfo = {
    version: SLUICE_VERSION,
    commit: SLUICE_COMMIT,
    kafka_cluster_id: null as string | null,
  };
  // The worker id must be known before tasks report status; it is fixed once REST is bound.
  let herder: StandaloneHerder | null = null;
  const wiring = wireWorker({
    config,
    plugins,
    kafka,
    offsetStores,
    logs,
    onStatus: (event) => herder?.onStatus(event),
    onTopicUsed: (event) => herder?.onTopicUsed(event),
  });
  const worker = wiring.worker;
  herder = new StandaloneHerder({
    worker,
    configStore,
    offsetStores,
    plugins,
    admin: () => kafka.admin(),
    // Placeholders are checked for what they stand for (a topic name, a number); the stored config keeps them.
    validate: wiring.validate,
    describeConfig: (plugin) => configKeyInfos(pluginConfigDef(plugin)),
    logLevels: logs,
    connectorLogs: logs.connectorLogs,
    logger: logs.logger('sluice.herder'),
    serverInfo,
    topicTracking: { enable: config.topicTrackingEnable, allowReset: config.topicTrackingAllowReset },
  });

  const jobs = startJobs({
    config,
    kafka,
    plugins,
    types: builtinJobTypes(herder, kafka),
    logger: logs.logger('sluice.jobs'),
  });
  const rest = await startWorkerRest(herder, config, security, jobs.service);
  wiring.setWorkerId(rest.workerId);
  log.info(`Sluice ${SLUICE_VERSION} standalone worker listening on ${rest.server.urls.join(', ')}`);
  learnKafkaClusterId(kafka, serverInfo, log, config.bootstrapServers);

  for (const [i, c] of connectors.entries()) {
    try {
      await herder.putConnectorConfig(c.name, c.config, {
        allowReplace: true,
        ...(c.initialState
          ? { initialState: c.initialState === 'RUNNING' ? 'STARTED' : c.initialState }
          : {}),
      });
    } catch (error) {
      // With several files on the command line, the operator must learn which one to fix.
      if (!(error instanceof SluiceError)) throw error;
      await rest.server.close();
      throw new SluiceError('CONNECTOR_FILE_INVALID', [connectorFiles[i]!, error.message], { cause: error });
    }
  }
  await herder.start();

  const running = herder;
  return {
    url: rest.server.url,
    herder: running,
    logger: log,
    async stop() {
      log.info('stopping: tasks stop and commit their offsets');
      await running.stop();
      await rest.server.close();
      await jobs.stop();
      await Promise.all([offsetStores.stop(), offsetStores.workerStore.stop(), configStore.stop()]);
      await kafka.close();
      log.info('stopped');
    },
  };
}
