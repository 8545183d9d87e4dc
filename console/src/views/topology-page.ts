import { html, svg, type TemplateResult } from 'lit-html';
import type { LiveSnapshot } from '../live-store.js';
import { href } from '../router.js';
import { buildTopology, type TopologyNode } from '../topology.js';
import { formatRate } from './widgets.js';

const COLUMN = { source: 0, topic: 1, sink: 2 } as const;
const NODE_W = 220;
const NODE_H = 46;
const GAP_X = 130;
const GAP_Y = 18;

export function topologyPage(live: LiveSnapshot): TemplateResult {
  const topology = buildTopology(live.connectors, live.topics);
  const positions = new Map<string, { x: number; y: number }>();
  const rows = [0, 0, 0];
  for (const node of [...topology.nodes].sort((a, b) => a.label.localeCompare(b.label))) {
    const column = COLUMN[node.kind];
    positions.set(node.id, { x: 10 + column * (NODE_W + GAP_X), y: 10 + rows[column]! * (NODE_H + GAP_Y) });
    rows[column]!++;
  }
  const width = 20 + 3 * NODE_W + 2 * GAP_X;
  const height = 20 + Math.max(1, ...rows) * (NODE_H + GAP_Y);
  const nodeOf = (node: TopologyNode): TemplateResult => {
    const { x, y } = positions.get(node.id)!;
    const lag = node.kind === 'sink' ? live.history.latest(node.label)?.lag : undefined;
    const sub =
      node.kind === 'topic'
        ? 'topic'
        : (node.origin ?? node.kind) + (lag === undefined ? '' : ` · lag ${lag}`);
    const label = svg`<text x=${x + 8} y=${y + 19} class="node-label">${node.label}</text>
      <text x=${x + 8} y=${y + 36} class="node-sub">${sub}</text>`;
    const box = svg`<rect x=${x} y=${y} width=${NODE_W} height=${NODE_H} rx="6"
      class="node node-${node.kind} ${node.state === undefined ? '' : `state-${node.state.toLowerCase()}`}"></rect>`;
    return node.kind === 'topic'
      ? svg`<g data-node=${node.id}>${box}${label}</g>`
      : svg`<a href=${href('connectors', node.label)} data-node=${node.id}>${box}${label}</a>`;
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
              const rate = formatRate(live.history.latest(edge.connector)?.recordsPerSecond);
              return svg`<g class="edge" data-edge=${`${edge.from}->${edge.to}`}>
              <path d="M${x1},${y1} C${x1 + 60},${y1} ${x2 - 60},${y2} ${x2},${y2}" fill="none"></path>
              ${
                atSink
                  ? svg`<text x=${x2 - 8} y=${y2 - 6} text-anchor="end" class="edge-rate">${rate}</text>`
                  : svg`<text x=${x1 + 8} y=${y1 - 6} class="edge-rate">${rate}</text>`
              }
            </g>`;
            })}
            ${topology.nodes.map(nodeOf)}
          </svg>`
    }`;
}
