import { ConfigValues, sluiceError, type ConfigDef, type ConnectorConfig } from '../../runtime/api/index.js';

/** Parses a connector or task config, failing with Connect's "configuration is invalid" error listing every issue. */
export function parseConfigOrThrow(def: ConfigDef, config: ConnectorConfig): ConfigValues {
  const parsed = ConfigValues.parse(def, config);
  if (parsed.issues.length > 0) {
    throw sluiceError('INVALID_CONFIG', parsed.issues.length, parsed.issues.map((issue) => issue.message).join('\n'));
  }
  return parsed;
}
