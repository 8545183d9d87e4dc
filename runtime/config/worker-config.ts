import type { ConfigDef, ConfigKey, ParsedConfigValue } from '../api/config-def.js';
import { ConfigValues } from '../api/config-values.js';
import { issueToError } from './config-errors.js';
import { configProvidersFrom } from './config-providers.js';
import { subConfig } from './sub-config.js';
import { restSecurityConfigDef } from '../security/rest-security-config.js';

export { subConfig } from './sub-config.js';

/**
 * The worker's own configuration (Kafka Connect's WorkerConfig, StandaloneConfig and DistributedConfig):
 * the same property names, defaults and checks, so an existing `connect-*.properties` file works here.
 *
 * Deliberate differences from Connect, each for a stated reason:
 * - `listeners` defaults to `http://127.0.0.1:8083`, not Connect's `http://:8083` (every interface):
 *   the REST API has no authentication unless `rest.auth` is set, so exposing it must be an explicit choice.
 * - `key.converter` / `value.converter` default to the JsonConverter instead of being required, so a
 *   minimal worker file is a few lines long.
 */

export type WorkerMode = 'standalone' | 'distributed';

const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
const SIMPLE_HEADER_CONVERTER = 'org.apache.kafka.connect.storage.SimpleHeaderConverter';

/** `PROTOCOL://HOST:PORT`; an empty host means every interface, as in Connect's RestServer. */
const LISTENER = /^(https?):\/\/(\[[0-9a-fA-F:.%]*\]|[0-9a-zA-Z\-%._]*):(\d{1,5})$/i;

function checkListeners(value: ParsedConfigValue): string | null {
  const items = Array.isArray(value) ? value : [];
  if (items.length === 0) return 'at least one listener is required';
  const bad = items.find((item) => !LISTENER.test(item) || Number(LISTENER.exec(item)![3]) > 65535);
  return bad === undefined ? null : `listener '${bad}' must look like http://HOST:PORT or https://HOST:PORT`;
}

const OVERRIDE_POLICIES = ['All', 'None', 'Principal'];

function checkOverridePolicy(value: ParsedConfigValue): string | null {
  const text = String(value).trim().toLowerCase();
  const known = OVERRIDE_POLICIES.some((p) => {
    const alias = p.toLowerCase();
    return (
      text === alias ||
      text === `${alias}connectorclientconfigoverridepolicy` ||
      text === `org.apache.kafka.connect.connector.policy.${alias}connectorclientconfigoverridepolicy`
    );
  });
  return known ? null : `must be one of ${OVERRIDE_POLICIES.join(', ')}`;
}

const positiveOrBrokerDefault =
  (what: string) =>
  (value: ParsedConfigValue): string | null =>
    typeof value === 'number' && value !== -1 && value < 1
      ? `${what} must be positive, or -1 to use the broker's default`
      : null;

const replicationFactor = {
  min: -1,
  max: 32767,
  check: positiveOrBrokerDefault('Replication factor'),
} as const;
const partitionCount = { min: -1, check: positiveOrBrokerDefault('Number of partitions') } as const;

function key(
  type: ConfigKey['type'],
  defaultValue: ConfigKey['default'],
  importance: ConfigKey['importance'],
  documentation: string,
  validator?: ConfigKey['validator'],
): ConfigKey {
  const k: { -readonly [P in keyof ConfigKey]: ConfigKey[P] } = { type, importance, documentation };
  if (defaultValue !== undefined) k.default = defaultValue;
  if (validator !== undefined) k.validator = validator;
  return k;
}

const REQUIRED = undefined;

/** Default of `tasks.max.limit`: far above what one worker process can usefully run, far below what exhausts it. */
export const DEFAULT_TASKS_MAX_LIMIT = 1000;

/** Keys every worker has, whatever its mode. */
export const commonWorkerConfigDef: ConfigDef = {
  'bootstrap.servers': key(
    'list',
    'localhost:9092',
    'high',
    'Kafka brokers (host:port, comma separated) used to bootstrap the connection to the cluster.',
    { check: (v) => (Array.isArray(v) && v.length > 0 ? null : 'at least one broker is required') },
  ),
  'key.converter': key(
    'class',
    JSON_CONVERTER,
    'high',
    'Converter between Connect data and the serialized form of record keys in Kafka.',
  ),
  'value.converter': key(
    'class',
    JSON_CONVERTER,
    'high',
    'Converter between Connect data and the serialized form of record values in Kafka.',
  ),
  'header.converter': key(
    'class',
    SIMPLE_HEADER_CONVERTER,
    'low',
    'HeaderConverter between Connect data and the serialized form of record headers in Kafka.',
  ),
  'task.shutdown.graceful.timeout.ms': key(
    'long',
    5000,
    'low',
    'Time to wait for tasks to shut down gracefully, in total across all tasks of the worker.',
    { min: 0 },
  ),
  'offset.flush.interval.ms': key(
    'long',
    60000,
    'low',
    'Interval at which to try committing offsets for tasks.',
    { min: 0 },
  ),
  'offset.flush.timeout.ms': key(
    'long',
    5000,
    'low',
    'Maximum time to wait for records to flush and offsets to commit before cancelling and retrying at the next interval.',
    { min: 0 },
  ),
  'plugin.path': key(
    'list',
    null,
    'low',
    'Directories or npm package names from which third-party plugins are loaded.',
  ),
  'config.providers': key(
    'list',
    '',
    'low',
    'Names of config providers; each is configured by config.providers.<name>.class and config.providers.<name>.param.*. Only the providers listed here resolve ${<name>:...} placeholders.',
  ),
  'connector.client.config.override.policy': key(
    'string',
    'All',
    'medium',
    'Which producer.override.*, consumer.override.* and admin.override.* client settings connectors may set: All, None or Principal (alias or Connect class name).',
    { check: checkOverridePolicy },
  ),
  'topic.creation.enable': key(
    'boolean',
    true,
    'low',
    'Whether source connectors may create their topics using their topic.creation.* settings.',
  ),
  'topic.tracking.enable': key(
    'boolean',
    true,
    'low',
    'Record the topics each connector uses in the status store (GET /connectors/{c}/topics, status-topic-* records); when false that endpoint answers 403.',
  ),
  'topic.tracking.allow.reset': key(
    'boolean',
    true,
    'low',
    'Allow PUT /connectors/{c}/topics/reset; when false it answers 403.',
  ),
  'tasks.max.limit': key(
    'int',
    DEFAULT_TASKS_MAX_LIMIT,
    'medium',
    "The most tasks one connector may have: a connector whose tasks.max is higher is refused (400) or, when already stored, fails instead of starting. Bounds what one connector config can make this worker allocate. Sluice's own setting (Connect has no such bound).",
    { min: 1 },
  ),
  listeners: key(
    'list',
    'http://127.0.0.1:8083',
    'low',
    'REST listeners, as PROTOCOL://HOST:PORT (http or https). Defaults to loopback only; use http://:8083 to listen on every interface as Connect does.',
    { check: checkListeners },
  ),
  'rest.advertised.host.name': key(
    'string',
    null,
    'low',
    'Host name other workers use to reach this one, if different from the listener host.',
  ),
  'rest.advertised.port': key(
    'int',
    null,
    'low',
    'Port other workers use to reach this one, if different from the listener port.',
    { min: 0, max: 65535 },
  ),
  'rest.advertised.listener': key(
    'string',
    null,
    'low',
    'Protocol (http or https) other workers use to reach this one.',
    { oneOf: ['http', 'https'] },
  ),
  ...restSecurityConfigDef,
  'redis.url': key(
    'string',
    null,
    'medium',
    'Redis for jobs (POST /jobs), as redis://[:password@]host:port[/db]. Every worker of a cluster names the same Redis and runs jobs from the shared queue; without it the /jobs endpoints answer 503.',
  ),
  'jobs.queue.prefix': key(
    'string',
    'sluice',
    'low',
    'Prefix of the Redis keys of the job queue: workers with the same redis.url and prefix share their jobs.',
    { nonEmpty: true },
  ),
  'jobs.concurrency': key('int', 2, 'low', 'How many job units (chunks) this worker runs at once.', {
    min: 1,
  }),
  'jobs.lock.duration.ms': key(
    'int',
    30000,
    'low',
    'How long a job unit stays locked to a worker that stopped renewing the lock (a killed worker); after that another worker resumes it from its checkpoint.',
    { min: 1000 },
  ),
};

/** The same key in both modes: standalone uses it only with exactly-once sources. */
const OFFSET_STORAGE_PARTITIONS = key(
  'int',
  25,
  'low',
  'Number of partitions used when creating the offset storage topic.',
  partitionCount,
);

export const standaloneWorkerConfigDef: ConfigDef = {
  ...commonWorkerConfigDef,
  'offset.storage.file.filename': key(
    'string',
    REQUIRED,
    'high',
    'File in which to store source connector offsets.',
    { nonEmpty: true },
  ),
  'exactly.once.source.support': key(
    'string',
    'disabled',
    'high',
    'Exactly-once support for source connectors: disabled or enabled. Enabled, source records and their offsets are written in one Kafka transaction, and offsets are kept in offset.storage.topic (the offsets file is still read for connectors with no offset there yet).',
    { oneOf: ['disabled', 'enabled'] },
  ),
  'offset.storage.topic': key(
    'string',
    'connect-standalone-offsets',
    'medium',
    'With exactly.once.source.support=enabled: the compacted Kafka topic storing source offsets; also the prefix of the transactional ids.',
    { nonEmpty: true },
  ),
  'offset.storage.partitions': OFFSET_STORAGE_PARTITIONS,
  'offset.storage.replication.factor': key(
    'int',
    -1,
    'low',
    'Replication factor used when creating the offset storage topic (-1: the broker default).',
    replicationFactor,
  ),
};

export const distributedWorkerConfigDef: ConfigDef = {
  ...commonWorkerConfigDef,
  'group.id': key(
    'string',
    REQUIRED,
    'high',
    'Unique string naming the Connect cluster this worker belongs to.',
    { nonEmpty: true },
  ),
  'session.timeout.ms': key(
    'int',
    10000,
    'high',
    'Time after which a worker that sent no heartbeat is removed from the group.',
    { min: 1 },
  ),
  'rebalance.timeout.ms': key(
    'int',
    60000,
    'high',
    'Maximum time each worker may take to join the group during a rebalance.',
    { min: 1 },
  ),
  'heartbeat.interval.ms': key(
    'int',
    3000,
    'high',
    'Expected time between heartbeats to the group coordinator; keep it below a third of session.timeout.ms.',
    { min: 1 },
  ),
  'exactly.once.source.support': key(
    'string',
    'disabled',
    'high',
    'Exactly-once support for source connectors: disabled, preparing (rolling upgrade step) or enabled.',
    { oneOf: ['disabled', 'preparing', 'enabled'] },
  ),
  'worker.sync.timeout.ms': key(
    'int',
    3000,
    'medium',
    'Time a worker out of sync with the config topic waits before giving up its work and rejoining.',
    { min: 0 },
  ),
  'config.storage.topic': key(
    'string',
    REQUIRED,
    'high',
    'Name of the compacted Kafka topic storing connector configurations.',
    { nonEmpty: true },
  ),
  'config.storage.replication.factor': key(
    'int',
    3,
    'low',
    'Replication factor used when creating the config storage topic.',
    replicationFactor,
  ),
  'offset.storage.topic': key(
    'string',
    REQUIRED,
    'high',
    'Name of the compacted Kafka topic storing source connector offsets.',
    { nonEmpty: true },
  ),
  'offset.storage.partitions': OFFSET_STORAGE_PARTITIONS,
  'offset.storage.replication.factor': key(
    'int',
    3,
    'low',
    'Replication factor used when creating the offset storage topic.',
    replicationFactor,
  ),
  'status.storage.topic': key(
    'string',
    REQUIRED,
    'high',
    'Name of the compacted Kafka topic storing connector and task statuses.',
    { nonEmpty: true },
  ),
  'status.storage.partitions': key(
    'int',
    5,
    'low',
    'Number of partitions used when creating the status storage topic.',
    partitionCount,
  ),
  'status.storage.replication.factor': key(
    'int',
    3,
    'low',
    'Replication factor used when creating the status storage topic.',
    replicationFactor,
  ),
  'scheduled.rebalance.max.delay.ms': key(
    'int',
    300000,
    'low',
    'How long to wait for a departed worker to return before reassigning its connectors and tasks.',
    { min: 0, max: 2147483647 },
  ),
  'inter.worker.key.ttl.ms': key(
    'int',
    3600000,
    'low',
    'The TTL of generated session keys used for internal request validation (in milliseconds).',
    { min: 0, max: 2147483647 },
  ),
};

export function workerConfigDef(mode: WorkerMode): ConfigDef {
  return mode === 'standalone' ? standaloneWorkerConfigDef : distributedWorkerConfigDef;
}

export type ExactlyOnceSourceSupport = 'disabled' | 'preparing' | 'enabled';

interface CommonWorkerConfig {
  readonly bootstrapServers: readonly string[];
  readonly listeners: readonly string[];
  readonly restAdvertisedHostName: string | null;
  readonly restAdvertisedPort: number | null;
  readonly restAdvertisedListener: string | null;
  /** Converter class names; their own settings are `converterConfigs.key` etc. (prefix stripped). */
  readonly keyConverter: string;
  readonly valueConverter: string;
  readonly headerConverter: string;
  readonly converterConfigs: {
    readonly key: Record<string, string>;
    readonly value: Record<string, string>;
    readonly header: Record<string, string>;
  };
  readonly taskShutdownGracefulTimeoutMs: number;
  readonly offsetFlushIntervalMs: number;
  readonly offsetFlushTimeoutMs: number;
  readonly pluginPath: readonly string[];
  readonly configProviders: readonly string[];
  readonly topicCreationEnable: boolean;
  readonly topicTrackingEnable: boolean;
  readonly topicTrackingAllowReset: boolean;
  /** `tasks.max.limit`: the highest tasks.max a connector may ask this worker for. */
  readonly tasksMaxLimit: number;
  readonly connectorClientConfigOverridePolicy: string;
  readonly exactlyOnceSourceSupport: ExactlyOnceSourceSupport;
  /** Worker-level client overrides (`producer.*`, `consumer.*`, `admin.*`), prefix stripped. */
  readonly producer: Record<string, string>;
  readonly consumer: Record<string, string>;
  readonly admin: Record<string, string>;
  /** Every property as given, for settings read elsewhere (security, client tuning, …). */
  readonly raw: Readonly<Record<string, string>>;
}

export interface StandaloneWorkerConfig extends CommonWorkerConfig {
  readonly mode: 'standalone';
  readonly offsetStorageFileFilename: string;
  /** Used only with exactly.once.source.support=enabled. */
  readonly offsetStorageTopic: string;
  readonly offsetStoragePartitions: number;
  readonly offsetStorageReplicationFactor: number;
}

export interface DistributedWorkerConfig extends CommonWorkerConfig {
  readonly mode: 'distributed';
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly workerSyncTimeoutMs: number;
  readonly scheduledRebalanceMaxDelayMs: number;
  readonly interWorkerKeyTtlMs: number;
  readonly configStorageTopic: string;
  readonly configStorageReplicationFactor: number;
  readonly offsetStorageTopic: string;
  readonly offsetStoragePartitions: number;
  readonly offsetStorageReplicationFactor: number;
  readonly statusStorageTopic: string;
  readonly statusStoragePartitions: number;
  readonly statusStorageReplicationFactor: number;
}

export type WorkerConfig = StandaloneWorkerConfig | DistributedWorkerConfig;

function optionalNumber(values: ConfigValues, name: string): number | null {
  return values.has(name) ? values.number(name) : null;
}

function common(
  values: ConfigValues,
  raw: Readonly<Record<string, string>>,
  exactlyOnce: ExactlyOnceSourceSupport,
): CommonWorkerConfig {
  return {
    bootstrapServers: values.list('bootstrap.servers'),
    listeners: values.list('listeners'),
    restAdvertisedHostName: values.optionalString('rest.advertised.host.name'),
    restAdvertisedPort: optionalNumber(values, 'rest.advertised.port'),
    restAdvertisedListener: values.optionalString('rest.advertised.listener')?.toLowerCase() ?? null,
    keyConverter: values.string('key.converter'),
    valueConverter: values.string('value.converter'),
    headerConverter: values.string('header.converter'),
    converterConfigs: {
      key: subConfig(raw, 'key.converter.'),
      value: subConfig(raw, 'value.converter.'),
      header: subConfig(raw, 'header.converter.'),
    },
    taskShutdownGracefulTimeoutMs: values.number('task.shutdown.graceful.timeout.ms'),
    offsetFlushIntervalMs: values.number('offset.flush.interval.ms'),
    offsetFlushTimeoutMs: values.number('offset.flush.timeout.ms'),
    pluginPath: values.list('plugin.path'),
    configProviders: values.list('config.providers'),
    topicCreationEnable: values.boolean('topic.creation.enable'),
    topicTrackingEnable: values.boolean('topic.tracking.enable'),
    topicTrackingAllowReset: values.boolean('topic.tracking.allow.reset'),
    tasksMaxLimit: values.number('tasks.max.limit'),
    connectorClientConfigOverridePolicy: values.string('connector.client.config.override.policy'),
    exactlyOnceSourceSupport: exactlyOnce,
    producer: subConfig(raw, 'producer.'),
    consumer: subConfig(raw, 'consumer.'),
    admin: subConfig(raw, 'admin.'),
    raw,
  };
}

/**
 * Parses and checks a worker's properties. Throws a SluiceError naming the first bad key
 * (CONFIG_MISSING, CONFIG_INVALID_VALUE) — the worker must not start half-configured.
 */
export function parseWorkerConfig(raw: Readonly<Record<string, string>>, mode: WorkerMode): WorkerConfig {
  const values = ConfigValues.parse(workerConfigDef(mode), raw);
  const first = values.issues[0];
  if (first !== undefined) throw issueToError(first, raw);
  // Declared config providers must name a known class; fail now rather than when a connector starts.
  configProvidersFrom(raw);

  if (mode === 'standalone') {
    return {
      ...common(
        values,
        raw,
        values.string('exactly.once.source.support').trim().toLowerCase() as ExactlyOnceSourceSupport,
      ),
      mode,
      offsetStorageFileFilename: values.string('offset.storage.file.filename'),
      offsetStorageTopic: values.string('offset.storage.topic'),
      offsetStoragePartitions: values.number('offset.storage.partitions'),
      offsetStorageReplicationFactor: values.number('offset.storage.replication.factor'),
    };
  }
  return {
    ...common(
      values,
      raw,
      values.string('exactly.once.source.support').trim().toLowerCase() as ExactlyOnceSourceSupport,
    ),
    mode,
    groupId: values.string('group.id'),
    sessionTimeoutMs: values.number('session.timeout.ms'),
    rebalanceTimeoutMs: values.number('rebalance.timeout.ms'),
    heartbeatIntervalMs: values.number('heartbeat.interval.ms'),
    workerSyncTimeoutMs: values.number('worker.sync.timeout.ms'),
    scheduledRebalanceMaxDelayMs: values.number('scheduled.rebalance.max.delay.ms'),
    interWorkerKeyTtlMs: values.number('inter.worker.key.ttl.ms'),
    configStorageTopic: values.string('config.storage.topic'),
    configStorageReplicationFactor: values.number('config.storage.replication.factor'),
    offsetStorageTopic: values.string('offset.storage.topic'),
    offsetStoragePartitions: values.number('offset.storage.partitions'),
    offsetStorageReplicationFactor: values.number('offset.storage.replication.factor'),
    statusStorageTopic: values.string('status.storage.topic'),
    statusStoragePartitions: values.number('status.storage.partitions'),
    statusStorageReplicationFactor: values.number('status.storage.replication.factor'),
  };
}
