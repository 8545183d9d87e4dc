import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KAFKA_B_BOOTSTRAP, KAFKA_BOOTSTRAP, kafkaBrokers } from '../../support/endpoints.js';
import { sleep, uniqueName, waitFor } from '../../support/worker-process.js';
import { MirrorProcess } from './mirror-process.js';

const A = new Kafka({ brokers: kafkaBrokers(KAFKA_BOOTSTRAP), logLevel: logLevel.NOTHING });
const B = new Kafka({ brokers: kafkaBrokers(KAFKA_B_BOOTSTRAP), logLevel: logLevel.NOTHING });

async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

const sizeOf = (kafka: Kafka, topic: string): Promise<number> =>
  withAdmin(kafka, async (a) => (await a.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0)).catch(() => -1);

interface Rec { offset: number; key: string; value: string; ts: string; headers: string }

/** Every record of every partition, in offset order. */
async function readAll(kafka: Kafka, topic: string, expected: number): Promise<Map<number, Rec[]>> {
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
        list.push({ offset: Number(m.offset), key: String(m.key), value: String(m.value), ts: m.timestamp, headers: JSON.stringify(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)])) });
        count++;
      }
    },
  });
  try {
    await waitFor(() => count >= expected, 240_000, `${expected} records on ${topic} (have ${count})`, 500);
  } finally {
    await consumer.disconnect();
  }
  return out;
}

async function produceMany(topic: string, partitions: number, perPartition: number): Promise<void> {
  const producer = A.producer();
  await producer.connect();
  const batch = 2_000;
  for (let p = 0; p < partitions; p++) {
    for (let i = 0; i < perPartition; i += batch) {
      const messages = Array.from({ length: Math.min(batch, perPartition - i) }, (_, j) => ({
        partition: p,
        key: `k-${p}-${i + j}`,
        value: `v-${topic}-${p}-${i + j}`,
        timestamp: String(1_600_000_000_000 + i + j),
        headers: { seq: String(i + j), src: 'A' },
      }));
      await producer.send({ topic, messages, acks: -1 });
    }
  }
  await producer.disconnect();
}

function mm2Props(prefix: string, extra: Record<string, string> = {}): Record<string, string> {
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

describe('sluice mirror (A -> B)', { timeout: 900_000 }, () => {
  const prefix = uniqueName('mm');
  const topics = [0, 1, 2].map((i) => `${prefix}-t${i}`);
  let mirror: MirrorProcess;
  after(async () => {
    await mirror?.stop();
  });

  test('200,000 records over 12 partitions in 3 topics arrive identical, partition for partition', async () => {
    await withAdmin(A, (a) => a.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 4 })), waitForLeaders: true }));
    for (const t of topics) await produceMany(t, 4, Math.ceil(200_000 / 12));
    const total = 12 * Math.ceil(200_000 / 12);
    mirror = await MirrorProcess.create(mm2Props(prefix));
    const started = Date.now();
    await mirror.start();
    await waitFor(async () => {
      let sum = 0;
      for (const t of topics) sum += Math.max(0, await sizeOf(B, `A.${t}`));
      return sum >= total;
    }, 600_000, 'all records on B', 1_000);
    const seconds = (Date.now() - started) / 1000;
    console.log(`THROUGHPUT: ${total} records in ${seconds.toFixed(1)} s = ${Math.round(total / seconds)} records/s (incl. startup)`);
    for (const t of topics) {
      const source = await readAll(A, t, total / 3);
      const target = await readAll(B, `A.${t}`, total / 3);
      for (const [p, records] of source) {
        const copied = target.get(p) ?? [];
        assert.equal(copied.length, records.length, `${t}-${p} count`);
        for (let i = 0; i < records.length; i++) {
          const { offset: _a, ...want } = records[i]!;
          const { offset: _b, ...got } = copied[i]!;
          assert.deepEqual(got, want, `${t}-${p} record ${i}`);
        }
      }
    }
  });

  test('a topic created later is picked up within the refresh interval; config changes reach B', async () => {
    const late = `${prefix}-late`;
    await withAdmin(A, (a) => a.createTopics({ topics: [{ topic: late, numPartitions: 2 }], waitForLeaders: true }));
    await produceMany(late, 2, 50);
    await waitFor(async () => (await sizeOf(B, `A.${late}`)) >= 100, 60_000, 'late topic on B', 1_000);
    await withAdmin(A, (a) => a.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: topics[0]!, configEntries: [{ name: 'retention.ms', value: '86400123' }] }] }));
    await waitFor(
      () => withAdmin(B, async (b) => {
        const d = await b.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: `A.${topics[0]}` }] });
        return d.resources[0]?.configEntries.find((e) => e.configName === 'retention.ms')?.configValue === '86400123';
      }),
      60_000, 'retention.ms on B', 1_000,
    );
  });

  test('a consumer group resumes on B from the translated offset: nothing skipped, at most offset.lag.max re-read', async () => {
    const group = `${prefix}-group`;
    const topic = topics[1]!;
    const consumed = 5_000;
    await withAdmin(A, (a) => a.setOffsets({ groupId: group, topic, partitions: [0, 1, 2, 3].map((partition) => ({ partition, offset: String(consumed + partition) })) }));
    const translated = await waitFor(
      () => withAdmin(B, async (b) => {
        const offsets = await b.fetchOffsets({ groupId: group, topics: [`A.${topic}`] });
        const parts = offsets[0]?.partitions ?? [];
        return parts.length === 4 && parts.every((p) => Number(p.offset) >= 0) ? parts : null;
      }),
      90_000, 'translated group offsets on B', 1_000,
    );
    const bRecords = await readAll(B, `A.${topic}`, 4 * Math.ceil(200_000 / 12));
    for (const p of translated) {
      const list = bRecords.get(p.partition)!;
      const committedUpstream = consumed + p.partition;
      const resumeAt = list.findIndex((r) => r.offset === Number(p.offset));
      const firstUnread = list.findIndex((r) => r.value.endsWith(`-${p.partition}-${committedUpstream}`));
      assert.ok(resumeAt >= 0 && firstUnread >= 0);
      assert.ok(resumeAt <= firstUnread, `partition ${p.partition}: resumes at ${resumeAt}, after first unread ${firstUnread}`);
      assert.ok(firstUnread - resumeAt <= 100, `partition ${p.partition}: re-reads ${firstUnread - resumeAt} (> offset.lag.max)`);
    }
  });

  test('kill -9 mid-replication, then restart: every source record is on B at least once', async () => {
    const topic = `${prefix}-crash`;
    await withAdmin(A, (a) => a.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true }));
    await waitFor(async () => (await sizeOf(B, `A.${topic}`)) >= 0, 60_000, 'crash topic created on B', 1_000);
    const producing = produceMany(topic, 3, 20_000);
    await waitFor(async () => (await sizeOf(B, `A.${topic}`)) > 5_000, 120_000, 'replication under way', 200);
    await mirror.kill9();
    await producing;
    await mirror.start();
    const target = await readAll(B, `A.${topic}`, 60_000);
    for (let p = 0; p < 3; p++) {
      const values = new Set((target.get(p) ?? []).map((r) => r.value));
      for (let i = 0; i < 20_000; i++) assert.ok(values.has(`v-${topic}-${p}-${i}`), `missing ${p}/${i}`);
    }
  });

  test('active/active A<->B: nothing loops back', async () => {
    await mirror.stop();
    const both = await MirrorProcess.create(mm2Props(prefix, { 'B->A.enabled': 'true', 'B->A.topics': `A\\.${prefix}.*|${prefix}.*` }));
    try {
      await both.start();
      await sleep(20_000);
      const onA = await withAdmin(A, (a) => a.listTopics());
      const onB = await withAdmin(B, (b) => b.listTopics());
      assert.ok(!onA.some((t) => t.startsWith(`B.A.${prefix}`)), 'B.A.* on A means A.topic came back');
      assert.ok(!onB.some((t) => t.startsWith(`A.B.${prefix}`)));
      assert.ok(onB.includes(`A.${topics[0]}`));
    } finally {
      await both.stop();
    }
  });
});
