// An in-memory stand-in for a compacted internal topic: several KafkaLogs (one per simulated worker)
// share one MemoryTopic, each delivering records in order, only when it catches up.
import type { KafkaLog, LogEntry, LogWrite } from '../../../runtime/storage/kafka-log.js';

export class MemoryTopic {
  readonly records: LogEntry[] = [];

  append(writes: readonly LogWrite[]): void {
    for (const w of writes)
      this.records.push({ key: w.key, value: w.value, partition: 0, offset: this.records.length });
  }

  /** The latest value per key, as compaction would leave it (tombstones removed). */
  compacted(): Map<string, string> {
    const out = new Map<string, string>();
    for (const r of this.records) {
      if (r.key === null) continue;
      if (r.value === null) out.delete(r.key);
      else out.set(r.key, r.value.toString('utf8'));
    }
    return out;
  }

  log(): MemoryLog {
    return new MemoryLog(this);
  }
}

export class MemoryLog implements KafkaLog {
  private delivered = 0;
  private onRecord: ((entry: LogEntry) => void) | null = null;
  stopped = false;

  readonly topic = 'memory-topic';

  constructor(private readonly memory: MemoryTopic) {}

  async start(onRecord: (entry: LogEntry) => void): Promise<void> {
    this.onRecord = onRecord;
    await this.readToEnd();
  }

  async send(records: readonly LogWrite[]): Promise<void> {
    this.memory.append(records);
  }

  /** Delivers what others wrote since the last catch-up (what a tailing reader would have done meanwhile). */
  async readToEnd(): Promise<void> {
    while (this.onRecord !== null && this.delivered < this.memory.records.length)
      this.onRecord(this.memory.records[this.delivered++]!);
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }
}

export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };
