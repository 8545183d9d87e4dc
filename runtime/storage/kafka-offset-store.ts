import type { JsonValue } from '../api/json.js';
import type { SourceOffset, SourcePartition } from '../api/records.js';
import { canonicalJson } from './canonical-json.js';
import { javaMapJson } from '../api/java-hash-map-order.js';
import { jsonBytes, type KafkaLog, type LogEntry } from './kafka-log.js';
import type { OutgoingMessage } from '../kafka/types.js';
import type { SourceOffsetEntry, TransactionalOffsetStore } from './offset-store.js';

interface StoredOffset {
  readonly connector: string;
  readonly partition: SourcePartition;
  readonly offset: SourceOffset;
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Connect's offsets-topic key `["<connector>",{<partition>}]` (JsonConverter, schemas disabled), with the
 * partition's keys in the order a Java worker writes them (runtime/api/java-hash-map-order.ts), so Java Connect and
 * MirrorMaker 2 find Sluice's offsets and the other way round. Keys written in another order by older Sluice
 * versions still load: entries are matched by their parsed content, not their bytes.
 */
export function offsetKey(connector: string, partition: SourcePartition): string {
  return javaMapJson([connector, partition]);
}

/** The connector and partition of an offsets-topic key, or undefined for a key that is not Connect's. */
export function parseOffsetKey(key: string): { connector: string; partition: SourcePartition } | undefined {
  try {
    const parsed: unknown = JSON.parse(key);
    if (
      !Array.isArray(parsed) ||
      parsed.length !== 2 ||
      typeof parsed[0] !== 'string' ||
      !isObject(parsed[1])
    )
      return undefined;
    return { connector: parsed[0], partition: parsed[1] };
  } catch {
    return undefined;
  }
}

/**
 * Source offsets in the compacted offsets topic, byte-compatible with Connect's: key
 * `["connector",{partition}]`, value the offset as JSON, a tombstone for a removed offset.
 * Reads catch up with the topic first, so a task that moved from another worker resumes from that
 * worker's last committed offset.
 */
export class KafkaOffsetStore implements TransactionalOffsetStore {
  private readonly data = new Map<string, StoredOffset>();

  constructor(private readonly log: KafkaLog) {}

  private static mapKey(connector: string, partition: SourcePartition): string {
    return `${JSON.stringify(connector)}\u0000${canonicalJson(partition)}`;
  }

  start(): Promise<void> {
    return this.log.start((entry) => this.apply(entry));
  }

  private apply(entry: LogEntry): void {
    if (entry.key === null) return;
    const parsed = parseOffsetKey(entry.key);
    if (parsed === undefined) return;
    const key = KafkaOffsetStore.mapKey(parsed.connector, parsed.partition);
    if (entry.value === null) {
      this.data.delete(key);
      return;
    }
    try {
      const offset: unknown = JSON.parse(entry.value.toString('utf8'));
      if (isObject(offset)) this.data.set(key, { ...parsed, offset });
    } catch {
      // Not JSON: not a record Sluice or Connect wrote; skip it.
    }
  }

  async offsets(
    connector: string,
    partitions: readonly SourcePartition[],
  ): Promise<Map<SourcePartition, SourceOffset | null>> {
    await this.log.readToEnd();
    const out = new Map<SourcePartition, SourceOffset | null>();
    for (const p of partitions)
      out.set(p, this.data.get(KafkaOffsetStore.mapKey(connector, p))?.offset ?? null);
    return out;
  }

  async allOffsets(connector: string): Promise<SourceOffsetEntry[]> {
    await this.log.readToEnd();
    return [...this.data.values()]
      .filter((e) => e.connector === connector)
      .map(({ partition, offset }) => ({ partition, offset }));
  }

  async write(connector: string, entries: readonly SourceOffsetEntry[]): Promise<void> {
    await this.log.send(
      entries.map((e) => ({
        key: offsetKey(connector, e.partition),
        value: e.offset === null ? null : jsonBytes(e.offset),
      })),
    );
    this.committed(connector, entries);
  }

  /** The same records write() sends (partitioned by key like the log's own writes), for a transaction. */
  offsetRecords(connector: string, entries: readonly SourceOffsetEntry[]): OutgoingMessage[] {
    return entries.map((e) => ({
      topic: this.log.topic,
      key: Buffer.from(offsetKey(connector, e.partition), 'utf8'),
      value: e.offset === null ? null : jsonBytes(e.offset),
      headers: [],
    }));
  }

  committed(connector: string, entries: readonly SourceOffsetEntry[]): void {
    // Our own writes come back through the reader too; applying them now makes them visible at once.
    for (const e of entries) {
      const key = KafkaOffsetStore.mapKey(connector, e.partition);
      if (e.offset === null) this.data.delete(key);
      else this.data.set(key, { connector, partition: e.partition, offset: e.offset });
    }
  }

  stop(): Promise<void> {
    return this.log.stop();
  }
}
