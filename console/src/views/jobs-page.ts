import { html, type TemplateResult } from 'lit-html';
import { restGet } from '../rest-client.js';
import type { PageContext } from './page-context.js';
import { stateBadge } from './widgets.js';

/** What the console reads of a job; the jobs API is newer than the console, so every field is optional. */
interface JobView {
  readonly id?: string;
  readonly name?: string;
  readonly type?: string;
  readonly state?: string;
  /** 0..1, or a percentage when above 1. */
  readonly progress?: number;
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
  const list = Array.isArray(body) ? body : (body as { jobs?: unknown } | null)?.jobs;
  return Array.isArray(list) ? (list as JobView[]) : [];
}

function percent(progress: number | undefined): number | undefined {
  if (progress === undefined || !Number.isFinite(progress)) return undefined;
  return Math.min(100, progress > 1 ? progress : progress * 100);
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
              </tr>
            </thead>
            <tbody>
              ${jobs.map((job) => {
                const done = percent(job.progress);
                return html`<tr>
                  <td>${job.id ?? job.name ?? ''}</td>
                  <td>${job.type ?? ''}</td>
                  <td>${job.state === undefined ? '' : stateBadge(job.state)}</td>
                  <td>
                    ${done === undefined ? '' : html`<progress max="100" value=${done}></progress> ${done.toFixed(0)}%`}
                  </td>
                </tr>`;
              })}
            </tbody>
          </table>`
    }`;
}
