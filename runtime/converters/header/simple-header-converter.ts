import type { ConfigDef } from '../../api/config-def.js';
import type { HeaderConverter } from '../../api/converter.js';
import { Schemas, type Schema, type SchemaAndValue } from '../../api/schema.js';
import { conversionFailed } from '../conversion-error.js';
import { headerValueToString } from './header-value-format.js';
import { parseHeaderString } from './header-value-parser.js';

export const SIMPLE_HEADER_CONVERTER_CONFIG_DEF: ConfigDef = {};

const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null });

/**
 * Connect's default header.converter: writes values as their string form (UTF-8) and reads them back
 * with type inference. Text that cannot be read at all comes back as the raw bytes, as in Connect.
 */
export class SimpleHeaderConverter implements HeaderConverter {
  configure(_config: Readonly<Record<string, string>>): void {
    // nothing to configure, as in Connect
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    try {
      return Buffer.from(headerValueToString(schema, value), 'utf8');
    } catch (error) {
      throw conversionFailed('SimpleHeaderConverter', topic, error);
    }
  }

  toConnectHeader(_topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    if (value === null) return NULL_SCHEMA_AND_VALUE;
    try {
      return parseHeaderString(value.toString('utf8')) ?? NULL_SCHEMA_AND_VALUE;
    } catch {
      return { schema: Schemas.BYTES, value };
    }
  }
}
