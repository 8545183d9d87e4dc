import { identifierName, type TableId } from './identifiers.js';

export interface TableNameSource {
  readonly topic: string;
  /** The `source.schema` of a Debezium envelope, when the record has one. */
  readonly sourceSchema: string | null;
  /** The `source.table` of a Debezium envelope, when the record has one. */
  readonly sourceTable: string | null;
}

/**
 * Resolves table.name.format as the Debezium JDBC sink does: `${topic}` is the topic with its dots turned
 * into underscores (so `server.public.orders` → `server_public_orders`); `${source.schema}` and
 * `${source.table}` come from the envelope. A dot left in the result separates schema and table.
 */
export function resolveTableName(
  format: string,
  source: TableNameSource,
  quoteIdentifiers: boolean,
): TableId {
  let resolved = format.replaceAll('${topic}', source.topic.replaceAll('.', '_'));
  if (resolved.includes('${source.schema}'))
    resolved = resolved.replaceAll(
      '${source.schema}',
      placeholderValue(source.sourceSchema, '${source.schema}', source.topic),
    );
  if (resolved.includes('${source.table}'))
    resolved = resolved.replaceAll(
      '${source.table}',
      placeholderValue(source.sourceTable, '${source.table}', source.topic),
    );
  const dot = resolved.indexOf('.');
  if (dot < 0) return { schema: null, table: identifierName(resolved, quoteIdentifiers) };
  return {
    schema: identifierName(resolved.slice(0, dot), quoteIdentifiers),
    table: identifierName(resolved.slice(dot + 1), quoteIdentifiers),
  };
}

function placeholderValue(value: string | null, placeholder: string, topic: string): string {
  if (value === null || value === '') {
    throw new Error(
      `table.name.format uses ${placeholder} but the record from topic ${topic} has no Debezium source block`,
    );
  }
  return value;
}
