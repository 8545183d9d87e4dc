/** The plugin contract: everything a connector, transform or converter may import. */
export * from './config-def.js';
export * from './connector.js';
export * from './converter.js';
export * from './errors.js';
export * from './json.js';
export * from './logger.js';
export * from './offsets.js';
export * from './plugin.js';
export * from './records.js';
export * from './schema.js';
export * from './schema-validation.js';
export * from './struct.js';
export * from './task.js';
export * from './transformation.js';
export * from './config-values.js';
export * from './interruptible-sleep.js';
export * from './kafka-access.js';
