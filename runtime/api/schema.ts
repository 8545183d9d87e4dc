/**
 * Connect's schema type system. Values in JS:
 * int8/16/32, float32/64 → number; int64 → number or bigint; boolean; string; bytes → Buffer;
 * array → unknown[]; map → Map (schema'd) ; struct → Struct.
 * Logical types: Decimal → decimal string (e.g. "-12.340"), Date/Time/Timestamp → Date.
 * Schemaless data uses plain JSON-like values (objects are plain objects), as Connect uses java.util.Map.
 */
/** Every Connect schema type, in Connect's order. */
export const SCHEMA_TYPES = [
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'boolean',
  'string',
  'bytes',
  'array',
  'map',
  'struct',
] as const;

export type SchemaType = (typeof SCHEMA_TYPES)[number];

export interface Field {
  readonly name: string;
  readonly index: number;
  readonly schema: Schema;
}

export interface Schema {
  readonly type: SchemaType;
  readonly optional: boolean;
  readonly defaultValue?: unknown;
  readonly name?: string;
  readonly version?: number;
  readonly doc?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  /** struct only */
  readonly fields?: readonly Field[];
  /** map only */
  readonly keySchema?: Schema;
  /** map and array */
  readonly valueSchema?: Schema;
}

export interface SchemaAndValue {
  readonly schema: Schema | null;
  readonly value: unknown;
}

export const LogicalTypeNames = {
  DECIMAL: 'org.apache.kafka.connect.data.Decimal',
  DATE: 'org.apache.kafka.connect.data.Date',
  TIME: 'org.apache.kafka.connect.data.Time',
  TIMESTAMP: 'org.apache.kafka.connect.data.Timestamp',
} as const;

export const DECIMAL_SCALE_PARAMETER = 'scale';

/** Fluent builder mirroring Connect's SchemaBuilder. */
export class SchemaBuilder {
  private isOptional = false;
  private defaultVal: unknown = undefined;
  private schemaName: string | undefined;
  private schemaVersion: number | undefined;
  private schemaDoc: string | undefined;
  private params: Record<string, string> | undefined;
  private readonly structFields: Field[] = [];

  constructor(
    readonly type: SchemaType,
    private readonly keySchema?: Schema,
    private readonly valueSchema?: Schema,
  ) {}

  static int8(): SchemaBuilder {
    return new SchemaBuilder('int8');
  }
  static int16(): SchemaBuilder {
    return new SchemaBuilder('int16');
  }
  static int32(): SchemaBuilder {
    return new SchemaBuilder('int32');
  }
  static int64(): SchemaBuilder {
    return new SchemaBuilder('int64');
  }
  static float32(): SchemaBuilder {
    return new SchemaBuilder('float32');
  }
  static float64(): SchemaBuilder {
    return new SchemaBuilder('float64');
  }
  static bool(): SchemaBuilder {
    return new SchemaBuilder('boolean');
  }
  static string(): SchemaBuilder {
    return new SchemaBuilder('string');
  }
  static bytes(): SchemaBuilder {
    return new SchemaBuilder('bytes');
  }
  static struct(): SchemaBuilder {
    return new SchemaBuilder('struct');
  }
  static array(valueSchema: Schema): SchemaBuilder {
    return new SchemaBuilder('array', undefined, valueSchema);
  }
  static map(keySchema: Schema, valueSchema: Schema): SchemaBuilder {
    return new SchemaBuilder('map', keySchema, valueSchema);
  }

  optional(): this {
    this.isOptional = true;
    return this;
  }
  required(): this {
    this.isOptional = false;
    return this;
  }
  defaultValue(value: unknown): this {
    this.defaultVal = value;
    return this;
  }
  name(name: string): this {
    this.schemaName = name;
    return this;
  }
  version(version: number): this {
    this.schemaVersion = version;
    return this;
  }
  doc(doc: string): this {
    this.schemaDoc = doc;
    return this;
  }
  parameter(key: string, value: string): this {
    (this.params ??= {})[key] = value;
    return this;
  }

  field(name: string, schema: Schema): this {
    if (this.type !== 'struct') throw new Error(`Cannot add field ${name} to a ${this.type} schema`);
    if (this.structFields.some((f) => f.name === name)) throw new Error(`Duplicate field name ${name}`);
    this.structFields.push({ name, index: this.structFields.length, schema });
    return this;
  }

  build(): Schema {
    const schema: {
      -readonly [K in keyof Schema]: Schema[K];
    } = { type: this.type, optional: this.isOptional };
    if (this.defaultVal !== undefined) schema.defaultValue = this.defaultVal;
    if (this.schemaName !== undefined) schema.name = this.schemaName;
    if (this.schemaVersion !== undefined) schema.version = this.schemaVersion;
    if (this.schemaDoc !== undefined) schema.doc = this.schemaDoc;
    if (this.params !== undefined) schema.parameters = { ...this.params };
    if (this.type === 'struct') schema.fields = [...this.structFields];
    if (this.keySchema !== undefined) schema.keySchema = this.keySchema;
    if (this.valueSchema !== undefined) schema.valueSchema = this.valueSchema;
    return Object.freeze(schema);
  }
}

/** Ready-made primitive schemas, like Connect's Schema.INT32_SCHEMA / OPTIONAL_STRING_SCHEMA. */
export const Schemas = {
  INT8: SchemaBuilder.int8().build(),
  INT16: SchemaBuilder.int16().build(),
  INT32: SchemaBuilder.int32().build(),
  INT64: SchemaBuilder.int64().build(),
  FLOAT32: SchemaBuilder.float32().build(),
  FLOAT64: SchemaBuilder.float64().build(),
  BOOLEAN: SchemaBuilder.bool().build(),
  STRING: SchemaBuilder.string().build(),
  BYTES: SchemaBuilder.bytes().build(),
  OPTIONAL_INT8: SchemaBuilder.int8().optional().build(),
  OPTIONAL_INT16: SchemaBuilder.int16().optional().build(),
  OPTIONAL_INT32: SchemaBuilder.int32().optional().build(),
  OPTIONAL_INT64: SchemaBuilder.int64().optional().build(),
  OPTIONAL_FLOAT32: SchemaBuilder.float32().optional().build(),
  OPTIONAL_FLOAT64: SchemaBuilder.float64().optional().build(),
  OPTIONAL_BOOLEAN: SchemaBuilder.bool().optional().build(),
  OPTIONAL_STRING: SchemaBuilder.string().optional().build(),
  OPTIONAL_BYTES: SchemaBuilder.bytes().optional().build(),
} as const;

export function decimalSchema(scale: number): SchemaBuilder {
  return SchemaBuilder.bytes()
    .name(LogicalTypeNames.DECIMAL)
    .version(1)
    .parameter(DECIMAL_SCALE_PARAMETER, String(scale));
}
export function dateSchema(): SchemaBuilder {
  return SchemaBuilder.int32().name(LogicalTypeNames.DATE).version(1);
}
export function timeSchema(): SchemaBuilder {
  return SchemaBuilder.int32().name(LogicalTypeNames.TIME).version(1);
}
export function timestampSchema(): SchemaBuilder {
  return SchemaBuilder.int64().name(LogicalTypeNames.TIMESTAMP).version(1);
}

export function fieldOf(schema: Schema, name: string): Field | undefined {
  return schema.fields?.find((f) => f.name === name);
}
