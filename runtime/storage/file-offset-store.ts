import type { SourceOffset, SourcePartition } from '../api/records.js';
import { SluiceError } from '../errors/sluice-error.js';
import { readFileIfExists, restrictToOwner, writeFileAtomic } from './atomic-file.js';
import { canonicalJson } from './canonical-json.js';
import type { OffsetStore, SourceOffsetEntry } from './offset-store.js';

/**
 * Standalone offset storage (`offset.storage.file.filename`). The file is JSON: an object whose keys are
 * Connect's offset-topic keys (`["connector",{partition}]`) and whose values are the offsets, so it reads
 * like the offsets topic. Writes are serialized and atomic.
 */
export class FileOffsetStore implements OffsetStore {
  private readonly data = new Map<
    string,
    { connector: string; partition: SourcePartition; offset: SourceOffset }
  >();
  private writeChain: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  async start(): Promise<void> {
    await restrictToOwner(this.path);
    const text = await readFileIfExists(this.path);
    if (text === null || text.trim() === '') return;
    let parsed: Record<string, SourceOffset>;
    try {
      parsed = JSON.parse(text) as Record<string, SourceOffset>;
    } catch (error) {
      throw new SluiceError('OFFSET_STORE_FAILED', [`read ${this.path}`, (error as Error).message], {
        cause: error,
      });
    }
    for (const [key, offset] of Object.entries(parsed)) {
      const [connector, partition] = JSON.parse(key) as [string, SourcePartition];
      this.data.set(key, { connector, partition, offset });
    }
  }

  private key(connector: string, partition: SourcePartition): string {
    return `[${JSON.stringify(connector)},${canonicalJson(partition)}]`;
  }

  async offsets(
    connector: string,
    partitions: readonly SourcePartition[],
  ): Promise<Map<SourcePartition, SourceOffset | null>> {
    const out = new Map<SourcePartition, SourceOffset | null>();
    for (const p of partitions) out.set(p, this.data.get(this.key(connector, p))?.offset ?? null);
    return out;
  }

  async allOffsets(connector: string): Promise<SourceOffsetEntry[]> {
    return [...this.data.values()]
      .filter((e) => e.connector === connector)
      .map(({ partition, offset }) => ({ partition, offset }));
  }

  write(connector: string, entries: readonly SourceOffsetEntry[]): Promise<void> {
    for (const e of entries) {
      const key = this.key(connector, e.partition);
      if (e.offset === null) this.data.delete(key);
      else this.data.set(key, { connector, partition: e.partition, offset: e.offset });
    }
    const snapshot: Record<string, SourceOffset> = {};
    for (const [key, e] of this.data) snapshot[key] = e.offset;
    const content = JSON.stringify(snapshot, null, 1);
    this.writeChain = this.writeChain
      .catch(() => undefined)
      .then(() => writeFileAtomic(this.path, content))
      .catch((error: unknown) => {
        throw new SluiceError('OFFSET_STORE_FAILED', [`write ${this.path}`, (error as Error).message], {
          cause: error,
        });
      });
    return this.writeChain;
  }

  async stop(): Promise<void> {
    await this.writeChain.catch(() => undefined);
  }
}
