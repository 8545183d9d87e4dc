import { html, type TemplateResult } from 'lit-html';
import { restGet } from '../rest-client.js';
import type { PageContext } from './page-context.js';
import { stateBadge } from './widgets.js';

/** What the console reads of a job from GET /jobs (docs/jobs.md). */
interface JobProgress {
  readonly units_done: number;
  readonly units_total: number;
  readonly records: number;
  readonly estimated_records: number | null;
  readonly records_per_second: number;
  readonly eta_seconds: number | null;
}

interface JobView {
  readonly id: string;
  readonly type: string;
  readonly state: string;
  readonly progress: JobProgress;
  readonly error: string | null;
}

let jobs: readonly JobView[] | undefined;
let fetchedAt = 0;
/** Jobs are polled with the page, no more often than the live snapshot. */
const REFRESH_MS = 2_000;

/** Whether this worker has the jobs API: the Jobs page is offered only then. */
export async function jobsAvailable(): Promise<boolean> {
  try {
    jobs = toJobs(await restGet<unknown>('/jobs'));
    return true;
  } catch {
    return false;
  }
}

function toJobs(body: unknown): readonly JobView[] {
  return Array.isArray(body) ? (body as JobView[]) : [];
}

/** Records against the estimate where the job has one, else finished units against all of them. */
function percent(progress: JobProgress): number | undefined {
  if (progress.estimated_records !== null && progress.estimated_records > 0)
    return Math.min(100, (progress.records / progress.estimated_records) * 100);
  if (progress.units_total > 0) return (progress.units_done / progress.units_total) * 100;
  return undefined;
}

function rateAndEta(progress: JobProgress): string {
  const rate = `${progress.records.toLocaleString()} records, ${progress.records_per_second.toLocaleString()}/s`;
  return progress.eta_seconds === null ? rate : `${rate}, ${Math.ceil(progress.eta_seconds)} s left`;
}

export function jobsPage(context: PageContext): TemplateResult {
  if (Date.now() - fetchedAt > REFRESH_MS) {
    fetchedAt = Date.now();
    void restGet<unknown>('/jobs')
      .then((body) => {
        jobs = toJobs(body);
        context.rerender();
      })
      .catch(() => undefined);
  }
  return html`<h1>Jobs</h1>
    ${
      jobs === undefined || jobs.length === 0
        ? html`<p class="empty">No jobs.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>Job</th>
                <th>Type</th>
                <th>State</th>
                <th>Progress</th>
                <th>Records</th>
              </tr>
            </thead>
            <tbody>
              ${jobs.map((job) => {
                const done = percent(job.progress);
                const records = rateAndEta(job.progress);
                return html`<tr>
                  <td>${job.id}</td>
                  <td>${job.type}</td>
                  <td>
                    ${stateBadge(job.state)}${job.error === null ? '' : html`<div class="error-code">${job.error}</div>`}
                  </td>
                  <td>
                    ${done === undefined ? '' : html`<progress max="100" value=${done}></progress> ${done.toFixed(0)}%`}
                  </td>
                  <td>${records}</td>
                </tr>`;
              })}
            </tbody>
          </table>`
    }`;
}
