// Shared by the mirror integration tests: clients of both clusters, the mm2.properties of a test flow,
// and the checks every replication test makes (records in order per partition, duplicates counted).
import assert from 'node:assert/strict';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KAFKA_B_BOOTSTRAP, KAFKA_BOOTSTRAP, kafkaBrokers } from '../../support/endpoints.js';
import { uniqueName, waitFor } from '../../support/worker-process.js';

export const A = new Kafka({ brokers: kafkaBrokers(KAFKA_BOOTSTRAP), logLevel: logLevel.NOTHING });
export const B = new Kafka({ brokers: kafkaBrokers(KAFKA_B_BOOTSTRAP), logLevel: logLevel.NOTHING });

export async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

export const sizeOf = (kafka: Kafka, topic: string): Promise<number> =>
  withAdmin(kafka, async (a) =>
    (await a.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0),
  ).catch(() => -1);

export interface Rec {
  offset: number;
  key: string;
  value: string;
  ts: string;
  headers: string;
}

/** Every record of every partition, in offset order, once `expected` records (or `done`) have been read. */
export async function readAll(
  kafka: Kafka,
  topic: string,
  expected: number,
  done: (read: Map<number, Rec[]>) => boolean = () => true,
): Promise<Map<number, Rec[]>> {
  const out = new Map<number, Rec[]>();
  let count = 0;
  const consumer = kafka.consumer({ groupId: uniqueName('mirror-it-reader'), maxBytesPerPartition: 4 << 20 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const list = out.get(batch.partition) ?? [];
      out.set(batch.partition, list);
      for (const m of batch.messages) {
        list.push({
          offset: Number(m.offset),
          key: String(m.key),
          value: String(m.value),
          ts: m.timestamp,
          headers: JSON.stringify(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
        count++;
      }
    },
  });
  try {
    await waitFor(
      () => count >= expected && done(out),
      240_000,
      `${expected} records on ${topic} (have ${count})`,
      500,
    );
  } finally {
    await consumer.disconnect();
  }
  return out;
}

/**
 * The group and internal topics of the flow into `target`, named after `id` so that no two tests (or
 * runs) share them; without these keys they are MM2's `<source>-mm2` and `mm2-*.<source>.internal`.
 */
export function flowState(id: string, target: 'A' | 'B'): Record<string, string> {
  return {
    [`${target}.group.id`]: `${id}-mm2`,
    [`${target}.config.storage.topic`]: `mm2-configs.${id}.internal`,
    [`${target}.offset.storage.topic`]: `mm2-offsets.${id}.internal`,
    [`${target}.status.storage.topic`]: `mm2-status.${id}.internal`,
  };
}

export const internalTopicsOf = (id: string): string[] =>
  ['configs', 'offsets', 'status'].map((kind) => `mm2-${kind}.${id}.internal`);

export async function deleteAll(
  kafka: Kafka,
  topics: ReadonlySet<string>,
  groups: ReadonlySet<string>,
): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const doomed = [...topics].filter((t) => existing.has(t));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed, timeout: 30_000 });
    // Also the groups the workers' internal-topic readers leave behind when a process is killed.
    const readers = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith('sluice-log-reader-') && [...topics].some((t) => g.includes(t)));
    await admin.deleteGroups([...groups, ...readers]).catch(() => undefined);
  });
}

export function mm2Props(prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    clusters: 'A, B',
    'A.bootstrap.servers': KAFKA_BOOTSTRAP,
    'B.bootstrap.servers': KAFKA_B_BOOTSTRAP,
    'A->B.enabled': 'true',
    'A->B.topics': `${prefix}.*`,
    'A->B.groups': `${prefix}.*`,
    'replication.factor': '1',
    'offset-syncs.topic.replication.factor': '1',
    'checkpoints.topic.replication.factor': '1',
    'heartbeats.topic.replication.factor': '1',
    // The flow's worker: single-broker test clusters, and a quick hand-over when a process dies.
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'B.scheduled.rebalance.max.delay.ms': '5000',
    ...flowState(prefix, 'B'),
    'refresh.topics.interval.seconds': '5',
    'refresh.groups.interval.seconds': '5',
    'sync.topic.configs.interval.seconds': '5',
    'emit.checkpoints.interval.seconds': '2',
    'sync.group.offsets.enabled': 'true',
    'sync.group.offsets.interval.seconds': '2',
    'offset.lag.max': '100',
    'tasks.max': '3',
    'offset.flush.interval.ms': '1000',
    ...extra,
  };
}

export const upstreamIndex = (value: string): number => Number(value.slice(value.lastIndexOf('-') + 1));

/** Produces `perPartition` records to each partition, a batch to each partition in turn, so all are under way together. */
export async function produceInterleaved(
  topic: string,
  partitions: number,
  perPartition: number,
  first = 0,
  batch = 500,
): Promise<void> {
  const producer = A.producer();
  await producer.connect();
  const base = Date.now();
  try {
    for (let i = first; i < first + perPartition; i += batch) {
      for (let p = 0; p < partitions; p++) {
        const messages = Array.from({ length: Math.min(batch, first + perPartition - i) }, (_, j) => ({
          partition: p,
          key: `k-${p}-${i + j}`,
          value: `v-${topic}-${p}-${i + j}`,
          timestamp: String(base + i + j),
        }));
        await producer.send({ topic, messages, acks: -1 });
      }
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * Checks a partition's copy: the upstream records 0..count-1 appear in order, none missing; a record
 * may appear again after a crash (re-copied from the last committed offset). Returns how many did.
 */
export function checkInOrder(label: string, values: readonly string[], count: number): number {
  let next = 0;
  let duplicates = 0;
  for (const value of values) {
    const index = upstreamIndex(value);
    if (index < next) duplicates++;
    else if (index === next) next++;
    else assert.fail(`${label}: upstream record ${next} is missing (the next record copied is ${index})`);
  }
  assert.equal(next, count, `${label}: only records 0..${next - 1} of ${count} arrived`);
  return duplicates;
}
