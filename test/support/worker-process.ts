// Runs the real CLI (`node bin/sluice.js standalone ...`) as a child process for integration tests:
// a temp dir with worker.properties, a free REST port, readiness on `GET /`, kill -9 and SIGTERM, and a
// last-resort kill of every child when the test process exits, so no worker outlives its test.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KAFKA_BOOTSTRAP } from './endpoints.js';

/** The repository root (this file compiles to dist/test/support/, and runs from test/support/ under tsx). */
function repoRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return here.includes('/dist/') ? join(here, '../../..') : join(here, '../..');
}

export const SLUICE_BIN = join(repoRoot(), 'bin/sluice.js');

const living = new Set<ChildProcess>();
const killLiving = (): void => {
  for (const child of living) child.kill('SIGKILL');
};
process.on('exit', killLiving);
// 'exit' does not fire when the test process itself is killed by a signal (a runner timeout, Ctrl-C):
// kill the workers first, then let the signal take its default effect.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killLiving();
    process.kill(process.pid, signal);
  });
}

/** A name no other test run uses (topics, connectors, groups). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
}

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `sluice-${prefix}-`));
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** A port nothing listens on right now (the OS picks it; we release it for the worker to bind). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` until it returns something other than undefined/false/null, and returns that; fails
 * with `what` and the last value or error seen when `timeoutMs` passes.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs: number,
  what: string,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await sleep(intervalMs);
  }
}

export interface RestReply<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
}

/** One REST call; `body` may be an object (sent as JSON) or a raw string (sent as is, for malformed JSON). */
export async function rest<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<RestReply<T>> {
  const init: RequestInit = {
    method,
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(30_000),
  };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  const response = await fetch(`${baseUrl}${path}`, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, text };
}

export interface ExitResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface WorkerOptions {
  /** Extra worker properties (override the defaults below). */
  readonly properties?: Readonly<Record<string, string>>;
  /** Connector files given on the command line. */
  readonly connectorFiles?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** Writes a `.properties` file (keys and values are used as given: keep them simple). */
export async function writeProperties(
  path: string,
  props: Readonly<Record<string, string>>,
): Promise<string> {
  await writeFile(
    path,
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
  return path;
}

/** Runs `node bin/sluice.js <args>` to completion (for CLI checks). */
export function runCli(
  args: readonly string[],
  timeoutMs = 30_000,
): Promise<ExitResult & { stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SLUICE_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    living.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      living.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * One standalone worker process in its own temp dir. `start()` again after a kill reuses the same
 * worker.properties (and so the same offsets and connectors files), as an operator's restart would.
 */
export class WorkerProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<ExitResult> | null = null;
  private log = '';

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly workerFile: string,
    readonly offsetsFile: string,
    private readonly options: WorkerOptions,
  ) {}

  /** Creates the temp dir and worker.properties, starts the worker and waits until REST answers. */
  static async start(options: WorkerOptions = {}): Promise<WorkerProcess> {
    const worker = await WorkerProcess.create(options);
    try {
      await worker.start();
    } catch (error) {
      // The caller never gets the worker to dispose of: clean up here.
      await worker.dispose();
      throw error;
    }
    return worker;
  }

  /** Creates the temp dir and worker.properties without starting (to write connector files into `dir` first). */
  static async create(options: WorkerOptions = {}): Promise<WorkerProcess> {
    const dir = await makeTempDir('worker');
    const port = await freePort();
    const offsetsFile = join(dir, 'offsets.json');
    const workerFile = await writeProperties(join(dir, 'worker.properties'), {
      'bootstrap.servers': KAFKA_BOOTSTRAP,
      listeners: `http://127.0.0.1:${port}`,
      'offset.storage.file.filename': offsetsFile,
      'offset.flush.interval.ms': '1000',
      ...options.properties,
    });
    return new WorkerProcess(dir, port, workerFile, offsetsFile, options);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Everything the process wrote to stdout and stderr, across restarts. */
  get output(): string {
    return this.log;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Starts (or restarts) the process and waits for `GET /` to answer. */
  async start(connectorFiles: readonly string[] = this.options.connectorFiles ?? []): Promise<void> {
    if (this.child !== null) throw new Error('worker is already running');
    const child = spawn(process.execPath, [SLUICE_BIN, 'standalone', this.workerFile, ...connectorFiles], {
      cwd: this.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...this.options.env },
    });
    living.add(child);
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        living.delete(child);
        if (this.child === child) this.child = null;
        resolve({ code, signal });
      });
    });
    await waitFor(
      async () => {
        if (this.child !== child) throw new Error(`worker exited during startup:\n${this.log.slice(-3000)}`);
        const reply = await rest(this.url, 'GET', '/');
        return reply.status === 200;
      },
      30_000,
      `worker REST on ${this.url}`,
    );
  }

  /** kill -9: no shutdown hooks, no final offset commit. */
  async kill9(): Promise<ExitResult> {
    return this.signal('SIGKILL', 10_000);
  }

  /** SIGTERM, then the exit; fails when the process has not exited within `timeoutMs` (it is then killed). */
  async terminate(timeoutMs = 20_000): Promise<ExitResult> {
    return this.signal('SIGTERM', timeoutMs);
  }

  private async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<ExitResult> {
    const child = this.child;
    const exited = this.exited;
    if (child === null || exited === null) throw new Error('worker is not running');
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      exited,
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (result === null) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`worker did not exit within ${timeoutMs} ms of ${signal}:\n${this.log.slice(-3000)}`);
    }
    return result;
  }

  /** For `after()` hooks: kills the process if it still runs and removes the temp dir. */
  async dispose(): Promise<void> {
    if (this.child !== null) await this.kill9().catch(() => undefined);
    await removeTempDir(this.dir);
  }

  // ---- REST shortcuts ----

  rest<T = unknown>(method: string, path: string, body?: unknown): Promise<RestReply<T>> {
    return rest<T>(this.url, method, path, body);
  }

  /** Creates a connector via POST /connectors and asserts 201. */
  async createConnector(name: string, config: Readonly<Record<string, string>>): Promise<void> {
    const reply = await this.rest('POST', '/connectors', { name, config });
    if (reply.status !== 201) throw new Error(`creating ${name} answered ${reply.status}: ${reply.text}`);
  }

  async status(name: string): Promise<ConnectorStatus> {
    const reply = await this.rest<ConnectorStatus>('GET', `/connectors/${encodeURIComponent(name)}/status`);
    if (reply.status !== 200) throw new Error(`status of ${name} answered ${reply.status}: ${reply.text}`);
    return reply.body;
  }

  /** Waits until the connector and `tasks` tasks (all of them) are in `state`. */
  async waitForState(
    name: string,
    state: string,
    tasks: number,
    timeoutMs = 45_000,
  ): Promise<ConnectorStatus> {
    return waitFor(
      async () => {
        const s = await this.status(name);
        return s.connector.state === state &&
          s.tasks.length === tasks &&
          s.tasks.every((t) => t.state === state)
          ? s
          : false;
      },
      timeoutMs,
      `${name} ${state} with ${tasks} task(s)`,
    );
  }
}

export interface TaskStatus {
  readonly id: number;
  readonly state: string;
  readonly worker_id: string;
  readonly trace?: string;
}

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: { readonly state: string; readonly worker_id: string; readonly trace?: string };
  readonly tasks: readonly TaskStatus[];
  readonly type: string;
}
