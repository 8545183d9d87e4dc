import type { ConnectorConfig, SinkConnector, SinkConnectorContext } from '../../runtime/api/index.js';
import { fileStreamSinkSettings } from './sink-config.js';

export class FileStreamSinkConnector implements SinkConnector {
  private config: ConnectorConfig = {};

  start(config: ConnectorConfig, context: SinkConnectorContext): void {
    const { file } = fileStreamSinkSettings(config);
    this.config = config;
    context.logger.info(`Starting file sink connector writing to ${file ?? 'standard output'}`);
  }

  /** tasks.max tasks, all appending to the same file (their lines interleave, each line stays whole). */
  taskConfigs(maxTasks: number): ConnectorConfig[] {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.config }));
  }

  stop(): void {
    // No background work to end.
  }
}
