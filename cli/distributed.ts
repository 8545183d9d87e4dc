import type { Logger } from '../runtime/api/logger.js';
import { dirname } from 'node:path';
import { DistributedHerder } from '../runtime/cluster/distributed-herder.js';
import { PROTOCOL_NAME, PROTOCOL_TYPE } from '../runtime/cluster/group-protocol.js';
import { SessionKeyRotation } from '../runtime/cluster/session-key-rotation.js';
import { WorkerGroup, type WorkerGroupCallbacks } from '../runtime/cluster/worker-group.js';
import { configKeyInfos } from '../runtime/config/config-key-info.js';
import { pluginConfigDef } from '../runtime/config/connector-config.js';
import { StartupDeadline } from '../runtime/errors/startup-deadline.js';
import type { RebalanceRound } from '../runtime/metrics/worker-metrics.js';
import { readPropertiesFile } from '../runtime/config/properties-file.js';
import { parseWorkerConfig, type DistributedWorkerConfig } from '../runtime/config/worker-config.js';
import { KafkajsClient } from '../runtime/kafka/kafkajs-client.js';
import { LogRegistry } from '../runtime/logging/log-registry.js';
import { logFormatFrom } from '../runtime/logging/text-log-stream.js';
import { KafkaConfigStore } from '../runtime/storage/kafka-config-store.js';
import { ConnectorOffsetStores } from '../runtime/storage/connector-offset-stores.js';
import { KafkaOffsetStore } from '../runtime/storage/kafka-offset-store.js';
import { KafkaStatusStore } from '../runtime/storage/kafka-status-store.js';
import { KafkaTopicLog } from '../runtime/storage/kafka-topic-log.js';
import { warnUnknownWorkerKeys } from './unknown-worker-keys.js';
import { loadPluginPath } from '../runtime/worker/plugin-loader.js';
import { PluginRegistry } from '../runtime/worker/plugin-registry.js';
import { startJobs } from '../runtime/jobs/start-jobs.js';
import { builtinJobTypes } from './builtin-job-types.js';
import { builtinPlugins } from './builtin-plugins.js';
import { SLUICE_COMMIT, SLUICE_VERSION } from './version.js';
import { learnKafkaClusterId, startWorkerRest, workerRestSecurity } from './worker-rest.js';
import { wireWorker } from './worker-wiring.js';

export interface RunningDistributed {
  readonly url: string;
  readonly herder: DistributedHerder;
  /** The worker's own logger: where the shutdown notices go, in the worker's log format. */
  readonly logger: Logger;
  stop(): Promise<void>;
}

/**
 * Starts a worker of a distributed cluster: reads the internal topics to their end, binds REST, then
 * joins the group; the leader's assignment decides what runs here.
 */
export async function startDistributed(workerFile: string): Promise<RunningDistributed> {
  return startDistributedWorker(await readPropertiesFile(workerFile), {
    baseDir: dirname(workerFile),
    warnUnknownKeys: true,
  });
}

export interface DistributedWorkerOptions {
  /** Directory that relative `plugin.path` entries are resolved against. */
  readonly baseDir: string;
  /** Where the worker logs (default: a new registry at `log.level`). */
  readonly logs?: LogRegistry;
  /** Warn about keys the worker does not know (off for properties derived from mm2.properties). */
  readonly warnUnknownKeys?: boolean;
  /**
   * Called after each group round, once this worker applied its assignment (revocations done), with
   * whether it leads the group. The worker does not wait for what the callback starts.
   */
  readonly onRebalance?: (round: RebalanceRound) => void;
}

/**
 * `startDistributed` for worker properties held in memory (e.g. built from mm2.properties). If the
 * worker cannot start (a bad key, REST address in use), what it had opened is closed before the error
 * is thrown, so the caller may try again.
 */
export async function startDistributedWorker(
  raw: Readonly<Record<string, string>>,
  options: DistributedWorkerOptions,
): Promise<RunningDistributed> {
  const config = parseWorkerConfig(raw, 'distributed') as DistributedWorkerConfig;
  const logs =
    options.logs ??
    new LogRegistry({
      level: raw['log.level'] ?? process.env['SLUICE_LOG_LEVEL'] ?? 'INFO',
      format: logFormatFrom(raw),
    });
  const log = logs.logger('sluice.worker');
  if (options.warnUnknownKeys === true) warnUnknownWorkerKeys(raw, 'distributed', log);
  // Read before anything starts: a bad security key or file stops the worker now. Plugin names and the
  // session key are asked for only when a request comes, long after the registry and store below exist.
  const security = workerRestSecurity(
    config,
    (name) => logs.logger(name),
    (name) => plugins.connector(name)?.className,
    () => configStore.sessionKey(),
  );

  const plugins = new PluginRegistry([
    ...builtinPlugins,
    ...(await loadPluginPath(config.pluginPath, options.baseDir, log)),
  ]);
  const kafka = new KafkajsClient(
    {
      bootstrapServers: config.bootstrapServers.join(','),
      clientId: raw['client.id'] ?? `sluice-${config.groupId}`,
      // Its security keys: the internal topics, the group membership and every client start from them.
      properties: raw,
    },
    logs.logger('sluice.kafka'),
  );
  // Workers of a new cluster started together race to create the internal topics and read them while
  // their partitions elect leaders: every step retries retriable Kafka errors until this one deadline.
  const startup = new StartupDeadline();
  const logOptions = { startup, logger: logs.logger('sluice.internal-topics') };
  const configStore = new KafkaConfigStore(
    new KafkaTopicLog(
      kafka,
      {
        topic: config.configStorageTopic,
        // Connect requires a single partition: the order of config records is the order of changes.
        partitions: 1,
        replicationFactor: config.configStorageReplicationFactor,
      },
      logOptions,
    ),
    logs.logger('sluice.config-store'),
  );
  const offsetStore = new KafkaOffsetStore(
    new KafkaTopicLog(
      kafka,
      {
        topic: config.offsetStorageTopic,
        partitions: config.offsetStoragePartitions,
        replicationFactor: config.offsetStorageReplicationFactor,
      },
      logOptions,
    ),
  );
  const statusStore = new KafkaStatusStore(
    new KafkaTopicLog(
      kafka,
      {
        topic: config.statusStorageTopic,
        partitions: config.statusStoragePartitions,
        replicationFactor: config.statusStorageReplicationFactor,
      },
      logOptions,
    ),
  );
  // Connect's per-connector offsets.storage.topic: created like the worker's offsets topic.
  const offsetStores = new ConnectorOffsetStores(
    offsetStore,
    config.offsetStorageTopic,
    (topic) =>
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
      ),
  );
  const closeStores = async (): Promise<void> => {
    await Promise.all([configStore.stop(), offsetStores.stop(), offsetStore.stop(), statusStore.stop()]);
    await kafka.close();
  };
  const closeAfterFailure = (error: unknown): Promise<never> =>
    closeStores().then(
      () => Promise.reject(error),
      () => Promise.reject(error),
    );
  await Promise.all([configStore.start(), offsetStore.start(), statusStore.start()]).catch(closeAfterFailure);

  const serverInfo = {
    version: SLUICE_VERSION,
    commit: SLUICE_COMMIT,
    kafka_cluster_id: null as string | null,
  };
  let herder: DistributedHerder | null = null;
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
  herder = new DistributedHerder({
    worker,
    configStore,
    offsetStores,
    statusStore,
    plugins,
    admin: () => kafka.admin(),
    validate: wiring.validate,
    describeConfig: (plugin) => configKeyInfos(pluginConfigDef(plugin)),
    logLevels: logs,
    connectorLogs: logs.connectorLogs,
    serverInfo,
    logger: logs.logger('sluice.herder'),
    topicTracking: { enable: config.topicTrackingEnable, allowReset: config.topicTrackingAllowReset },
    forwarding: security.forwarding,
  });

  // Every worker serves /jobs and runs units: the queue is shared through Redis, nothing is forwarded.
  const jobs = startJobs({
    config,
    kafka,
    plugins,
    types: builtinJobTypes(herder, kafka),
    logger: logs.logger('sluice.jobs'),
  });
  const stopJobsAfterFailure = (error: unknown): Promise<never> =>
    jobs.stop().then(
      () => closeAfterFailure(error),
      () => closeAfterFailure(error),
    );
  const rest = await startWorkerRest(herder, config, security, jobs.service).catch(stopJobsAfterFailure);
  wiring.setWorkerId(rest.workerId);

  const membership = await startup
    .retry(`connecting to the coordinator of group ${config.groupId}`, () =>
      kafka.groupMembership({
        groupId: config.groupId,
        protocolType: PROTOCOL_TYPE,
        protocolName: PROTOCOL_NAME,
        sessionTimeoutMs: config.sessionTimeoutMs,
        rebalanceTimeoutMs: config.rebalanceTimeoutMs,
      }),
    )
    .catch(async (error: unknown) => {
      await rest.server.close().catch(() => undefined);
      return stopJobsAfterFailure(error);
    });
  const sessionKeys = new SessionKeyRotation({
    store: configStore,
    ttlMs: config.interWorkerKeyTtlMs,
    logger: logs.logger('sluice.herder'),
  });
  const group = new WorkerGroup(
    {
      membership,
      url: rest.advertisedUrl,
      workerId: wiring.workerId,
      sessionTimeoutMs: config.sessionTimeoutMs,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      maxDelayMs: config.scheduledRebalanceMaxDelayMs,
      logger: logs.logger('sluice.group'),
    },
    withRebalanceCallback(herder, sessionKeys, (round) => {
      wiring.metrics.recordRebalance(round);
      options.onRebalance?.(round);
    }),
  );
  herder.attachGroup(group);
  group.start();
  log.info(
    `Sluice ${SLUICE_VERSION} distributed worker ${wiring.workerId} of group ${config.groupId} listening on ${rest.server.urls.join(', ')}`,
  );

  learnKafkaClusterId(kafka, serverInfo, log, config.bootstrapServers);

  const running = herder;
  return {
    url: rest.server.url,
    herder: running,
    logger: log,
    async stop() {
      log.info('stopping: tasks stop and commit their offsets, then the worker leaves the group');
      sessionKeys.stop();
      await running.stop();
      await group.stop();
      await rest.server.close();
      await jobs.stop();
      await closeStores();
      log.info('stopped');
    },
  };
}

/** The herder as the group sees it, telling `onRebalance` and the session key rotation about each round once the herder applied it. */
function withRebalanceCallback(
  herder: DistributedHerder,
  sessionKeys: SessionKeyRotation,
  onRebalance: NonNullable<DistributedWorkerOptions['onRebalance']>,
): WorkerGroupCallbacks {
  return {
    owned: () => herder.owned(),
    configOffset: () => herder.configOffset(),
    desired: () => herder.desired(),
    onMembershipLost: (reason) => {
      sessionKeys.onMembershipLost();
      return herder.onMembershipLost(reason);
    },
    async onAssignment(generation, assignment, isLeader) {
      await herder.onAssignment(generation, assignment, isLeader);
      void sessionKeys.onRebalance(isLeader);
      onRebalance({
        generation,
        isLeader,
        assignment: {
          leaderUrl: assignment.leaderUrl,
          connectors: assignment.assigned.connectors.length,
          tasks: assignment.assigned.tasks.length,
          revokedConnectors: assignment.revoked.connectors.length,
          revokedTasks: assignment.revoked.tasks.length,
          delayMs: assignment.delayMs,
        },
      });
    },
  };
}
