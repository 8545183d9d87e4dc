import type { TargetState } from '../cluster/rest-types.js';

export interface StoredConnector {
  readonly name: string;
  readonly config: Record<string, string>;
  readonly targetState: TargetState;
  /** The last task configs generated for the connector (unresolved: config placeholders are kept). */
  readonly taskConfigs: Record<string, string>[];
}

/**
 * How the secret values of configs are kept at rest: sealed before a store writes them, opened when it
 * reads them back (runtime/security/config-encryption.ts); stores hold and answer opened configs.
 */
export interface ConfigSealer {
  seal(config: Readonly<Record<string, string>>): Record<string, string>;
  open(config: Readonly<Record<string, string>>): Record<string, string>;
}

const asIs = (config: Readonly<Record<string, string>>): Record<string, string> => ({ ...config });

/** Configs stored as they are (no `config.encryption.key`). */
export const UNSEALED: ConfigSealer = { seal: asIs, open: asIs };

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
