// Issue 11's kill loop for the CDC → PostgresSink pipeline: one standalone worker runs the PostgresCdcSource
// and the PostgresSink while a writer keeps inserting, updating and deleting; the worker is killed with
// kill -9 again and again, several times in the seconds around the snapshot's end, then runs to the end. The
// target table must equal the source exactly (no row lost, no deleted row left behind). The worker runs with
// exactly.once.source.support=enabled (issue 20): no streamed change may reach Kafka twice (an interrupted
// snapshot is taken again, as in Debezium, so only snapshot reads may repeat; they are counted).
// SLUICE_EOS_ATLEASTONCE=1 runs the loop at least once, to see the duplicates the assertion catches.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { deleteTopics, TopicTail, type ReadMessage } from '../../support/kafka-test-client.js';
import { sleep, waitFor, WorkerProcess } from '../../support/worker-process.js';
import {
  bothSides,
  pipelineNames,
  sinkConfig,
  sourceConfig,
  SourceDatabase,
  type PipelineNames,
  type SourceTable,
} from '../postgres-sink/pipeline.js';
import { JSON_WITH_SCHEMAS, TargetDatabase } from '../postgres-sink/support.js';
import { parseMessage, payloadOf } from './cdc-fixture.js';

const KILLS = 12;
/** Kills aimed at the snapshot (while one runs: during it, or up to 1.5 s after "Snapshot completed"). */
const SNAPSHOT_KILLS = 5;
const SEED_ROWS = 3_000;
const TABLE: SourceTable = {
  name: 'items',
  ddl: 'CREATE TABLE items (id integer PRIMARY KEY, v integer NOT NULL, note text)',
  compare: 'SELECT id, v, note FROM items ORDER BY id',
};

/**
 * A table without a primary key, written to by plain inserts once the snapshot is behind (an interrupted
 * snapshot is taken again, which a keyless insert-only target cannot absorb; docs/exactly-once.md). Its sink
 * inserts (`insert.mode=insert`, no key): only exactly once on both ends leaves it equal to the source.
 */
const KEYLESS: SourceTable = {
  name: 'entries',
  ddl: 'CREATE TABLE entries (n integer NOT NULL, note text)',
  compare: 'SELECT n, note FROM entries ORDER BY n, note',
};

let source: SourceDatabase | undefined;
let target: TargetDatabase | undefined;
let worker: WorkerProcess | undefined;
let names: PipelineNames;

before(async () => {
  names = pipelineNames('killloop');
  source = await SourceDatabase.create([TABLE, KEYLESS]);
  target = await TargetDatabase.create();
  const exactlyOnce = process.env['SLUICE_EOS_ATLEASTONCE'] !== '1';
  worker = await WorkerProcess.start({
    properties: {
      ...JSON_WITH_SCHEMAS,
      'offset.flush.interval.ms': '500',
      'exactly.once.source.support': exactlyOnce ? 'enabled' : 'disabled',
      'offset.storage.topic': `${names.prefix}-offsets`,
      'offset.storage.partitions': '1',
      'offset.storage.replication.factor': '1',
    },
  });
});

after(async () => {
  await worker?.dispose();
  await deleteTopics([`${names.prefix}-offsets`]).catch(() => undefined);
  await source?.drop(names.slot);
  await target?.drop();
});

/** Random inserts, updates and deletes in transactions of 1-3 statements until stop() is called. */
class Writer {
  private stopped = false;
  private nextId: number;
  private readonly live: number[];
  operations = 0;
  /** Set once the snapshot is behind: from then on, inserts into the keyless table too. */
  keyless = false;
  private nextEntry = 1;
  entries = 0;
  readonly done: Promise<void>;

  constructor(
    private readonly db: SourceDatabase,
    seeded: number,
  ) {
    this.nextId = seeded + 1;
    this.live = Array.from({ length: seeded }, (_, i) => i + 1);
    this.done = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await this.db.client.query('BEGIN');
      for (let i = 1 + Math.floor(Math.random() * 3); i > 0; i--) await this.operation();
      await this.db.client.query('COMMIT');
      await sleep(3);
    }
  }

  private async operation(): Promise<void> {
    const roll = Math.random();
    this.operations++;
    if (this.keyless && roll < 0.3) {
      const n = this.nextEntry++;
      this.entries++;
      await this.db.client.query('INSERT INTO entries VALUES ($1, $2)', [n, `entry ${n}`]);
      return;
    }
    if (roll < 0.45 || this.live.length === 0) {
      const id = this.nextId++;
      this.live.push(id);
      await this.db.client.query('INSERT INTO items VALUES ($1, 0, $2)', [id, `row ${id}`]);
      return;
    }
    const index = Math.floor(Math.random() * this.live.length);
    const id = this.live[index]!;
    if (roll < 0.75) {
      await this.db.client.query('UPDATE items SET v = v + 1, note = $2 WHERE id = $1', [id, `upd ${roll}`]);
      return;
    }
    this.live.splice(index, 1);
    await this.db.client.query('DELETE FROM items WHERE id = $1', [id]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

/** Both connectors; the slot, released a moment after each kill, is claimed again within 0.5 s. */
async function startPipeline(): Promise<void> {
  await worker!.createConnector(names.source, {
    ...sourceConfig(names, source!, [TABLE.name, KEYLESS.name]),
    'slot.retry.delay.ms': '500',
    'slot.max.retries': '60',
  });
  await worker!.createConnector(names.sink, sinkConfig(names, target!, [TABLE.name]));
  await worker!.createConnector(`${names.sink}-keyless`, {
    ...sinkConfig(names, target!, [KEYLESS.name]),
    'insert.mode': 'insert',
    'primary.key.mode': 'none',
    'delete.enabled': 'false',
  });
}

/** The worker's log since `from` shows `marker`. */
function logged(from: number, marker: string): boolean {
  return worker!.output.slice(from).includes(marker);
}

/**
 * Lets the freshly started worker run until a random moment, then kills it. While a snapshot runs, the
 * moment is during it or within 1.5 s after its end (also before the first offset flush after it).
 */
async function killAtRandomMoment(from: number, aimAtSnapshot: boolean): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && !logged(from, 'Snapshotting') && !logged(from, 'Streaming from slot'))
    await sleep(20);
  const snapshotting = logged(from, 'Snapshotting');
  let moment: string;
  if (aimAtSnapshot && snapshotting && Math.random() < 0.4) {
    await sleep(Math.random() * 300);
    moment = logged(from, 'Snapshot completed') ? 'just after the snapshot' : 'during the snapshot';
  } else if (aimAtSnapshot && snapshotting) {
    while (Date.now() < deadline && !logged(from, 'Snapshot completed')) await sleep(10);
    await sleep(Math.random() * 1_500);
    moment = 'within 1.5 s after the snapshot';
  } else {
    await sleep(300 + Math.random() * 2_500);
    moment = 'while streaming';
  }
  await worker!.kill9();
  return moment;
}

/** Waits for the target to equal the source; fails at once (with the trace) when a task fails. */
async function waitUntilEqual(timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const connector of [names.source, names.sink, `${names.sink}-keyless`]) {
      const failed = (await worker!.status(connector)).tasks.find((task) => task.state === 'FAILED');
      if (failed !== undefined)
        assert.fail(`${connector} task FAILED:\n${(failed.trace ?? '').slice(0, 2000)}`);
    }
    const [a, b] = await bothSides(source!, target!, TABLE.compare);
    const [c, d] = await bothSides(source!, target!, KEYLESS.compare);
    if (JSON.stringify(a) === JSON.stringify(b) && JSON.stringify(c) === JSON.stringify(d)) return a.length;
    if (Date.now() > deadline) {
      await saveWorkerLog();
      const keylessInKafka = c.length === d.length ? '' : `; ${await keylessTopicSummary()}`;
      const targetIds = new Set(b.map((r) => (r as { id: number }).id));
      const sourceIds = new Set(a.map((r) => (r as { id: number }).id));
      const missing = [...sourceIds].filter((id) => !targetIds.has(id)).length;
      const leftBehind = [...targetIds].filter((id) => !sourceIds.has(id)).length;
      assert.fail(
        `the target still differs after ${timeoutMs} ms: ${b.length} rows for ${a.length}, ${missing} missing, ${leftBehind} deleted rows left behind; keyless table: ${d.length} rows for ${c.length}${keylessInKafka}`,
      );
    }
    await sleep(1_000);
  }
}

/** The worker's whole output, kept as a test artifact for a failure's post-mortem. */
async function saveWorkerLog(): Promise<void> {
  const dir = fileURLToPath(new URL('../../../test-artifacts/kill-loop/', import.meta.url));
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}cdc-worker.log`, worker!.output);
}

/** Whether the keyless table's extra rows are in Kafka already (the source) or only in the target (the sink). */
async function keylessTopicSummary(): Promise<string> {
  const messages = await readToEnd(`${names.prefix}.public.${KEYLESS.name}`);
  const byEntry = new Map<number, string[]>();
  for (const m of messages) {
    const p = payloadOf(parseMessage(m));
    if (p === null) continue;
    const row = p.after as { n: number };
    const at = `${String(p.op)}@${String((p.source as { lsn: number }).lsn)}/${m.partition}:${m.offset}`;
    byEntry.set(row.n, [...(byEntry.get(row.n) ?? []), at]);
  }
  const repeated = [...byEntry].filter(([, events]) => events.length > 1);
  const examples = repeated.slice(0, 5).map(([n, events]) => `n=${n}: ${events.join(', ')}`);
  return `its topic holds ${messages.length} events for ${byEntry.size} entries, ${repeated.length} entries more than once (${examples.join('; ')})`;
}

/** Every committed record of `topic`: read until nothing new arrives for 2 s. */
async function readToEnd(topic: string): Promise<ReadMessage[]> {
  // With transactions, offsets also hold commit markers and aborted records, so the topic's end offset is
  // more than its record count; the end is where nothing new arrives for 2 s.
  const tail = await TopicTail.start(topic);
  let lastCount = -1;
  await waitFor(
    () => {
      const count = tail.messages.length;
      const settled = count > 0 && count === lastCount;
      lastCount = count;
      return settled;
    },
    60_000,
    `${topic} read to its end`,
    2_000,
  );
  const messages = tail.messages.slice();
  await tail.stop();
  return messages;
}

/** Change events delivered more than once: the same change (op, key, LSN) again, or a row read by a repeated snapshot. */
async function countDuplicates(
  topic: string,
): Promise<{ events: number; duplicated: number; snapshotReads: number }> {
  const messages = (await readToEnd(topic)).map(parseMessage);
  const seen = new Set<string>();
  let events = 0;
  let duplicated = 0;
  let snapshotReads = 0;
  for (const m of messages) {
    const p = payloadOf(m);
    if (p === null) continue; // tombstone
    events++;
    const row = (p.after ?? p.before) as { id: number };
    if (p.op === 'r') {
      snapshotReads++;
      continue;
    }
    const identity = `${String(p.op)}:${row.id}:${(p.source as { lsn: number }).lsn}`;
    if (seen.has(identity)) duplicated++;
    else seen.add(identity);
  }
  return { events, duplicated, snapshotReads };
}

test(
  `CDC → PostgresSink with ${KILLS} kill -9s (${SNAPSHOT_KILLS} aimed at the snapshot's end) loses no row`,
  { timeout: 240_000 },
  async () => {
    await source!.client.query(
      `INSERT INTO items SELECT g, 0, 'seed ' || g FROM generate_series(1, ${SEED_ROWS}) g`,
    );
    const writer = new Writer(source!, SEED_ROWS);
    const moments: string[] = [];
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        const from = worker!.output.length;
        if (kill === 0) await startPipeline();
        else await worker!.start();
        moments.push(await killAtRandomMoment(from, kill < SNAPSHOT_KILLS));
        // A run that streamed without snapshotting found the snapshot committed: none will be taken again.
        if (logged(from, 'Streaming from slot') && !logged(from, 'Snapshotting')) writer.keyless = true;
      }
      // The last run is not killed: once it streams, its snapshot is behind for good, so the keyless table
      // may take inserts. Not before: when every run's snapshot was cut (slow boxes), this run takes it again
      // and would read rows whose inserts it then streams as well (at least once; docs/exactly-once.md).
      const from = worker!.output.length;
      await worker!.start();
      await waitFor(() => logged(from, 'Streaming from slot'), 120_000, 'the last run streaming');
      writer.keyless = true;
      await sleep(3_000);
    } finally {
      await writer.stop();
    }
    const rows = await waitUntilEqual(90_000);
    const topic = `${names.prefix}.public.${TABLE.name}`;
    const { events, duplicated, snapshotReads } = await countDuplicates(topic);
    const snapshots = worker!.output.split('Snapshot completed').length - 1;
    console.log(
      `CDC kill loop: ${KILLS} kill -9s (${moments.join('; ')}); ${writer.operations} writer operations; ` +
        `${events} change events in Kafka, ${duplicated} streamed changes delivered twice or more, ` +
        `${snapshotReads} snapshot reads (${SEED_ROWS} rows at the first snapshot; ${snapshots} snapshot(s) completed, others cut by a kill); ` +
        `target equals source: ${rows} rows, 0 lost, 0 deleted rows left behind; ` +
        `keyless table (plain inserts): ${writer.entries} rows, equal, none twice`,
    );
    assert.ok(
      moments.some((m) => m !== 'while streaming'),
      `at least one kill landed around the snapshot: ${moments.join('; ')}`,
    );
    assert.equal(duplicated, 0, 'exactly once: no streamed change reached Kafka twice');
    assert.ok(writer.entries > 0, 'rows were inserted into the keyless table');
  },
);
