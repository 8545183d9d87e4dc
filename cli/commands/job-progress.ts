import type { JobView } from '../../runtime/jobs/job-service.js';

/** How far a job is, 0..1: records against the plan's estimate, or finished units when there is none. */
export function fractionDone(job: JobView): number {
  if (job.state === 'completed') return 1;
  const p = job.progress;
  const fraction =
    p.estimated_records !== null && p.estimated_records > 0
      ? p.records / p.estimated_records
      : p.units_total > 0
        ? p.units_done / p.units_total
        : 0;
  return Math.min(Math.max(fraction, 0), 1);
}

/** `12s`, `4m05s`, `2h03m`; `-` when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `1.2k`, `3.4M`: a count short enough for one terminal line. */
export function formatCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/**
 * One line for a terminal of `columns` columns, redrawn in place:
 * `[██████░░░░]  45%  4.5k/10.0k records  1.2k rec/s  ETA 5s  units 2/5  active`. The bar takes what the
 * text leaves, between 10 and 40 cells.
 */
export function progressBar(job: JobView, columns: number): string {
  const fraction = fractionDone(job);
  const p = job.progress;
  const total = p.estimated_records === null ? '' : `/${formatCount(p.estimated_records)}`;
  const text = [
    `${String(Math.floor(fraction * 100)).padStart(3)}%`,
    `${formatCount(p.records)}${total} records`,
    `${formatCount(p.records_per_second)} rec/s`,
    `ETA ${formatDuration(p.eta_seconds)}`,
    `units ${p.units_done}/${p.units_total}`,
    job.state,
  ].join('  ');
  const width = Math.min(Math.max(columns - text.length - 5, 10), 40);
  const filled = Math.round(fraction * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]  ${text}`;
}

/** One line for a log or a pipe, no control characters: `2026-... job ID active 45% records=4500 ...`. */
export function progressLine(job: JobView, now: Date): string {
  const p = job.progress;
  return [
    now.toISOString(),
    `job ${job.id}`,
    job.state,
    `${Math.floor(fractionDone(job) * 100)}%`,
    `records=${p.records}${p.estimated_records === null ? '' : `/${p.estimated_records}`}`,
    `rate=${p.records_per_second}/s`,
    `eta=${formatDuration(p.eta_seconds)}`,
    `units=${p.units_done}/${p.units_total}`,
  ].join(' ');
}

/** The end of a watch: how it ended, and for a failed job why. */
export function finalLine(job: JobView): string {
  const p = job.progress;
  const duplicates = p.possible_duplicates > 0 ? `, ${p.possible_duplicates} possible duplicate(s)` : '';
  const took =
    job.started_at !== null && job.finished_at !== null
      ? ` in ${formatDuration((Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000)}`
      : '';
  const base = `job ${job.id} ${job.state}: ${p.records} record(s)${took}${duplicates}`;
  return job.state === 'failed' && job.error !== null ? `${base}: ${job.error}` : base;
}
