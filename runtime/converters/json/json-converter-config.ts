import type { ConfigDef } from '../../api/config-def.js';
import { CONVERTER_TYPE_KEY } from '../converter-config.js';

/** Connect's JsonConverterConfig keys, defaults and documentation. */
export const JSON_CONVERTER_CONFIG_DEF: ConfigDef = {
  'converter.type': CONVERTER_TYPE_KEY,
  'schemas.enable': {
    type: 'boolean',
    default: true,
    importance: 'high',
    documentation: 'Include schemas within each of the serialized values and keys.',
    group: 'Schemas',
    orderInGroup: 0,
    width: 'medium',
    displayName: 'Enable Schemas',
  },
  'schemas.cache.size': {
    type: 'int',
    default: 1000,
    importance: 'high',
    documentation: 'The maximum number of schemas that can be cached in this converter instance.',
    group: 'Schemas',
    orderInGroup: 1,
    width: 'medium',
    displayName: 'Schema Cache Size',
    validator: { min: 0 },
  },
  'decimal.format': {
    type: 'string',
    default: 'BASE64',
    importance: 'low',
    documentation:
      "Controls which format this converter will serialize decimals in. This value is case insensitive and can be either 'BASE64' (default) or 'NUMERIC'",
    group: 'Serialization',
    orderInGroup: 0,
    width: 'medium',
    displayName: 'Decimal Format',
    validator: { oneOf: ['BASE64', 'NUMERIC'] },
  },
  'replace.null.with.default': {
    type: 'boolean',
    default: true,
    importance: 'low',
    documentation:
      'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
    group: 'Serialization',
    orderInGroup: 1,
    width: 'medium',
    displayName: 'Replace null with default',
  },
};
