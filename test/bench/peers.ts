/**
 * peers: Sluice side by side with the Java systems it is compatible with, on this machine, sides alternating
 * run by run (J S, S J, ...), one JSON line per comparison (docs/benchmarks.md):
 *   peers/file   — FileStreamSource → Kafka → FileStreamSink: Kafka Connect 4.3.1 standalone vs `sluice standalone`
 *   peers/mirror — A → B: MirrorMaker 2 4.3.1 dedicated mode vs `sluice mirror`
 *   peers/cdc    — PostgreSQL → Kafka: Debezium 3.6.1 in Connect standalone vs PostgresCdcSource
 * Each side's time runs from spawning its process until everything is where it must be, so start-up counts.
 * The Java jars are fetched with Maven on the first run (test/bench/peers/pom.xml).
 *
 * Sizes: BENCH_PEERS_LINES (1,000,000 lines of 100 B), BENCH_PEERS_MIRROR_RECORDS (1,000,000 × 1 KB),
 * BENCH_PEERS_CDC_ROWS (300,000) and BENCH_PEERS_CDC_UPDATES (100,000), BENCH_RUNS pairs (3).
 * BENCH_PEERS_ONLY=file,mirror,cdc picks comparisons; BENCH_CPU_PROF=<dir> runs Sluice with --cpu-prof.
 */
import { connectAdmin } from './support/kafka-admin.js';
import { printResult } from './support/results.js';
import { BENCH_RUNS } from './support/settings.js';
import { compareCdc } from './peers/cdc.js';
import { compareFilePipeline } from './peers/file-pipeline.js';
import { ensurePeerJars } from './peers/java-peers.js';
import { compareMirror } from './peers/mirror.js';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

const COMPARISONS = ['file', 'mirror', 'cdc'] as const;
type Comparison = (typeof COMPARISONS)[number];

function selected(): Comparison[] {
  const raw = process.env['BENCH_PEERS_ONLY'];
  if (raw === undefined || raw.trim() === '') return [...COMPARISONS];
  const names = raw.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(COMPARISONS as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new Error(`BENCH_PEERS_ONLY: unknown ${unknown.join(', ')}; use ${COMPARISONS.join(',')}`);
  return COMPARISONS.filter((c) => names.includes(c));
}

async function main(): Promise<void> {
  const only = selected();
  const classpath = ensurePeerJars();
  const cpuProfileDir = process.env['BENCH_CPU_PROF'] || undefined;
  const { admin } = await connectAdmin();
  try {
    if (only.includes('file'))
      printResult(
        await compareFilePipeline({
          lines: intFromEnv('BENCH_PEERS_LINES', 1_000_000),
          pairs: BENCH_RUNS,
          classpath,
          admin,
          cpuProfileDir,
        }),
      );
    if (only.includes('mirror'))
      printResult(
        await compareMirror({
          records: intFromEnv('BENCH_PEERS_MIRROR_RECORDS', 1_000_000),
          pairs: BENCH_RUNS,
          classpath,
          adminA: admin,
          cpuProfileDir,
        }),
      );
    if (only.includes('cdc'))
      printResult(
        await compareCdc({
          rows: intFromEnv('BENCH_PEERS_CDC_ROWS', 300_000),
          updates: intFromEnv('BENCH_PEERS_CDC_UPDATES', 100_000),
          pairs: BENCH_RUNS,
          classpath,
          admin,
          cpuProfileDir,
        }),
      );
  } finally {
    await admin.disconnect();
  }
}

await main();
