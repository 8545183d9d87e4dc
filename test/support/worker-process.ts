// A standalone worker (`node bin/sluice.js standalone ...`) for integration tests: a temp dir with
// worker.properties, a free REST port, readiness on `GET /`; plus the small helpers every integration
// test uses (unique names, temp dirs, free ports, REST calls, waiting).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KAFKA_BOOTSTRAP } from './endpoints.js';
import { SluiceProcess, waitFor, type ExitResult } from './sluice-process.js';

export { runCli, SLUICE_BIN, sleep, waitFor, type ExitResult } from './sluice-process.js';

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

/**
 * One standalone worker process in its own temp dir. `start()` again after a kill reuses the same
 * worker.properties (and so the same offsets and connectors files), as an operator's restart would.
 */
export class WorkerProcess {
  private readonly process: SluiceProcess;

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly workerFile: string,
    readonly offsetsFile: string,
    private readonly options: WorkerOptions,
  ) {
    this.process = new SluiceProcess({ cwd: dir, env: options.env });
  }

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
    return this.process.output;
  }

  get running(): boolean {
    return this.process.running;
  }

  /** Starts (or restarts) the process and waits for `GET /` to answer. */
  start(connectorFiles: readonly string[] = this.options.connectorFiles ?? []): Promise<void> {
    return this.process.start(
      ['standalone', this.workerFile, ...connectorFiles],
      async () => (await rest(this.url, 'GET', '/')).status === 200,
      30_000,
      `worker REST on ${this.url}`,
    );
  }

  /** Starts (or restarts) the process without waiting for REST: to kill it at any moment of its startup. */
  launch(connectorFiles: readonly string[] = this.options.connectorFiles ?? []): Promise<void> {
    return this.process.start(
      ['standalone', this.workerFile, ...connectorFiles],
      async () => true,
      1_000,
      'worker spawned',
    );
  }

  /** kill -9: no shutdown hooks, no final offset commit. */
  kill9(): Promise<ExitResult> {
    return this.process.kill9();
  }

  /** SIGTERM, then the exit; fails when the process has not exited within `timeoutMs` (it is then killed). */
  terminate(timeoutMs = 20_000): Promise<ExitResult> {
    return this.process.terminate(timeoutMs);
  }

  /** For `after()` hooks: kills the process if it still runs and removes the temp dir. */
  async dispose(): Promise<void> {
    if (this.running) await this.kill9().catch(() => undefined);
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

  /** Waits until one task of `name` is in `state`, whatever the connector's own state; returns the status. */
  async waitForTaskState(
    name: string,
    state: string,
    timeoutMs = 45_000,
    task = 0,
  ): Promise<ConnectorStatus> {
    return waitFor(
      async () => {
        const s = await this.status(name);
        return s.tasks.find((t) => t.id === task)?.state === state ? s : false;
      },
      timeoutMs,
      `task ${name}-${task} ${state}`,
    );
  }
}

export interface TaskStatus {
  readonly id: number;
  readonly state: string;
  readonly worker_id: string;
  readonly trace?: string;
  readonly version?: string;
}

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: {
    readonly state: string;
    readonly worker_id: string;
    readonly trace?: string;
    readonly version?: string;
  };
  readonly tasks: readonly TaskStatus[];
  readonly type: string;
}
