/**
 * MM2's dedicated-mode file (mm2.properties, MirrorMakerConfig): `clusters`, `<alias>.<key>` cluster keys,
 * `<source>-><target>.enabled`, `<source>-><target>.<key>` flow overrides and top-level defaults. Every
 * enabled flow becomes what MM2 makes of it: the properties of a distributed worker (a herder) against
 * the target cluster, with MM2's group and internal topics, and the configs of its three connectors.
 */
import { SluiceError } from '../../runtime/api/index.js';

export interface MirrorFlow {
  readonly source: string;
  readonly target: string;
  /** `<source>-><target>`, MM2's name for the flow (SourceAndTarget). */
  readonly name: string;
  /** Properties of the flow's distributed worker (MirrorMakerConfig.workerConfig plus the REST listener). */
  readonly workerConfig: Readonly<Record<string, string>>;
  /** connector name → connector config, in MM2's order (Source, Heartbeat, Checkpoint). */
  readonly connectors: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

export interface MirrorMakerPlan {
  readonly clusters: readonly string[];
  /** Client properties per cluster alias (`<alias>.bootstrap.servers` etc.). */
  readonly clusterProperties: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly flows: readonly MirrorFlow[];
}

const MM2_PACKAGE = 'org.apache.kafka.connect.mirror';
/** MM2's MirrorMaker.CONNECTOR_CLASSES; the connector name is the simple class name, as in MM2. */
export const MIRROR_MAKER_CONNECTORS = [
  'MirrorSourceConnector',
  'MirrorHeartbeatConnector',
  'MirrorCheckpointConnector',
] as const;
const BYTES = 'org.apache.kafka.connect.converters.ByteArrayConverter';
const DEFAULT_LISTENER = 'http://127.0.0.1:8083';
/** Sluice's dedicated mode commits source offsets more often than Connect's 60 s default. */
const DEFAULT_OFFSET_FLUSH_INTERVAL_MS = '5000';

/** Top-level key prefixes MM2 passes to every flow's worker (MirrorMakerConfig.workerConfig). */
const MM2_WORKER_PREFIXES = [
  'offset.storage',
  'config.storage',
  'status.storage',
  'key.converter',
  'value.converter',
  'header.converter',
  'task',
  'worker',
  'replication.policy',
  'config.providers',
];
/** Top-level worker keys Sluice's dedicated mode also accepts (they apply to every flow's worker). */
const SLUICE_WORKER_KEYS = ['offset.flush.interval.ms', 'offset.flush.timeout.ms', 'log.level'];
const SLUICE_WORKER_PREFIXES = ['producer.'];

/** Keys of a flow's distributed worker or of the process (Connect's worker keys, Sluice's process keys). */
const WORKER_KEYS = new Set([
  'listeners',
  'log.level',
  'group.id',
  'session.timeout.ms',
  'heartbeat.interval.ms',
  'rebalance.timeout.ms',
  'scheduled.rebalance.max.delay.ms',
  'worker.sync.timeout.ms',
  'exactly.once.source.support',
  'offset.flush.interval.ms',
  'offset.flush.timeout.ms',
  'task.shutdown.graceful.timeout.ms',
  'plugin.path',
  'topic.creation.enable',
  'connector.client.config.override.policy',
  'dedicated.mode.enable.internal.rest',
]);
const WORKER_KEY_PREFIXES = [
  'offset.storage.',
  'config.storage.',
  'status.storage.',
  'worker.',
  'rest.',
  'sluice.',
];

/**
 * Worker and process keys are not copied into connector configs (MM2 copies a cluster's into
 * `source.cluster.*`/`target.cluster.*`): they then may differ between processes without the leader
 * rewriting the connectors, and tuning a worker does not restart them.
 */
function isWorkerKey(key: string): boolean {
  return WORKER_KEYS.has(key) || WORKER_KEY_PREFIXES.some((p) => key.startsWith(p));
}

/** Top-level client overrides (`producer.*` etc.) are the workers'; connectors take `<alias>.producer.*`. */
const isTopLevelClientKey = (key: string): boolean =>
  ['producer.', 'consumer.', 'admin.'].some((p) => key.startsWith(p));

/** MM2's worker defaults for a flow: group `<source>-mm2` and `mm2-{configs,offsets,status}.<source>.internal`. */
export function mirrorWorkerDefaults(source: string, target: string): Record<string, string> {
  return {
    'client.id': `${source}->${target}`,
    'group.id': `${source}-mm2`,
    'config.storage.topic': `mm2-configs.${source}.internal`,
    'offset.storage.topic': `mm2-offsets.${source}.internal`,
    'status.storage.topic': `mm2-status.${source}.internal`,
    'key.converter': BYTES,
    'value.converter': BYTES,
    'header.converter': BYTES,
  };
}

const splitList = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * The REST listener of a flow: `<target>.listeners` if set, else `listeners` (default
 * http://127.0.0.1:8083), with the port raised by `index` (the flow's position among this process's
 * flows that use the same setting). Port 0 stays 0: each flow then binds a free port.
 */
export function flowListener(base: string, index: number): string {
  const first = base.split(',')[0]!.trim();
  const parsed = /^(https?:\/\/)(\[[^\]]*\]|[^:/]*):(\d{1,5})$/i.exec(first);
  if (parsed === null) return first; // the worker's own check reports it, naming the key
  const port = Number(parsed[3]);
  return `${parsed[1]}${parsed[2]}:${port === 0 ? 0 : port + index}`;
}

/**
 * Plans dedicated mode: the enabled flows (only those into `onlyTargets` when given, as `--clusters`),
 * each with its worker properties and connector configs.
 */
export function planMirrorMaker(
  props: Readonly<Record<string, string>>,
  onlyTargets: readonly string[] | null,
  /** Names the file in error messages. */
  source = 'mm2.properties',
): MirrorMakerPlan {
  const invalid = (problem: string): SluiceError =>
    new SluiceError('MIRROR_CONFIG_INVALID', [source, problem]);
  const clusters = splitList(props['clusters']);
  if (clusters.length === 0) throw invalid('it must list its cluster aliases in "clusters"');
  for (const alias of onlyTargets ?? []) {
    if (!clusters.includes(alias))
      throw invalid(`--clusters names "${alias}", which is not in "clusters" (${clusters.join(', ')})`);
  }
  const isFlowKey = (k: string): boolean => /^[^.]+->[^.]+\./.test(k);
  const clusterOf = (k: string): string | undefined => clusters.find((c) => k.startsWith(`${c}.`));

  const clusterProperties = new Map<string, Record<string, string>>();
  for (const alias of clusters) {
    const own: Record<string, string> = {};
    for (const [k, v] of Object.entries(props))
      if (!isFlowKey(k) && k.startsWith(`${alias}.`)) own[k.slice(alias.length + 1)] = v;
    if (own['bootstrap.servers'] === undefined)
      throw invalid(`"${alias}.bootstrap.servers" is missing (cluster "${alias}" is in "clusters")`);
    clusterProperties.set(alias, own);
  }
  const topLevel: Record<string, string> = {};
  for (const [k, v] of Object.entries(props))
    if (!isFlowKey(k) && clusterOf(k) === undefined && k !== 'clusters') topLevel[k] = v;
  const connectorDefaults = Object.fromEntries(
    Object.entries(topLevel).filter(([k]) => !isWorkerKey(k) && !isTopLevelClientKey(k)),
  );

  const flows: MirrorFlow[] = [];
  const listenersUsed = new Map<string, number>();
  for (const source of clusters) {
    for (const target of clusters) {
      if (source === target) continue;
      if (onlyTargets !== null && !onlyTargets.includes(target)) continue;
      const prefix = `${source}->${target}.`;
      const flowProps: Record<string, string> = {};
      for (const [k, v] of Object.entries(props))
        if (k.startsWith(prefix)) flowProps[k.slice(prefix.length)] = v;
      if ((flowProps['enabled'] ?? 'false').trim().toLowerCase() !== 'true') continue;
      delete flowProps['enabled'];
      const targetProps = clusterProperties.get(target)!;

      // MirrorMakerConfig.workerConfig: the target's cluster keys, then the top-level worker keys (which win).
      const workerConfig: Record<string, string> = { ...targetProps };
      for (const [k, v] of Object.entries(topLevel)) {
        if (MM2_WORKER_PREFIXES.some((p) => k.startsWith(p))) workerConfig[k] = v;
        else if (SLUICE_WORKER_KEYS.includes(k) || SLUICE_WORKER_PREFIXES.some((p) => k.startsWith(p)))
          workerConfig[k] ??= v;
      }
      for (const [k, v] of Object.entries(mirrorWorkerDefaults(source, target))) workerConfig[k] ??= v;
      workerConfig['offset.flush.interval.ms'] ??= DEFAULT_OFFSET_FLUSH_INTERVAL_MS;
      const listenerKey = targetProps['listeners'] !== undefined ? `${target}.listeners` : 'listeners';
      const base = targetProps['listeners'] ?? topLevel['listeners'] ?? DEFAULT_LISTENER;
      const index = listenersUsed.get(listenerKey) ?? 0;
      listenersUsed.set(listenerKey, index + 1);
      workerConfig['listeners'] = flowListener(base, index);

      // MirrorMakerConfig.connectorBaseConfig: defaults, cluster keys, aliases, then the flow's own keys.
      const connectorBase: Record<string, string> = { 'tasks.max': '1', ...connectorDefaults };
      for (const [k, v] of Object.entries(clusterProperties.get(source)!))
        if (!isWorkerKey(k)) connectorBase[`source.cluster.${k}`] = v;
      for (const [k, v] of Object.entries(targetProps))
        if (!isWorkerKey(k)) connectorBase[`target.cluster.${k}`] = v;
      Object.assign(connectorBase, {
        'source.cluster.alias': source,
        'target.cluster.alias': target,
        ...flowProps,
        // Records are copied as bytes: whatever a file says, the connectors pass them through.
        'key.converter': BYTES,
        'value.converter': BYTES,
        'header.converter': BYTES,
      });
      const connectors = new Map<string, Record<string, string>>();
      for (const name of MIRROR_MAKER_CONNECTORS) {
        connectors.set(name, { ...connectorBase, name, 'connector.class': `${MM2_PACKAGE}.${name}` });
      }
      flows.push({ source, target, name: `${source}->${target}`, workerConfig, connectors });
    }
  }
  return { clusters, clusterProperties, flows };
}

/** Whether two connector configs hold the same keys and values (order does not matter). */
export function sameConnectorConfig(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
