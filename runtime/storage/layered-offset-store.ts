import type { SourceOffset, SourcePartition } from '../api/records.js';
import type { OutgoingMessage } from '../kafka/types.js';
import { canonicalJson } from './canonical-json.js';
import type { OffsetStore, SourceOffsetEntry, TransactionalOffsetStore } from './offset-store.js';

/**
 * Offsets in a transactional store first, an older store second: a standalone worker that turns on
 * exactly-once keeps its offsets in a Kafka topic from then on, and a connector with no offset there yet
 * resumes from the offsets file. Explicit writes (the REST offsets API) go to both, so a reset or an
 * alteration is never undone by the older store.
 */
export class LayeredOffsetStore implements TransactionalOffsetStore {
  constructor(
    private readonly primary: TransactionalOffsetStore,
    private readonly fallback: OffsetStore,
  ) {}

  async start(): Promise<void> {
    await Promise.all([this.primary.start(), this.fallback.start()]);
  }

  async offsets(
    connector: string,
    partitions: readonly SourcePartition[],
  ): Promise<Map<SourcePartition, SourceOffset | null>> {
    const primary = await this.primary.offsets(connector, partitions);
    const missing = partitions.filter((p) => (primary.get(p) ?? null) === null);
    if (missing.length === 0) return primary;
    const older = await this.fallback.offsets(connector, missing);
    for (const p of missing) primary.set(p, older.get(p) ?? null);
    return primary;
  }

  async allOffsets(connector: string): Promise<SourceOffsetEntry[]> {
    const byPartition = new Map<string, SourceOffsetEntry>();
    for (const e of await this.fallback.allOffsets(connector)) byPartition.set(canonicalJson(e.partition), e);
    for (const e of await this.primary.allOffsets(connector)) byPartition.set(canonicalJson(e.partition), e);
    return [...byPartition.values()];
  }

  async write(connector: string, entries: readonly SourceOffsetEntry[]): Promise<void> {
    await this.primary.write(connector, entries);
    await this.fallback.write(connector, entries);
  }

  offsetRecords(connector: string, entries: readonly SourceOffsetEntry[]): OutgoingMessage[] {
    return this.primary.offsetRecords(connector, entries);
  }

  committed(connector: string, entries: readonly SourceOffsetEntry[]): void {
    this.primary.committed(connector, entries);
  }

  async stop(): Promise<void> {
    await Promise.all([this.primary.stop(), this.fallback.stop()]);
  }
}
