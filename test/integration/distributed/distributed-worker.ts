// One `node bin/sluice.js distributed <props>` process for integration tests, and a cluster of them
// sharing a unique group.id and unique internal topics (the process itself is test/support/sluice-process.ts).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KAFKA_BOOTSTRAP } from '../../support/endpoints.js';
import { deleteTopics } from '../../support/kafka-test-client.js';
import {
  freePort,
  makeTempDir,
  removeTempDir,
  rest,
  uniqueName,
  waitFor,
  writeProperties,
  type ConnectorStatus,
  type ExitResult,
  type RestReply,
} from '../../support/worker-process.js';
import { SluiceProcess } from '../../support/sluice-process.js';

/** A connector whose start/stop take as long as configured (`SlowStartStopSource`), for every test worker. */
const SLOW_CONNECTOR_PLUGIN = fileURLToPath(
  new URL('../../support/slow-connector-plugin.js', import.meta.url),
);

/** Test timings: a dead worker is noticed after 6 s (the broker's minimum) and its tasks wait 3 s more. */
export const SESSION_TIMEOUT_MS = 6_000;
export const MAX_DELAY_MS = 3_000;

export class DistributedWorker {
  private readonly process = new SluiceProcess({});

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
    return this.process.output;
  }

  get running(): boolean {
    return this.process.running;
  }

  /** Starts the process and waits until it has joined the cluster (GET /health says healthy). */
  start(): Promise<void> {
    return this.process.start(
      ['distributed', this.workerFile],
      async () => {
        const reply = await rest<{ status: string }>(this.url, 'GET', '/health');
        return reply.status === 200 && reply.body.status === 'healthy';
      },
      60_000,
      `distributed worker on ${this.url} to join its cluster`,
    );
  }

  kill9(): Promise<ExitResult> {
    return this.process.kill9();
  }

  /** SIGSTOP (true) or SIGCONT (false). */
  freeze(frozen: boolean): void {
    this.process.freeze(frozen);
  }

  terminate(timeoutMs = 30_000): Promise<ExitResult> {
    return this.process.terminate(timeoutMs);
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
    for (const match of this.output.matchAll(pattern))
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
    private readonly overrides: Readonly<Record<string, string>>,
  ) {
    this.topics = [`${groupId}-configs`, `${groupId}-offsets`, `${groupId}-status`];
  }

  /** `overrides` replace or add worker properties for every worker of the cluster. */
  static async create(overrides: Readonly<Record<string, string>> = {}): Promise<TestCluster> {
    const groupId = uniqueName('it-dist');
    return new TestCluster(await makeTempDir('cluster'), groupId, overrides);
  }

  /** Writes a new worker's properties (unique port) and starts it. */
  async addWorker(): Promise<DistributedWorker> {
    const worker = await this.prepareWorker();
    await worker.start();
    return worker;
  }

  /** Writes a new worker's properties (unique port) without starting it. */
  async prepareWorker(): Promise<DistributedWorker> {
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
      'plugin.path': SLOW_CONNECTOR_PLUGIN,
      ...this.overrides,
    });
    const worker = new DistributedWorker(port, file);
    this.workers.push(worker);
    return worker;
  }

  /**
   * Starts `count` workers at the same instant, as a three-replica deployment does: they race to create
   * the internal topics and to read them while their partitions get their first leaders.
   */
  async startTogether(count: number): Promise<void> {
    const workers = await Promise.all(Array.from({ length: count }, () => this.prepareWorker()));
    await Promise.all(workers.map((w) => w.start()));
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
    // For post-mortems: SLUICE_TEST_KEEP_LOGS=<dir> keeps every worker's output.
    const keep = process.env['SLUICE_TEST_KEEP_LOGS'];
    if (keep) for (const w of this.workers) await writeFile(join(keep, `worker-${w.port}.log`), w.output);
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

/** The worker's latest assignment (from its log): its generation and whether it leads the group. */
export function latestAssignment(worker: DistributedWorker): { generation: number; leader: boolean } | null {
  const last = [...worker.output.matchAll(/assignment for generation (\d+)( \(leader\))?/g)].at(-1);
  return last === undefined ? null : { generation: Number(last[1]), leader: last[2] !== undefined };
}

/** Whether the worker's latest assignment says it leads the group (from its log). */
export function isLeader(worker: DistributedWorker): boolean {
  return latestAssignment(worker)?.leader ?? false;
}
