import { hostname } from 'node:os';
import { startRestServer, type RunningRestServer } from '../api/index.js';
import type { Logger } from '../runtime/api/logger.js';
import type { Herder } from '../runtime/cluster/herder.js';
import type { ServerInfo } from '../runtime/cluster/rest-types.js';
import type { WorkerConfig } from '../runtime/config/worker-config.js';
import type { KafkaClient } from '../runtime/kafka/types.js';
import type { ForwardingOptions } from '../runtime/cluster/leader-client.js';
import {
  createRestSecurity,
  peerClientTls,
  restServerTls,
  type RestSecurity,
  type RestServerTls,
  TenantTopic,
} from '../runtime/security/index.js';
import type { SessionKey } from '../runtime/storage/cluster-config-store.js';
import type { JobService } from '../runtime/jobs/job-service.js';

export interface WorkerRest {
  readonly server: RunningRestServer;
  /** `host:port` as statuses show it (`worker_id`). */
  readonly workerId: string;
  /** Where other workers reach this one (writes forwarded to the leader go there). */
  readonly advertisedUrl: string;
}

const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::', '[::]']);

/**
 * Starts the REST listeners and works out how this worker is known to others, as Connect does:
 * `rest.advertised.host.name`/`port`/`listener` when set, else the first listener's host and bound port.
 * A listener on every interface has no address others can use, so the machine's host name stands in
 * (Connect uses the canonical local host name there too).
 */
export async function startWorkerRest(
  herder: Herder,
  config: WorkerConfig,
  security: WorkerRestSecurity,
  jobs?: JobService,
): Promise<WorkerRest> {
  const server = await startRestServer(herder, {
    listeners: config.listeners.join(','),
    security: security.rest,
    ...(security.tls === null ? {} : { tls: security.tls }),
    ...(jobs === undefined ? {} : { jobs }),
  });
  const [first] = server.listeners;
  const bound = new URL(server.url);
  const host =
    config.restAdvertisedHostName ??
    (first === undefined || WILDCARD_HOSTS.has(first.host) ? hostname() : first.host.replace(/^\[|\]$/g, ''));
  const port = config.restAdvertisedPort ?? Number(bound.port);
  const protocol = config.restAdvertisedListener ?? bound.protocol.replace(/:$/, '');
  return {
    server,
    workerId: `${host}:${port}`,
    advertisedUrl: `${protocol}://${host.includes(':') ? `[${host}]` : host}:${port}`,
  };
}

/** The REST API's TLS and security, and how this worker's forwarded writes prove themselves. */
export interface WorkerRestSecurity {
  readonly tls: RestServerTls | null;
  readonly rest: RestSecurity;
  readonly forwarding: ForwardingOptions;
}

const usesHttps = (config: WorkerConfig): boolean =>
  config.listeners.some((l) => l.toLowerCase().startsWith('https:')) ||
  config.restAdvertisedListener === 'https';

/**
 * Reads the REST security keys (docs/security.md) before anything starts, so a bad key or file stops
 * the worker at once. `sessionKey` is the cluster's key that signs forwarded writes (distributed only).
 */
export function workerRestSecurity(
  config: WorkerConfig,
  logger: (name: string) => Logger,
  pluginClassOf: (name: string) => string | undefined,
  sessionKey?: () => SessionKey | undefined,
  tenantTopic?: TenantTopic,
): WorkerRestSecurity {
  const https = usesHttps(config);
  const tls = config.listeners.some((l) => l.toLowerCase().startsWith('https:'))
    ? restServerTls(config.raw)
    : null;
  const onlyHttps = config.listeners.every((l) => l.toLowerCase().startsWith('https:'));
  const rest = createRestSecurity(config.raw, {
    logger,
    pluginClassOf,
    ...(sessionKey === undefined ? {} : { sessionKey }),
    ...(tenantTopic === undefined ? {} : { tenantTopic }),
    clientCertificates: onlyHttps && tls !== null && tls.clientAuth !== 'none',
  });
  return {
    tls,
    rest,
    forwarding: {
      tls: https ? peerClientTls(config.raw) : null,
      sign: (method, path, body) => rest.signForwarded(method, path, body),
    },
  };
}

/** The tenants topic the worker keys name (`tenants.topic`), not yet read; none without the key. */
export function tenantTopicOf(config: WorkerConfig, logger: Logger): TenantTopic | undefined {
  const topic = config.raw['tenants.topic']?.trim() ?? '';
  return topic === '' ? undefined : new TenantTopic(topic, logger);
}

/** Fills in `kafka_cluster_id` for `GET /` once Kafka answers; REST does not wait for it. */
export function learnKafkaClusterId(
  kafka: KafkaClient,
  serverInfo: { kafka_cluster_id: ServerInfo['kafka_cluster_id'] },
  log: Logger,
  bootstrapServers: readonly string[],
): void {
  void kafka
    .admin()
    .then(async (admin) => {
      serverInfo.kafka_cluster_id = await admin.clusterId();
      await admin.close();
    })
    .catch((error: unknown) =>
      log.warn(`Kafka at ${bootstrapServers.join(',')} is not reachable yet`, { error: String(error) }),
    );
}
