import { html, type TemplateResult } from 'lit-html';
import type { LiveSnapshot } from '../live-store.js';
import { pluginDefinitions } from '../plugin-definitions.js';
import type { ConfigKeyDefinition } from '../rest-types.js';
import { displayedValue } from '../secret-mask.js';
import { CONNECTOR_CHARTS } from './charts.js';
import { connectorActions } from './connector-actions.js';
import { failures } from './connectors-page.js';
import type { PageContext } from './page-context.js';
import { formatRate, stateBadge } from './widgets.js';

const loadedDefinitions = new Map<string, ReadonlyMap<string, ConfigKeyDefinition>>();

/** The plugin's definitions when already loaded; otherwise starts loading them and renders again after. */
function definitionsOf(
  context: PageContext,
  plugin: string | undefined,
): ReadonlyMap<string, ConfigKeyDefinition> {
  if (plugin === undefined) return new Map();
  const loaded = loadedDefinitions.get(plugin);
  if (loaded !== undefined) return loaded;
  void pluginDefinitions(plugin).then((definitions) => {
    loadedDefinitions.set(plugin, definitions);
    context.rerender();
  });
  return new Map();
}

export function connectorPage(context: PageContext, live: LiveSnapshot, name: string): TemplateResult {
  const entry = live.connectors[name];
  if (entry === undefined) {
    return html`<h1>${name}</h1>
      <p class="empty">
        ${live.polledAt === 0 ? 'Loading…' : 'No such connector (it may have been deleted).'}
      </p>`;
  }
  const { status, info } = entry;
  const config = info?.config ?? {};
  const definitions = definitionsOf(context, config['connector.class']);
  const latest = live.history.latest(name);
  const state = status?.connector.state ?? 'UNASSIGNED';
  return html`<h1>${name} ${stateBadge(state)}</h1>
    <p>
      ${status?.type ?? info?.type} connector on ${status?.connector.worker_id ?? '?'} ·
      <span data-testid="rate">${formatRate(latest?.recordsPerSecond)}</span>
      ${latest?.lag === undefined ? '' : html` · lag ${latest.lag}`} · topics:
      ${(live.topics.get(name) ?? []).join(', ') || 'none yet'}
    </p>
    ${connectorActions(context, name, state)} ${status === undefined ? '' : failures(status)}
    <h2>Tasks</h2>
    <table>
      <thead>
        <tr>
          <th>Task</th>
          <th>State</th>
          <th>Worker</th>
        </tr>
      </thead>
      <tbody>
        ${(status?.tasks ?? []).map(
          (task) =>
            html`<tr>
              <td>${task.id}</td>
              <td>${stateBadge(task.state)}</td>
              <td>${task.worker_id}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>Metrics <small>(the last hour as the worker kept it, or since this page was opened)</small></h2>
    <div class="charts">
      ${CONNECTOR_CHARTS.map(
        (chart, i) =>
          html`<figure>
            <figcaption>${chart.label}</figcaption>
            <div data-chart=${i}></div>
          </figure>`,
      )}
    </div>
    <h2>Configuration</h2>
    <table class="config">
      <tbody>
        ${Object.entries(config)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(
            ([key, value]) =>
              html`<tr>
                <th title=${definitions.get(key)?.documentation ?? ''}>${key}</th>
                <td><code>${displayedValue(key, value, definitions)}</code></td>
              </tr>`,
          )}
      </tbody>
    </table>`;
}
