import type { ConnectorStateInfo } from '../../runtime/cluster/rest-types.js';
import type { CommandContext } from './command-context.js';
import type { RestClient } from './rest-client.js';

const LAG_METRIC = 'kafka_connect_sink_task_sink_record_lag_max';

/**
 * Each sink task's record lag, read from the /metrics of the worker running it (a worker reports only
 * its own tasks). Best effort: a worker that does not answer within a second shows no lag.
 */
async function sinkLags(client: RestClient, workers: ReadonlySet<string>): Promise<Map<string, number>> {
  const lags = new Map<string, number>();
  const line = new RegExp(`^${LAG_METRIC}\\{([^}]*)\\} (\\S+)$`, 'gm');
  await Promise.all(
    [...workers].map(async (worker) => {
      const base = worker.includes('://') ? worker : `${new URL(client.baseUrl).protocol}//${worker}`;
      try {
        const response = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(1000) });
        const text = await response.text();
        for (const m of text.matchAll(line)) {
          const connector = /connector="((?:[^"\\]|\\.)*)"/.exec(m[1]!)?.[1];
          const task = /task="(\d+)"/.exec(m[1]!)?.[1];
          const value = Number(m[2]);
          if (connector !== undefined && task !== undefined && Number.isFinite(value))
            lags.set(`${connector}/${task}`, value);
        }
      } catch {
        // No lag for this worker's tasks; the states above still come from the REST API.
      }
    }),
  );
  return lags;
}

/** `sluice status`: every connector and task with its state, worker and (for sinks) lag in records. */
export async function status(ctx: CommandContext): Promise<void> {
  const all =
    await ctx.client.get<Record<string, { status: ConnectorStateInfo }>>('/connectors?expand=status');
  const statuses = Object.keys(all)
    .sort()
    .map((n) => all[n]!.status);
  const workers = new Set(statuses.flatMap((s) => s.tasks.map((t) => t.worker_id)));
  const lags = await sinkLags(ctx.client, workers);
  const lagOf = (connector: string, task: number): number | null => lags.get(`${connector}/${task}`) ?? null;
  const rows: string[][] = [['CONNECTOR', 'TASK', 'TYPE', 'STATE', 'WORKER', 'LAG']];
  for (const s of statuses) {
    rows.push([s.name, '-', s.type, s.connector.state, s.connector.worker_id, '']);
    for (const t of s.tasks) {
      const lag = lagOf(s.name, t.id);
      rows.push([s.name, String(t.id), s.type, t.state, t.worker_id, lag === null ? '-' : String(lag)]);
    }
  }
  ctx.print({
    data: statuses.map((s) => ({
      ...s,
      tasks: s.tasks.map((t) => ({ ...t, lag: lagOf(s.name, t.id) })),
    })),
    table: rows,
  });
}
