/**
 * sink-path: Kafka → converter → a discarding sink through a standalone worker started with the CLI, against
 * a bare kafkajs consumer loop reading the same pre-produced records and decoding them the same way.
 * Two results: StringConverter (the worker's own overhead) and JsonConverter schemas.enable=false.
 * See docs/benchmarks.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompressionTypes, Partitioners, type Kafka } from 'kafkajs';
import { KAFKA_BOOTSTRAP } from '../support/endpoints.js';
import {
  collectStderr,
  freePort,
  outputOf,
  procStatusMb,
  sleep,
  SLUICE_BIN,
  spawnNode,
  terminate,
} from './support/child-process.js';
import { jsonRecord, jsonRecordBytes } from './support/json-records.js';
import { connectAdmin, createTopic, deleteTopic, RUN_ID } from './support/kafka-admin.js';
import { printResult, roundTo, summarize, type RunMeasurement } from './support/results.js';
import {
  BENCH_BATCH_SIZE,
  BENCH_PARTITIONS,
  BENCH_RECORD_BYTES,
  BENCH_RECORDS,
  BENCH_RUNS,
  REQUIRED_RATIO,
} from './support/settings.js';
import { benchDir, writeConnectorFile, writeWorkerFile } from './support/worker-files.js';

const BARE_CONSUMER = fileURLToPath(new URL('./support/bare-consumer.js', import.meta.url));
const DISCARD_SINK_MODULE = fileURLToPath(new URL('./support/discard-sink-plugin.js', import.meta.url));
const RUN_TIMEOUT_MS = 120_000;

interface TimedWindow {
  records: number;
  seconds: number;
  cpuSeconds: number;
}

/** Fills the topic once, outside any timing; every run then reads it from the beginning in a fresh group. */
async function produceRecords(kafka: Kafka, topic: string, records: number): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let next = 0; next < records; next += BENCH_BATCH_SIZE) {
    const messages = [];
    for (let seq = next; seq < Math.min(records, next + BENCH_BATCH_SIZE); seq++)
      messages.push(jsonRecord(seq, BENCH_RECORD_BYTES));
    await producer.send({ topic, messages, acks: -1, compression: CompressionTypes.None });
  }
  await producer.disconnect();
}

function measurement(window: TimedWindow, peakRssMb: number): RunMeasurement {
  // Records are spread over partitions, so the window's bytes are estimated from the average record.
  const averageBytes = jsonRecordBytes(0, BENCH_RECORDS, BENCH_RECORD_BYTES) / BENCH_RECORDS;
  return {
    records: window.records,
    seconds: window.seconds,
    bytes: window.records * averageBytes,
    peakRssMb,
    cpuSeconds: window.cpuSeconds,
  };
}

interface Variant {
  readonly name: string;
  readonly converter: string;
  readonly decode: 'string' | 'json';
}

const VARIANTS: readonly Variant[] = [
  { name: 'sink-path', converter: 'org.apache.kafka.connect.storage.StringConverter', decode: 'string' },
  { name: 'sink-path-json', converter: 'org.apache.kafka.connect.json.JsonConverter', decode: 'json' },
];

async function runBaseline(topic: string, variant: Variant, run: string): Promise<RunMeasurement> {
  const child = spawnNode(
    BARE_CONSUMER,
    [
      JSON.stringify({
        bootstrap: KAFKA_BOOTSTRAP,
        topic,
        groupId: `bench-sink-bare-${RUN_ID}-${run}`,
        records: BENCH_RECORDS,
        decode: variant.decode,
      }),
    ],
    { captureStdout: true },
  );
  const result = JSON.parse(await outputOf(child, RUN_TIMEOUT_MS)) as TimedWindow & { peakRssMb: number };
  return measurement(result, result.peakRssMb);
}

async function runWorker(topic: string, variant: Variant, run: string): Promise<RunMeasurement> {
  const dir = benchDir('sink');
  const reportFile = join(dir, 'report.json');
  const workerFile = writeWorkerFile(dir, await freePort(), {
    'plugin.path': DISCARD_SINK_MODULE,
    'key.converter': variant.converter,
    'value.converter': variant.converter,
  });
  const connectorFile = writeConnectorFile(dir, `bench-discard-${RUN_ID}-${run}`, {
    'connector.class': 'BenchDiscardSink',
    'tasks.max': '1',
    topics: topic,
    'bench.expected.records': String(BENCH_RECORDS),
    'bench.report.file': reportFile,
  });
  const child = spawnNode(SLUICE_BIN, ['standalone', workerFile, connectorFile]);
  const stderr = collectStderr(child);
  try {
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    while (!existsSync(reportFile)) {
      if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}): ${stderr()}`);
      if (Date.now() > deadline)
        throw new Error(
          `the discard sink did not receive ${BENCH_RECORDS} records within ${RUN_TIMEOUT_MS} ms`,
        );
      await sleep(20);
    }
    const window = JSON.parse(readFileSync(reportFile, 'utf8')) as TimedWindow;
    return measurement(window, procStatusMb(child.pid!, 'VmHWM'));
  } finally {
    await terminate(child);
  }
}

const { kafka, admin } = await connectAdmin();
const topic = `bench-sink-${RUN_ID}`;
try {
  await createTopic(admin, topic, BENCH_PARTITIONS);
  await produceRecords(kafka, topic, BENCH_RECORDS);
  // One untimed read warms the broker's page cache and JIT for both sides alike.
  await runBaseline(topic, VARIANTS[0]!, 'warmup');
  for (const variant of VARIANTS) {
    const baseline: RunMeasurement[] = [];
    const worker: RunMeasurement[] = [];
    for (let i = 0; i < BENCH_RUNS; i++) {
      baseline.push(await runBaseline(topic, variant, `${variant.decode}-${i}`));
      worker.push(await runWorker(topic, variant, `${variant.decode}-${i}`));
    }
    const workerSummary = summarize(worker);
    const baselineSummary = summarize(baseline);
    const ratio = roundTo(workerSummary.recordsPerSec / baselineSummary.recordsPerSec, 3);
    const cpuRatio = roundTo(baselineSummary.cpuMicrosPerRecord! / workerSummary.cpuMicrosPerRecord!, 3);
    printResult({
      name: variant.name,
      ...workerSummary,
      baseline: baselineSummary,
      ratio,
      // Baseline CPU per record over the worker's: the throughput ratio a CPU-bound run on an idle machine would give.
      cpuRatio,
      required: REQUIRED_RATIO,
      pass: ratio >= REQUIRED_RATIO,
      settings: {
        totalRecords: BENCH_RECORDS,
        recordSizeBytes: BENCH_RECORD_BYTES,
        partitions: BENCH_PARTITIONS,
        converter: `${variant.converter.split('.').pop()}${variant.decode === 'json' ? ' schemas.enable=false' : ''}`,
        baselineDecode: variant.decode === 'json' ? 'JSON.parse(value)' : "value.toString('utf8')",
        runsPerSide: BENCH_RUNS,
      },
    });
    if (ratio < REQUIRED_RATIO) process.exitCode = 1;
  }
} finally {
  await deleteTopic(admin, topic);
  await admin.disconnect();
}
