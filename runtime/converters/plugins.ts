import type { ConfigDef } from '../api/config-def.js';
import type { Converter, HeaderConverter } from '../api/converter.js';
import type { ConverterPlugin, HeaderConverterPlugin } from '../api/plugin.js';
import { BYTE_ARRAY_CONVERTER_CONFIG_DEF, ByteArrayConverter } from './byte-array-converter.js';
import {
  SIMPLE_HEADER_CONVERTER_CONFIG_DEF,
  SimpleHeaderConverter,
} from './header/simple-header-converter.js';
import { JSON_CONVERTER_CONFIG_DEF } from './json/json-converter-config.js';
import { JsonConverter } from './json/json-converter.js';
import {
  DoubleConverter,
  FloatConverter,
  IntegerConverter,
  LongConverter,
  NUMBER_CONVERTER_CONFIG_DEF,
  ShortConverter,
} from './number-converters.js';
import { STRING_CONVERTER_CONFIG_DEF, StringConverter } from './string-converter.js';

const CONVERTERS_VERSION = '0.1.0';

interface BuiltInConverter {
  readonly className: string;
  readonly configDef: ConfigDef;
  /** Every built-in converter except SimpleHeaderConverter also serves as a header converter, as in Connect. */
  readonly create: () => Converter & HeaderConverter;
}

const BUILT_IN: readonly BuiltInConverter[] = [
  {
    className: 'org.apache.kafka.connect.json.JsonConverter',
    configDef: JSON_CONVERTER_CONFIG_DEF,
    create: () => new JsonConverter(),
  },
  {
    className: 'org.apache.kafka.connect.storage.StringConverter',
    configDef: STRING_CONVERTER_CONFIG_DEF,
    create: () => new StringConverter(),
  },
  {
    className: 'org.apache.kafka.connect.converters.ByteArrayConverter',
    configDef: BYTE_ARRAY_CONVERTER_CONFIG_DEF,
    create: () => new ByteArrayConverter(),
  },
  {
    className: 'org.apache.kafka.connect.converters.ShortConverter',
    configDef: NUMBER_CONVERTER_CONFIG_DEF,
    create: () => new ShortConverter(),
  },
  {
    className: 'org.apache.kafka.connect.converters.IntegerConverter',
    configDef: NUMBER_CONVERTER_CONFIG_DEF,
    create: () => new IntegerConverter(),
  },
  {
    className: 'org.apache.kafka.connect.converters.LongConverter',
    configDef: NUMBER_CONVERTER_CONFIG_DEF,
    create: () => new LongConverter(),
  },
  {
    className: 'org.apache.kafka.connect.converters.FloatConverter',
    configDef: NUMBER_CONVERTER_CONFIG_DEF,
    create: () => new FloatConverter(),
  },
  {
    className: 'org.apache.kafka.connect.converters.DoubleConverter',
    configDef: NUMBER_CONVERTER_CONFIG_DEF,
    create: () => new DoubleConverter(),
  },
];

/** "org.apache.kafka.connect.json.JsonConverter" → "JsonConverter", as Connect's plugin aliases. */
function shortName(className: string): string {
  return className.slice(className.lastIndexOf('.') + 1);
}

export const converterPlugins: readonly ConverterPlugin[] = BUILT_IN.map((c) =>
  Object.freeze({
    type: 'converter' as const,
    className: c.className,
    aliases: [shortName(c.className)],
    version: CONVERTERS_VERSION,
    configDef: c.configDef,
    create: c.create,
  }),
);

export const headerConverterPlugins: readonly HeaderConverterPlugin[] = [
  {
    className: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    configDef: SIMPLE_HEADER_CONVERTER_CONFIG_DEF,
    create: (): HeaderConverter => new SimpleHeaderConverter(),
  },
  ...BUILT_IN,
].map((c) =>
  Object.freeze({
    type: 'header_converter' as const,
    className: c.className,
    aliases: [shortName(c.className)],
    version: CONVERTERS_VERSION,
    configDef: c.configDef,
    create: c.create,
  }),
);
