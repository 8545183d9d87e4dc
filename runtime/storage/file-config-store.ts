import { SluiceError } from '../errors/sluice-error.js';
import { readFileIfExists, restrictToOwner, writeFileAtomic } from './atomic-file.js';
import { UNSEALED, type ConfigSealer, type ConfigStore, type StoredConnector } from './config-store.js';
import type { TargetState } from '../cluster/rest-types.js';

/** Standalone connector configs in a JSON file, so connectors created over REST survive a restart. */
export class FileConfigStore implements ConfigStore {
  private readonly data = new Map<string, StoredConnector>();
  private writeChain: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly sealer: ConfigSealer = UNSEALED,
  ) {}

  async start(): Promise<void> {
    await restrictToOwner(this.path);
    const text = await readFileIfExists(this.path);
    if (text === null || text.trim() === '') return;
    try {
      const parsed = JSON.parse(text) as { connectors: StoredConnector[] };
      for (const c of parsed.connectors)
        this.data.set(c.name, {
          ...c,
          config: this.sealer.open(c.config),
          taskConfigs: (c.taskConfigs ?? []).map((t) => this.sealer.open(t)),
        });
    } catch (error) {
      throw new SluiceError('OFFSET_STORE_FAILED', [`read ${this.path}`, (error as Error).message], {
        cause: error,
      });
    }
  }

  connectors(): StoredConnector[] {
    return [...this.data.values()];
  }

  connector(name: string): StoredConnector | undefined {
    return this.data.get(name);
  }

  private persist(): Promise<void> {
    const connectors = [...this.data.values()].map((c) => ({
      ...c,
      config: this.sealer.seal(c.config),
      taskConfigs: c.taskConfigs.map((t) => this.sealer.seal(t)),
    }));
    const content = JSON.stringify({ connectors }, null, 2);
    this.writeChain = this.writeChain.catch(() => undefined).then(() => writeFileAtomic(this.path, content));
    return this.writeChain;
  }

  putConnector(name: string, config: Record<string, string>, targetState?: TargetState): Promise<void> {
    const previous = this.data.get(name);
    this.data.set(name, {
      name,
      config,
      targetState: targetState ?? previous?.targetState ?? 'STARTED',
      taskConfigs: previous?.taskConfigs ?? [],
    });
    return this.persist();
  }

  putTargetState(name: string, state: TargetState): Promise<void> {
    const previous = this.data.get(name);
    if (previous === undefined) return Promise.resolve();
    this.data.set(name, { ...previous, targetState: state });
    return this.persist();
  }

  putTaskConfigs(name: string, taskConfigs: Record<string, string>[]): Promise<void> {
    const previous = this.data.get(name);
    if (previous === undefined) return Promise.resolve();
    this.data.set(name, { ...previous, taskConfigs });
    return this.persist();
  }

  removeConnector(name: string): Promise<void> {
    this.data.delete(name);
    return this.persist();
  }

  async stop(): Promise<void> {
    await this.writeChain.catch(() => undefined);
  }
}
