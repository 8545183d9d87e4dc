/** Built-in converters and header converters, compatible with Kafka Connect's. */
export { converterPlugins, headerConverterPlugins } from './plugins.js';
export { JsonConverter } from './json/json-converter.js';
export { JSON_CONVERTER_CONFIG_DEF } from './json/json-converter-config.js';
export { StringConverter, STRING_CONVERTER_CONFIG_DEF } from './string-converter.js';
export { ByteArrayConverter, BYTE_ARRAY_CONVERTER_CONFIG_DEF } from './byte-array-converter.js';
export {
  ShortConverter,
  IntegerConverter,
  LongConverter,
  FloatConverter,
  DoubleConverter,
  NUMBER_CONVERTER_CONFIG_DEF,
} from './number-converters.js';
export {
  SimpleHeaderConverter,
  SIMPLE_HEADER_CONVERTER_CONFIG_DEF,
} from './header/simple-header-converter.js';
export { parseHeaderString } from './header/header-value-parser.js';
export { headerValueToString } from './header/header-value-format.js';
