// The shapes of the Connect REST answers the console reads (Apache Kafka Connect's REST API).

export type ConnectorType = 'source' | 'sink' | 'unknown';

export interface TaskState {
  readonly id: number;
  readonly state: string;
  readonly worker_id: string;
  readonly trace?: string;
}

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: { readonly state: string; readonly worker_id: string; readonly trace?: string };
  readonly tasks: readonly TaskState[];
  readonly type: ConnectorType;
}

export interface ConnectorInfo {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
  readonly type: ConnectorType;
}

/** `GET /connectors?expand=status&expand=info`. */
export type ExpandedConnectors = Readonly<
  Record<string, { readonly status?: ConnectorStatus; readonly info?: ConnectorInfo }>
>;

export interface PluginInfo {
  readonly class: string;
  readonly type: ConnectorType;
  readonly version: string;
}

export interface ConfigKeyDefinition {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly default_value: string | null;
  readonly importance: string;
  readonly documentation: string;
  readonly group: string | null;
  readonly order_in_group: number;
  readonly display_name: string;
}

export interface ConfigValidation {
  readonly name: string;
  readonly error_count: number;
  readonly configs: ReadonlyArray<{
    readonly definition: ConfigKeyDefinition;
    readonly value: {
      readonly name: string;
      readonly value: string | null;
      readonly errors: readonly string[];
      readonly visible: boolean;
    };
  }>;
}

export interface ServerInfo {
  readonly version: string;
  readonly commit: string;
  readonly kafka_cluster_id: string;
}
