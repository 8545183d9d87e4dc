/**
 * A sink connector that writes every SinkRecord it is given, as one JSON line, to the file in its `file`
 * setting; loaded through `plugin.path` in integration tests that check what a sink task sees (headers
 * after the header converter, keys, values). Bytes are written as {"base64": ...}.
 */
import { appendFile } from 'node:fs/promises';
import type {
  ConfigDef,
  ConnectorConfig,
  Plugin,
  SinkConnector,
  SinkRecord,
  SinkTask,
} from '../../runtime/api/index.js';

export interface RecordedSinkRecord {
  readonly topic: string;
  readonly offset: number;
  readonly key: unknown;
  readonly value: unknown;
  readonly headers: readonly { key: string; value: unknown }[];
}

const configDef: ConfigDef = {
  file: { type: 'string', importance: 'high', documentation: 'Where to append the records.' },
};

const printable = (value: unknown): unknown =>
  Buffer.isBuffer(value) ? { base64: value.toString('base64') } : value;

class RecordingSinkConnector implements SinkConnector {
  private config: ConnectorConfig = {};
  start(config: ConnectorConfig): void {
    this.config = config;
  }
  taskConfigs(): ConnectorConfig[] {
    return [this.config];
  }
  stop(): void {}
}

class RecordingSinkTask implements SinkTask {
  private file = '';
  start(config: ConnectorConfig): void {
    this.file = String(config['file']);
  }
  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    const lines = records.map((r) =>
      JSON.stringify({
        topic: r.topic,
        offset: r.kafkaOffset,
        key: printable(r.key),
        value: printable(r.value),
        headers: r.headers.map((h) => ({ key: h.key, value: printable(h.value) })),
      } satisfies RecordedSinkRecord),
    );
    await appendFile(this.file, lines.join('\n') + '\n');
  }
  stop(): void {}
}

export const plugins: readonly Plugin[] = [
  {
    type: 'sink',
    className: 'RecordingSink',
    aliases: [],
    version: '0.1.0',
    configDef,
    createConnector: () => new RecordingSinkConnector(),
    createTask: () => new RecordingSinkTask(),
  },
];
