/**
 * A source connector whose start() and stop() take as long as configured, loaded through `plugin.path`
 * in integration tests: it proves that a connector stuck in start/stop holds up neither the REST API
 * nor other connectors. Its tasks produce nothing; `generated.tasks` makes it generate that many task
 * configs whatever tasks.max says (a buggy connector, for tasks.max.enforce).
 */
import type {
  ConfigDef,
  ConnectorConfig,
  Plugin,
  SourceConnector,
  SourceRecord,
  SourceTask,
} from '../../runtime/api/index.js';

const START_DELAY = 'start.delay.ms';
const STOP_DELAY = 'stop.delay.ms';
const GENERATED_TASKS = 'generated.tasks';

const configDef: ConfigDef = {
  [START_DELAY]: { type: 'long', default: 0, importance: 'high', documentation: 'How long start() takes.' },
  [STOP_DELAY]: { type: 'long', default: 0, importance: 'high', documentation: 'How long stop() takes.' },
  [GENERATED_TASKS]: {
    type: 'int',
    default: 1,
    importance: 'low',
    documentation: 'How many task configs taskConfigs() returns, ignoring tasks.max.',
  },
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class SlowConnector implements SourceConnector {
  private config: ConnectorConfig = {};
  async start(config: ConnectorConfig): Promise<void> {
    this.config = config;
    await sleep(Number(config[START_DELAY] ?? 0));
  }
  taskConfigs(): ConnectorConfig[] {
    return Array.from({ length: Number(this.config[GENERATED_TASKS] ?? 1) }, () => ({}));
  }
  async stop(): Promise<void> {
    await sleep(Number(this.config[STOP_DELAY] ?? 0));
  }
}

class IdleTask implements SourceTask {
  start(): void {}
  async poll(): Promise<SourceRecord[] | null> {
    await sleep(200);
    return null;
  }
  stop(): void {}
}

export const plugins: readonly Plugin[] = [
  {
    type: 'source',
    className: 'SlowStartStopSource',
    aliases: [],
    version: '0.1.0',
    configDef,
    createConnector: () => new SlowConnector(),
    createTask: () => new IdleTask(),
  },
];
