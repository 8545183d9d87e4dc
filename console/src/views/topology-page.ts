import { html, svg, type TemplateResult } from 'lit-html';
import type { LiveSnapshot } from '../live-store.js';
import { href } from '../router.js';
import { buildTopology, type Topology, type TopologyEdge, type TopologyNode } from '../topology.js';
import { formatRate } from './widgets.js';

const COLUMN = { source: 0, upstream: 1, topic: 2, sink: 3 } as const;
const COLUMNS = 4;
const NODE_W = 200;
const NODE_H = 46;
const GAP_X = 100;
const GAP_Y = 18;

/** Text cut to what fits a node (the whole text is its tooltip). */
const fit = (text: string, chars: number): string =>
  text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;

/**
 * Columns by kind; within a column, the order that keeps edges short and few crossing (the barycentre
 * heuristic, one pass left to right): sources with tables or remote topics first, so the edges of plain
 * sources, which skip that column, run below them; then each node at the mean row of what feeds it.
 */
function layout(topology: Topology): Map<string, { x: number; y: number }> {
  const positions = new Map<string, { x: number; y: number }>();
  const row = new Map<string, number>();
  const feeders = new Map<string, string[]>();
  for (const edge of topology.edges) feeders.set(edge.to, [...(feeders.get(edge.to) ?? []), edge.from]);
  const hasUpstream = new Set(
    topology.nodes.filter((n) => n.kind === 'upstream').map((n) => `source:${n.connector ?? ''}`),
  );
  const weight = (node: TopologyNode): number => {
    if (node.kind === 'source') return hasUpstream.has(node.id) ? 0 : 1;
    const rows = (feeders.get(node.id) ?? []).map((id) => row.get(id)).filter((r) => r !== undefined);
    return rows.length === 0 ? Number.MAX_SAFE_INTEGER : rows.reduce((a, b) => a + b, 0) / rows.length;
  };
  for (const kind of ['source', 'upstream', 'topic', 'sink'] as const) {
    const column = topology.nodes
      .filter((n) => n.kind === kind)
      .map((node) => ({ node, weight: weight(node) }))
      .sort((a, b) => a.weight - b.weight || a.node.label.localeCompare(b.node.label));
    // Plain sources start below the last table or remote topic, so their edges, which skip that column,
    // pass under those nodes rather than through them.
    const upstreamCount = topology.nodes.filter((n) => n.kind === 'upstream').length;
    const skip = kind === 'source' ? Math.max(0, upstreamCount - hasUpstream.size) : 0;
    column.forEach(({ node }, i) => {
      const r = i + (kind === 'source' && !hasUpstream.has(node.id) ? skip : 0);
      row.set(node.id, r);
      positions.set(node.id, { x: 10 + COLUMN[kind] * (NODE_W + GAP_X), y: 10 + r * (NODE_H + GAP_Y) });
    });
  }
  return positions;
}

export function topologyPage(live: LiveSnapshot): TemplateResult {
  const topology = buildTopology(live.connectors, live.topics);
  const positions = layout(topology);
  const width = 20 + COLUMNS * NODE_W + (COLUMNS - 1) * GAP_X;
  // Edges labelled per topic; a worker without per-topic counters gets the connector's total on the
  // connector's only edge (several edges would each show the total: they show nothing instead).
  const labelled = new Map<string, number>();
  for (const edge of topology.edges)
    if (edge.topic !== undefined) labelled.set(edge.connector, (labelled.get(edge.connector) ?? 0) + 1);
  const rateOf = (edge: TopologyEdge): string | undefined => {
    if (edge.topic === undefined) return undefined;
    const perTopic = live.topicRates.rate(edge.connector, edge.topic);
    if (perTopic !== undefined) return formatRate(perTopic);
    return labelled.get(edge.connector) === 1
      ? formatRate(live.history.latest(edge.connector)?.recordsPerSecond)
      : formatRate(undefined);
  };
  const height = 10 + Math.max(NODE_H + GAP_Y, ...[...positions.values()].map((p) => p.y + NODE_H + GAP_Y));
  const nodeOf = (node: TopologyNode): TemplateResult => {
    const { x, y } = positions.get(node.id)!;
    const lag = node.kind === 'sink' ? live.history.latest(node.label)?.lag : undefined;
    const sub =
      node.kind === 'topic'
        ? (node.origin ?? 'topic')
        : (node.origin ?? node.kind) + (lag === undefined ? '' : ` · lag ${lag}`);
    const label = svg`<title>${node.label}\n${sub}</title>
      <text x=${x + 8} y=${y + 19} class="node-label">${fit(node.label, 22)}</text>
      <text x=${x + 8} y=${y + 36} class="node-sub">${fit(sub, 32)}</text>`;
    const box = svg`<rect x=${x} y=${y} width=${NODE_W} height=${NODE_H} rx="6"
      class="node node-${node.kind} ${node.state === undefined ? '' : `state-${node.state.toLowerCase()}`}"></rect>`;
    return node.connector === undefined
      ? svg`<g data-node=${node.id}>${box}${label}</g>`
      : svg`<a href=${href('connectors', node.connector)} data-node=${node.id}>${box}${label}</a>`;
  };
  return html`<h1>Topology</h1>
    ${
      topology.nodes.length === 0
        ? html`<p class="empty">No connectors yet.</p>`
        : html`<svg class="topology" width=${width} height=${height} viewBox="0 0 ${width} ${height}">
            ${topology.edges.map((edge) => {
              const from = positions.get(edge.from)!;
              const to = positions.get(edge.to)!;
              const x1 = from.x + NODE_W;
              const y1 = from.y + NODE_H / 2;
              const x2 = to.x;
              const y2 = to.y + NODE_H / 2;
              // The label sits at the connector's end of its edge, so edges sharing a topic do not overlap.
              const atSink = edge.to.startsWith('sink:');
              const rate = rateOf(edge);
              return svg`<g class="edge" data-edge=${`${edge.from}->${edge.to}`}>
              <path d="M${x1},${y1} C${x1 + 60},${y1} ${x2 - 60},${y2} ${x2},${y2}" fill="none"></path>
              ${
                rate === undefined
                  ? ''
                  : atSink
                    ? svg`<text x=${x2 - 8} y=${y2 - 6} text-anchor="end" class="edge-rate">${rate}</text>`
                    : svg`<text x=${x1 + 8} y=${y1 - 6} class="edge-rate">${rate}</text>`
              }
            </g>`;
            })}
            ${topology.nodes.map(nodeOf)}
          </svg>`
    }`;
}
