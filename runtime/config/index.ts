/** Worker and connector configuration: .properties files, ConfigDefs, /validate responses, config providers, JSON Schemas. */
export * from './config-errors.js';
export * from './config-key-info.js';
export * from './config-providers.js';
export * from './connector-config.js';
export * from './json-schema.js';
export * from './properties-file.js';
export * from './sub-config.js';
export * from './validate-connector-config.js';
export {
  commonWorkerConfigDef,
  distributedWorkerConfigDef,
  parseWorkerConfig,
  standaloneWorkerConfigDef,
  workerConfigDef,
  type DistributedWorkerConfig,
  type ExactlyOnceSourceSupport,
  type StandaloneWorkerConfig,
  type WorkerConfig,
  type WorkerMode,
} from './worker-config.js';
export * from './tasks-max.js';
