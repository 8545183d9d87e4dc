import { html, type TemplateResult } from 'lit-html';
import type { LiveSnapshot } from '../live-store.js';
import type { Sample } from '../prometheus-text.js';
import { restGet } from '../rest-client.js';
import type { ServerInfo } from '../rest-types.js';
import { href } from '../router.js';
import { workerRebalances, type Rebalance } from '../worker-history.js';
import type { PageContext } from './page-context.js';
import { stateBadge } from './widgets.js';

let serverInfo: Promise<ServerInfo | undefined> | undefined;
let shownInfo: ServerInfo | undefined;
/**
 * Rebalances seen while the console is open (the answering worker's epoch each time it changed): shown for a
 * worker that does not keep its own history.
 */
const rebalances: Array<{ readonly at: number; readonly epoch: number; readonly leader: boolean }> = [];

const gauge = (samples: readonly Sample[], name: string): number | undefined =>
  samples.find((s) => s.name === name)?.value;

/** Notes a rebalance when the answering worker's epoch moved since the last poll. */
export function trackRebalances(live: LiveSnapshot): void {
  const epoch = gauge(live.samples, 'kafka_connect_worker_rebalance_epoch');
  if (epoch === undefined || epoch < 0 || rebalances[rebalances.length - 1]?.epoch === epoch) return;
  rebalances.push({
    at: live.polledAt,
    epoch,
    leader: gauge(live.samples, 'sluice_worker_rebalance_leader') === 1,
  });
  if (rebalances.length > 50) rebalances.shift();
}

export function clusterPage(context: PageContext, live: LiveSnapshot): TemplateResult {
  serverInfo ??= restGet<ServerInfo>('/')
    .then((info) => {
      shownInfo = info;
      context.rerender();
      return info;
    })
    .catch(() => undefined);
  // Who runs what, as the statuses tell it: every worker of the cluster that runs a connector or a task.
  const workers = new Map<string, TemplateResult[]>();
  const add = (worker: string, item: TemplateResult): void => {
    workers.set(worker, [...(workers.get(worker) ?? []), item]);
  };
  for (const [name, { status }] of Object.entries(live.connectors)) {
    if (status === undefined) continue;
    add(
      status.connector.worker_id,
      html`<li><a href=${href('connectors', name)}>${name}</a> ${stateBadge(status.connector.state)}</li>`,
    );
    for (const task of status.tasks) {
      add(
        task.worker_id,
        html`<li><a href=${href('connectors', name)}>${name}</a>-${task.id} ${stateBadge(task.state)}</li>`,
      );
    }
  }
  const epoch = gauge(live.samples, 'kafka_connect_worker_rebalance_epoch');
  const leader = gauge(live.samples, 'sluice_worker_rebalance_leader');
  return html`<h1>Cluster</h1>
    <p>
      Version ${shownInfo?.version ?? '?'} (${shownInfo?.commit ?? '?'}) · Kafka cluster
      <code>${shownInfo?.kafka_cluster_id ?? '?'}</code>
    </p>
    <h2>This worker</h2>
    <p>
      ${
        epoch === undefined || epoch < 0
          ? 'Standalone (no group, no rebalances).'
          : html`Group generation ${epoch} · ${leader === 1 ? 'leader' : 'follower'} ·
            ${gauge(live.samples, 'kafka_connect_worker_rebalance_completed_rebalances_total') ?? 0}
            rebalances`
      }
    </p>
    <h2>Workers and assignments</h2>
    <table>
      <thead>
        <tr>
          <th>Worker</th>
          <th>Connectors and tasks</th>
        </tr>
      </thead>
      <tbody>
        ${[...workers]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(
            ([worker, items]) =>
              html`<tr>
                <td>${worker}</td>
                <td>
                  <ul class="assignments">
                    ${items}
                  </ul>
                </td>
              </tr>`,
          )}
      </tbody>
    </table>
    ${rebalanceHistory(context)}`;
}

const count = (value: number | null): string => (value === null ? '?' : String(value));

function rebalanceHistory(context: PageContext): TemplateResult {
  const kept = workerRebalances(context.rerender);
  if (kept === undefined) {
    return html`<h2>Rebalances seen since this page was opened</h2>
      ${
        rebalances.length === 0
          ? html`<p class="empty">None.</p>`
          : html`<ul>
              ${rebalances.map(
                (r) =>
                  html`<li>
                    ${new Date(r.at).toLocaleTimeString()}: generation
                    ${r.epoch}${r.leader ? ' (leader)' : ''}
                  </li>`,
              )}
            </ul>`
      }`;
  }
  return html`<h2>Recent rebalances <small>(as this worker kept them, newest first)</small></h2>
    ${
      kept.length === 0
        ? html`<p class="empty" data-testid="rebalances">None: a standalone worker has no group.</p>`
        : html`<table data-testid="rebalances">
            <thead>
              <tr>
                <th>When</th>
                <th>Generation</th>
                <th>This worker</th>
                <th>Leader</th>
                <th>Runs after it</th>
                <th>Revoked</th>
                <th>Next round</th>
              </tr>
            </thead>
            <tbody>
              ${[...kept].reverse().map(
                (r: Rebalance) =>
                  html`<tr>
                    <td>${new Date(r.at).toLocaleString()}</td>
                    <td>${r.generation}</td>
                    <td>${r.leader ? 'leader' : 'follower'}</td>
                    <td>${r.leader_url ?? '?'}</td>
                    <td>${count(r.connectors)} connectors, ${count(r.tasks)} tasks</td>
                    <td>${count(r.revoked_connectors)} connectors, ${count(r.revoked_tasks)} tasks</td>
                    <td>${r.delay_ms === null ? '–' : `in ${Math.round(r.delay_ms / 1000)} s`}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`;
}
