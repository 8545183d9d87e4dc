import type { ConnectorConfig, SinkConnector, SourceConnector } from '../api/connector.js';
import type { Logger } from '../api/logger.js';
import type { OffsetStorageReader } from '../api/offsets.js';
import type { ConnectorPlugin } from '../api/plugin.js';
import type { TargetState } from '../cluster/rest-types.js';
import type { KafkaAccess } from '../kafka/types.js';
import { traceOf } from '../errors/sluice-error.js';
import { Lifecycle, type LifecycleListener } from './lifecycle.js';

/** One running connector instance (not its tasks) and its state machine. */
export class WorkerConnector {
  readonly lifecycle: Lifecycle;
  private readonly connector: SourceConnector | SinkConnector;
  private started = false;

  constructor(
    readonly name: string,
    readonly plugin: ConnectorPlugin,
    private readonly logger: Logger,
    private readonly offsetReader: OffsetStorageReader,
    private readonly onReconfigure: () => void,
    listener: LifecycleListener,
    private readonly kafkaAccess?: KafkaAccess,
  ) {
    this.lifecycle = new Lifecycle(`connector ${name}`, listener);
    this.connector = plugin.createConnector();
  }

  /** Starts the connector unless the target state is STOPPED; failures become the FAILED state with a trace. */
  async start(config: ConnectorConfig, target: TargetState): Promise<boolean> {
    if (target === 'STOPPED') {
      this.lifecycle.transition('STOPPED');
      return false;
    }
    const context = {
      connectorName: this.name,
      logger: this.logger,
      offsetStorageReader: this.offsetReader,
      requestTaskReconfiguration: () => this.onReconfigure(),
      raiseError: (error: Error) => this.fail(error),
      ...(this.kafkaAccess ? { kafka: this.kafkaAccess } : {}),
    };
    try {
      await this.connector.start(config, context);
      this.started = true;
      this.lifecycle.transition(target === 'PAUSED' ? 'PAUSED' : 'RUNNING');
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  async taskConfigs(maxTasks: number): Promise<Record<string, string>[]> {
    const configs = await this.connector.taskConfigs(maxTasks);
    return configs.map((c) => ({ ...c }));
  }

  setTargetState(target: TargetState): void {
    if (this.lifecycle.state === 'FAILED') return;
    if (target === 'PAUSED' && this.lifecycle.state === 'RUNNING') this.lifecycle.transition('PAUSED');
    if (target === 'STARTED' && this.lifecycle.state === 'PAUSED') this.lifecycle.transition('RUNNING');
  }

  /** Stops the instance; its status becomes UNASSIGNED, whatever it was (Connect's WorkerConnector.doShutdown). */
  async stop(): Promise<void> {
    if (this.started) {
      this.started = false;
      try {
        await this.connector.stop();
      } catch (error) {
        this.logger.warn('connector stop() failed', { error: String(error) });
      }
    }
    this.lifecycle.transition('UNASSIGNED');
  }

  get isRunning(): boolean {
    return this.started && this.lifecycle.state !== 'FAILED';
  }

  /** Fails the connector: its own error, or one the worker found (e.g. it generated too many tasks). */
  fail(error: unknown): void {
    this.logger.error('connector failed', { error: traceOf(error) });
    if (this.lifecycle.state !== 'FAILED') this.lifecycle.transition('FAILED', traceOf(error));
  }
}
