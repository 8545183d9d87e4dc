/**
 * One side of the kafka-clients benchmark, run as its own process so CPU and memory belong to one client:
 * produces N records to a topic (batches of `batchSize`, one batch in flight, acks=all, as Sluice's source
 * path sends) or reads N records of a topic from the beginning. Prints one JSON line: seconds from the
 * second batch sent to the last ack (the first connects), or from subscribing to the Nth record, CPU seconds, peak RSS.
 * Usage: node client-runner.js '<json settings>'
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { jsonRecord } from './json-records.js';

export type ClientName = 'kafkajs' | 'platformatic';
export type Codec = 'none' | 'gzip' | 'lz4' | 'snappy' | 'zstd';

export interface RunnerSettings {
  readonly client: ClientName;
  readonly op: 'produce' | 'consume';
  readonly bootstrap: string;
  readonly topic: string;
  readonly records: number;
  readonly recordBytes: number;
  readonly batchSize: number;
  readonly codec: Codec;
  /** Folder whose node_modules holds @platformatic/kafka (a scratch install, see docs/kafka-client.md). */
  readonly clientsDir: string;
}

export interface RunnerResult {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly records: number;
}

/** What a side must do; both clients implement it below with their own API. */
interface ClientSide {
  produceBatch(messages: readonly { key: string; value: string }[]): Promise<void>;
  consume(onRecord: () => boolean): Promise<void>;
  close(): Promise<void>;
}

// Minimal shapes of @platformatic/kafka 1.x, typed here because the package is not a project dependency.
interface PlatformaticProducer {
  send(options: { messages: { topic: string; key: Buffer; value: Buffer }[] }): Promise<unknown>;
  close(): Promise<void>;
}
interface PlatformaticStream {
  on(event: 'data', listener: (message: unknown) => void): void;
  close(): Promise<void>;
}
interface PlatformaticConsumer {
  consume(options: {
    topics: string[];
    mode: string;
    autocommit: boolean;
    maxWaitTime?: number;
  }): Promise<PlatformaticStream>;
  close(force?: boolean): Promise<void>;
}
interface PlatformaticModule {
  Producer: new (options: Record<string, unknown>) => PlatformaticProducer;
  Consumer: new (options: Record<string, unknown>) => PlatformaticConsumer;
}

async function platformaticSide(settings: RunnerSettings): Promise<ClientSide> {
  const load = createRequire(join(settings.clientsDir, 'package.json'));
  // The package is ESM-only: import it by its resolved path.
  const kafka = (await import(load.resolve('@platformatic/kafka'))) as PlatformaticModule;
  const base = { clientId: `bench-${settings.op}`, bootstrapBrokers: settings.bootstrap.split(',') };
  let producer: PlatformaticProducer | undefined;
  let consumer: PlatformaticConsumer | undefined;
  return {
    async produceBatch(messages) {
      producer ??= new kafka.Producer({
        ...base,
        acks: -1,
        compression: settings.codec,
        autocreateTopics: false,
      });
      await producer.send({
        messages: messages.map((m) => ({
          topic: settings.topic,
          key: Buffer.from(m.key),
          value: Buffer.from(m.value),
        })),
      });
    },
    async consume(onRecord) {
      consumer = new kafka.Consumer({ ...base, groupId: `bench-${settings.topic}` });
      const stream = await consumer.consume({
        topics: [settings.topic],
        mode: 'earliest',
        autocommit: false,
        maxWaitTime: 500,
      });
      await new Promise<void>((resolve) => {
        stream.on('data', () => {
          if (onRecord()) resolve();
        });
      });
      await stream.close();
    },
    async close() {
      await producer?.close();
      await consumer?.close(true);
    },
  };
}

async function kafkajsSide(settings: RunnerSettings): Promise<ClientSide> {
  // Through Sluice's own loader, so the snappy/lz4/zstd codecs Sluice registers are there.
  const { Kafka, CompressionTypes, logLevel } = await import('../../../runtime/kafka/kafkajs-library.js');
  const kafka = new Kafka({
    clientId: `bench-${settings.op}`,
    brokers: settings.bootstrap.split(','),
    logLevel: logLevel.NOTHING,
  });
  const codecs = {
    none: CompressionTypes.None,
    gzip: CompressionTypes.GZIP,
    snappy: CompressionTypes.Snappy,
    lz4: CompressionTypes.LZ4,
    zstd: CompressionTypes.ZSTD,
  } as const;
  const producer = kafka.producer({ idempotent: false, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `bench-${settings.topic}`, maxBytes: 10 << 20 });
  let producerConnected = false;
  return {
    async produceBatch(messages) {
      if (!producerConnected) await producer.connect();
      producerConnected = true;
      await producer.send({
        topic: settings.topic,
        messages: [...messages],
        acks: -1,
        compression: codecs[settings.codec],
      });
    },
    async consume(onRecord) {
      await consumer.connect();
      await consumer.subscribe({ topic: settings.topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              for (let i = 0; i < batch.messages.length; i++) if (onRecord()) resolve();
            },
          })
          .catch(reject);
      });
    },
    async close() {
      if (producerConnected) await producer.disconnect();
      await consumer.disconnect();
    },
  };
}

async function main(settings: RunnerSettings): Promise<RunnerResult> {
  const side = settings.client === 'kafkajs' ? await kafkajsSide(settings) : await platformaticSide(settings);
  let started = 0;
  let cpuAtStart = process.cpuUsage();
  const startClock = (): void => {
    started = performance.now();
    cpuAtStart = process.cpuUsage();
  };
  if (settings.op === 'produce') {
    // The first batch connects and fetches metadata: warm up with it, outside the timed window.
    const batch = (from: number): { key: string; value: string }[] => {
      const out = [];
      for (let seq = from; seq < Math.min(settings.records, from + settings.batchSize); seq++)
        out.push(jsonRecord(seq, settings.recordBytes));
      return out;
    };
    await side.produceBatch(batch(0));
    startClock();
    for (let next = settings.batchSize; next < settings.records; next += settings.batchSize)
      await side.produceBatch(batch(next));
  } else {
    // From subscribing to the Nth record: a consumer's first fetch brings many records at once, so a clock
    // started at the first record would count that fetch as free. Group join is inside the window (the
    // broker's group.initial.rebalance.delay.ms is the same for both clients).
    let seen = 0;
    startClock();
    await side.consume(() => {
      seen++;
      return seen >= settings.records;
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  await side.close();
  return {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    records: settings.op === 'produce' ? settings.records - settings.batchSize : settings.records,
  };
}

if (process.argv[2] !== undefined) {
  const result = await main(JSON.parse(process.argv[2]) as RunnerSettings);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
