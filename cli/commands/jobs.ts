import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { readPropertiesFile } from '../../runtime/config/properties-file.js';
import { SluiceError } from '../../runtime/errors/sluice-error.js';
import type { JobView } from '../../runtime/jobs/job-service.js';
import { type CommandContext, optionString, requireArg, UsageError } from './command-context.js';
import {
  finalLine,
  formatCount,
  formatDuration,
  fractionDone,
  progressBar,
  progressLine,
} from './job-progress.js';
import { seg } from './rest-client.js';

/** A job that ended without completing: `watch` exits 1, so a script can stop there. */
export class JobDidNotComplete extends Error {
  constructor(readonly job: JobView) {
    super(finalLine(job));
    this.name = 'JobDidNotComplete';
  }
}

const FINISHED = new Set(['completed', 'failed', 'cancelled']);

/**
 * A job config file: `.json` holding the config object (or `{"config": {...}}`, as POST /jobs takes it, whose
 * `type` is then checked against the command's), or a `.properties` file. Numbers and booleans become strings.
 */
async function readJobConfig(path: string, type: string): Promise<Record<string, string>> {
  if (!path.toLowerCase().endsWith('.json')) return readPropertiesFile(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) throw error;
    throw new SluiceError('CONFIG_FILE_MALFORMED', [path, '-', (error as Error).message]);
  }
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(parsed))
    throw new SluiceError('CONFIG_FILE_MALFORMED', [path, '1:1', 'expected a JSON object']);
  if (isObject(parsed['config']) && parsed['type'] !== undefined && parsed['type'] !== type)
    throw new UsageError(`${path} is a ${String(parsed['type'])} job, not ${type}`);
  const object = isObject(parsed['config']) ? parsed['config'] : parsed;
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) {
    if (typeof value === 'string') config[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') config[key] = String(value);
    else
      throw new SluiceError('CONFIG_FILE_MALFORMED', [
        path,
        key,
        `the value of "${key}" must be a string, number or boolean`,
      ]);
  }
  return config;
}

function jobRow(job: JobView): string[] {
  const p = job.progress;
  return [
    job.id,
    job.type,
    job.state,
    `${Math.floor(fractionDone(job) * 100)}%`,
    p.estimated_records === null ? String(p.records) : `${p.records}/${p.estimated_records}`,
    `${formatCount(p.records_per_second)}/s`,
    FINISHED.has(job.state) ? '-' : formatDuration(p.eta_seconds),
    job.created_at,
  ];
}

const HEADER = ['ID', 'TYPE', 'STATE', 'DONE', 'RECORDS', 'RATE', 'ETA', 'CREATED'];

/** `sluice jobs start TYPE FILE`: POST /jobs; prints the new job (its id first, for scripts). */
async function start(ctx: CommandContext): Promise<void> {
  const type = requireArg(ctx, 0, 'job type (backfill, replay, rewind, ...)');
  const file = requireArg(ctx, 1, 'job config file (.json or .properties)');
  const config = await readJobConfig(file, type);
  const job = (await ctx.client.request<JobView>('POST', '/jobs', { type, config })).body;
  ctx.print({
    data: job,
    text: `job ${job.id} (${job.type}) ${job.state}: ${job.progress.units_total} unit(s); follow it with: sluice jobs watch ${job.id}`,
  });
}

/** `sluice jobs list`: every job of the cluster's queue, oldest first. */
async function list(ctx: CommandContext): Promise<void> {
  const jobs = await ctx.client.get<JobView[]>('/jobs');
  ctx.print({ data: jobs, table: [HEADER, ...jobs.map(jobRow)] });
}

/** `sluice jobs describe ID`: one job, with its result or error. */
async function describe(ctx: CommandContext): Promise<void> {
  const id = requireArg(ctx, 0, 'job id');
  ctx.print({ data: await ctx.client.get<JobView>(`/jobs/${seg(id)}`) });
}

async function cancel(ctx: CommandContext): Promise<void> {
  const id = requireArg(ctx, 0, 'job id');
  const job = (await ctx.client.request<JobView>('DELETE', `/jobs/${seg(id)}`)).body;
  ctx.print({ data: job, text: `job ${job.id} ${job.state}: units stop at their next checkpoint` });
}

async function retry(ctx: CommandContext): Promise<void> {
  const id = requireArg(ctx, 0, 'job id');
  const job = (await ctx.client.request<JobView>('POST', `/jobs/${seg(id)}/retry`)).body;
  ctx.print({
    data: job,
    text: `job ${job.id} ${job.state}: unfinished units resume from their checkpoints`,
  });
}

/**
 * `sluice jobs watch ID`: follows a job until it ends. On a terminal one line is redrawn in place (a bar,
 * rate and ETA); otherwise (a pipe, a CI log) a plain line is written each time the progress changes. Exits
 * 0 when the job completed, 1 when it failed or was cancelled.
 */
async function watch(ctx: CommandContext): Promise<void> {
  const id = requireArg(ctx, 0, 'job id');
  const intervalText = optionString(ctx, 'interval') ?? '1';
  const intervalMs = Number(intervalText) * 1000;
  if (!Number.isFinite(intervalMs) || intervalMs <= 0)
    throw new UsageError(`--interval must be a positive number of seconds, not ${intervalText}`);
  // Data formats keep stdout for the final job; progress then goes to stderr (as notes do).
  const stream = ctx.format === 'table' ? process.stdout : process.stderr;
  const tty = stream.isTTY === true;
  let last = '';
  let job: JobView;
  for (;;) {
    job = await ctx.client.get<JobView>(`/jobs/${seg(id)}`);
    if (tty) {
      // A pseudo-terminal without a size reports 0 columns.
      const columns = stream.columns > 0 ? stream.columns : 100;
      stream.write(`\r\x1b[2K${progressBar(job, columns).slice(0, columns - 1)}`);
    } else {
      const line = progressLine(job, new Date());
      const changed = line.slice(line.indexOf(' ') + 1);
      if (changed !== last) stream.write(`${line}\n`);
      last = changed;
    }
    if (FINISHED.has(job.state)) break;
    await delay(intervalMs);
  }
  if (tty) stream.write('\n');
  if (ctx.format === 'table') process.stdout.write(`${finalLine(job)}\n`);
  else ctx.print({ data: job });
  if (job.state !== 'completed') throw new JobDidNotComplete(job);
}

export const jobCommands: Readonly<Record<string, (ctx: CommandContext) => Promise<void>>> = {
  start,
  list,
  watch,
  describe,
  cancel,
  retry,
};
