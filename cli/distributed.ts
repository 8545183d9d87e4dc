import { dirname } from 'node:path';
import { startRestServer, type RunningRestServer } from '../api/index.js';
import { DistributedHerder } from '../runtime/cluster/distributed-herder.js';
import { PROTOCOL_NAME, PROTOCOL_TYPE } from '../runtime/cluster/group-protocol.js';
import { WorkerGroup } from '../runtime/cluster/worker-group.js';
import { configKeyInfos } from '../runtime/config/config-key-info.js';
import { readPropertiesFile } from '../runtime/config/properties-file.js';
import { parseWorkerConfig, type DistributedWorkerConfig } from '../runtime/config/worker-config.js';
import { KafkajsClient } from '../runtime/kafka/kafkajs-client.js';
import { LogRegistry } from '../runtime/logging/log-registry.js';
import { KafkaConfigStore } from '../runtime/storage/kafka-config-store.js';
import { KafkaOffsetStore } from '../runtime/storage/kafka-offset-store.js';
import { KafkaStatusStore } from '../runtime/storage/kafka-status-store.js';
import { KafkaTopicLog } from '../runtime/storage/kafka-topic-log.js';
import { loadPluginPath } from '../runtime/worker/plugin-loader.js';
import { PluginRegistry } from '../runtime/worker/plugin-registry.js';
import { builtinPlugins } from './builtin-plugins.js';
import { SLUICE_VERSION } from './version.js';
import { wireWorker } from './worker-wiring.js';

export interface RunningDistributed {
  readonly url: string;
  readonly herder: DistributedHerder;
  stop(): Promise<void>;
}

/**
 * Starts a worker of a distributed cluster: reads the internal topics to their end, binds REST, then
 * joins the group; the leader's assignment decides what runs here.
 */
export async function startDistributed(workerFile: string): Promise<RunningDistributed> {
  const raw = await readPropertiesFile(workerFile);
  const config = parseWorkerConfig(raw, 'distributed') as DistributedWorkerConfig;
  const logs = new LogRegistry({ level: raw['log.level'] ?? process.env['SLUICE_LOG_LEVEL'] ?? 'INFO' });
  const log = logs.logger('sluice.worker');

  const plugins = new PluginRegistry([
    ...builtinPlugins,
    ...(await loadPluginPath(config.pluginPath, dirname(workerFile))),
  ]);
  const kafka = new KafkajsClient(
    {
      bootstrapServers: config.bootstrapServers.join(','),
      clientId: raw['client.id'] ?? `sluice-${config.groupId}`,
    },
    logs.logger('sluice.kafka'),
  );
  const configStore = new KafkaConfigStore(
    new KafkaTopicLog(kafka, {
      topic: config.configStorageTopic,
      // Connect requires a single partition: the order of config records is the order of changes.
      partitions: 1,
      replicationFactor: config.configStorageReplicationFactor,
    }),
    logs.logger('sluice.config-store'),
  );
  const offsetStore = new KafkaOffsetStore(
    new KafkaTopicLog(kafka, {
      topic: config.offsetStorageTopic,
      partitions: config.offsetStoragePartitions,
      replicationFactor: config.offsetStorageReplicationFactor,
    }),
  );
  const statusStore = new KafkaStatusStore(
    new KafkaTopicLog(kafka, {
      topic: config.statusStorageTopic,
      partitions: config.statusStoragePartitions,
      replicationFactor: config.statusStorageReplicationFactor,
    }),
  );
  await Promise.all([configStore.start(), offsetStore.start(), statusStore.start()]);

  const serverInfo = { version: SLUICE_VERSION, commit: 'unknown', kafka_cluster_id: null as string | null };
  let herder: DistributedHerder | null = null;
  const wiring = wireWorker({
    config,
    plugins,
    kafka,
    offsetStore,
    logs,
    onStatus: (event) => herder?.onStatus(event),
  });
  const worker = wiring.worker;
  herder = new DistributedHerder({
    worker,
    configStore,
    offsetStore,
    statusStore,
    plugins,
    admin: () => kafka.admin(),
    validate: wiring.validate,
    describeConfig: (plugin) => configKeyInfos(plugin.configDef),
    logLevels: logs,
    serverInfo,
    logger: logs.logger('sluice.herder'),
  });

  const rest: RunningRestServer = await startRestServer(herder, { listeners: config.listeners.join(',') });
  const bound = new URL(rest.url);
  const host = config.restAdvertisedHostName ?? bound.hostname;
  const port = config.restAdvertisedPort ?? Number(bound.port);
  wiring.setWorkerId(`${host}:${port}`);
  const url = `${bound.protocol}//${host.includes(':') ? `[${host}]` : host}:${port}`;

  const membership = await kafka.groupMembership({
    groupId: config.groupId,
    protocolType: PROTOCOL_TYPE,
    protocolName: PROTOCOL_NAME,
    sessionTimeoutMs: config.sessionTimeoutMs,
    rebalanceTimeoutMs: config.rebalanceTimeoutMs,
  });
  const group = new WorkerGroup(
    {
      membership,
      url,
      workerId: wiring.workerId,
      sessionTimeoutMs: config.sessionTimeoutMs,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      maxDelayMs: config.scheduledRebalanceMaxDelayMs,
      logger: logs.logger('sluice.group'),
    },
    herder,
  );
  herder.attachGroup(group);
  group.start();
  log.info(
    `Sluice ${SLUICE_VERSION} distributed worker ${wiring.workerId} of group ${config.groupId} listening on ${rest.urls.join(', ')}`,
  );

  void kafka
    .admin()
    .then(async (admin) => {
      serverInfo.kafka_cluster_id = await admin.clusterId();
      await admin.close();
    })
    .catch((error: unknown) => log.warn('could not read the Kafka cluster id', { error: String(error) }));

  const running = herder;
  return {
    url: rest.url,
    herder: running,
    async stop() {
      log.info('stopping: tasks stop and commit their offsets, then the worker leaves the group');
      await running.stop();
      await group.stop();
      await rest.close();
      await Promise.all([configStore.stop(), offsetStore.stop(), statusStore.stop()]);
      await kafka.close();
    },
  };
}
