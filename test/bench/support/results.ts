/** One measured run of one side (the worker or the bare-client baseline). */
export interface RunMeasurement {
  /** Records counted inside the timed window. */
  readonly records: number;
  readonly seconds: number;
  /** Key plus value bytes of those records. */
  readonly bytes: number;
  readonly peakRssMb: number;
  /** CPU seconds the process used inside the timed window, when it measured them. */
  readonly cpuSeconds?: number;
}

export interface SideSummary {
  readonly records: number;
  readonly seconds: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  readonly peakRssMb: number;
  /** records/s of every run, in run order, so the spread is visible. */
  readonly runsRecordsPerSec: number[];
  /**
   * Median CPU microseconds per record inside the timed window (when measured): less sensitive than
   * records/s to other load on the machine, because waiting for a CPU does not count.
   */
  readonly cpuMicrosPerRecord?: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** The median run by records/s (the run itself, not per-field medians, so the fields stay consistent). */
export function summarize(runs: readonly RunMeasurement[]): SideSummary {
  const rates = runs.map((r) => r.records / r.seconds);
  const sorted = [...runs].sort((a, b) => a.records / a.seconds - b.records / b.seconds);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const recordsPerSec = mid.records / mid.seconds;
  const bytesPerRecord = mid.bytes / mid.records;
  return {
    records: mid.records,
    seconds: round(mid.seconds, 3),
    recordsPerSec: Math.round(recordsPerSec),
    mbPerSec: round((recordsPerSec * bytesPerRecord) / 1e6, 2),
    peakRssMb: round(Math.max(...runs.map((r) => r.peakRssMb)), 1),
    runsRecordsPerSec: rates.map((r) => Math.round(r)),
    ...(runs.every((r) => r.cpuSeconds !== undefined)
      ? { cpuMicrosPerRecord: round(median(runs.map((r) => (r.cpuSeconds! * 1e6) / r.records)), 2) }
      : {}),
  };
}

/** Prints one result as one JSON line on stdout (the benchmarks' only stdout output). */
export function printResult(result: Record<string, unknown> & { name: string }): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export function roundTo(value: number, digits: number): number {
  return round(value, digits);
}
