import {
  connectError,
  type ConnectorConfig,
  type SinkConnector,
  type SinkConnectorContext,
  type SinkOffsetChange,
} from '../../runtime/api/index.js';
import { alterFilePositions } from './shared-append-file.js';
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

  /** Exactly-once resumes from the positions in `<file>.sluice-state`: the offsets API moves those too. */
  async alterOffsets(config: ConnectorConfig, offsets: readonly SinkOffsetChange[]): Promise<boolean> {
    const settings = fileStreamSinkSettings(config);
    if (settings.deliveryGuarantee !== 'exactly_once' || settings.file === null) return true;
    const name = config['name'];
    if (name === undefined)
      throw connectError('FileStreamSink offsets cannot be altered: the config has no name');
    await alterFilePositions(settings.file, name, offsets);
    return true;
  }
}
