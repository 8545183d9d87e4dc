/** Shapes of Kafka Connect's REST bodies, shared by the Herder and the REST layer. */
export type ConnectorType = 'source' | 'sink' | 'unknown';
export type ConnectorStateName = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING';
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';

export interface ConnectorTaskId {
  readonly connector: string;
  readonly task: number;
}

export interface ConnectorInfo {
  readonly name: string;
  readonly config: Record<string, string>;
  readonly tasks: ConnectorTaskId[];
  readonly type: ConnectorType;
}

export interface ConnectorStateEntry {
  readonly state: ConnectorStateName;
  readonly worker_id: string;
  readonly trace?: string;
  /** The running connector's or task's version (Connect 4.x, KIP-891); absent until it started. */
  readonly version?: string;
}

export interface TaskStateEntry extends ConnectorStateEntry {
  readonly id: number;
}

export interface ConnectorStateInfo {
  readonly name: string;
  readonly connector: ConnectorStateEntry;
  readonly tasks: TaskStateEntry[];
  readonly type: ConnectorType;
}

export interface TaskInfo {
  readonly id: ConnectorTaskId;
  readonly config: Record<string, string>;
}

export interface ServerInfo {
  readonly version: string;
  readonly commit: string;
  readonly kafka_cluster_id: string | null;
}

export interface PluginInfo {
  readonly class: string;
  readonly type: 'source' | 'sink' | 'transformation' | 'predicate' | 'converter' | 'header_converter';
  readonly version?: string;
}

/** One entry of GET /connector-plugins/{p}/config and of a validate response's `definition`. */
export interface ConfigKeyInfo {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly default_value: string | null;
  readonly importance: string;
  readonly documentation: string;
  readonly group: string | null;
  readonly order_in_group: number;
  readonly width: string;
  readonly display_name: string;
  readonly dependents: string[];
}

export interface ConfigValueInfo {
  readonly name: string;
  readonly value: string | null;
  readonly recommended_values: string[];
  readonly errors: string[];
  readonly visible: boolean;
  /**
   * Sluice's addition: what is suspicious but accepted (an unknown key, with a did-you-mean). Present only
   * when there is something to say, so answers for clean configs keep Connect's exact shape.
   */
  readonly warnings?: string[];
}

export interface ConfigInfos {
  readonly name: string;
  readonly error_count: number;
  readonly groups: string[];
  readonly configs: { definition: ConfigKeyInfo; value: ConfigValueInfo }[];
}

/** A source connector's partition/offset are plain JSON; a sink's are {kafka_topic,kafka_partition}/{kafka_offset}. */
export interface ConnectorOffset {
  readonly partition: Record<string, unknown>;
  readonly offset: Record<string, unknown> | null;
}

export interface ConnectorOffsets {
  readonly offsets: ConnectorOffset[];
}

export interface ActiveTopics {
  readonly [connector: string]: { readonly topics: string[] };
}

export interface LoggerLevel {
  readonly level: string;
  readonly last_modified?: number | null;
}

export interface HealthInfo {
  readonly status: 'healthy' | 'starting' | 'unhealthy';
  readonly message: string;
}

export interface PutConfigResult {
  readonly created: boolean;
  readonly info: ConnectorInfo;
}

export interface RestartOptions {
  readonly includeTasks: boolean;
  readonly onlyFailed: boolean;
}
