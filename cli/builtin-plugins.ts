import type { Plugin } from '../runtime/api/plugin.js';
import { converterPlugins, headerConverterPlugins } from '../runtime/converters/index.js';
import { predicatePlugins, transformationPlugins } from '../runtime/transforms/index.js';
import { datagenSourcePlugin } from '../connectors/datagen/index.js';
import { fileStreamSinkPlugin, fileStreamSourcePlugin } from '../connectors/file/index.js';
import { postgresCdcSourcePlugin } from '../connectors/postgres/cdc/index.js';
import { mirrorPlugins } from '../connectors/mirror/index.js';
import { postgresSinkPlugin } from '../connectors/postgres/sink/index.js';
import { cassandraSinkPlugin } from '../connectors/cassandra/index.js';
import { s3SinkPlugin, s3SourcePlugin } from '../connectors/s3/index.js';

/** Every plugin shipped with Sluice. Third-party plugins come from `plugin.path`. */
export const builtinPlugins: readonly Plugin[] = [
  fileStreamSourcePlugin,
  fileStreamSinkPlugin,
  datagenSourcePlugin,
  postgresCdcSourcePlugin,
  ...mirrorPlugins,
  postgresSinkPlugin,
  cassandraSinkPlugin,
  s3SinkPlugin,
  s3SourcePlugin,
  ...converterPlugins,
  ...headerConverterPlugins,
  ...transformationPlugins,
  ...predicatePlugins,
];
