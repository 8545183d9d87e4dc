import { readFile } from 'node:fs/promises';
import type {
  ConfigInfos,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
} from '../../runtime/cluster/rest-types.js';
import { type CommandContext, optionString, requireArg, UsageError } from './command-context.js';
import { configDiff } from './config-diff.js';
import { readConnectorFiles } from './connector-files.js';
import { seg } from './rest-client.js';
import { WorkerRefusal } from './rest-client.js';

type Expanded = Record<string, { status?: ConnectorStateInfo; info?: ConnectorInfo }>;

function taskSummary(status: ConnectorStateInfo | undefined): string {
  if (status === undefined) return '-';
  const running = status.tasks.filter((t) => t.state === 'RUNNING').length;
  return `${running}/${status.tasks.length}`;
}

async function list(ctx: CommandContext): Promise<void> {
  const all = await ctx.client.get<Expanded>('/connectors?expand=status&expand=info');
  const names = Object.keys(all).sort();
  ctx.print({
    data: names.map((name) => ({
      name,
      type: all[name]!.status?.type ?? all[name]!.info?.type ?? 'unknown',
      state: all[name]!.status?.connector.state ?? 'UNKNOWN',
      tasks:
        all[name]!.status?.tasks.map((t) => ({ id: t.id, state: t.state, worker_id: t.worker_id })) ?? [],
      worker_id: all[name]!.status?.connector.worker_id ?? null,
    })),
    table: [
      ['NAME', 'TYPE', 'STATE', 'TASKS', 'WORKER'],
      ...names.map((name) => {
        const s = all[name]!.status;
        return [
          name,
          s?.type ?? '-',
          s?.connector.state ?? '-',
          taskSummary(s),
          s?.connector.worker_id ?? '-',
        ];
      }),
    ],
  });
}

async function describe(ctx: CommandContext): Promise<void> {
  const name = requireArg(ctx, 0, 'connector name');
  const [info, status] = await Promise.all([
    ctx.client.get<ConnectorInfo>(`/connectors/${seg(name)}`),
    ctx.client.get<ConnectorStateInfo>(`/connectors/${seg(name)}/status`),
  ]);
  const config = Object.keys(info.config)
    .sort()
    .map((k) => `  ${k}=${info.config[k]}`);
  const traces = [status.connector, ...status.tasks]
    .filter((s) => s.trace !== undefined)
    .map((s) => `${'id' in s ? `task ${String(s.id)}` : 'connector'} trace:\n${s.trace}`);
  ctx.print({
    data: { name, type: info.type, config: info.config, status },
    table: [
      ['', 'STATE', 'WORKER'],
      ['connector', status.connector.state, status.connector.worker_id],
      ...status.tasks.map((t) => [`task ${t.id}`, t.state, t.worker_id]),
    ],
    text: [`Name: ${name}`, `Type: ${info.type}`, 'Config:', ...config, ...traces].join('\n'),
  });
}

/** Problems the worker sees in a config before anything changes: errors stop `apply`, warnings are shown. */
async function validate(ctx: CommandContext, file: string, config: Record<string, string>): Promise<boolean> {
  const cls = config['connector.class'];
  if (cls === undefined) throw new UsageError(`${file}: no connector.class`);
  let infos: ConfigInfos;
  try {
    infos = (
      await ctx.client.request<ConfigInfos>('PUT', `/connector-plugins/${seg(cls)}/config/validate`, config)
    ).body;
  } catch (error) {
    if (error instanceof WorkerRefusal) throw new WorkerRefusal(error.status, `${file}: ${error.message}`);
    throw error;
  }
  for (const c of infos.configs) {
    for (const w of c.value.warnings ?? []) ctx.note(`${file}: warning: ${w}`);
    for (const e of c.value.errors) ctx.note(`${file}: error: ${c.value.name}: ${e}`);
  }
  return infos.error_count === 0;
}

/**
 * Makes the worker hold exactly the configs of the files: creates what is missing, updates what differs
 * (after showing the diff), and leaves equal configs alone, so running it twice changes nothing.
 */
async function apply(ctx: CommandContext): Promise<void> {
  const path = optionString(ctx, 'file');
  if (path === undefined) throw new UsageError('apply needs -f FILE|DIRECTORY');
  const dryRun = ctx.options['dry-run'] === true;
  const results: { name: string; file: string; action: string; diff: string[] }[] = [];
  let invalid = false;
  for (const file of await readConnectorFiles(path)) {
    const desired = { ...file.config, name: file.name };
    const current = await ctx.client.getIfExists<Record<string, string>>(
      `/connectors/${seg(file.name)}/config`,
    );
    const diff = configDiff(current, desired);
    if (diff.length === 0) {
      results.push({ name: file.name, file: file.path, action: 'unchanged', diff });
      ctx.note(`connector ${file.name} unchanged`);
      continue;
    }
    ctx.note(`connector ${file.name} (${file.path}):`);
    for (const line of diff) ctx.note(`  ${line}`);
    if (!(await validate(ctx, file.path, desired))) {
      invalid = true;
      results.push({ name: file.name, file: file.path, action: 'invalid', diff });
      continue;
    }
    let action = current === null ? 'created' : 'updated';
    if (dryRun) action = current === null ? 'would be created' : 'would be updated';
    else if (current === null)
      await ctx.client.request('POST', '/connectors', {
        name: file.name,
        config: desired,
        ...(file.initialState ? { initial_state: file.initialState } : {}),
      });
    else await ctx.client.request('PUT', `/connectors/${seg(file.name)}/config`, desired);
    ctx.note(`connector ${file.name} ${action}`);
    results.push({ name: file.name, file: file.path, action, diff });
  }
  ctx.print({
    data: results,
    table: [['NAME', 'ACTION', 'FILE'], ...results.map((r) => [r.name, r.action, r.file])],
  });
  if (invalid)
    throw new WorkerRefusal(400, 'some connector configurations are invalid; nothing was changed for them');
}

/** `key=value` sets a key, `key=` keeps an empty value; `--unset key` removes it (PATCH with null). */
async function patch(ctx: CommandContext): Promise<void> {
  const name = requireArg(ctx, 0, 'connector name');
  const body: Record<string, string | null> = {};
  for (const pair of ctx.args.slice(1)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`'${pair}' is not KEY=VALUE`);
    body[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const unset = ctx.options['unset'];
  for (const key of Array.isArray(unset) ? unset : []) body[key] = null;
  if (Object.keys(body).length === 0) throw new UsageError('patch needs KEY=VALUE or --unset KEY');
  const current = await ctx.client.get<Record<string, string>>(`/connectors/${seg(name)}/config`);
  const desired = { ...current };
  for (const [k, v] of Object.entries(body)) {
    if (v === null) delete desired[k];
    else desired[k] = v;
  }
  for (const line of configDiff(current, desired)) ctx.note(`  ${line}`);
  const result = await ctx.client.request<ConnectorInfo>('PATCH', `/connectors/${seg(name)}/config`, body);
  ctx.print({ data: result.body, text: `connector ${name} patched` });
}

function lifecycle(verb: 'pause' | 'resume' | 'stop', done: string) {
  return async (ctx: CommandContext): Promise<void> => {
    const name = requireArg(ctx, 0, 'connector name');
    await ctx.client.request('PUT', `/connectors/${seg(name)}/${verb}`);
    ctx.print({ data: { name, action: verb }, text: `connector ${name} ${done}` });
  };
}

async function restart(ctx: CommandContext): Promise<void> {
  const name = requireArg(ctx, 0, 'connector name');
  const failed = ctx.options['failed'] === true;
  // --failed restarts only the FAILED connector and tasks (Connect's onlyFailed); either way tasks are included.
  const query = `?includeTasks=true&onlyFailed=${String(failed)}`;
  const result = await ctx.client.request<ConnectorStateInfo | null>(
    'POST',
    `/connectors/${seg(name)}/restart${query}`,
  );
  ctx.print({
    data: result.body ?? { name, action: 'restart' },
    text: `connector ${name} restart${failed ? ' of failed instances' : ''} requested`,
  });
}

async function remove(ctx: CommandContext): Promise<void> {
  const name = requireArg(ctx, 0, 'connector name');
  await ctx.client.request('DELETE', `/connectors/${seg(name)}`);
  ctx.print({ data: { name, action: 'delete' }, text: `connector ${name} deleted` });
}

async function offsets(ctx: CommandContext): Promise<void> {
  const sub = requireArg(ctx, 0, 'offsets get|reset|alter');
  const name = requireArg(ctx, 1, 'connector name');
  const path = `/connectors/${seg(name)}/offsets`;
  if (sub === 'get') {
    const body = await ctx.client.get<ConnectorOffsets>(path);
    ctx.print({
      data: body,
      table: [
        ['PARTITION', 'OFFSET'],
        ...body.offsets.map((o) => [JSON.stringify(o.partition), JSON.stringify(o.offset)]),
      ],
    });
  } else if (sub === 'reset') {
    const r = await ctx.client.request<{ message: string }>('DELETE', path);
    ctx.print({ data: r.body, text: r.body.message });
  } else if (sub === 'alter') {
    const file = optionString(ctx, 'file');
    if (file === undefined)
      throw new UsageError('offsets alter needs -f OFFSETS.json (the shape offsets get prints)');
    const body = JSON.parse(await readFile(file, 'utf8')) as unknown;
    const r = await ctx.client.request<{ message: string }>('PATCH', path, body);
    ctx.print({ data: r.body, text: r.body.message });
  } else throw new UsageError(`unknown offsets command '${sub}'`);
}

export const connectorCommands: Readonly<Record<string, (ctx: CommandContext) => Promise<void>>> = {
  list,
  describe,
  apply,
  patch,
  pause: lifecycle('pause', 'paused'),
  resume: lifecycle('resume', 'resumed'),
  stop: lifecycle('stop', 'stopped'),
  restart,
  delete: remove,
  offsets,
};
