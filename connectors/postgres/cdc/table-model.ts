import { SchemaBuilder, Struct, type Schema } from '../../../runtime/api/index.js';
import type { TableDefinition } from './catalog.js';
import type { CaptureFilters } from './filters.js';
import type { TupleValue } from './pgoutput-messages.js';
import type { PgTypeRegistry } from './pg-types.js';
import { SOURCE_SCHEMA, TRANSACTION_BLOCK_SCHEMA } from './source-info.js';
import { columnMapping, type ColumnMapping, type MappingOptions } from './value-mapping.js';

export interface ModelColumn {
  readonly name: string;
  readonly mapping: ColumnMapping;
}

/** A row as column name → value: from a pgoutput tuple, or text-mode snapshot query. */
export type Row = ReadonlyMap<string, TupleValue>;

/** Debezium-shaped schemas of one captured table and the conversion of its rows. */
export class TableModel {
  readonly topic: string;
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema;
  readonly envelopeSchema: Schema;

  constructor(
    readonly definition: TableDefinition,
    private readonly valueColumns: readonly ModelColumn[],
    private readonly keyColumns: readonly ModelColumn[],
    topicPrefix: string,
  ) {
    this.topic = topicName(topicPrefix, definition.schema, definition.table);
    const valueBuilder = SchemaBuilder.struct().optional().name(`${this.topic}.Value`);
    for (const c of valueColumns) valueBuilder.field(c.name, c.mapping.schema);
    this.valueSchema = valueBuilder.build();
    if (keyColumns.length === 0) this.keySchema = null;
    else {
      const keyBuilder = SchemaBuilder.struct().name(`${this.topic}.Key`);
      for (const c of keyColumns) keyBuilder.field(c.name, c.mapping.schema);
      this.keySchema = keyBuilder.build();
    }
    this.envelopeSchema = SchemaBuilder.struct()
      .name(`${this.topic}.Envelope`)
      // Debezium 3's envelope: version 2, the transaction block before op, processing time in ms, us and ns.
      .version(2)
      .field('before', this.valueSchema)
      .field('after', this.valueSchema)
      .field('source', SOURCE_SCHEMA)
      .field('transaction', TRANSACTION_BLOCK_SCHEMA)
      .field('op', SchemaBuilder.string().build())
      .field('ts_ms', SchemaBuilder.int64().optional().build())
      .field('ts_us', SchemaBuilder.int64().optional().build())
      .field('ts_ns', SchemaBuilder.int64().optional().build())
      .build();
  }

  get schema(): string {
    return this.definition.schema;
  }

  get table(): string {
    return this.definition.table;
  }

  valueStruct(row: Row): Struct {
    return fill(new Struct(this.valueSchema), this.valueColumns, row);
  }

  /** null when the table has no key (no primary key and no message.key.columns entry). */
  keyStruct(row: Row): Struct | null {
    return this.keySchema === null ? null : fill(new Struct(this.keySchema), this.keyColumns, row);
  }
}

function fill(struct: Struct, columns: readonly ModelColumn[], row: Row): Struct {
  for (const column of columns) {
    const cell = row.get(column.name);
    let value: unknown = null;
    if (cell?.kind === 'text') value = column.mapping.convert(cell.text);
    else if (cell?.kind === 'unchanged-toast') value = column.mapping.unavailable;
    // A required field the WAL did not carry (e.g. non-key columns in a delete's old key tuple) gets the
    // column's default, else its type's zero value, as Debezium does, since Connect rejects null for a
    // required field.
    if (value === null && !column.mapping.schema.optional)
      value = column.mapping.schema.defaultValue ?? zeroValue(column.mapping.schema);
    struct.put(column.name, value);
  }
  return struct;
}

function zeroValue(schema: Schema): unknown {
  switch (schema.type) {
    case 'boolean':
      return false;
    case 'string':
      return '';
    case 'bytes':
      return schema.name === 'org.apache.kafka.connect.data.Decimal' ? '0' : Buffer.alloc(0);
    case 'array':
      return [];
    case 'struct':
      return schema.name === 'io.debezium.data.VariableScaleDecimal'
        ? new Struct(schema).put('scale', 0).put('value', Buffer.from([0]))
        : null;
    default:
      if (
        schema.name === 'org.apache.kafka.connect.data.Date' ||
        schema.name === 'org.apache.kafka.connect.data.Time' ||
        schema.name === 'org.apache.kafka.connect.data.Timestamp'
      ) {
        return new Date(0);
      }
      return 0;
  }
}

/** Debezium's topic naming with invalid characters replaced by '_'. */
export function topicName(prefix: string, schema: string, table: string): string {
  return `${prefix}.${schema}.${table}`.replace(/[^a-zA-Z0-9._-]/g, '_');
}

/** message.key.columns: "<table regex>:<col>,<col>;<table regex>:<col>". */
export function parseKeyColumns(
  spec: string,
): { readonly table: RegExp; readonly columns: readonly string[] }[] {
  if (spec.trim() === '') return [];
  return spec.split(';').map((entry) => {
    const colon = entry.lastIndexOf(':');
    if (colon < 0)
      throw new Error(
        `message.key.columns entry '${entry}' needs the form <schema>.<table>:<column>[,<column>]`,
      );
    return {
      table: new RegExp(`^(?:${entry.slice(0, colon).trim()})$`),
      columns: entry
        .slice(colon + 1)
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== ''),
    };
  });
}

export interface TableModelFactoryOptions extends MappingOptions {
  readonly topicPrefix: string;
  readonly filters: CaptureFilters;
  readonly keyColumns: ReturnType<typeof parseKeyColumns>;
}

/** Builds the model of a table, loading the types it uses. */
export async function buildTableModel(
  definition: TableDefinition,
  types: PgTypeRegistry,
  options: TableModelFactoryOptions,
): Promise<TableModel> {
  await types.load(definition.columns.map((c) => c.typeOid));
  const override = options.keyColumns.find((k) => k.table.test(`${definition.schema}.${definition.table}`));
  const keyNames = override?.columns ?? definition.primaryKey;
  const all = definition.columns.map((c) => {
    const type = types.get(c.typeOid);
    if (type === undefined)
      throw new Error(`type ${c.typeOid} of ${definition.schema}.${definition.table}.${c.name} not loaded`);
    const element = type.category === 'A' ? types.get(type.elementOid) : undefined;
    const optional = !c.notNull && !definition.primaryKey.includes(c.name);
    return {
      name: c.name,
      mapping: columnMapping(
        { type, typeModifier: c.typeModifier, element, defaultExpression: c.defaultExpression },
        optional,
        options,
      ),
    };
  });
  const valueColumns = all.filter(
    (c) =>
      keyNames.includes(c.name) ||
      options.filters.columnCaptured(definition.schema, definition.table, c.name),
  );
  const keyColumns = keyNames
    .map((name) => all.find((c) => c.name === name))
    .filter((c): c is ModelColumn => c !== undefined);
  return new TableModel(definition, valueColumns, keyColumns, options.topicPrefix);
}
