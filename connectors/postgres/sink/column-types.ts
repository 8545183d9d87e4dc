import { LogicalTypeNames, type Schema } from '../../../runtime/api/index.js';

/** Debezium's semantic type names (io.debezium.time.*, io.debezium.data.*). */
export const DebeziumTypeNames = {
  DATE: 'io.debezium.time.Date',
  TIME: 'io.debezium.time.Time',
  MICRO_TIME: 'io.debezium.time.MicroTime',
  NANO_TIME: 'io.debezium.time.NanoTime',
  TIMESTAMP: 'io.debezium.time.Timestamp',
  MICRO_TIMESTAMP: 'io.debezium.time.MicroTimestamp',
  NANO_TIMESTAMP: 'io.debezium.time.NanoTimestamp',
  ZONED_TIMESTAMP: 'io.debezium.time.ZonedTimestamp',
  ZONED_TIME: 'io.debezium.time.ZonedTime',
  INTERVAL: 'io.debezium.time.Interval',
  YEAR: 'io.debezium.time.Year',
  JSON: 'io.debezium.data.Json',
  XML: 'io.debezium.data.Xml',
  UUID: 'io.debezium.data.Uuid',
  VARIABLE_SCALE_DECIMAL: 'io.debezium.data.VariableScaleDecimal',
} as const;

/** Connect's Decimal carries its precision here when the source knew it (Debezium sets it). */
const DECIMAL_PRECISION_PARAMETER = 'connect.decimal.precision';

const BY_LOGICAL_NAME: Readonly<Record<string, (schema: Schema) => string>> = {
  [LogicalTypeNames.DECIMAL]: (schema) => {
    const scale = schema.parameters?.['scale'];
    const precision = schema.parameters?.[DECIMAL_PRECISION_PARAMETER];
    return precision !== undefined && scale !== undefined ? `numeric(${precision},${scale})` : 'numeric';
  },
  [LogicalTypeNames.DATE]: () => 'date',
  [LogicalTypeNames.TIME]: () => 'time(3)',
  [LogicalTypeNames.TIMESTAMP]: () => 'timestamp(3)',
  [DebeziumTypeNames.DATE]: () => 'date',
  [DebeziumTypeNames.TIME]: () => 'time(3)',
  [DebeziumTypeNames.MICRO_TIME]: () => 'time(6)',
  [DebeziumTypeNames.NANO_TIME]: () => 'time(6)',
  [DebeziumTypeNames.TIMESTAMP]: () => 'timestamp(3)',
  [DebeziumTypeNames.MICRO_TIMESTAMP]: () => 'timestamp(6)',
  [DebeziumTypeNames.NANO_TIMESTAMP]: () => 'timestamp(6)',
  [DebeziumTypeNames.ZONED_TIMESTAMP]: () => 'timestamptz',
  [DebeziumTypeNames.ZONED_TIME]: () => 'timetz',
  [DebeziumTypeNames.INTERVAL]: () => 'interval',
  [DebeziumTypeNames.YEAR]: () => 'integer',
  [DebeziumTypeNames.JSON]: () => 'jsonb',
  [DebeziumTypeNames.XML]: () => 'xml',
  [DebeziumTypeNames.UUID]: () => 'uuid',
  [DebeziumTypeNames.VARIABLE_SCALE_DECIMAL]: () => 'numeric',
};

const BY_TYPE: Readonly<Record<Schema['type'], string>> = {
  int8: 'smallint',
  int16: 'smallint',
  int32: 'integer',
  int64: 'bigint',
  float32: 'real',
  float64: 'double precision',
  boolean: 'boolean',
  string: 'text',
  bytes: 'bytea',
  array: 'jsonb',
  map: 'jsonb',
  struct: 'jsonb',
};

/** The Postgres column type a field of this Connect schema gets when the sink creates its column. */
export function columnTypeOf(schema: Schema): string {
  const byName = schema.name === undefined ? undefined : BY_LOGICAL_NAME[schema.name];
  if (byName !== undefined) return byName(schema);
  if (schema.type === 'array' && schema.valueSchema !== undefined) {
    // Postgres arrays are rectangular and of one scalar type: arrays of arrays, maps or structs go to jsonb.
    return isNestedData(schema.valueSchema) ? 'jsonb' : `${columnTypeOf(schema.valueSchema)}[]`;
  }
  return BY_TYPE[schema.type];
}

/** For schemaless (plain JSON) values: a column type that holds what the first value seen looks like. */
export function columnTypeOfJsValue(value: unknown): string {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number' || typeof value === 'bigint') return 'numeric';
  if (Buffer.isBuffer(value)) return 'bytea';
  if (value instanceof Date) return 'timestamptz';
  if (value !== null && typeof value === 'object') return 'jsonb';
  return 'text';
}

/** Element schemas a Postgres array cannot hold as such (see toSqlParameter, which writes them as JSON). */
export function isNestedData(schema: Schema): boolean {
  return (
    (schema.type === 'array' || schema.type === 'map' || schema.type === 'struct') &&
    BY_LOGICAL_NAME[schema.name ?? ''] === undefined
  );
}
