import type { ExpandedConnectors } from './rest-types.js';

/**
 * - source, sink: a connector.
 * - upstream: what a source reads, when it reads several named things: a table of a CDC database, a topic
 *   of the cluster a mirror replicates from.
 * - topic: a topic of the worker's Kafka cluster (for a mirror: of its target cluster).
 */
export type NodeKind = 'source' | 'upstream' | 'topic' | 'sink';

export interface TopologyNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  /** A second line: where a source reads from (`CDC shop`, `mirror A → B`, a file), or what a node is. */
  readonly origin?: string;
  /** The connector a source or sink node is (its page), or the one that reads an upstream node. */
  readonly connector?: string;
  readonly state?: string;
}

export interface TopologyEdge {
  readonly from: string;
  readonly to: string;
  /** The connector that moves the records along this edge. */
  readonly connector: string;
  /** The topic whose records/s label the edge; undefined: the edge has no rate of its own (source → table). */
  readonly topic: string | undefined;
}

export interface Topology {
  readonly nodes: readonly TopologyNode[];
  readonly edges: readonly TopologyEdge[];
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** A list entry that names one thing rather than a pattern (`public.orders`, not `public.order_.*`). */
const literal = (entry: string): boolean => /^[\w$.-]+$/.test(entry);

type Family = 'cdc' | 'mirror' | 'other';

function familyOf(kind: 'source' | 'sink', config: Readonly<Record<string, string>>): Family {
  if (kind !== 'source') return 'other';
  const cls = config['connector.class'] ?? '';
  if (/MirrorSource/i.test(cls)) return 'mirror';
  if (/postgres/i.test(cls)) return 'cdc';
  return 'other';
}

/** The external system a source connector reads, from the configuration keys its family uses. */
function originOf(config: Readonly<Record<string, string>>): string | undefined {
  const cls = config['connector.class'] ?? '';
  if (/Mirror/i.test(cls)) {
    const flow = `${config['source.cluster.alias'] ?? 'source'} → ${config['target.cluster.alias'] ?? 'target'}`;
    return /MirrorSource/i.test(cls) ? `mirror ${flow}` : `${cls.replace(/^.*\.|Connector$/g, '')} ${flow}`;
  }
  if (/postgres/i.test(cls)) return `CDC database ${config['database.dbname'] ?? 'postgres'}`;
  if (config['file'] !== undefined) return `file ${config['file']}`;
  if (config['s3.bucket.name'] !== undefined) return `s3 ${config['s3.bucket.name']}`;
  return undefined;
}

/**
 * What a CDC or mirror source reads for each topic it writes: a CDC topic `<prefix>.<schema>.<table>` comes
 * from table `<schema>.<table>`; a mirror's `<alias><sep><topic>` from `<topic>` of cluster `<alias>`. Topics
 * that are neither (heartbeats, transaction metadata) map to nothing.
 */
function upstreamOf(
  family: Family,
  config: Readonly<Record<string, string>>,
): { readonly of: (topic: string) => string | undefined; readonly configured: () => Map<string, string> } {
  if (family === 'cdc') {
    const prefix = `${config['topic.prefix'] ?? config['database.server.name'] ?? ''}.`;
    return {
      of: (topic) => {
        if (!topic.startsWith(prefix)) return undefined;
        const table = topic.slice(prefix.length);
        return table.split('.').length === 2 ? table : undefined;
      },
      configured: () =>
        new Map(
          list(config['table.include.list'])
            .filter((t) => literal(t) && t.split('.').length === 2)
            .map((table) => [`${prefix}${table}`, table]),
        ),
    };
  }
  if (family === 'mirror') {
    const prefix = `${config['source.cluster.alias'] ?? 'source'}${config['replication.policy.separator'] ?? '.'}`;
    return {
      of: (topic) => (topic.startsWith(prefix) ? topic.slice(prefix.length) : undefined),
      configured: () =>
        new Map(
          list(config['topics'])
            .filter(literal)
            .map((topic) => [`${prefix}${topic}`, topic]),
        ),
    };
  }
  return { of: () => undefined, configured: () => new Map() };
}

const SEVERITY = ['FAILED', 'STOPPED', 'PAUSED', 'RESTARTING', 'UNASSIGNED', 'RUNNING'];

/** The state that needs attention first: a running connector with a failed task is shown failed. */
function worstState(states: readonly string[]): string {
  return [...states].sort((a, b) => SEVERITY.indexOf(a) - SEVERITY.indexOf(b))[0] ?? 'UNASSIGNED';
}

/**
 * Sources → (tables, remote topics) → topics → sinks. A connector's topics are those it has used (the topics
 * API) together with those its configuration names, so a pipeline shows before its first record. A CDC
 * source reaches each topic through the table it comes from, a mirror through the topic of the cluster it
 * replicates; those edges carry the topic's records/s.
 */
export function buildTopology(
  connectors: ExpandedConnectors,
  usedTopics: ReadonlyMap<string, readonly string[]>,
): Topology {
  const nodes = new Map<string, TopologyNode>();
  const edges: TopologyEdge[] = [];
  const topicNode = (topic: string, origin?: string): string => {
    const id = `topic:${topic}`;
    if (!nodes.has(id)) nodes.set(id, { id, kind: 'topic', label: topic, ...(origin ? { origin } : {}) });
    return id;
  };
  for (const [name, { status, info }] of Object.entries(connectors)) {
    const config = info?.config ?? {};
    const kind = (status?.type ?? info?.type) === 'sink' ? 'sink' : 'source';
    const id = `${kind}:${name}`;
    const origin = kind === 'source' ? originOf(config) : undefined;
    nodes.set(id, {
      id,
      kind,
      label: name,
      connector: name,
      ...(origin === undefined ? {} : { origin }),
      ...(status === undefined
        ? {}
        : { state: worstState([status.connector.state, ...status.tasks.map((t) => t.state)]) }),
    });
    const family = familyOf(kind, config);
    const upstream = upstreamOf(family, config);
    const configured = upstream.configured();
    const topics =
      kind === 'sink'
        ? list(config['topics'])
        : family === 'other'
          ? list(config['kafka.topic'] ?? config['topic'] ?? config['topics'])
          : [...configured.keys()];
    const target = family === 'mirror' ? `topic in ${config['target.cluster.alias'] ?? 'target'}` : undefined;
    for (const topic of new Set([...topics, ...(usedTopics.get(name) ?? [])])) {
      const topicId = topicNode(topic, target);
      if (kind === 'sink') {
        edges.push({ from: topicId, to: id, connector: name, topic });
        continue;
      }
      const from = configured.get(topic) ?? upstream.of(topic);
      if (from === undefined) {
        edges.push({ from: id, to: topicId, connector: name, topic });
        continue;
      }
      const upstreamId = `upstream:${name}:${from}`;
      if (!nodes.has(upstreamId)) {
        nodes.set(upstreamId, {
          id: upstreamId,
          kind: 'upstream',
          label: from,
          connector: name,
          origin:
            family === 'cdc'
              ? `table of ${config['database.dbname'] ?? 'postgres'}`
              : `topic in ${config['source.cluster.alias'] ?? 'source'}`,
        });
        edges.push({ from: id, to: upstreamId, connector: name, topic: undefined });
      }
      edges.push({ from: upstreamId, to: topicId, connector: name, topic });
    }
  }
  return { nodes: [...nodes.values()], edges };
}
