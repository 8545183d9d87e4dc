import type { Logger } from '../api/logger.js';
import type { TaskMetricsRegistry } from '../api/metrics.js';
import type { TopicPartition } from '../api/records.js';
import type { ErrantRecordReporter, SinkTaskContext } from '../api/task.js';
import { topicPartitionKey } from '../api/records.js';

/** The sink task's view of its consumer: requests are recorded here and applied by the worker between batches. */
export class WorkerSinkTaskContext implements SinkTaskContext {
  private assigned: TopicPartition[] = [];
  readonly pausedByTask = new Map<string, TopicPartition>();
  rewinds = new Map<string, { tp: TopicPartition; offset: number }>();
  timeoutMs = -1;
  commitRequested = false;
  /** Set by the worker: applies pause/resume to the consumer right away. */
  onPauseChange: (() => void) | null = null;

  constructor(
    readonly connectorName: string,
    readonly taskId: number,
    readonly logger: Logger,
    readonly errantRecordReporter: ErrantRecordReporter | null,
    readonly metrics?: TaskMetricsRegistry,
  ) {}

  setAssignment(partitions: readonly TopicPartition[]): void {
    this.assigned = [...partitions];
  }

  assignment(): readonly TopicPartition[] {
    return this.assigned;
  }

  pause(...partitions: TopicPartition[]): void {
    for (const tp of partitions) this.pausedByTask.set(topicPartitionKey(tp), tp);
    this.onPauseChange?.();
  }

  resume(...partitions: TopicPartition[]): void {
    for (const tp of partitions) this.pausedByTask.delete(topicPartitionKey(tp));
    this.onPauseChange?.();
  }

  offset(partition: TopicPartition, offset: number): void {
    this.rewinds.set(topicPartitionKey(partition), { tp: partition, offset });
  }

  timeout(ms: number): void {
    this.timeoutMs = ms;
  }

  requestCommit(): void {
    this.commitRequested = true;
  }

  takeRewinds(): { tp: TopicPartition; offset: number }[] {
    const list = [...this.rewinds.values()];
    this.rewinds = new Map();
    return list;
  }
}
