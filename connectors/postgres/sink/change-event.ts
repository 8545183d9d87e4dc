import { Struct, type Schema, type SinkRecord } from '../../../runtime/api/index.js';
import { toSqlParameter, type SqlParameter } from './column-values.js';
import type { PostgresSinkSettings } from './config.js';
import { identifierName, type TableId } from './identifiers.js';
import { resolveTableName } from './table-naming.js';

/** One column of a change: its (folded) name, the Connect schema it came with (null when schemaless) and its parameter. */
export interface ColumnValue {
  readonly name: string;
  readonly schema: Schema | null;
  readonly parameter: SqlParameter;
}

interface ChangeBase {
  readonly record: SinkRecord;
  readonly table: TableId;
}

/** Write `columns` (key columns first); `key` is empty when primary.key.mode=none. */
export interface UpsertChange extends ChangeBase {
  readonly kind: 'upsert';
  readonly key: readonly ColumnValue[];
  readonly columns: readonly ColumnValue[];
}

export interface DeleteChange extends ChangeBase {
  readonly kind: 'delete';
  readonly key: readonly ColumnValue[];
}

export interface TruncateChange extends ChangeBase {
  readonly kind: 'truncate';
}

export type Change = UpsertChange | DeleteChange | TruncateChange;

/** A record that cannot be applied as it is (bad data, not a database problem): reported to the DLQ. */
export class UnusableRecordError extends Error {
  override readonly name = 'UnusableRecordError';
}

const KAFKA_TOPIC_COLUMN = '__connect_topic';
const KAFKA_PARTITION_COLUMN = '__connect_partition';
const KAFKA_OFFSET_COLUMN = '__connect_offset';
const KAFKA_COORDINATE_SCHEMAS: Readonly<Record<string, Schema>> = {
  [KAFKA_TOPIC_COLUMN]: { type: 'string', optional: false },
  [KAFKA_PARTITION_COLUMN]: { type: 'int32', optional: false },
  [KAFKA_OFFSET_COLUMN]: { type: 'int64', optional: false },
};

type Row = readonly { readonly name: string; readonly schema: Schema | null; readonly value: unknown }[];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function rowOf(value: unknown, what: string): Row {
  if (value instanceof Struct)
    return (value.schema.fields ?? []).map((f) => ({
      name: f.name,
      schema: f.schema,
      value: value.get(f.name),
    }));
  if (isPlainObject(value))
    return Object.entries(value).map(([name, v]) => ({ name, schema: null, value: v }));
  throw new UnusableRecordError(
    `${what} must be a struct (or, without schemas, a JSON object), got ${value === null ? 'null' : typeof value}`,
  );
}

function fieldOf(value: unknown, name: string): unknown {
  if (value instanceof Struct)
    return value.schema.fields?.some((f) => f.name === name) ? value.get(name) : undefined;
  if (isPlainObject(value)) return value[name];
  return undefined;
}

/** A Debezium change event: a struct named …Envelope, or (schemaless) an object with `op` and `before`/`after`. */
function isEnvelope(record: SinkRecord): boolean {
  const value = record.value;
  if (value instanceof Struct) {
    const names = new Set((value.schema.fields ?? []).map((f) => f.name));
    return (
      (value.schema.name?.endsWith('Envelope') ?? false) ||
      (names.has('op') && (names.has('after') || names.has('before')))
    );
  }
  return isPlainObject(value) && typeof value['op'] === 'string' && ('after' in value || 'before' in value);
}

function sourceName(value: unknown, field: 'schema' | 'table'): string | null {
  const source = fieldOf(value, 'source');
  const name = source === undefined || source === null ? undefined : fieldOf(source, field);
  return typeof name === 'string' ? name : null;
}

/** Turns sink records into table changes, following the Debezium JDBC sink's reading of envelopes and keys. */
export class ChangeInterpreter {
  constructor(private readonly settings: PostgresSinkSettings) {}

  /** The change a record asks for, or null when it is skipped (tombstones, disabled deletes/truncates, messages). */
  interpret(record: SinkRecord): Change | null {
    if (record.value === null || record.value === undefined) return null;
    const envelope = isEnvelope(record);
    const table = this.tableOf(record, envelope);
    if (!envelope) return this.upsert(record, table, rowOf(record.value, 'A record value'));
    const op = fieldOf(record.value, 'op');
    switch (op) {
      case 'c':
      case 'r':
      case 'u': {
        const after = fieldOf(record.value, 'after');
        if (after === null || after === undefined)
          throw new UnusableRecordError(`change event with op=${op} has no 'after' state`);
        return this.upsert(record, table, rowOf(after, "The envelope's 'after'"));
      }
      case 'd':
        return this.settings.deleteEnabled
          ? { kind: 'delete', record, table, key: this.recordKey(record, null) }
          : null;
      case 't':
        return this.settings.truncateEnabled ? { kind: 'truncate', record, table } : null;
      default:
        // 'm' (logical decoding messages) and anything newer carry no row change.
        return null;
    }
  }

  private tableOf(record: SinkRecord, envelope: boolean): TableId {
    try {
      return resolveTableName(
        this.settings.tableNameFormat,
        {
          topic: record.topic,
          sourceSchema: envelope ? sourceName(record.value, 'schema') : null,
          sourceTable: envelope ? sourceName(record.value, 'table') : null,
        },
        this.settings.quoteIdentifiers,
      );
    } catch (error) {
      throw new UnusableRecordError((error as Error).message);
    }
  }

  private column(name: string, schema: Schema | null, value: unknown): ColumnValue {
    const folded = identifierName(name, this.settings.quoteIdentifiers);
    try {
      return { name: folded, schema, parameter: toSqlParameter(schema, value) };
    } catch (error) {
      throw new UnusableRecordError(`field ${name}: ${(error as Error).message}`);
    }
  }

  private upsert(record: SinkRecord, table: TableId, row: Row): UpsertChange {
    const key = this.keyOf(record, row);
    const keyNames = new Set(key.map((c) => c.name));
    const rest = row
      .map((field) => this.column(field.name, field.schema, field.value))
      .filter((c) => !keyNames.has(c.name));
    return { kind: 'upsert', record, table, key, columns: [...key, ...rest] };
  }

  private keyOf(record: SinkRecord, row: Row): ColumnValue[] {
    switch (this.settings.primaryKeyMode) {
      case 'none':
        return [];
      case 'kafka':
        return [
          this.column(KAFKA_TOPIC_COLUMN, KAFKA_COORDINATE_SCHEMAS[KAFKA_TOPIC_COLUMN]!, record.topic),
          this.column(
            KAFKA_PARTITION_COLUMN,
            KAFKA_COORDINATE_SCHEMAS[KAFKA_PARTITION_COLUMN]!,
            record.kafkaPartition,
          ),
          this.column(
            KAFKA_OFFSET_COLUMN,
            KAFKA_COORDINATE_SCHEMAS[KAFKA_OFFSET_COLUMN]!,
            record.kafkaOffset,
          ),
        ];
      case 'record_key':
        return this.recordKey(record, row);
      case 'record_value':
        return this.valueKey(row);
    }
  }

  private recordKey(record: SinkRecord, row: Row | null): ColumnValue[] {
    const wanted = this.settings.primaryKeyFields;
    const key = record.key;
    if (key === null || key === undefined) {
      throw new UnusableRecordError('primary.key.mode=record_key but the record has no key');
    }
    if (key instanceof Struct || isPlainObject(key)) {
      const fields = rowOf(key, 'The record key').filter(
        (f) => wanted.length === 0 || wanted.includes(f.name),
      );
      if (fields.length === 0)
        throw new UnusableRecordError(
          `the record key has none of the primary.key.fields ${wanted.join(', ')}`,
        );
      // The key's own schema types the column; the row's value (if any) wins only when the key lacks one.
      return fields.map((f) =>
        this.column(f.name, f.schema ?? row?.find((r) => r.name === f.name)?.schema ?? null, f.value),
      );
    }
    const [name] = wanted;
    if (name === undefined)
      throw new UnusableRecordError(
        'the record key is a primitive value: primary.key.fields must name its column',
      );
    return [this.column(name, record.keySchema, key)];
  }

  private valueKey(row: Row): ColumnValue[] {
    return this.settings.primaryKeyFields.map((name) => {
      const field = row.find((f) => f.name === name);
      if (field === undefined)
        throw new UnusableRecordError(`the record value has no primary key field ${name}`);
      return this.column(field.name, field.schema, field.value);
    });
  }
}
