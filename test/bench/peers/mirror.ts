/**
 * peers/mirror: records pre-produced once on Kafka A are copied to Kafka B by Java MirrorMaker 2's dedicated
 * mode (`org.apache.kafka.connect.mirror.MirrorMaker mm2.properties`) against `sluice mirror mm2.properties`,
 * both with the same file. Done when the remote topic on B holds every record.
 *
 * Each run gets its own source alias, so the remote topic (`<alias>.<topic>`), the flow's worker group and
 * its internal topics are all new: nothing one run stored helps the next one.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompressionTypes, Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { KAFKA_B_BOOTSTRAP, KAFKA_BOOTSTRAP, kafkaBrokers } from '../../support/endpoints.js';
import { SLUICE_BIN, spawnNode } from '../support/child-process.js';
import { createTopic, deleteTopic, RUN_ID } from '../support/kafka-admin.js';
import { benchDir } from '../support/worker-files.js';
import { MIRROR_MAKER_MAIN, spawnJava } from './java-peers.js';
import { alternate, comparison, watchUntilDone, type Side, type SideRun } from './side-run.js';

const RECORD_BYTES = 1024;
const PARTITIONS = 3;

async function produceSource(kafka: Kafka, topic: string, records: number): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const filler = Buffer.alloc(RECORD_BYTES, 'm');
    const batch = 500;
    let inFlight: Promise<unknown>[] = [];
    for (let next = 0; next < records; next += batch) {
      const messages = [];
      for (let i = next; i < Math.min(records, next + batch); i++) {
        const value = Buffer.from(filler);
        value.write(String(i).padStart(10, '0'));
        messages.push({ partition: i % PARTITIONS, value });
      }
      inFlight.push(producer.send({ topic, messages, acks: 1, compression: CompressionTypes.None }));
      // A few requests in flight: pre-producing is set-up, not measured, and should not take longer than the runs.
      if (inFlight.length === 4) {
        await Promise.all(inFlight);
        inFlight = [];
      }
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
}

async function endOffsetSum(admin: Admin, topic: string): Promise<number> {
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } catch {
    // The remote topic does not exist until the mirror creates it.
    return 0;
  }
}

function writeMm2Properties(dir: string, alias: string, topic: string): string {
  const file = join(dir, 'mm2.properties');
  const lines = [
    `clusters = ${alias}, B`,
    `${alias}.bootstrap.servers = ${KAFKA_BOOTSTRAP}`,
    `B.bootstrap.servers = ${KAFKA_B_BOOTSTRAP}`,
    `${alias}->B.enabled = true`,
    `${alias}->B.topics = ${topic}`,
    // Otherwise Java MM2 also runs a herder for the disabled reverse flow to emit heartbeats into A, work
    // Sluice does not do (docs/mirror.md); both sides then run the same three connectors of one flow.
    `B->${alias}.enabled = false`,
    `B->${alias}.emit.heartbeats.enabled = false`,
    // Single-broker clusters.
    'replication.factor = 1',
    'offset-syncs.topic.replication.factor = 1',
    'checkpoints.topic.replication.factor = 1',
    'heartbeats.topic.replication.factor = 1',
    'config.storage.replication.factor = 1',
    'offset.storage.replication.factor = 1',
    'status.storage.replication.factor = 1',
    // The brokers run without an authorizer; Java MM2 would only log a warning per refresh.
    'sync.topic.acls.enabled = false',
    // Sluice serves REST for each flow; port 0 so runs never collide. Java's dedicated mode serves none.
    'listeners = http://127.0.0.1:0',
    '',
  ];
  writeFileSync(file, lines.join('\n'));
  return file;
}

export interface MirrorSettings {
  readonly records: number;
  readonly pairs: number;
  readonly classpath: string;
  readonly adminA: Admin;
  readonly cpuProfileDir: string | undefined;
}

export async function compareMirror(
  settings: MirrorSettings,
): Promise<Record<string, unknown> & { name: string }> {
  const { records, adminA } = settings;
  const kafkaA = new Kafka({
    clientId: 'sluice-bench-peers',
    brokers: kafkaBrokers(KAFKA_BOOTSTRAP),
    logLevel: logLevel.NOTHING,
  });
  const kafkaB = new Kafka({
    clientId: 'sluice-bench-peers',
    brokers: kafkaBrokers(KAFKA_B_BOOTSTRAP),
    logLevel: logLevel.NOTHING,
  });
  const adminB = kafkaB.admin();
  await adminB.connect();
  const topic = `bench-peers-mirror-${RUN_ID}`;
  try {
    await createTopic(adminA, topic, PARTITIONS);
    const producing = performance.now();
    await produceSource(kafkaA, topic, records);
    process.stderr.write(
      `peers: produced ${records} × ${RECORD_BYTES} B on A in ${((performance.now() - producing) / 1000).toFixed(1)} s\n`,
    );

    const runSide = async (side: Side, run: number): Promise<SideRun> => {
      const alias = `A${RUN_ID.replace(/[^a-z0-9]/gi, '')}r${run}${side}`;
      const remote = `${alias}.${topic}`;
      const dir = benchDir(`peers-mirror-${side}`);
      const mm2 = writeMm2Properties(dir, alias, topic);
      const started = performance.now();
      const child =
        side === 'java'
          ? spawnJava(settings.classpath, MIRROR_MAKER_MAIN, [mm2], dir)
          : spawnNode(SLUICE_BIN, ['mirror', mm2], {
              nodeArgs: settings.cpuProfileDir
                ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`]
                : [],
            });
      try {
        return await watchUntilDone(child, started, {
          side,
          progress: () => endOffsetSum(adminB, remote),
          target: records,
          timeoutMs: 1_800_000,
          pollMs: 250,
        });
      } finally {
        // The remote copy and the flow's internal topics of this run only; a GB per run adds up.
        const created = (await adminB.listTopics()).filter((t) => t.includes(alias));
        await adminB.deleteTopics({ topics: created }).catch(() => undefined);
      }
    };

    const runs = await alternate(settings.pairs, runSide);
    return comparison('peers/mirror', records, RECORD_BYTES, runs, {
      flow: `A->B, 1 topic × ${PARTITIONS} partitions, MirrorSource/Checkpoint/Heartbeat connectors, tasks.max=1`,
    });
  } finally {
    await deleteTopic(adminA, topic);
    await adminB.disconnect();
  }
}
