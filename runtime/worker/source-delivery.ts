import type { SourceRecord } from '../api/records.js';
import type { OutgoingMessage } from '../kafka/types.js';

/** One polled record after transforms and converters; message null when a transform dropped it or a tolerated error skipped it. */
export interface ConvertedRecord {
  readonly original: SourceRecord;
  readonly message: OutgoingMessage | null;
}

/** A polled batch ready to produce: every record (for offsets and commitRecord) and the messages to send. */
export interface PreparedBatch {
  readonly converted: readonly ConvertedRecord[];
  readonly messages: readonly OutgoingMessage[];
}

/**
 * How a source task's batches reach Kafka and how their offsets are committed: at least once (offsets
 * flushed on a clock after Kafka acknowledged the records) or exactly once (records and offsets in one
 * Kafka transaction). The task loop calls deliver() for one batch at a time, each after the previous
 * one settled, and may poll the next batch meanwhile.
 */
export interface SourceDelivery {
  deliver(batch: PreparedBatch): Promise<void>;
  /** Between polls: commits what the clock says is due. `inFlight` is the batch still being delivered. */
  commitIfDue(inFlight: Promise<void> | null): Promise<void>;
  /** Commits everything delivered (stop). */
  commitAll(): Promise<void>;
  /** After a failure: drops what is not committed, so nothing of it becomes visible. */
  abandon(): Promise<void>;
  close(): Promise<void>;
}
