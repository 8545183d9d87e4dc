/** Error registry, retries, tolerance and failure reporting: what the worker wires into each task. */
export * from './codes.js';
export * from './sluice-error.js';
export * from './stage.js';
export * from './retry-with-backoff.js';
export * from './consumed-record.js';
export * from './error-reporter.js';
export * from './error-handling-config.js';
export * from './error-handling-metrics.js';
export * from './error-handler.js';
export * from './failure-description.js';
export * from './log-reporter.js';
export * from './dead-letter-queue-reporter.js';
export * from './errant-record-reporter.js';
export * from './create-error-reporters.js';
