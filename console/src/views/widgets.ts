import { html, svg, type TemplateResult } from 'lit-html';
import type { RatePoint } from '../throughput-history.js';

export function stateBadge(state: string): TemplateResult {
  return html`<span class="state state-${state.toLowerCase()}">${state}</span>`;
}

export function formatRate(perSecond: number | undefined): string {
  if (perSecond === undefined) return '–';
  if (perSecond >= 1000) return `${(perSecond / 1000).toFixed(1)}k/s`;
  return `${perSecond.toFixed(perSecond < 10 ? 1 : 0)}/s`;
}

/** A small inline line of records/s over the console's own history. */
export function sparkline(points: readonly RatePoint[], width = 120, height = 24): TemplateResult {
  if (points.length < 2) return html`<svg class="spark" width=${width} height=${height}></svg>`;
  const max = Math.max(1, ...points.map((p) => p.recordsPerSecond));
  const step = width / (points.length - 1);
  const path = points
    .map(
      (p, i) =>
        `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)},${(height - (p.recordsPerSecond / max) * (height - 2) - 1).toFixed(1)}`,
    )
    .join(' ');
  return html`<svg class="spark" width=${width} height=${height} viewBox="0 0 ${width} ${height}">
    ${svg`<path d=${path} fill="none" stroke="currentColor" stroke-width="1.5"></path>`}
  </svg>`;
}
