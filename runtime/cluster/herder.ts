import type {
  ActiveTopics,
  ConfigInfos,
  ConfigKeyInfo,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  ConnectorTaskId,
  HealthInfo,
  LoggerLevel,
  PluginInfo,
  PutConfigResult,
  RestartOptions,
  ServerInfo,
  TargetState,
  TaskInfo,
  TaskStateEntry,
} from './rest-types.js';
import type { ConnectorLogPage } from './connector-logs.js';

/**
 * What the REST API needs from a worker, one method per endpoint. Standalone and distributed herders
 * implement it; errors are SluiceErrors whose code decides the HTTP status.
 * Every method returns quickly: slow connector start/stop happens in the background.
 */
export interface Herder {
  serverInfo(): ServerInfo;
  health(): Promise<HealthInfo>;

  connectors(): Promise<string[]>;
  connectorInfo(name: string): Promise<ConnectorInfo>;
  connectorConfig(name: string): Promise<Record<string, string>>;
  /** Create or replace. `initialState` only applies on create. Rejects invalid configs with INVALID_CONFIG. */
  putConnectorConfig(
    name: string,
    config: Record<string, string>,
    options: { allowReplace: boolean; initialState?: TargetState },
  ): Promise<PutConfigResult>;
  /** Merge: a null value removes the key. */
  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo>;
  deleteConnector(name: string): Promise<void>;

  connectorStatus(name: string): Promise<ConnectorStateInfo>;
  taskStatus(id: ConnectorTaskId): Promise<TaskStateEntry>;
  taskConfigs(name: string): Promise<TaskInfo[]>;

  /** Returns the status after the restart was scheduled, or null when only the connector (no tasks) restarts (204). */
  restartConnector(name: string, options: RestartOptions): Promise<ConnectorStateInfo | null>;
  restartTask(id: ConnectorTaskId): Promise<void>;
  pauseConnector(name: string): Promise<void>;
  resumeConnector(name: string): Promise<void>;
  stopConnector(name: string): Promise<void>;

  connectorActiveTopics(name: string): Promise<ActiveTopics>;
  resetConnectorActiveTopics(name: string): Promise<void>;

  connectorOffsets(name: string): Promise<ConnectorOffsets>;
  /** Connector must be STOPPED (CONNECTOR_NOT_STOPPED otherwise). */
  alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<{ message: string }>;
  resetConnectorOffsets(name: string): Promise<{ message: string }>;

  connectorPlugins(connectorsOnly: boolean): PluginInfo[];
  connectorPluginConfig(pluginName: string): ConfigKeyInfo[];
  validateConnectorConfig(pluginName: string, config: Record<string, string>): Promise<ConfigInfos>;

  loggers(): Record<string, LoggerLevel>;
  logger(name: string): LoggerLevel;
  /** Returns the names of the loggers whose level changed. */
  setLogLevel(name: string, level: string): string[];
  /**
   * The recent log lines of the connector and its tasks kept by this worker, after `since`; waits up to
   * `waitMs` for a new one when there is none (long poll).
   */
  connectorLogs(name: string, since: number, limit: number, waitMs: number): Promise<ConnectorLogPage>;
}
