/** Benchmark sizes, overridable from the environment to make a quick or a longer run. */
function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

/** Records per timed run (BENCH_RECORDS). */
export const BENCH_RECORDS = intFromEnv('BENCH_RECORDS', 100_000);
/** Value size in bytes, as schemaless JSON (BENCH_RECORD_BYTES). */
export const BENCH_RECORD_BYTES = intFromEnv('BENCH_RECORD_BYTES', 1024);
/** Records per producer batch / datagen poll (BENCH_BATCH_SIZE); datagen's default. */
export const BENCH_BATCH_SIZE = intFromEnv('BENCH_BATCH_SIZE', 1000);
/** Timed runs per side; the sides alternate, the median run is reported (BENCH_RUNS, odd). */
export const BENCH_RUNS = intFromEnv('BENCH_RUNS', 3);
/** Partitions of every benchmark topic. */
export const BENCH_PARTITIONS = intFromEnv('BENCH_PARTITIONS', 3);
/** The worker must reach this share of the bare client's records/s. */
export const REQUIRED_RATIO = 0.8;
