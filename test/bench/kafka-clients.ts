/**
 * kafka-clients: the Kafka client libraries Sluice could use, side by side on the same broker (issue 13,
 * docs/kafka-client.md "Choosing the client"). For each case (produce or consume, record size, codec) the
 * clients alternate run by run, each in its own process, on fresh topics; the median run per client is
 * reported with every run's rate, CPU µs per record and peak RSS.
 *
 * kafkajs comes from the project. @platformatic/kafka is not a project dependency: install it into a
 * scratch folder and point KAFKA_CLIENTS_DIR at it:
 *   mkdir -p /tmp/kafka-clients && cd /tmp/kafka-clients && npm init -y && npm install @platformatic/kafka@1.35.0
 *   KAFKA_CLIENTS_DIR=/tmp/kafka-clients npm run bench -- kafka-clients
 * Without it only kafkajs runs. BENCH_RUNS (default 3) and BENCH_CLIENT_RECORDS (default 200000) size it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KAFKA_BOOTSTRAP } from '../support/endpoints.js';
import type { ClientName, Codec, RunnerResult, RunnerSettings } from './support/client-runner.js';
import { connectAdmin, createTopic, deleteTopic, RUN_ID } from './support/kafka-admin.js';
import { median, printResult } from './support/results.js';

const RUNNER = fileURLToPath(new URL('./support/client-runner.js', import.meta.url));
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const RECORDS = Number(process.env['BENCH_CLIENT_RECORDS'] ?? 200_000);
const CLIENTS_DIR = process.env['KAFKA_CLIENTS_DIR'] ?? '';
const PARTITIONS = 3;

interface Case {
  readonly name: string;
  readonly recordBytes: number;
  readonly codec: Codec;
}

const CASES: readonly Case[] = [
  { name: '100B-none', recordBytes: 100, codec: 'none' },
  { name: '1KB-none', recordBytes: 1024, codec: 'none' },
  { name: '1KB-lz4', recordBytes: 1024, codec: 'lz4' },
];

function clients(): ClientName[] {
  const installed = CLIENTS_DIR !== '' && existsSync(join(CLIENTS_DIR, 'node_modules/@platformatic/kafka'));
  if (!installed)
    process.stderr.write(
      'KAFKA_CLIENTS_DIR does not hold @platformatic/kafka: running kafkajs only (see the comment at the top of kafka-clients.ts)\n',
    );
  return installed ? ['kafkajs', 'platformatic'] : ['kafkajs'];
}

function runSide(settings: RunnerSettings): RunnerResult {
  const child = spawnSync(process.execPath, [RUNNER, JSON.stringify(settings)], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || line === '')
    throw new Error(
      `${settings.client} ${settings.op} failed (${child.status}): ${child.stderr.slice(-2000)}`,
    );
  return JSON.parse(line) as RunnerResult;
}

const rate = (r: RunnerResult): number => r.records / r.seconds;

async function main(): Promise<void> {
  const sides = clients();
  const { admin } = await connectAdmin();
  try {
    for (const benchCase of CASES) {
      const results = new Map<string, RunnerResult[]>();
      for (let run = 0; run < RUNS; run++) {
        for (const client of run % 2 === 0 ? sides : [...sides].reverse()) {
          const topic = `bench-clients-${benchCase.name}-${client}-${run}-${RUN_ID}`;
          await createTopic(admin, topic, PARTITIONS);
          const base = {
            client,
            bootstrap: KAFKA_BOOTSTRAP,
            topic,
            records: RECORDS,
            recordBytes: benchCase.recordBytes,
            batchSize: 1000,
            codec: benchCase.codec,
            clientsDir: CLIENTS_DIR,
          };
          for (const op of ['produce', 'consume'] as const) {
            const key = `${client}/${op}`;
            results.set(key, [...(results.get(key) ?? []), runSide({ ...base, op })]);
          }
          await deleteTopic(admin, topic);
        }
      }
      for (const op of ['produce', 'consume'] as const) {
        const summary = Object.fromEntries(
          sides.map((client) => {
            const runs = results.get(`${client}/${op}`) ?? [];
            return [
              client,
              {
                recordsPerSec: Math.round(median(runs.map(rate))),
                runsRecordsPerSec: runs.map((r) => Math.round(rate(r))),
                cpuMicrosPerRecord: Number(
                  median(runs.map((r) => (r.cpuSeconds * 1e6) / r.records)).toFixed(2),
                ),
                peakRssMb: Math.round(Math.max(...runs.map((r) => r.peakRssMb))),
              },
            ];
          }),
        );
        printResult({
          name: `kafka-clients-${op}-${benchCase.name}`,
          records: RECORDS,
          runs: RUNS,
          ...summary,
        });
      }
    }
  } finally {
    await admin.disconnect();
  }
}

await main();
