/**
 * MirrorMaker 2: two flows of the same mm2.properties shape, each run by one implementation and then taken
 * over by the other (Java → Sluice, and Sluice → Java), with records produced before and between the runs.
 * Checked: the second side copies nothing twice beyond `offset.lag.max` and skips nothing; and the records
 * each implementation wrote to the flow's internal topics (mm2-offsets, mm2-configs, mm2-status, offset
 * syncs, checkpoints, heartbeats) while it ran first are compared, after names and times are normalised.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { KAFKA_B_BOOTSTRAP, KAFKA_BOOTSTRAP, kafkaBrokers } from '../support/endpoints.js';
import { benchDir } from '../bench/support/worker-files.js';
import { diffJson, keyOrder, maskKeys, replaceTexts, type Difference } from './difference.js';
import { startMirror, until, type Side } from './sides.js';
import { sleep } from '../bench/support/child-process.js';

const PARTITIONS = 2;
const BATCH = 400;
const OFFSET_LAG_MAX = 100;
const GROUP_POSITION = 150;

interface Record_ {
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

function kafka(bootstrap: string): Kafka {
  return new Kafka({
    clientId: 'sluice-compat',
    brokers: kafkaBrokers(bootstrap),
    logLevel: logLevel.NOTHING,
  });
}

async function endOffsets(admin: Admin, topic: string): Promise<Map<number, number>> {
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  } catch {
    return new Map();
  }
}

/** Every record of a topic, read from the start up to the end offsets of now. */
async function readAll(bootstrap: string, topic: string): Promise<Record_[]> {
  const client = kafka(bootstrap);
  const admin = client.admin();
  await admin.connect();
  const ends = await endOffsets(admin, topic);
  const starts = new Map(
    (await admin.fetchTopicOffsets(topic).catch(() => [])).map((p) => [p.partition, Number(p.low)]),
  );
  await admin.disconnect();
  const wanted = [...ends].reduce((sum, [p, end]) => sum + end - (starts.get(p) ?? 0), 0);
  if (wanted === 0) return [];
  const consumer = client.consumer({ groupId: `sluice-compat-reader-${Date.now()}-${Math.random()}` });
  const records: Record_[] = [];
  let lastArrival = Date.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        lastArrival = Date.now();
        records.push({ partition, offset: Number(message.offset), key: message.key, value: message.value });
      },
    });
    // Offsets also count transaction markers (exactly-once flows share `heartbeats` and the offset syncs), so a
    // topic can hold fewer records than its offsets say: done once all arrived, or nothing came for 5 s.
    await until(
      `${wanted} records of ${topic}`,
      async () => records.length >= wanted || (records.length > 0 && Date.now() - lastArrival > 5_000),
      120_000,
    );
  } finally {
    await consumer.disconnect();
  }
  return records;
}

function writeMm2(dir: string, alias: string, topic: string): string {
  const file = join(dir, 'mm2.properties');
  writeFileSync(
    file,
    [
      `clusters = ${alias}, B`,
      `${alias}.bootstrap.servers = ${KAFKA_BOOTSTRAP}`,
      `B.bootstrap.servers = ${KAFKA_B_BOOTSTRAP}`,
      `${alias}->B.enabled = true`,
      `${alias}->B.topics = ${topic}`,
      `${alias}->B.groups = compat-group-.*`,
      `B->${alias}.enabled = false`,
      `B->${alias}.emit.heartbeats.enabled = false`,
      `offset.lag.max = ${OFFSET_LAG_MAX}`,
      'emit.checkpoints.interval.seconds = 1',
      'emit.heartbeats.interval.seconds = 1',
      'sync.group.offsets.enabled = false',
      'refresh.groups.interval.seconds = 2',
      'offset.flush.interval.ms = 1000',
      'replication.factor = 1',
      'offset-syncs.topic.replication.factor = 1',
      'checkpoints.topic.replication.factor = 1',
      'heartbeats.topic.replication.factor = 1',
      'config.storage.replication.factor = 1',
      'offset.storage.replication.factor = 1',
      'status.storage.replication.factor = 1',
      'sync.topic.acls.enabled = false',
      'listeners = http://127.0.0.1:0',
      '',
    ].join('\n'),
  );
  return file;
}

async function produceBatch(topic: string, from: number): Promise<void> {
  const producer = kafka(KAFKA_BOOTSTRAP).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const messages = Array.from({ length: BATCH }, (_, i) => ({
    partition: (from + i) % PARTITIONS,
    key: `k${from + i}`,
    value: `v${from + i}`,
  }));
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
}

/** The internal topics of one flow: where each lives and whether its records are JSON. */
function internalTopics(alias: string): { name: string; bootstrap: string; json: boolean }[] {
  return [
    { name: `mm2-offsets.${alias}.internal`, bootstrap: KAFKA_B_BOOTSTRAP, json: true },
    { name: `mm2-configs.${alias}.internal`, bootstrap: KAFKA_B_BOOTSTRAP, json: true },
    { name: `mm2-status.${alias}.internal`, bootstrap: KAFKA_B_BOOTSTRAP, json: true },
    { name: `${alias}.checkpoints.internal`, bootstrap: KAFKA_B_BOOTSTRAP, json: false },
    { name: 'mm2-offset-syncs.B.internal', bootstrap: KAFKA_BOOTSTRAP, json: false },
    { name: 'heartbeats', bootstrap: KAFKA_B_BOOTSTRAP, json: false },
  ];
}

interface Flow {
  readonly alias: string;
  readonly topic: string;
  readonly first: Side;
  /** Per internal topic: end offsets per partition when the first side stopped. */
  readonly handover: Map<string, Map<number, number>>;
  readonly takeOver: Difference[];
}

async function runFlow(classpath: string, alias: string, topic: string, first: Side): Promise<Flow> {
  const second: Side = first === 'java' ? 'sluice' : 'java';
  const step = `take-over ${first} → ${second}`;
  const adminA = kafka(KAFKA_BOOTSTRAP).admin();
  const adminB = kafka(KAFKA_B_BOOTSTRAP).admin();
  await adminA.connect();
  await adminB.connect();
  const handover = new Map<string, Map<number, number>>();
  const takeOver: Difference[] = [];
  const remote = `${alias}.${topic}`;
  const remoteSize = async (): Promise<number> =>
    [...(await endOffsets(adminB, remote)).values()].reduce((a, b) => a + b, 0);
  try {
    await adminA.createTopics({
      topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    await produceBatch(topic, 0);
    // A consumer group on the source, so checkpoints are emitted.
    await adminA.setOffsets({
      groupId: `compat-group-${alias}`,
      topic,
      partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({
        partition,
        offset: String(GROUP_POSITION),
      })),
    });
    const dir = benchDir(`compat-mirror-${alias}`);
    const file = writeMm2(dir, alias, topic);

    const one = startMirror(first, classpath, dir, file);
    try {
      await until(
        `${first} copies ${BATCH}`,
        async () => (await remoteSize()) >= BATCH || (one.child.exitCode !== null ? undefined : false),
        180_000,
      );
      await until(
        `${first} checkpoints`,
        async () => {
          const ends = await endOffsets(adminB, `${alias}.checkpoints.internal`);
          return [...ends.values()].some((e) => e > 0);
        },
        60_000,
      );
      // Two flush intervals, so the source offsets of everything copied are stored.
      await sleep(3_000);
    } finally {
      await one.stop();
    }
    for (const t of internalTopics(alias))
      handover.set(t.name, await endOffsets(t.bootstrap === KAFKA_BOOTSTRAP ? adminA : adminB, t.name));
    await produceBatch(topic, BATCH);

    const two = startMirror(second, classpath, dir, file);
    try {
      await until(
        `${second} copies the rest`,
        async () => (await remoteSize()) >= 2 * BATCH || (two.child.exitCode !== null ? undefined : false),
        180_000,
      );
      // Anything copied twice would arrive with the rest: give it time to show.
      await sleep(5_000);
    } finally {
      await two.stop();
    }
    const copied = await readAll(KAFKA_B_BOOTSTRAP, remote);
    const counts = new Map<string, number>();
    for (const r of copied) counts.set(String(r.value), (counts.get(String(r.value)) ?? 0) + 1);
    const missing = Array.from({ length: 2 * BATCH }, (_, i) => `v${i}`).filter((v) => !counts.has(v)).length;
    const twice = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
    process.stderr.write(
      `compat mirror: ${step}: ${copied.length} copied, ${missing} missing, ${twice} twice\n`,
    );
    if (missing > 0)
      takeOver.push({ area: 'mirror', step, path: 'records skipped', java: 0, sluice: missing });
    if (twice > OFFSET_LAG_MAX * PARTITIONS)
      takeOver.push({
        area: 'mirror',
        step,
        path: `records copied twice (more than offset.lag.max × partitions = ${OFFSET_LAG_MAX * PARTITIONS})`,
        java: 0,
        sluice: twice,
      });
  } finally {
    await adminA.disconnect();
    await adminB.disconnect();
  }
  return { alias, topic, first, handover, takeOver };
}

/** Connect's internal topics: JSON values; keys JSON (mm2-offsets) or plain strings (configs, status). */
function parseMaybeJson(bytes: Buffer | null): unknown {
  if (bytes === null) return null;
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The records the first side of a flow wrote to one internal topic, last per key, normalised. */
async function firstSideRecords(
  flow: Flow,
  t: { name: string; bootstrap: string; json: boolean },
): Promise<Map<string, unknown>> {
  const ends = flow.handover.get(t.name) ?? new Map<number, number>();
  const names = new Map([
    [flow.alias, '<alias>'],
    [flow.topic, '<topic>'],
    [`compat-group-${flow.alias}`, '<group>'],
  ]);
  const out = new Map<string, unknown>();
  for (const r of await readAll(t.bootstrap, t.name)) {
    if (r.offset >= (ends.get(r.partition) ?? 0)) continue;
    const keyText = r.key === null ? 'null' : r.key.toString('latin1');
    // Shared topics (offset syncs, heartbeats) hold other flows' records too.
    if (!t.name.includes(flow.alias) && !keyText.includes(flow.alias) && !keyText.includes(flow.topic))
      continue;
    if (t.json) {
      const key = parseMaybeJson(r.key);
      const value = parseMaybeJson(r.value);
      const normalKey = JSON.stringify(replaceTexts(key, names));
      out.set(normalKey, {
        keyOrder: Array.isArray(key) ? key.map(keyOrder) : keyOrder(key),
        value: maskKeys(
          replaceTexts(value, names),
          new Set([
            'worker_id',
            'generation',
            'trace',
            'creation-timestamp',
            'key',
            'version',
            'discoverTimestamp',
          ]),
        ),
      });
    } else {
      // Binary records (Connect structs): compared byte for byte, names normalised; a heartbeat's time masked.
      const normal = (b: Buffer | null): string =>
        b === null
          ? 'null'
          : [...names].reduce((text, [from, to]) => text.split(from).join(to), b.toString('latin1'));
      const value =
        t.name === 'heartbeats' && r.value !== null
          ? `${r.value.length} bytes, version ${r.value.readInt16BE(0)}`
          : Buffer.from(normal(r.value), 'latin1').toString('hex');
      out.set(Buffer.from(normal(r.key), 'latin1').toString('hex'), value);
    }
  }
  return out;
}

export async function compareMirror(classpath: string): Promise<Difference[]> {
  const tag = `${Date.now().toString(36)}${process.pid}`;
  // Same lengths on both flows, so binary records that embed the names compare byte for byte.
  const javaFirst = await runFlow(classpath, `J${tag}`, `compat-mm2-j-${tag}`, 'java');
  const sluiceFirst = await runFlow(classpath, `S${tag}`, `compat-mm2-s-${tag}`, 'sluice');
  const differences = [...javaFirst.takeOver, ...sluiceFirst.takeOver];
  for (const t of internalTopics(javaFirst.alias)) {
    const other = internalTopics(sluiceFirst.alias).find(
      (o) => o.name.replace(sluiceFirst.alias, '') === t.name.replace(javaFirst.alias, ''),
    )!;
    const java = Object.fromEntries(await firstSideRecords(javaFirst, t));
    const sluice = Object.fromEntries(await firstSideRecords(sluiceFirst, other));
    const label = t.name.replace(javaFirst.alias, '<alias>');
    for (const d of diffJson(java, sluice)) differences.push({ area: 'mirror', step: label, ...d });
  }
  return differences;
}
