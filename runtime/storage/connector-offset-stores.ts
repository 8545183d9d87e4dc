import type { ConnectorConfig } from '../api/connector.js';
import { LayeredOffsetStore } from './layered-offset-store.js';
import type { OffsetStore, TransactionalOffsetStore } from './offset-store.js';

/**
 * Which offset store a source connector uses: the worker's, or, with Connect's per-connector
 * `offsets.storage.topic` (KIP-618), that topic first and the worker's store behind it, so a connector
 * that gets its own topic resumes from what it committed before. Dedicated topics are opened on first
 * use and shared by every connector naming the same topic.
 */
export class ConnectorOffsetStores {
  private readonly dedicated = new Map<string, Promise<TransactionalOffsetStore>>();

  constructor(
    readonly workerStore: OffsetStore,
    /** The worker's own offsets topic (null: the worker keeps offsets elsewhere, e.g. a file). */
    private readonly workerTopic: string | null,
    private readonly openTopic: (topic: string) => TransactionalOffsetStore,
  ) {}

  async forConnector(config: ConnectorConfig): Promise<OffsetStore> {
    const topic = config['offsets.storage.topic']?.trim() ?? '';
    if (topic === '' || topic === this.workerTopic) return this.workerStore;
    let opened = this.dedicated.get(topic);
    if (opened === undefined) {
      const store = this.openTopic(topic);
      opened = store.start().then(() => store);
      this.dedicated.set(topic, opened);
      // A topic that could not be opened is tried again by the next task that needs it.
      opened.catch(() => this.dedicated.delete(topic));
    }
    return new LayeredOffsetStore(await opened, this.workerStore);
  }

  async stop(): Promise<void> {
    const opened = [...this.dedicated.values()];
    this.dedicated.clear();
    await Promise.all(opened.map(async (p) => (await p.catch(() => null))?.stop()));
  }
}
