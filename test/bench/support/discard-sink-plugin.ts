/**
 * A sink that drops every record, for the sink-path benchmark: what is left is the worker's own cost
 * (fetch, convert, transform, put, commit). Loaded through `plugin.path` like any third-party plugin.
 * When `bench.expected.records` records have arrived it writes `bench.report.file` with the timed
 * window: from the end of the first put to the end of the last, the way the bare consumer is timed.
 */
import { writeFileSync } from 'node:fs';
import type {
  ConfigDef,
  ConnectorConfig,
  Plugin,
  SinkConnector,
  SinkRecord,
  SinkTask,
} from '../../../runtime/api/index.js';

const EXPECTED = 'bench.expected.records';
const REPORT_FILE = 'bench.report.file';

const configDef: ConfigDef = {
  [EXPECTED]: {
    type: 'long',
    importance: 'high',
    documentation: 'Records to receive before writing the report.',
  },
  [REPORT_FILE]: {
    type: 'string',
    importance: 'high',
    documentation: 'Where to write the timing report (JSON).',
  },
};

class DiscardSinkConnector implements SinkConnector {
  private config: ConnectorConfig = {};
  start(config: ConnectorConfig): void {
    this.config = config;
  }
  taskConfigs(): ConnectorConfig[] {
    return [{ ...this.config }];
  }
  stop(): void {}
}

class DiscardSinkTask implements SinkTask {
  private expected = 0;
  private reportFile = '';
  private seen = 0;
  private firstPutAt = 0;
  private firstPutRecords = 0;
  private firstPutCpu: NodeJS.CpuUsage | null = null;

  start(config: ConnectorConfig): void {
    this.expected = Number(config[EXPECTED]);
    this.reportFile = config[REPORT_FILE] ?? '';
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    const before = this.seen;
    this.seen += records.length;
    const now = performance.now();
    if (this.firstPutAt === 0) {
      this.firstPutAt = now;
      this.firstPutRecords = this.seen;
      this.firstPutCpu = process.cpuUsage();
    }
    if (before < this.expected && this.seen >= this.expected) {
      // CPU seconds of the whole worker process in the window: near `seconds` means CPU-bound, far below means waiting.
      const cpu = process.cpuUsage(this.firstPutCpu ?? undefined);
      const report = {
        records: this.seen - this.firstPutRecords,
        seconds: (now - this.firstPutAt) / 1000,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
      };
      writeFileSync(this.reportFile, JSON.stringify(report));
    }
  }

  stop(): void {}
}

export const plugins: readonly Plugin[] = [
  {
    type: 'sink',
    className: 'BenchDiscardSink',
    aliases: [],
    version: '0.1.0',
    configDef,
    createConnector: () => new DiscardSinkConnector(),
    createTask: () => new DiscardSinkTask(),
  },
];
