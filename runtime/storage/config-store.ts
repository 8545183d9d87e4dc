import type { TargetState } from '../cluster/rest-types.js';

export interface StoredConnector {
  readonly name: string;
  readonly config: Record<string, string>;
  readonly targetState: TargetState;
  /** The last task configs generated for the connector (unresolved: config placeholders are kept). */
  readonly taskConfigs: Record<string, string>[];
}

/** Connector configs, target states and task configs. File-backed in standalone, Kafka-backed in distributed mode. */
export interface ConfigStore {
  start(): Promise<void>;
  connectors(): StoredConnector[];
  connector(name: string): StoredConnector | undefined;
  putConnector(name: string, config: Record<string, string>, targetState?: TargetState): Promise<void>;
  putTargetState(name: string, state: TargetState): Promise<void>;
  putTaskConfigs(name: string, taskConfigs: Record<string, string>[]): Promise<void>;
  removeConnector(name: string): Promise<void>;
  stop(): Promise<void>;
}
