import type { ExpandedConnectors } from './rest-types.js';

export interface TopologyNode {
  readonly id: string;
  readonly kind: 'source' | 'topic' | 'sink';
  readonly label: string;
  /** Where a source reads from (a database and its tables, a mirrored cluster, a file). */
  readonly origin?: string;
  readonly state?: string;
}

export interface TopologyEdge {
  readonly from: string;
  readonly to: string;
  /** The connector whose throughput labels the edge. */
  readonly connector: string;
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

/** The external system a source connector reads, from the configuration keys its family uses. */
function originOf(config: Readonly<Record<string, string>>): string | undefined {
  const cls = config['connector.class'] ?? '';
  if (/Mirror/i.test(cls)) {
    return `mirror ${config['source.cluster.alias'] ?? 'source'} → ${config['target.cluster.alias'] ?? 'target'}`;
  }
  if (/postgres/i.test(cls)) {
    const tables = list(config['table.include.list']).join(', ');
    return `CDC ${config['database.dbname'] ?? 'postgres'}${tables === '' ? '' : `: ${tables}`}`;
  }
  if (config['file'] !== undefined) return `file ${config['file']}`;
  if (config['s3.bucket.name'] !== undefined) return `s3 ${config['s3.bucket.name']}`;
  return undefined;
}

const SEVERITY = ['FAILED', 'STOPPED', 'PAUSED', 'RESTARTING', 'UNASSIGNED', 'RUNNING'];

/** The state that needs attention first: a running connector with a failed task is shown failed. */
function worstState(states: readonly string[]): string {
  return [...states].sort((a, b) => SEVERITY.indexOf(a) - SEVERITY.indexOf(b))[0] ?? 'UNASSIGNED';
}

/**
 * Sources → topics → sinks. A connector's topics are those it has used (the topics API) together with those
 * its configuration names, so a pipeline shows before its first record.
 */
export function buildTopology(
  connectors: ExpandedConnectors,
  usedTopics: ReadonlyMap<string, readonly string[]>,
): Topology {
  const nodes = new Map<string, TopologyNode>();
  const edges: TopologyEdge[] = [];
  const topicNode = (topic: string): string => {
    const id = `topic:${topic}`;
    if (!nodes.has(id)) nodes.set(id, { id, kind: 'topic', label: topic });
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
      ...(origin === undefined ? {} : { origin }),
      ...(status === undefined
        ? {}
        : { state: worstState([status.connector.state, ...status.tasks.map((t) => t.state)]) }),
    });
    const configured =
      kind === 'sink'
        ? list(config['topics'])
        : list(config['kafka.topic'] ?? config['topic'] ?? config['topics']);
    for (const topic of new Set([...configured, ...(usedTopics.get(name) ?? [])])) {
      const topicId = topicNode(topic);
      edges.push(
        kind === 'sink'
          ? { from: topicId, to: id, connector: name }
          : { from: id, to: topicId, connector: name },
      );
    }
  }
  return { nodes: [...nodes.values()], edges };
}
