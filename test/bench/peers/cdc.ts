/**
 * peers/cdc: the Debezium PostgreSQL connector inside Java Kafka Connect standalone against Sluice's
 * PostgresCdcSource (which takes Debezium's class name and keys) in `sluice standalone`, same .properties.
 * Each run gets a fresh database holding `rows` rows; as soon as the first snapshot event is in Kafka (so the
 * snapshot's view is fixed) `updates` rows are updated in 1,000-row transactions, which the connector must
 * stream after the snapshot. Done when the topic holds rows + updates events; the time the snapshot's last
 * event arrived is reported as the mark `snapshotDone`.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KAFKA_BOOTSTRAP, kafkaBrokers } from '../../support/endpoints.js';
import { freePort, SLUICE_BIN, spawnNode } from '../support/child-process.js';
import { createTopic, deleteTopic, RUN_ID } from '../support/kafka-admin.js';
import { benchDir, writeConnectorFile, writeWorkerFile } from '../support/worker-files.js';
import { dropSlotAndDatabase } from '../../support/postgres-cleanup.js';
import { cdcConnectorConfig, createDatabase, runUpdates, TABLE } from '../support/cdc-database.js';
import { CONNECT_STANDALONE_MAIN, spawnJava } from './java-peers.js';
import { alternate, comparison, watchUntilDone, type Side, type SideRun } from './side-run.js';

interface EventSample {
  readonly keyBytes: number;
  readonly valueBytes: number;
  readonly value: string;
}

/**
 * The last event on the topic (a streamed update), read once per side outside the timed window, so the
 * result shows that both sides wrote events of the same shape and size.
 */
async function lastEvent(admin: Admin, topic: string): Promise<EventSample> {
  const [partition] = await admin.fetchTopicOffsets(topic);
  const kafka = new Kafka({
    clientId: 'sluice-bench-peers',
    brokers: kafkaBrokers(KAFKA_BOOTSTRAP),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `bench-peers-sample-${topic}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const sample = new Promise<EventSample>((resolve) => {
      void consumer.run({
        eachMessage: ({ message }) => {
          resolve({
            keyBytes: message.key?.length ?? 0,
            valueBytes: message.value?.length ?? 0,
            value: message.value?.toString('utf8') ?? '',
          });
          return Promise.resolve();
        },
      });
    });
    consumer.seek({ topic, partition: 0, offset: String(Number(partition!.high) - 1) });
    return await sample;
  } finally {
    await consumer.disconnect();
  }
}

async function endOffsetSum(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

export interface CdcSettings {
  readonly rows: number;
  readonly updates: number;
  readonly pairs: number;
  readonly classpath: string;
  readonly admin: Admin;
  readonly cpuProfileDir: string | undefined;
}

export async function compareCdc(settings: CdcSettings): Promise<Record<string, unknown> & { name: string }> {
  const { rows, admin } = settings;
  // Updates beyond the table's size would touch rows twice in one batch window; keep it simple.
  const updates = Math.min(settings.updates, rows);
  const id = RUN_ID.replace(/[^a-z0-9]/gi, '').toLowerCase();

  const samples: Partial<Record<Side, { keyBytes: number; valueBytes: number }>> = {};
  const runSide = async (side: Side, run: number): Promise<SideRun> => {
    const tag = `${id}_${run}_${side}`;
    const database = `sluice_peers_${tag}`;
    const slot = `peers_${tag}`;
    const prefix = `peers${tag.replaceAll('_', '')}`;
    const topic = `${prefix}.public.${TABLE}`;
    await createDatabase(database, rows);
    // What Kafka's auto-creation would make (1 partition), made up front so the two sides cannot differ in it.
    await createTopic(admin, topic, 1);
    const dir = benchDir(`peers-cdc-${side}`);
    // Schemas in every record, as Connect's sample worker file and Debezium's examples have it.
    const worker = writeWorkerFile(dir, await freePort(), {
      'key.converter.schemas.enable': 'true',
      'value.converter.schemas.enable': 'true',
    });
    const connector = writeConnectorFile(
      dir,
      `peers-cdc-${run}-${side}`,
      cdcConnectorConfig(database, { prefix, slot, publication: `peers_pub_${tag}` }),
    );
    let updating: Promise<void> | null = null;
    const started = performance.now();
    const child =
      side === 'java'
        ? spawnJava(settings.classpath, CONNECT_STANDALONE_MAIN, [worker, connector], dir)
        : spawnNode(SLUICE_BIN, ['standalone', worker, connector], {
            nodeArgs: settings.cpuProfileDir
              ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`]
              : [],
          });
    try {
      const result = await watchUntilDone(child, started, {
        side,
        progress: () => endOffsetSum(admin, topic),
        target: rows + updates,
        timeoutMs: 1_800_000,
        pollMs: 100,
        onProgress: (count, seconds, marks) => {
          if (count > 0 && updating === null) {
            const begun = performance.now();
            updating = runUpdates(database, rows, updates).then(() => {
              marks['updatesCommitted'] = seconds + (performance.now() - begun) / 1000;
            });
          }
          if (count >= rows && marks['snapshotDone'] === undefined) marks['snapshotDone'] = seconds;
        },
      });
      if (run === 0) {
        const sample = await lastEvent(admin, topic);
        samples[side] = { keyBytes: sample.keyBytes, valueBytes: sample.valueBytes };
        process.stderr.write(`peers: ${side}'s last event (${sample.valueBytes} B): ${sample.value}\n`);
      }
      return result;
    } finally {
      // An update still running when the side failed must end before its database is dropped.
      await (updating ?? Promise.resolve()).catch(() => undefined);
      await deleteTopic(admin, topic);
      await dropSlotAndDatabase(slot, database);
    }
  };

  const runs = await alternate(settings.pairs, runSide);
  return comparison('peers/cdc', rows + updates, 0, runs, {
    snapshotRows: rows,
    streamedUpdates: updates,
    converter: 'JsonConverter, schemas.enable=true',
    lastEventBytes: samples,
  });
}
