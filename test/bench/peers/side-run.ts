/**
 * Timing one side (Java or Sluice) of a peers comparison: wall time from spawning the process until the
 * output is complete, the process's peak RSS (VmHWM) and the CPU time it used, and the summary line.
 */
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { collectStderr, procStatusMb, sleep, terminate } from '../support/child-process.js';
import { median, roundTo } from '../support/results.js';

export type Side = 'java' | 'sluice';

export interface SideRun {
  readonly side: Side;
  readonly seconds: number;
  readonly peakRssMb: number;
  /** User plus system CPU seconds of the worker process up to the moment the output was complete. */
  readonly cpuSeconds: number;
  /**
   * Seconds from the start at which named points were reached: `firstRecord` (the first output was seen),
   * and those a comparison adds (e.g. the snapshot done).
   */
  readonly marks: Readonly<Record<string, number>>;
}

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat, 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3, the state.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

export interface WatchOptions {
  readonly side: Side;
  /** How many of the expected records are where they must end up, now. */
  readonly progress: () => Promise<number>;
  readonly target: number;
  readonly timeoutMs: number;
  readonly pollMs: number;
  /** Called after every poll with the count and the seconds since start, e.g. to record marks. */
  readonly onProgress?: (count: number, seconds: number, marks: Record<string, number>) => void;
}

/**
 * Polls until `progress()` reaches `target`, then stops the process. `started` is taken by the caller just
 * before spawning, so JVM or Node start-up counts, as it does for an operator. Polling can only make a side
 * look slower by at most one poll interval, and both sides are polled alike.
 */
export async function watchUntilDone(
  child: ChildProcess,
  started: number,
  options: WatchOptions,
): Promise<SideRun> {
  const stderr = collectStderr(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.side}: the process did not start: ${stderr()}`);
  const marks: Record<string, number> = {};
  let peakRssMb = 0;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${options.side}: the process exited early (${child.exitCode}): ${stderr()}`);
      const count = await options.progress();
      const seconds = (performance.now() - started) / 1000;
      peakRssMb = Math.max(peakRssMb, procStatusMb(pid, 'VmHWM'));
      // Separates start-up (JVM, Connect's plugin scan, group joins) from the steady rate that follows.
      if (count > 0 && marks['firstRecord'] === undefined) marks['firstRecord'] = seconds;
      options.onProgress?.(count, seconds, marks);
      if (count >= options.target) {
        return { side: options.side, seconds, peakRssMb, cpuSeconds: cpuSecondsOf(pid), marks };
      }
      if (seconds * 1000 > options.timeoutMs)
        throw new Error(
          `${options.side}: ${count} of ${options.target} records after ${Math.round(seconds)} s: ${stderr()}`,
        );
      await sleep(options.pollMs);
    }
  } finally {
    await terminate(child);
  }
}

export interface SideSummary {
  readonly recordsPerSec: number;
  readonly afterFirstRecordPerSec: number | null;
  readonly mbPerSec: number;
  readonly seconds: number;
  readonly runsSeconds: number[];
  readonly peakRssMb: number;
  readonly cpuSeconds: number;
  readonly marks: Record<string, number>;
}

/** Medians over a side's runs (peak RSS: the highest of them). */
export function summarizeSide(
  runs: readonly SideRun[],
  records: number,
  bytesPerRecord: number,
): SideSummary {
  const seconds = median(runs.map((r) => r.seconds));
  const markNames = [...new Set(runs.flatMap((r) => Object.keys(r.marks)))];
  return {
    recordsPerSec: Math.round(records / seconds),
    // The rate once output flows: start-up excluded, which the headline rate (the brief's measure) includes.
    // null when a run's output all arrived within one poll, where there is no rate to tell.
    afterFirstRecordPerSec: runs.every((r) => r.seconds > (r.marks['firstRecord'] ?? 0))
      ? Math.round(median(runs.map((r) => records / (r.seconds - (r.marks['firstRecord'] ?? 0)))))
      : null,
    mbPerSec: roundTo((records * bytesPerRecord) / seconds / 1e6, 2),
    seconds: roundTo(seconds, 2),
    runsSeconds: runs.map((r) => roundTo(r.seconds, 2)),
    peakRssMb: Math.round(Math.max(...runs.map((r) => r.peakRssMb))),
    cpuSeconds: roundTo(median(runs.map((r) => r.cpuSeconds)), 2),
    marks: Object.fromEntries(
      markNames.map((m) => [m, roundTo(median(runs.map((r) => r.marks[m] ?? NaN)), 2)]),
    ),
  };
}

/** Runs `pairs` pairs, swapping which side goes first every pair (J S, S J, J S, ...), so drift in the
 * machine's state (page cache, broker log segments, JIT-warm brokers) does not favour one side. */
export async function alternate(
  pairs: number,
  runSide: (side: Side, run: number) => Promise<SideRun>,
): Promise<{ java: SideRun[]; sluice: SideRun[] }> {
  const java: SideRun[] = [];
  const sluice: SideRun[] = [];
  for (let run = 0; run < pairs; run++) {
    const order: Side[] = run % 2 === 0 ? ['java', 'sluice'] : ['sluice', 'java'];
    for (const side of order) {
      const result = await runSide(side, run);
      process.stderr.write(
        `peers: run ${run + 1}/${pairs} ${side}: ${result.seconds.toFixed(2)} s, peak RSS ${Math.round(result.peakRssMb)} MB, CPU ${result.cpuSeconds.toFixed(1)} s\n`,
      );
      (side === 'java' ? java : sluice).push(result);
    }
  }
  return { java, sluice };
}

/** The result line of one comparison: both sides' medians and Sluice's throughput as a share of Java's. */
export function comparison(
  name: string,
  records: number,
  bytesPerRecord: number,
  runs: { java: SideRun[]; sluice: SideRun[] },
  extra: Record<string, unknown> = {},
): Record<string, unknown> & { name: string } {
  const java = summarizeSide(runs.java, records, bytesPerRecord);
  const sluice = summarizeSide(runs.sluice, records, bytesPerRecord);
  return {
    name,
    records,
    bytesPerRecord,
    pairs: runs.java.length,
    ...extra,
    sluice,
    java,
    ratio: roundTo(sluice.recordsPerSec / java.recordsPerSec, 3),
  };
}
