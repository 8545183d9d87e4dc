import type { Logger } from '../runtime/api/logger.js';
import type { WorkerMode } from '../runtime/config/worker-config.js';
import { unknownKeyMessage, unknownWorkerKeys } from '../runtime/config/unknown-keys.js';

/** One WARN line per key of the worker file nothing reads, before anything else is logged. */
export function warnUnknownWorkerKeys(
  raw: Readonly<Record<string, string>>,
  mode: WorkerMode,
  log: Logger,
): void {
  for (const u of unknownWorkerKeys(raw, mode)) log.warn(unknownKeyMessage(u, 'worker'), { key: u.key });
}
