import { restGet, RestError } from './rest-client.js';
import type { RatePoint } from './throughput-history.js';

interface HistoryBody {
  readonly interval_ms: number;
  readonly connectors: Readonly<
    Record<
      string,
      ReadonlyArray<{
        t: number;
        records_per_second: number;
        errors_per_second: number;
        lag: number | null;
        batch_ms: number | null;
        batch_max_ms?: number | null;
        commit_ms?: number | null;
      }>
    >
  >;
  readonly rebalances?: readonly Rebalance[];
}

/** One rebalance as the worker kept it (`GET /metrics/history`'s `rebalances`). */
export interface Rebalance {
  readonly at: number;
  readonly generation: number;
  readonly leader: boolean;
  readonly leader_url: string | null;
  readonly connectors: number | null;
  readonly tasks: number | null;
  readonly revoked_connectors: number | null;
  readonly revoked_tasks: number | null;
  readonly delay_ms: number | null;
}

const REFRESH_MS = 10_000;
let loaded:
  { readonly connector: string; readonly points: readonly RatePoint[]; readonly at: number } | undefined;
let inFlight = false;
/** False once the worker answered 404: an older worker without `GET /metrics/history`. */
let available = true;

/**
 * The last hour of a connector's metrics as the worker kept them (`GET /metrics/history`), refreshed every
 * 10 s (the worker's sampling interval). Undefined until loaded, and for a worker without the endpoint: the
 * page then charts what it polled itself.
 */
export function workerHistory(connector: string, onLoaded: () => void): readonly RatePoint[] | undefined {
  if (!available) return undefined;
  const current = loaded?.connector === connector ? loaded : undefined;
  if (!inFlight && (current === undefined || Date.now() - current.at > REFRESH_MS)) {
    inFlight = true;
    restGet<HistoryBody>(`/metrics/history?connector=${encodeURIComponent(connector)}`)
      .then((body) => {
        const points = (body.connectors[connector] ?? []).map((p) => ({
          t: p.t / 1000,
          recordsPerSecond: p.records_per_second,
          errorsPerSecond: p.errors_per_second,
          lag: p.lag ?? undefined,
          batchMs: p.batch_ms ?? undefined,
          batchMaxMs: p.batch_max_ms ?? undefined,
          commitMs: p.commit_ms ?? undefined,
        }));
        loaded = { connector, points, at: Date.now() };
        onLoaded();
      })
      .catch((error: unknown) => {
        if (error instanceof RestError && error.status === 404) available = false;
      })
      .finally(() => {
        inFlight = false;
      });
  }
  return available ? current?.points : undefined;
}

let rebalances: { readonly list: readonly Rebalance[] | undefined; readonly at: number } | undefined;
let rebalancesInFlight = false;

/**
 * The answering worker's recent rebalances as it kept them, refreshed every 10 s; undefined until loaded and
 * for a worker that keeps none (older than `rebalances` in `GET /metrics/history`).
 */
export function workerRebalances(onLoaded: () => void): readonly Rebalance[] | undefined {
  if (!rebalancesInFlight && (rebalances === undefined || Date.now() - rebalances.at > REFRESH_MS)) {
    rebalancesInFlight = true;
    // One connector's points are the smallest answer: only the rebalances are wanted here.
    restGet<HistoryBody>('/metrics/history?connector=')
      .then((body) => {
        rebalances = { list: body.rebalances, at: Date.now() };
        onLoaded();
      })
      .catch(() => {
        rebalances = { list: undefined, at: Date.now() };
      })
      .finally(() => {
        rebalancesInFlight = false;
      });
  }
  return rebalances?.list;
}
