/**
 * Kafka Connect's record keys in its internal topics, so tools that read Connect's topics read ours.
 * Names may contain dashes: task numbers are taken from after the last dash.
 */
export const ConfigKeys = {
  connector: (name: string): string => `connector-${name}`,
  task: (name: string, task: number): string => `task-${name}-${task}`,
  commit: (name: string): string => `commit-${name}`,
  targetState: (name: string): string => `target-state-${name}`,
  restartConnector: (name: string): string => `restart-connector-${name}`,
  /** Sluice's own key (Connect forwards task restarts over REST instead); Connect workers ignore it. */
  restartTask: (name: string, task: number): string => `restart-task-${name}-${task}`,
  /** The leader's key for signing requests between workers (Connect's SESSION_KEY_KEY). */
  sessionKey: 'session-key',
} as const;

export const StatusKeys = {
  connector: (name: string): string => `status-connector-${name}`,
  task: (name: string, task: number): string => `status-task-${name}-${task}`,
  /** Connect's topic tracking (KIP-558): a topic a connector's tasks used. */
  topic: (topic: string, connector: string): string => `status-topic-${topic}:connector-${connector}`,
} as const;

export type ParsedConfigKey =
  | {
      readonly kind: 'connector' | 'commit' | 'target-state' | 'restart-connector';
      readonly connector: string;
    }
  | { readonly kind: 'session-key' }
  | { readonly kind: 'task' | 'restart-task'; readonly connector: string; readonly task: number }
  | { readonly kind: 'unknown' };

function withTask(rest: string): { connector: string; task: number } | undefined {
  const dash = rest.lastIndexOf('-');
  if (dash <= 0) return undefined;
  const task = Number(rest.slice(dash + 1));
  return Number.isInteger(task) && task >= 0 && rest.slice(dash + 1) !== ''
    ? { connector: rest.slice(0, dash), task }
    : undefined;
}

/** Longest prefixes first: `restart-connector-` before `connector-`. */
export function parseConfigKey(key: string): ParsedConfigKey {
  if (key === ConfigKeys.sessionKey) return { kind: 'session-key' };
  if (key.startsWith('restart-connector-'))
    return { kind: 'restart-connector', connector: key.slice('restart-connector-'.length) };
  if (key.startsWith('restart-task-')) {
    const t = withTask(key.slice('restart-task-'.length));
    return t ? { kind: 'restart-task', ...t } : { kind: 'unknown' };
  }
  if (key.startsWith('target-state-'))
    return { kind: 'target-state', connector: key.slice('target-state-'.length) };
  if (key.startsWith('connector-')) return { kind: 'connector', connector: key.slice('connector-'.length) };
  if (key.startsWith('commit-')) return { kind: 'commit', connector: key.slice('commit-'.length) };
  if (key.startsWith('task-')) {
    const t = withTask(key.slice('task-'.length));
    return t ? { kind: 'task', ...t } : { kind: 'unknown' };
  }
  return { kind: 'unknown' };
}

export type ParsedStatusKey =
  | { readonly kind: 'connector'; readonly connector: string }
  | { readonly kind: 'topic'; readonly topic: string; readonly connector: string }
  | { readonly kind: 'task'; readonly connector: string; readonly task: number }
  | { readonly kind: 'unknown' };

export function parseStatusKey(key: string): ParsedStatusKey {
  if (key.startsWith('status-connector-'))
    return { kind: 'connector', connector: key.slice('status-connector-'.length) };
  if (key.startsWith('status-task-')) {
    const t = withTask(key.slice('status-task-'.length));
    return t ? { kind: 'task', ...t } : { kind: 'unknown' };
  }
  if (key.startsWith('status-topic-')) {
    // As Connect reads it: the topic ends at the first ':' (topic names cannot hold one).
    const colon = key.indexOf(':');
    const topic = key.slice('status-topic-'.length, colon);
    const connector = key.slice(colon + ':connector-'.length);
    return colon > 0 && topic !== '' && connector !== '' && key.startsWith(':connector-', colon)
      ? { kind: 'topic', topic, connector }
      : { kind: 'unknown' };
  }
  return { kind: 'unknown' };
}
