import type {
  ConnectorConfig,
  ExactlyOnceSupport,
  SourceConnector,
  SourceConnectorContext,
  SourceOffset,
  SourcePartition,
} from '../../runtime/api/index.js';
import { fileStreamSourceSettings } from './source-config.js';
import { checkAlteredOffsets } from './source-offsets.js';

export class FileStreamSourceConnector implements SourceConnector {
  private config: ConnectorConfig = {};

  start(config: ConnectorConfig, context: SourceConnectorContext): void {
    const { file } = fileStreamSourceSettings(config);
    this.config = config;
    context.logger.info(`Starting file source connector reading from ${file}`);
  }

  /** As Connect's: exactly once when reading a real file (offsets are byte positions); stdin has no offsets. */
  exactlyOnceSupport(config: ConnectorConfig): ExactlyOnceSupport {
    return (config['file'] ?? '').trim() !== '' ? 'SUPPORTED' : 'UNSUPPORTED';
  }

  /** One task whatever tasks.max says: a single reader per file keeps lines in order. */
  taskConfigs(): ConnectorConfig[] {
    return [{ ...this.config }];
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
