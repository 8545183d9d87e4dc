import type { ConfigDef } from '../api/config-def.js';
import type { Converter, HeaderConverter } from '../api/converter.js';
import { Schemas, type Schema, type SchemaAndValue } from '../api/schema.js';
import { conversionFailed, DataProblem, describeJsType } from './conversion-error.js';
import { CONVERTER_TYPE_KEY } from './converter-config.js';

export const BYTE_ARRAY_CONVERTER_CONFIG_DEF: ConfigDef = { 'converter.type': CONVERTER_TYPE_KEY };

/** Connect's org.apache.kafka.connect.converters.ByteArrayConverter: bytes pass through unchanged. */
export class ByteArrayConverter implements Converter, HeaderConverter {
  configure(_config: Readonly<Record<string, string>>, _isKey = false): void {
    // nothing to configure, as in Connect
  }

  fromConnectData(topic: string, schema: Schema | null, value: unknown): Buffer | null {
    try {
      if (schema !== null && schema.type !== 'bytes')
        throw new DataProblem(`Invalid schema type for ByteArrayConverter: ${schema.type.toUpperCase()}`);
      if (value === null || value === undefined) return null;
      if (Buffer.isBuffer(value)) return value;
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      throw new DataProblem(
        `ByteArrayConverter is not compatible with objects of type ${describeJsType(value)}`,
      );
    } catch (error) {
      throw conversionFailed('ByteArrayConverter', topic, error);
    }
  }

  toConnectData(_topic: string, value: Buffer | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_BYTES, value };
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, value);
  }
}
