/**
 * sink-path: Kafka → converter → a discarding sink through a standalone worker started with the CLI, against
 * a bare kafkajs consumer loop reading the same pre-produced records and decoding them the same way.
 * Three results: StringConverter (the worker's own overhead), JsonConverter schemas.enable=false, and
 * JsonConverter schemas.enable=true on records with embedded schemas (a second topic).
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
import { envelopeRecord, envelopeRecordBytes } from './support/json-envelope-records.js';
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
async function produceRecords(
  kafka: Kafka,
  topic: string,
  records: number,
  record: typeof jsonRecord,
): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let next = 0; next < records; next += BENCH_BATCH_SIZE) {
    const messages = [];
    for (let seq = next; seq < Math.min(records, next + BENCH_BATCH_SIZE); seq++)
      messages.push(record(seq, BENCH_RECORD_BYTES));
    await producer.send({ topic, messages, acks: -1, compression: CompressionTypes.None });
  }
  await producer.disconnect();
}

function measurement(window: TimedWindow, peakRssMb: number, envelope: boolean): RunMeasurement {
  // Records are spread over partitions, so the window's bytes are estimated from the average record.
  const averageBytes =
    (envelope ? envelopeRecordBytes : jsonRecordBytes)(0, BENCH_RECORDS, BENCH_RECORD_BYTES) / BENCH_RECORDS;
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
  /** Records with embedded schemas, read with schemas.enable=true (a topic of their own). */
  readonly envelope: boolean;
}

const ALL_VARIANTS: readonly Variant[] = [
  {
    name: 'sink-path',
    converter: 'org.apache.kafka.connect.storage.StringConverter',
    decode: 'string',
    envelope: false,
  },
  {
    name: 'sink-path-json',
    converter: 'org.apache.kafka.connect.json.JsonConverter',
    decode: 'json',
    envelope: false,
  },
  {
    name: 'sink-path-json-schemas',
    converter: 'org.apache.kafka.connect.json.JsonConverter',
    decode: 'json',
    envelope: true,
  },
];
// BENCH_SINK_VARIANTS=sink-path-json (comma-separated names) runs only those; `npm run bench -- sink-path-json` sets it.
const ONLY = (process.env['BENCH_SINK_VARIANTS'] ?? '').split(',').filter((n) => n.trim() !== '');
const VARIANTS = ALL_VARIANTS.filter((v) => ONLY.length === 0 || ONLY.includes(v.name));
if (VARIANTS.length === 0)
  throw new Error(`BENCH_SINK_VARIANTS matches none of: ${ALL_VARIANTS.map((v) => v.name).join(', ')}`);
// BENCH_CPU_PROF=<dir>: the timed runs of both sides run with `node --cpu-prof`, one .cpuprofile each in <dir>.
const CPU_PROF_DIR = process.env['BENCH_CPU_PROF'] ?? '';
function profileArgs(side: 'baseline' | 'worker', run: string): string[] {
  return CPU_PROF_DIR === '' || run.startsWith('warmup')
    ? []
    : ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`, `--cpu-prof-name=${side}-${run}.cpuprofile`];
}

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
    { captureStdout: true, nodeArgs: profileArgs('baseline', run) },
  );
  const result = JSON.parse(await outputOf(child, RUN_TIMEOUT_MS)) as TimedWindow & { peakRssMb: number };
  return measurement(result, result.peakRssMb, variant.envelope);
}

async function runWorker(topic: string, variant: Variant, run: string): Promise<RunMeasurement> {
  const dir = benchDir('sink');
  const reportFile = join(dir, 'report.json');
  const workerFile = writeWorkerFile(dir, await freePort(), {
    'plugin.path': DISCARD_SINK_MODULE,
    'key.converter': variant.converter,
    'value.converter': variant.converter,
    'key.converter.schemas.enable': String(variant.envelope),
    'value.converter.schemas.enable': String(variant.envelope),
  });
  const connectorFile = writeConnectorFile(dir, `bench-discard-${RUN_ID}-${run}`, {
    'connector.class': 'BenchDiscardSink',
    'tasks.max': '1',
    topics: topic,
    'bench.expected.records': String(BENCH_RECORDS),
    'bench.report.file': reportFile,
  });
  const child = spawnNode(SLUICE_BIN, ['standalone', workerFile, connectorFile], {
    nodeArgs: profileArgs('worker', run),
  });
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
    return measurement(window, procStatusMb(child.pid!, 'VmHWM'), variant.envelope);
  } finally {
    await terminate(child);
  }
}

const { kafka, admin } = await connectAdmin();
const plainTopic = `bench-sink-${RUN_ID}`;
const envelopeTopic = `bench-sink-schemas-${RUN_ID}`;
const topics = [
  ...(VARIANTS.some((v) => !v.envelope) ? [plainTopic] : []),
  ...(VARIANTS.some((v) => v.envelope) ? [envelopeTopic] : []),
];
try {
  for (const topic of topics) {
    await createTopic(admin, topic, BENCH_PARTITIONS);
    await produceRecords(kafka, topic, BENCH_RECORDS, topic === plainTopic ? jsonRecord : envelopeRecord);
    // One untimed read warms the broker's page cache and JIT for both sides alike.
    await runBaseline(topic, ALL_VARIANTS[0]!, `warmup-${topic}`);
  }
  for (const variant of VARIANTS) {
    const topic = variant.envelope ? envelopeTopic : plainTopic;
    const baseline: RunMeasurement[] = [];
    const worker: RunMeasurement[] = [];
    for (let i = 0; i < BENCH_RUNS; i++) {
      const run = `${variant.name}-${i}`;
      baseline.push(await runBaseline(topic, variant, run));
      worker.push(await runWorker(topic, variant, run));
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
        converter: `${variant.converter.split('.').pop()}${variant.decode === 'json' ? ` schemas.enable=${variant.envelope}` : ''}`,
        baselineDecode: variant.decode === 'json' ? 'JSON.parse(value)' : "value.toString('utf8')",
        runsPerSide: BENCH_RUNS,
      },
    });
    if (ratio < REQUIRED_RATIO) process.exitCode = 1;
  }
} finally {
  for (const topic of topics) await deleteTopic(admin, topic);
  await admin.disconnect();
}
