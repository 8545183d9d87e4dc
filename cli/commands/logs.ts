import type { ConnectorLogLine, ConnectorLogPage } from '../../runtime/cluster/connector-logs.js';
import type { ConnectorStateInfo } from '../../runtime/cluster/rest-types.js';
import { type CommandContext, optionString, requireArg, UsageError } from './command-context.js';
import { RestClient } from './rest-client.js';

const DEFAULT_LINES = 50;
/** How long one follow request waits for a new line before asking again. */
const FOLLOW_WAIT_MS = 20_000;
/** How often --follow reads the status again for workers that took over a task. */
const STATUS_REFRESH_MS = 10_000;

/** `2026-12-05T23:40:01.123Z INFO  task.orders-0  message {"fields":…}`: one line as people read it. */
export function formatLogLine(line: ConnectorLogLine): string {
  const fields = line.fields === undefined ? '' : ` ${JSON.stringify(line.fields)}`;
  return `${new Date(line.time).toISOString()} ${line.level.padEnd(5)} ${line.logger}  ${line.message}${fields}`;
}

/**
 * Each worker keeps the lines of what it runs, so the lines come from every worker the status names for
 * the connector or one of its tasks, merged by time.
 */
function workerClients(client: RestClient, status: ConnectorStateInfo): RestClient[] {
  const own = new URL(client.baseUrl);
  const workers = new Set(
    [status.connector.worker_id, ...status.tasks.map((t) => t.worker_id)].filter((w) => w !== ''),
  );
  const clients = [...workers].map((worker) =>
    worker === own.host
      ? client
      : new RestClient(worker.includes('://') ? worker : `${own.protocol}//${worker}`),
  );
  return clients.length > 0 ? clients : [client];
}

/** `sluice logs NAME [-n LINES] [--follow]`: the connector's and its tasks' recent log lines, through REST. */
export async function logs(ctx: CommandContext): Promise<void> {
  const name = requireArg(ctx, 0, 'connector name');
  const linesOption = optionString(ctx, 'lines');
  const count = linesOption === undefined ? DEFAULT_LINES : Number(linesOption);
  if (!Number.isInteger(count) || count < 0) throw new UsageError('-n must be a whole number');
  const path = `/connectors/${encodeURIComponent(name)}`;
  const status = await ctx.client.get<ConnectorStateInfo>(`${path}/status`);
  const clients = workerClients(ctx.client, status);
  const show = (lines: readonly ConnectorLogLine[]): void => {
    if (lines.length === 0) return;
    ctx.print({ data: lines, text: lines.map(formatLogLine).join('\n') });
  };

  const since = new Map<RestClient, number>();
  const recent: ConnectorLogLine[] = [];
  await Promise.all(
    clients.map(async (client) => {
      try {
        const page = await client.get<ConnectorLogPage>(`${path}/logs?limit=${Math.min(count, 1000)}`);
        recent.push(...page.lines);
        since.set(client, page.next);
      } catch (error) {
        ctx.note(`sluice: no lines from ${client.baseUrl}: ${(error as Error).message}`);
      }
    }),
  );
  show(recent.sort((a, b) => a.time - b.time || a.seq - b.seq).slice(Math.max(0, recent.length - count)));
  if (ctx.options['follow'] !== true) return;

  // Follow: each worker long-polls on its own; lines are printed as they arrive, until interrupted. The
  // status is read again now and then, so a worker that took over a task (a rebalance) is followed too.
  const following = new Set<string>();
  const follow = async (client: RestClient, first: number): Promise<void> => {
    following.add(client.baseUrl);
    let next = first;
    for (;;) {
      try {
        const page = await client.get<ConnectorLogPage>(
          `${path}/logs?since=${next}&wait_ms=${FOLLOW_WAIT_MS}`,
        );
        show(page.lines);
        next = page.next;
      } catch (error) {
        ctx.note(`sluice: ${client.baseUrl}: ${(error as Error).message}; trying again`);
        await new Promise((r) => setTimeout(r, 2_000));
      }
    }
  };
  const followers = [...since].map(([client, first]) => follow(client, first));
  const newWorkers = async (): Promise<void> => {
    for (;;) {
      await new Promise((r) => setTimeout(r, STATUS_REFRESH_MS));
      const current = await ctx.client.get<ConnectorStateInfo>(`${path}/status`).catch(() => null);
      if (current === null) continue;
      for (const client of workerClients(ctx.client, current))
        if (!following.has(client.baseUrl)) void follow(client, 0);
    }
  };
  await Promise.all([...followers, newWorkers()]);
}
