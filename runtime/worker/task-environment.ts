import type { Converter, HeaderConverter } from '../api/converter.js';
import type { Logger } from '../api/logger.js';
import type { ConnectorTaskId } from '../cluster/rest-types.js';
import type { LifecycleListener } from './lifecycle.js';
import type { ErrorHandler } from '../errors/error-handler.js';
import type { ConnectRecord } from '../api/records.js';
import type { TaskMetrics } from '../metrics/task-metrics.js';

export interface RecordTransformer {
  apply<R extends ConnectRecord>(record: R): R | null;
  close(): void;
}

export interface TaskConverters {
  readonly key: Converter;
  readonly value: Converter;
  readonly header: HeaderConverter;
  readonly keyClass: string;
  readonly valueClass: string;
  readonly headerClass: string;
}

/** What every worker task gets from the worker, whatever its kind. */
export interface TaskEnvironment {
  readonly id: ConnectorTaskId;
  /** The task config with config-provider placeholders resolved. */
  readonly taskConfig: Readonly<Record<string, string>>;
  readonly converters: TaskConverters;
  readonly transformer: RecordTransformer;
  readonly errorHandler: ErrorHandler;
  /** Aborted when the task stops, ending any retry loop at once. */
  readonly stopSignal: AbortController;
  readonly logger: Logger;
  readonly onStateChange: LifecycleListener;
  /** Reports a topic the task produced to or consumed from, for every batch (GET /connectors/{c}/topics). */
  readonly onTopicUsed: (topic: string) => void;
  readonly offsetFlushIntervalMs: number;
  readonly offsetFlushTimeoutMs: number;
  /** Where the task counts records, batch times and offset commits for GET /metrics (none: counted nowhere). */
  readonly metrics?: TaskMetrics;
}
