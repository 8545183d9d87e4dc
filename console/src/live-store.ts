import { connectorCounters } from './connector-metrics.js';
import { parsePrometheusText, type Sample } from './prometheus-text.js';
import { connectorPath, restGet } from './rest-client.js';
import type { ExpandedConnectors } from './rest-types.js';
import { ThroughputHistory } from './throughput-history.js';
import { TopicRates } from './topic-rates.js';

/** Everything the pages show that changes on its own, as of the last poll. */
export interface LiveSnapshot {
  readonly connectors: ExpandedConnectors;
  /** Topics each connector has used (`GET /connectors/{name}/topics`). */
  readonly topics: ReadonlyMap<string, readonly string[]>;
  readonly samples: readonly Sample[];
  readonly history: ThroughputHistory;
  /** records/s per connector and topic, for the topology's edges. */
  readonly topicRates: TopicRates;
  /** The last poll's failure, shown in a banner; the previous data stays on screen. */
  readonly error: string | undefined;
  readonly polledAt: number;
}

type Listener = (snapshot: LiveSnapshot) => void;

/**
 * Polls the REST API and `/metrics` while the page is visible, and tells every page that listens. Polling (not
 * a server push) keeps the worker free of per-viewer state, and a hidden tab costs the worker nothing.
 */
export class LiveStore {
  private readonly listeners = new Set<Listener>();
  private readonly history = new ThroughputHistory();
  private readonly topicRates = new TopicRates();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | undefined;
  current: LiveSnapshot | undefined;

  constructor(private readonly intervalMs: number) {
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void this.refresh();
    });
  }

  /** Forgets what was polled (another principal signed in: it may see other connectors). */
  reset(): void {
    this.current = undefined;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.current !== undefined) listener(this.current);
    return () => this.listeners.delete(listener);
  }

  /** Polls now (after an action, so its effect shows at once) and then every interval. */
  refresh(): Promise<void> {
    this.inFlight ??= this.poll().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async poll(): Promise<void> {
    clearTimeout(this.timer);
    try {
      const [connectors, metricsText] = await Promise.all([
        restGet<ExpandedConnectors>('/connectors?expand=status&expand=info'),
        restGet<string>('/metrics'),
      ]);
      const topics = new Map<string, readonly string[]>();
      await Promise.all(
        Object.keys(connectors).map(async (name) => {
          const used = await restGet<Record<string, { topics: string[] }>>(
            `${connectorPath(name)}/topics`,
          ).catch(() => undefined);
          topics.set(name, used?.[name]?.topics ?? []);
        }),
      );
      const samples = parsePrometheusText(metricsText);
      const polledAt = Date.now();
      this.history.record(polledAt, connectorCounters(samples));
      this.topicRates.record(polledAt, samples);
      this.publish({
        connectors,
        topics,
        samples,
        history: this.history,
        topicRates: this.topicRates,
        error: undefined,
        polledAt,
      });
    } catch (error) {
      const previous = this.current;
      this.publish({
        connectors: previous?.connectors ?? {},
        topics: previous?.topics ?? new Map(),
        samples: previous?.samples ?? [],
        history: this.history,
        topicRates: this.topicRates,
        error: error instanceof Error ? error.message : String(error),
        polledAt: Date.now(),
      });
    } finally {
      if (document.visibilityState === 'visible') {
        this.timer = setTimeout(() => void this.refresh(), this.intervalMs);
      }
    }
  }

  private publish(snapshot: LiveSnapshot): void {
    this.current = snapshot;
    for (const listener of this.listeners) listener(snapshot);
  }
}
