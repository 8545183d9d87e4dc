import type {
  ConnectorConfig,
  ExactlyOnceSupport,
  SourceConnector,
  SourceConnectorContext,
  SourceOffset,
  SourcePartition,
} from '../../runtime/api/index.js';
import { datagenSettings, TASK_INDEX_KEY } from './config.js';
import { checkAlteredOffsets } from './datagen-offsets.js';

export class DatagenSourceConnector implements SourceConnector {
  private config: ConnectorConfig = {};

  start(config: ConnectorConfig, context: SourceConnectorContext): void {
    const { topic } = datagenSettings(config);
    this.config = config;
    context.logger.info(`Starting datagen connector producing to ${topic}`);
  }

  /** Records are a function of their offset (the sequence number): exactly once. */
  exactlyOnceSupport(): ExactlyOnceSupport {
    return 'SUPPORTED';
  }

  /** tasks.max independent generators; task i owns source partition {"task": i} and ids `i-<seq>`. */
  taskConfigs(maxTasks: number): ConnectorConfig[] {
    return Array.from({ length: Math.max(1, maxTasks) }, (_, index) => ({
      ...this.config,
      [TASK_INDEX_KEY]: String(index),
    }));
  }

  stop(): void {
    // No background work to end.
  }

  alterOffsets(
    _config: ConnectorConfig,
    offsets: ReadonlyMap<SourcePartition, SourceOffset | null>,
  ): boolean {
    checkAlteredOffsets(offsets);
    return true;
  }
}
