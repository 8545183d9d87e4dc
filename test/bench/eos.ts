/**
 * eos: what exactly-once costs. The same pipeline runs at least once and exactly once, alternating, and is
 * timed until a read_committed consumer has seen every record:
 *   eos/source — DatagenSource → JsonConverter → Kafka in a standalone worker (exactly.once.source.support=
 *                enabled, transaction.boundary=poll: one transaction per batch of BENCH_BATCH_SIZE records);
 *   eos/mirror — `sluice mirror` copying pre-produced records from Kafka A to B (B.exactly.once.source.support);
 *   eos/cdc    — PostgresCdcSource: a snapshot of half the records' rows, then as many updates streamed
 *                (1,000-row transactions, started once the first event is readable).
 * BENCH_EOS_BOUNDARY=interval runs eos/source with transaction.boundary=interval, 500 ms.
 * BENCH_EOS_RECORDS (default 200000), BENCH_EOS_PAIRS (default 3), BENCH_EOS_ONLY=source,mirror,cdc.
 * The target is at most 20 % slower (ratio ≥ 0.8). Results in docs/benchmarks.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompressionTypes, Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { KAFKA_B_BOOTSTRAP, KAFKA_BOOTSTRAP, kafkaBrokers } from '../support/endpoints.js';
import { dropSlotAndDatabase } from '../support/postgres-cleanup.js';
import { cdcConnectorConfig, createDatabase, runUpdates, TABLE } from './support/cdc-database.js';
import {
  collectStderr,
  freePort,
  procStatusMb,
  SLUICE_BIN,
  spawnNode,
  terminate,
} from './support/child-process.js';
import { connectAdmin, createTopic, deleteTopic, RUN_ID } from './support/kafka-admin.js';
import { median, printResult, roundTo } from './support/results.js';
import { BENCH_BATCH_SIZE, BENCH_RECORD_BYTES } from './support/settings.js';
import { benchDir, writeConnectorFile, writeWorkerFile } from './support/worker-files.js';
import { CommittedCounter } from './eos/committed-counter.js';

const RECORDS = Number(process.env['BENCH_EOS_RECORDS'] ?? 200_000);
const PAIRS = Number(process.env['BENCH_EOS_PAIRS'] ?? 3);
const ONLY = (process.env['BENCH_EOS_ONLY'] ?? 'source,mirror,cdc').split(',').map((s) => s.trim());
const PARTITIONS = 3;
/** transaction.boundary of eos/source (poll: one transaction per 1,000-record batch; interval: per offset.flush.interval.ms). */
const BOUNDARY = process.env['BENCH_EOS_BOUNDARY'] ?? 'poll';
const TIMEOUT_MS = 600_000;
const REQUIRED_RATIO = 0.8;

type Mode = 'at-least-once' | 'exactly-once';

interface Run {
  readonly seconds: number;
  readonly afterFirstRecordSeconds: number;
  readonly peakRssMb: number;
}

/** Spawns, then polls the counter until every record is readable; the process is stopped either way. */
async function timeRun(
  spawnWorker: () => ReturnType<typeof spawnNode>,
  counter: () => Promise<CommittedCounter>,
  onFirstRecord: () => void = () => undefined,
): Promise<Run> {
  const started = performance.now();
  const child = spawnWorker();
  const stderr = collectStderr(child);
  let peakRssMb = 0;
  let firstRecordAt = 0;
  let reader: CommittedCounter | null = null;
  try {
    reader = await counter();
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`the worker exited early (${child.exitCode}): ${stderr()}`);
      peakRssMb = Math.max(peakRssMb, procStatusMb(child.pid!, 'VmHWM'));
      const seconds = (performance.now() - started) / 1000;
      if (reader.count > 0 && firstRecordAt === 0) {
        firstRecordAt = seconds;
        onFirstRecord();
      }
      if (reader.count >= RECORDS)
        return { seconds, afterFirstRecordSeconds: seconds - firstRecordAt, peakRssMb };
      if (seconds * 1000 > TIMEOUT_MS)
        throw new Error(`${reader.count} of ${RECORDS} after ${seconds} s: ${stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await terminate(child);
    await reader?.stop();
  }
}

async function sourceRun(admin: Admin, mode: Mode, run: number): Promise<Run> {
  const topic = `bench-eos-source-${RUN_ID}-${run}-${mode}`;
  const offsetsTopic = `bench-eos-offsets-${RUN_ID}-${run}-${mode}`;
  await createTopic(admin, topic, PARTITIONS);
  const dir = benchDir('eos-source');
  const workerFile = writeWorkerFile(dir, await freePort(), {
    'exactly.once.source.support': mode === 'exactly-once' ? 'enabled' : 'disabled',
    'offset.storage.topic': offsetsTopic,
    'offset.storage.replication.factor': '1',
  });
  const connectorFile = writeConnectorFile(dir, 'bench-datagen', {
    'connector.class': 'DatagenSource',
    'tasks.max': '1',
    'kafka.topic': topic,
    'max.records': String(RECORDS),
    'record.size.bytes': String(BENCH_RECORD_BYTES),
    'batch.size': String(BENCH_BATCH_SIZE),
    'transaction.boundary': BOUNDARY,
    ...(BOUNDARY === 'interval' ? { 'transaction.boundary.interval.ms': '500' } : {}),
  });
  try {
    return await timeRun(
      () => spawnNode(SLUICE_BIN, ['standalone', workerFile, connectorFile]),
      () => CommittedCounter.start(KAFKA_BOOTSTRAP, admin, topic, 60_000),
    );
  } finally {
    await deleteTopic(admin, topic);
    await deleteTopic(admin, offsetsTopic);
  }
}

async function preProduce(topic: string): Promise<void> {
  const kafka = new Kafka({
    clientId: 'sluice-bench-eos',
    brokers: kafkaBrokers(KAFKA_BOOTSTRAP),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const filler = Buffer.alloc(BENCH_RECORD_BYTES, 'm');
    for (let next = 0; next < RECORDS; next += 500) {
      const messages = [];
      for (let i = next; i < Math.min(RECORDS, next + 500); i++)
        messages.push({ partition: i % PARTITIONS, value: filler });
      await producer.send({ topic, messages, acks: 1, compression: CompressionTypes.None });
    }
  } finally {
    await producer.disconnect();
  }
}

async function mirrorRun(adminB: Admin, topic: string, mode: Mode, run: number): Promise<Run> {
  const alias = `A${RUN_ID.replace(/[^a-z0-9]/gi, '')}r${run}${mode === 'exactly-once' ? 'e' : 'a'}`;
  const dir = benchDir('eos-mirror');
  const mm2 = join(dir, 'mm2.properties');
  writeFileSync(
    mm2,
    [
      `clusters = ${alias}, B`,
      `${alias}.bootstrap.servers = ${KAFKA_BOOTSTRAP}`,
      `B.bootstrap.servers = ${KAFKA_B_BOOTSTRAP}`,
      `${alias}->B.enabled = true`,
      `${alias}->B.topics = ${topic}`,
      `B.exactly.once.source.support = ${mode === 'exactly-once' ? 'enabled' : 'disabled'}`,
      'replication.factor = 1',
      'offset-syncs.topic.replication.factor = 1',
      'checkpoints.topic.replication.factor = 1',
      'heartbeats.topic.replication.factor = 1',
      'config.storage.replication.factor = 1',
      'offset.storage.replication.factor = 1',
      'status.storage.replication.factor = 1',
      'listeners = http://127.0.0.1:0',
      '',
    ].join('\n'),
  );
  try {
    return await timeRun(
      () => spawnNode(SLUICE_BIN, ['mirror', mm2]),
      () => CommittedCounter.start(KAFKA_B_BOOTSTRAP, adminB, `${alias}.${topic}`, 120_000),
    );
  } finally {
    const created = (await adminB.listTopics()).filter((t) => t.includes(alias));
    await adminB.deleteTopics({ topics: created }).catch(() => undefined);
  }
}

async function cdcRun(admin: Admin, mode: Mode, run: number): Promise<Run> {
  const tag = `${RUN_ID.replace(/[^a-z0-9]/gi, '').toLowerCase()}_${run}_${mode === 'exactly-once' ? 'e' : 'a'}`;
  const database = `sluice_eos_${tag}`;
  const slot = `eos_${tag}`;
  const prefix = `eos${tag.replaceAll('_', '')}`;
  const topic = `${prefix}.public.${TABLE}`;
  const rows = Math.floor(RECORDS / 2);
  await createDatabase(database, rows);
  await createTopic(admin, topic, 1);
  const dir = benchDir('eos-cdc');
  const offsetsTopic = `bench-eos-offsets-${tag}`;
  const workerFile = writeWorkerFile(dir, await freePort(), {
    'exactly.once.source.support': mode === 'exactly-once' ? 'enabled' : 'disabled',
    'offset.storage.topic': offsetsTopic,
    'offset.storage.replication.factor': '1',
  });
  const connectorFile = writeConnectorFile(
    dir,
    `eos-cdc-${tag}`,
    cdcConnectorConfig(database, { prefix, slot, publication: `eos_pub_${tag}` }),
  );
  let updating: Promise<void> | null = null;
  try {
    return await timeRun(
      () => spawnNode(SLUICE_BIN, ['standalone', workerFile, connectorFile]),
      () => CommittedCounter.start(KAFKA_BOOTSTRAP, admin, topic, 60_000),
      () => {
        updating = runUpdates(database, rows, RECORDS - rows);
      },
    );
  } finally {
    await (updating ?? Promise.resolve()).catch(() => undefined);
    await deleteTopic(admin, topic);
    await deleteTopic(admin, offsetsTopic);
    await dropSlotAndDatabase(slot, database);
  }
}

/** Alternates the modes (A E, E A, ...) and reports medians and the exactly-once / at-least-once ratio. */
async function compare(name: string, runOnce: (mode: Mode, run: number) => Promise<Run>): Promise<void> {
  const runs: Record<Mode, Run[]> = { 'at-least-once': [], 'exactly-once': [] };
  for (let run = 0; run < PAIRS; run++) {
    const order: Mode[] =
      run % 2 === 0 ? ['at-least-once', 'exactly-once'] : ['exactly-once', 'at-least-once'];
    for (const mode of order) {
      const result = await runOnce(mode, run);
      process.stderr.write(
        `${name}: run ${run + 1}/${PAIRS} ${mode}: ${result.seconds.toFixed(2)} s (${result.afterFirstRecordSeconds.toFixed(2)} s after the first record)\n`,
      );
      runs[mode].push(result);
    }
  }
  const side = (list: Run[]) => ({
    recordsPerSec: Math.round(RECORDS / median(list.map((r) => r.seconds))),
    afterFirstRecordPerSec: Math.round(RECORDS / median(list.map((r) => r.afterFirstRecordSeconds))),
    runsSeconds: list.map((r) => roundTo(r.seconds, 2)),
    peakRssMb: Math.round(Math.max(...list.map((r) => r.peakRssMb))),
  });
  const alo = side(runs['at-least-once']);
  const eos = side(runs['exactly-once']);
  const ratio = roundTo(eos.afterFirstRecordPerSec / alo.afterFirstRecordPerSec, 3);
  printResult({
    name,
    exactlyOnce: eos,
    atLeastOnce: alo,
    ratio,
    ratioIncludingStartup: roundTo(eos.recordsPerSec / alo.recordsPerSec, 3),
    required: REQUIRED_RATIO,
    pass: ratio >= REQUIRED_RATIO,
    settings: {
      records: RECORDS,
      recordBytes: BENCH_RECORD_BYTES,
      batchSize: BENCH_BATCH_SIZE,
      partitions: PARTITIONS,
      pairs: PAIRS,
    },
  });
}

const { admin } = await connectAdmin();
const kafkaB = new Kafka({
  clientId: 'sluice-bench-eos',
  brokers: kafkaBrokers(KAFKA_B_BOOTSTRAP),
  logLevel: logLevel.NOTHING,
});
const adminB = kafkaB.admin();
await adminB.connect();
try {
  if (ONLY.includes('source')) await compare('eos/source', (mode, run) => sourceRun(admin, mode, run));
  if (ONLY.includes('mirror')) {
    const topic = `bench-eos-mirror-${RUN_ID}`;
    await createTopic(admin, topic, PARTITIONS);
    try {
      await preProduce(topic);
      await compare('eos/mirror', (mode, run) => mirrorRun(adminB, topic, mode, run));
    } finally {
      await deleteTopic(admin, topic);
    }
  }
  if (ONLY.includes('cdc')) await compare('eos/cdc', (mode, run) => cdcRun(admin, mode, run));
} finally {
  await adminB.disconnect();
  await admin.disconnect();
}
