import type { TargetState } from '../cluster/rest-types.js';
import type { ConfigStore } from './config-store.js';

export interface RestartRequest {
  readonly connector: string;
  /** null: the connector (and, per the flags, its tasks); a number: that one task only. */
  readonly task: number | null;
  readonly includeTasks: boolean;
  readonly onlyFailed: boolean;
}

/** What changed in the config topic; listeners re-read the store for the new state. */
export type ConfigChange =
  | {
      readonly kind: 'connector-config' | 'connector-removed' | 'target-state' | 'task-configs';
      readonly connector: string;
    }
  | { readonly kind: 'restart'; readonly request: RestartRequest };

/** The task configs last committed for a connector, with the connector config they were generated from. */
export interface TaskSnapshot {
  readonly connectorConfig: Record<string, string>;
  readonly taskConfigs: Record<string, string>[];
}

/**
 * Connect's session key record (`session-key`): the key the leader generated for signing requests between
 * workers, base64 as stored, and when it was made.
 */
export interface SessionKey {
  readonly key: string;
  readonly algorithm: string;
  readonly creationTimestamp: number;
}

/** A config store shared by a cluster of workers: changes by any worker reach every worker's listeners. */
export interface ClusterConfigStore extends ConfigStore {
  /** Offset of the last config record applied (-1 when none): workers advertise it when joining. */
  readonly position: number;
  readToEnd(): Promise<void>;
  taskSnapshot(name: string): TaskSnapshot | undefined;
  putRestartRequest(request: RestartRequest): Promise<void>;
  /** The last session key read from the config topic, if any. */
  sessionKey(): SessionKey | undefined;
  putSessionKey(key: SessionKey): Promise<void>;
  onChange(listener: (change: ConfigChange) => void): void;
}

export function isTargetState(value: unknown): value is TargetState {
  return value === 'STARTED' || value === 'PAUSED' || value === 'STOPPED';
}
