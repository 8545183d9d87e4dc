import type { LoggerLevel } from './rest-types.js';

/** Runtime-adjustable log levels (GET/PUT /admin/loggers). */
export interface LogLevels {
  all(): Record<string, LoggerLevel>;
  get(name: string): LoggerLevel;
  /** Sets the level of `name` and every logger under it; returns the names changed. */
  set(name: string, level: string): string[];
}
