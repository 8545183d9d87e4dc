import { html, type TemplateResult } from 'lit-html';
import { readOnlyReason } from '../access.js';
import type { LiveSnapshot } from '../live-store.js';
import type { ConnectorStatus } from '../rest-types.js';
import { href } from '../router.js';
import { taskErrorOf } from '../task-error.js';
import { formatRate, sparkline, stateBadge } from './widgets.js';

function failedTasks(status: ConnectorStatus | undefined): number {
  if (status === undefined) return 0;
  return (
    status.tasks.filter((t) => t.state === 'FAILED').length + (status.connector.state === 'FAILED' ? 1 : 0)
  );
}

/** `worker: n tasks` for every worker that runs a task of the connector. */
function tasksPerWorker(status: ConnectorStatus | undefined): string {
  if (status === undefined || status.tasks.length === 0) return 'no tasks';
  const counts = new Map<string, number>();
  for (const task of status.tasks) counts.set(task.worker_id, (counts.get(task.worker_id) ?? 0) + 1);
  return [...counts].map(([worker, n]) => `${worker}: ${n}`).join(', ');
}

/** The errors of a connector's failed parts: code, message, and the trace on demand. */
export function failures(status: ConnectorStatus): TemplateResult[] {
  const failed = [
    ...(status.connector.state === 'FAILED' && status.connector.trace !== undefined
      ? [{ label: 'connector', trace: status.connector.trace }]
      : []),
    ...status.tasks
      .filter((t) => t.state === 'FAILED' && t.trace !== undefined)
      .map((t) => ({ label: `task ${t.id} on ${t.worker_id}`, trace: t.trace! })),
  ];
  return failed.map(({ label, trace }) => {
    const error = taskErrorOf(trace);
    return html`<div class="failure" data-testid="failure">
      <span class="failure-where">${label}</span>
      ${error.code === undefined ? '' : html`<code class="error-code">${error.code}</code>`}
      <span class="error-message">${error.message}</span>
      <details>
        <summary>trace</summary>
        <pre>${error.trace}</pre>
      </details>
    </div>`;
  });
}

export function connectorsPage(live: LiveSnapshot): TemplateResult {
  const entries = Object.entries(live.connectors).sort(
    ([a, x], [b, y]) => failedTasks(y.status) - failedTasks(x.status) || a.localeCompare(b),
  );
  return html`<h1>Connectors</h1>
    ${
      readOnlyReason() === undefined
        ? html`<p><a class="button" href=${href('new')}>New connector</a></p>`
        : ''
    }
    ${
      entries.length === 0
        ? html`<p class="empty">No connectors yet.</p>`
        : html`<table class="connectors">
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th>State</th>
                <th>Tasks</th>
                <th>Records/s</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              ${entries.map(([name, { status, info }]) => {
                const latest = live.history.latest(name);
                return html`<tr data-connector=${name}>
                    <td><a href=${href('connectors', name)}>${name}</a></td>
                    <td>${status?.type ?? info?.type ?? ''}</td>
                    <td>
                      ${status === undefined ? '' : stateBadge(status.connector.state)}
                      ${(status?.tasks ?? []).map((t) => stateBadge(t.state))}
                    </td>
                    <td>${tasksPerWorker(status)}</td>
                    <td class="rate" data-testid="rate">${formatRate(latest?.recordsPerSecond)}</td>
                    <td>${sparkline(live.history.history(name))}</td>
                  </tr>
                  ${
                    status !== undefined && failedTasks(status) > 0
                      ? html`<tr class="failures">
                          <td colspan="6">${failures(status)}</td>
                        </tr>`
                      : ''
                  }`;
              })}
            </tbody>
          </table>`
    }`;
}
