/**
 * source-path: datagen → JsonConverter (schemas.enable=false) → Kafka through a standalone worker started
 * with the CLI, against a bare kafkajs producer loop writing the same records. See docs/benchmarks.md.
 */
import type { Admin } from 'kafkajs';
import { fileURLToPath } from 'node:url';
import { KAFKA_BOOTSTRAP } from '../support/endpoints.js';
import {
  collectStderr,
  freePort,
  outputOf,
  procStatusMb,
  SLUICE_BIN,
  spawnNode,
  terminate,
} from './support/child-process.js';
import { jsonRecordBytes } from './support/json-records.js';
import { connectAdmin, createTopic, deleteTopic, RUN_ID } from './support/kafka-admin.js';
import { watchTopicFill } from './support/offset-watcher.js';
import { median, printResult, roundTo, summarize, type RunMeasurement } from './support/results.js';
import {
  BENCH_BATCH_SIZE,
  BENCH_PARTITIONS,
  BENCH_RECORD_BYTES,
  BENCH_RECORDS,
  BENCH_RUNS,
  REQUIRED_RATIO,
} from './support/settings.js';
import { benchDir, writeConnectorFile, writeWorkerFile } from './support/worker-files.js';

const BARE_PRODUCER = fileURLToPath(new URL('./support/bare-producer.js', import.meta.url));
const RUN_TIMEOUT_MS = 120_000;

interface SourceRun extends RunMeasurement {
  /** From spawning the process until the topic held every record. */
  readonly secondsIncludingStartup: number;
}

function measurement(
  timing: { recordsAtStart: number; firstSeenAt: number; reachedAt: number },
  spawnedAt: number,
  peakRssMb: number,
  records: number,
): SourceRun {
  return {
    records: records - timing.recordsAtStart,
    seconds: (timing.reachedAt - timing.firstSeenAt) / 1000,
    bytes: jsonRecordBytes(timing.recordsAtStart, records, BENCH_RECORD_BYTES),
    peakRssMb,
    secondsIncludingStartup: (timing.reachedAt - spawnedAt) / 1000,
  };
}

async function runBaseline(admin: Admin, topic: string, records: number): Promise<SourceRun> {
  await createTopic(admin, topic, BENCH_PARTITIONS);
  const spawnedAt = Date.now();
  const child = spawnNode(
    BARE_PRODUCER,
    [
      JSON.stringify({
        bootstrap: KAFKA_BOOTSTRAP,
        topic,
        records,
        batchSize: BENCH_BATCH_SIZE,
        recordSizeBytes: BENCH_RECORD_BYTES,
      }),
    ],
    { captureStdout: true },
  );
  const output = outputOf(child, RUN_TIMEOUT_MS);
  output.catch(() => undefined);
  const timing = await watchTopicFill(admin, topic, records, RUN_TIMEOUT_MS, () =>
    child.exitCode !== null && child.exitCode !== 0 ? `exit code ${child.exitCode}` : null,
  );
  const { peakRssMb } = JSON.parse(await output) as { peakRssMb: number };
  await deleteTopic(admin, topic);
  return measurement(timing, spawnedAt, peakRssMb, records);
}

async function runWorker(admin: Admin, topic: string, records: number): Promise<SourceRun> {
  await createTopic(admin, topic, BENCH_PARTITIONS);
  const dir = benchDir('source');
  const workerFile = writeWorkerFile(dir, await freePort());
  const connectorFile = writeConnectorFile(dir, 'bench-datagen', {
    'connector.class': 'DatagenSource',
    'tasks.max': '1',
    'kafka.topic': topic,
    'max.records': String(records),
    'record.size.bytes': String(BENCH_RECORD_BYTES),
    'batch.size': String(BENCH_BATCH_SIZE),
  });
  const spawnedAt = Date.now();
  const child = spawnNode(SLUICE_BIN, ['standalone', workerFile, connectorFile]);
  const stderr = collectStderr(child);
  try {
    const timing = await watchTopicFill(admin, topic, records, RUN_TIMEOUT_MS, () =>
      child.exitCode !== null ? `worker exited (${child.exitCode}): ${stderr()}` : null,
    );
    const peakRssMb = procStatusMb(child.pid!, 'VmHWM');
    return measurement(timing, spawnedAt, peakRssMb, records);
  } finally {
    await terminate(child);
    await deleteTopic(admin, topic);
  }
}

const { admin } = await connectAdmin();
try {
  // Warm the broker (page cache, JIT) so the first timed run is not the odd one out.
  await runBaseline(admin, `bench-source-warmup-${RUN_ID}`, Math.min(20_000, BENCH_RECORDS));
  const baseline: SourceRun[] = [];
  const worker: SourceRun[] = [];
  for (let i = 0; i < BENCH_RUNS; i++) {
    baseline.push(await runBaseline(admin, `bench-source-bare-${RUN_ID}-${i}`, BENCH_RECORDS));
    worker.push(await runWorker(admin, `bench-source-worker-${RUN_ID}-${i}`, BENCH_RECORDS));
  }
  const workerSummary = summarize(worker);
  const baselineSummary = summarize(baseline);
  const ratio = roundTo(workerSummary.recordsPerSec / baselineSummary.recordsPerSec, 3);
  printResult({
    name: 'source-path',
    ...workerSummary,
    secondsIncludingStartup: roundTo(median(worker.map((r) => r.secondsIncludingStartup)), 3),
    baseline: {
      ...baselineSummary,
      secondsIncludingStartup: roundTo(median(baseline.map((r) => r.secondsIncludingStartup)), 3),
    },
    ratio,
    required: REQUIRED_RATIO,
    pass: ratio >= REQUIRED_RATIO,
    settings: {
      totalRecords: BENCH_RECORDS,
      recordSizeBytes: BENCH_RECORD_BYTES,
      batchSize: BENCH_BATCH_SIZE,
      partitions: BENCH_PARTITIONS,
      acks: 'all',
      compression: 'none',
      converter: 'JsonConverter schemas.enable=false',
      runsPerSide: BENCH_RUNS,
    },
  });
  if (ratio < REQUIRED_RATIO) process.exitCode = 1;
} finally {
  await admin.disconnect();
}
