import type { ConfigIssue } from '../api/config-def.js';
import { ConfigValues } from '../api/config-values.js';
import { connectorConfigDef } from './connector-config.js';

const TASKS_KEYS = ['tasks.max', 'tasks.max.enforce'] as const;

export interface TasksMaxSettings {
  readonly tasksMax: number;
  readonly enforce: boolean;
}

/**
 * Reads `tasks.max` and `tasks.max.enforce` as Connect does (INT, at least 1; BOOLEAN), and holds
 * tasks.max to the worker's `tasks.max.limit`, so that no connector config can make a worker allocate
 * a task slot per unit of an absurd number. Returns the issue naming the key, or the settings.
 */
export function readTasksMax(
  config: Readonly<Record<string, string>>,
  limit: number,
): { readonly issue: ConfigIssue } | { readonly settings: TasksMaxSettings } {
  const def = Object.fromEntries(TASKS_KEYS.map((k) => [k, connectorConfigDef[k]!]));
  const raw = Object.fromEntries(
    TASKS_KEYS.filter((k) => config[k] !== undefined).map((k) => [k, config[k]!]),
  );
  const values = ConfigValues.parse(def, raw);
  const first = values.issues[0];
  if (first !== undefined) return { issue: first };
  const tasksMax = values.number('tasks.max');
  if (tasksMax > limit) {
    return {
      issue: {
        key: 'tasks.max',
        message: `Invalid value ${config['tasks.max']} for configuration tasks.max: Value must be no more than ${limit} (the worker's tasks.max.limit)`,
      },
    };
  }
  return { settings: { tasksMax, enforce: values.boolean('tasks.max.enforce') } };
}
