import type { ConfigDef } from '../api/config-def.js';
import type { Converter, HeaderConverter } from '../api/converter.js';
import { Schemas, type Schema, type SchemaAndValue } from '../api/schema.js';
import { conversionFailed, DataProblem, describeJsType } from './conversion-error.js';
import { CONVERTER_TYPE_KEY } from './converter-config.js';

export const NUMBER_CONVERTER_CONFIG_DEF: ConfigDef = { 'converter.type': CONVERTER_TYPE_KEY };

/** How one Kafka number serializer lays a value out: fixed-size, big-endian. */
interface NumberCodec {
  readonly typeName: string;
  readonly deserializerName: string;
  readonly size: number;
  readonly schema: Schema;
  write(value: unknown, into: Buffer): boolean;
  read(from: Buffer): number | bigint;
}

const isInt = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

const SHORT: NumberCodec = {
  typeName: 'short',
  deserializerName: 'ShortDeserializer',
  size: 2,
  schema: Schemas.OPTIONAL_INT16,
  write: (v, b) => isInt(v, -32768, 32767) && (b.writeInt16BE(v), true),
  read: (b) => b.readInt16BE(),
};
const INTEGER: NumberCodec = {
  typeName: 'integer',
  deserializerName: 'IntegerDeserializer',
  size: 4,
  schema: Schemas.OPTIONAL_INT32,
  write: (v, b) => isInt(v, -2147483648, 2147483647) && (b.writeInt32BE(v), true),
  read: (b) => b.readInt32BE(),
};
const LONG: NumberCodec = {
  typeName: 'long',
  deserializerName: 'LongDeserializer',
  size: 8,
  schema: Schemas.OPTIONAL_INT64,
  write: (v, b) => {
    if (typeof v === 'number' && Number.isInteger(v)) v = BigInt(v);
    if (typeof v !== 'bigint' || BigInt.asIntN(64, v) !== v) return false;
    b.writeBigInt64BE(v);
    return true;
  },
  read: (b) => {
    const value = b.readBigInt64BE();
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value;
  },
};
const FLOAT: NumberCodec = {
  typeName: 'float',
  deserializerName: 'FloatDeserializer',
  size: 4,
  schema: Schemas.OPTIONAL_FLOAT32,
  write: (v, b) => typeof v === 'number' && (b.writeFloatBE(v), true),
  read: (b) => b.readFloatBE(),
};
const DOUBLE: NumberCodec = {
  typeName: 'double',
  deserializerName: 'DoubleDeserializer',
  size: 8,
  schema: Schemas.OPTIONAL_FLOAT64,
  write: (v, b) => typeof v === 'number' && (b.writeDoubleBE(v), true),
  read: (b) => b.readDoubleBE(),
};

/** Connect's NumberConverter family: Kafka's ShortSerializer, IntegerSerializer, ... wrapped as converters. */
abstract class NumberConverter implements Converter, HeaderConverter {
  protected constructor(
    private readonly converterName: string,
    private readonly codec: NumberCodec,
  ) {}

  configure(_config: Readonly<Record<string, string>>, _isKey = false): void {
    // only converter.type, which changes nothing here
  }

  fromConnectData(topic: string, _schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    const bytes = Buffer.allocUnsafe(this.codec.size);
    if (!this.codec.write(value, bytes)) {
      throw conversionFailed(
        this.converterName,
        topic,
        new DataProblem(
          `Failed to serialize to ${this.codec.typeName} (was ${describeJsType(value)} ${String(value)})`,
        ),
      );
    }
    return bytes;
  }

  toConnectData(topic: string, value: Buffer | null): SchemaAndValue {
    if (value === null) return { schema: this.codec.schema, value: null };
    if (value.length !== this.codec.size) {
      const problem = `Failed to deserialize ${this.codec.typeName}: Size of data received by ${this.codec.deserializerName} is not ${this.codec.size}`;
      throw conversionFailed(this.converterName, topic, new DataProblem(problem));
    }
    return { schema: this.codec.schema, value: this.codec.read(value) };
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, value);
  }
}

export class ShortConverter extends NumberConverter {
  constructor() {
    super('ShortConverter', SHORT);
  }
}
export class IntegerConverter extends NumberConverter {
  constructor() {
    super('IntegerConverter', INTEGER);
  }
}
export class LongConverter extends NumberConverter {
  constructor() {
    super('LongConverter', LONG);
  }
}
export class FloatConverter extends NumberConverter {
  constructor() {
    super('FloatConverter', FLOAT);
  }
}
export class DoubleConverter extends NumberConverter {
  constructor() {
    super('DoubleConverter', DOUBLE);
  }
}
