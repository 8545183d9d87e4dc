// One `node bin/sluice.js distributed <props>` process for integration tests, and a cluster of them
// sharing a unique group.id and unique internal topics. (test/support/worker-process.ts runs standalone
// workers only; this reuses its helpers for ports, REST and waiting.)
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { KAFKA_BOOTSTRAP } from '../../support/endpoints.js';
import { deleteTopics } from '../../support/kafka-test-client.js';
import {
  freePort,
  makeTempDir,
  removeTempDir,
  rest,
  SLUICE_BIN,
  uniqueName,
  waitFor,
  writeProperties,
  type ConnectorStatus,
  type ExitResult,
  type RestReply,
} from '../../support/worker-process.js';

const living = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of living) child.kill('SIGKILL');
});

/** Test timings: a dead worker is noticed after 6 s (the broker's minimum) and its tasks wait 3 s more. */
export const SESSION_TIMEOUT_MS = 6_000;
export const MAX_DELAY_MS = 3_000;

export class DistributedWorker {
  private child: ChildProcess | null = null;
  private exited: Promise<ExitResult> | null = null;
  private log = '';

  constructor(
    readonly port: number,
    readonly workerFile: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What statuses show as `worker_id`. */
  get workerId(): string {
    return `127.0.0.1:${this.port}`;
  }

  get output(): string {
    return this.log;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Starts the process and waits until it has joined the cluster (GET /health says healthy). */
  async start(): Promise<void> {
    if (this.child !== null) throw new Error('worker is already running');
    const child = spawn(process.execPath, [SLUICE_BIN, 'distributed', this.workerFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
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
        const reply = await rest<{ status: string }>(this.url, 'GET', '/health');
        return reply.status === 200 && reply.body.status === 'healthy';
      },
      60_000,
      `distributed worker on ${this.url} to join its cluster`,
      250,
    );
  }

  kill9(): Promise<ExitResult> {
    return this.signal('SIGKILL', 10_000);
  }

  terminate(timeoutMs = 30_000): Promise<ExitResult> {
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
      new Promise<null>((r) => (timer = setTimeout(() => r(null), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (result === null) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`worker did not exit within ${timeoutMs} ms of ${signal}:\n${this.log.slice(-3000)}`);
    }
    return result;
  }

  rest<T = unknown>(method: string, path: string, body?: unknown): Promise<RestReply<T>> {
    return rest<T>(this.url, method, path, body);
  }

  async status(name: string): Promise<ConnectorStatus> {
    const reply = await this.rest<ConnectorStatus>('GET', `/connectors/${encodeURIComponent(name)}/status`);
    if (reply.status !== 200) throw new Error(`status of ${name} answered ${reply.status}: ${reply.text}`);
    return reply.body;
  }

  /** How many times each task of `connector` was started on this worker (from its "starting task" log lines). */
  taskStarts(connector: string): Map<number, number> {
    const counts = new Map<number, number>();
    const pattern = new RegExp(
      `starting task ${connector.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+) \\(start #`,
      'g',
    );
    for (const match of this.log.matchAll(pattern))
      counts.set(Number(match[1]), (counts.get(Number(match[1])) ?? 0) + 1);
    return counts;
  }
}

export class TestCluster {
  readonly workers: DistributedWorker[] = [];
  readonly topics: string[];

  private constructor(
    readonly dir: string,
    readonly groupId: string,
  ) {
    this.topics = [`${groupId}-configs`, `${groupId}-offsets`, `${groupId}-status`];
  }

  static async create(): Promise<TestCluster> {
    const groupId = uniqueName('it-dist');
    return new TestCluster(await makeTempDir('cluster'), groupId);
  }

  /** Writes a new worker's properties (unique port) and starts it. */
  async addWorker(): Promise<DistributedWorker> {
    const port = await freePort();
    const file = await writeProperties(join(this.dir, `worker-${port}.properties`), {
      'bootstrap.servers': KAFKA_BOOTSTRAP,
      'group.id': this.groupId,
      'config.storage.topic': this.topics[0]!,
      'offset.storage.topic': this.topics[1]!,
      'status.storage.topic': this.topics[2]!,
      'config.storage.replication.factor': '1',
      'offset.storage.replication.factor': '1',
      'status.storage.replication.factor': '1',
      'offset.storage.partitions': '5',
      'status.storage.partitions': '2',
      listeners: `http://127.0.0.1:${port}`,
      'session.timeout.ms': String(SESSION_TIMEOUT_MS),
      'heartbeat.interval.ms': '1000',
      'scheduled.rebalance.max.delay.ms': String(MAX_DELAY_MS),
      'offset.flush.interval.ms': '1000',
    });
    const worker = new DistributedWorker(port, file);
    this.workers.push(worker);
    await worker.start();
    return worker;
  }

  async start(count: number): Promise<void> {
    // One after the other: the first creates the internal topics, and the joins stay cheap on 2 cores.
    for (let i = 0; i < count; i++) await this.addWorker();
  }

  /** Waits until the connector and `tasks` tasks are all in `state`, as seen from `via`. */
  async waitForState(
    via: DistributedWorker,
    name: string,
    state: string,
    tasks: number,
    timeoutMs = 60_000,
  ): Promise<ConnectorStatus> {
    return waitFor(
      async () => {
        const s = await via.status(name);
        return s.connector.state === state &&
          s.tasks.length === tasks &&
          s.tasks.every((t) => t.state === state)
          ? s
          : false;
      },
      timeoutMs,
      `${name} ${state} with ${tasks} task(s)`,
      250,
    );
  }

  async dispose(extraTopics: readonly string[] = []): Promise<void> {
    await Promise.all(this.workers.filter((w) => w.running).map((w) => w.kill9().catch(() => undefined)));
    await deleteTopics([...this.topics, ...extraTopics]).catch(() => undefined);
    await removeTempDir(this.dir);
  }
}

/** worker_id → number of tasks it runs. */
export function tasksPerWorker(status: ConnectorStatus): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of status.tasks) counts.set(t.worker_id, (counts.get(t.worker_id) ?? 0) + 1);
  return counts;
}

/** Whether the worker's latest assignment says it leads the group (from its log). */
export function isLeader(worker: DistributedWorker): boolean {
  const lines = [...worker.output.matchAll(/assignment for generation \d+( \(leader\))?/g)];
  return lines.at(-1)?.[1] !== undefined;
}
