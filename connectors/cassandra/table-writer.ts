/**
 * One topic→table target against the table's live schema: checks the mapping (columns exist, the primary key
 * is covered) and turns a record into one write. Every write carries USING TIMESTAMP (the record's Kafka
 * timestamp in microseconds plus its offset modulo 1000, or the mapped __timestamp field), so replays,
 * redeliveries after a crash and
 * out-of-order delivery across partitions converge on the latest change: Cassandra keeps the cell with the
 * highest write time, whatever order the writes arrive in.
 */
import cassandra from 'cassandra-driver';
import type { SinkRecord } from '../../runtime/api/index.js';
import { CqlConverter, CqlValueError, cqlTypeName, type CqlType } from './cql-values.js';
import { describeSource, type ColumnMapping } from './mapping.js';
import { MISSING, readField } from './record-fields.js';
import { MICROS_PER_UNIT, type TableTarget } from './table-settings.js';

const { types } = cassandra;

export interface TableShape {
  readonly columns: ReadonlyMap<string, CqlType>;
  readonly partitionKey: readonly string[];
  readonly primaryKey: readonly string[];
}

/** One statement to run: its CQL (prepared once), bound values, and the partition it touches. */
export interface Write {
  readonly cql: string;
  /** Positional values, or values by column name for a user `query` with named markers (:col). */
  readonly params: unknown[] | Record<string, unknown>;
  /** Table plus partition-key values: writes with the same routing may share an unlogged batch. */
  readonly routing: string;
  readonly consistency: number;
}

export async function loadTableShape(
  client: cassandra.Client,
  keyspace: string,
  table: string,
): Promise<TableShape | 'no keyspace' | 'no table'> {
  const keyspaceMeta =
    client.metadata.keyspaces[keyspace] ??
    (await client.metadata.refreshKeyspace(keyspace).catch(() => null));
  if (!keyspaceMeta) return 'no keyspace';
  const meta = await client.metadata.getTable(keyspace, table);
  if (!meta) return 'no table';
  const partitionKey = meta.partitionKeys.map((c) => c.name);
  return {
    columns: new Map(meta.columns.map((c) => [c.name, c.type as CqlType])),
    partitionKey,
    primaryKey: [...partitionKey, ...meta.clusteringKeys.map((c) => c.name)],
  };
}

/** Problems of a mapping against the table, as messages for the mapping key. */
export function mappingProblems(target: TableTarget, shape: TableShape): string[] {
  const problems: string[] = [];
  for (const entry of target.mapping.columns)
    if (!shape.columns.has(entry.column))
      problems.push(
        `mapping entry "${entry.text}": table ${target.keyspace}.${target.table} has no column ${entry.column}`,
      );
  if (target.query === null) {
    const mapped = new Set(target.mapping.columns.map((c) => c.column));
    const unmapped = shape.primaryKey.filter((column) => !mapped.has(column));
    if (unmapped.length > 0)
      problems.push(
        `primary key column(s) ${unmapped.join(', ')} of ${target.keyspace}.${target.table} are not mapped (the mapping must cover ${shape.primaryKey.join(', ')})`,
      );
  }
  return problems;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export class TableWriter {
  private readonly converter: CqlConverter;
  private readonly insertCql: string;
  private readonly deleteCql: string;
  private readonly consistency: number;
  private readonly table: string;
  /** The last record timestamp and write time per topic partition, to keep same-millisecond runs rising. */
  private readonly lastWrite = new Map<string, { timestamp: number; micros: number }>();

  constructor(
    readonly target: TableTarget,
    private readonly shape: TableShape,
  ) {
    this.converter = new CqlConverter(target.codec);
    this.table = `${quote(target.keyspace)}.${quote(target.table)}`;
    const columns = target.mapping.columns.map((c) => quote(c.column));
    this.insertCql =
      target.query ??
      `INSERT INTO ${this.table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) USING TIMESTAMP ? AND TTL ?`;
    this.deleteCql = `DELETE FROM ${this.table} USING TIMESTAMP ? WHERE ${shape.primaryKey.map((c) => `${quote(c)} = ?`).join(' AND ')}`;
    const consistencies = types.consistencies as unknown as Record<string, number>;
    this.consistency = consistencies[camel(target.consistencyLevel)]!;
  }

  /** The write for one record, or null when it has nothing to write. Throws CqlValueError for bad data. */
  writeFor(record: SinkRecord, now: Date): Write | null {
    const values = new Map<string, unknown>();
    for (const entry of this.target.mapping.columns)
      values.set(entry.column, this.valueOf(record, entry, now));
    const nonKeyAllNull = this.target.mapping.columns
      .filter((c) => !this.shape.primaryKey.includes(c.column))
      .every((c) => values.get(c.column) === null);
    const routing = `${this.table}/${this.shape.partitionKey.map((c) => String(values.get(c))).join('/')}`;
    const writeTime = this.writeTimeMicros(record);
    if (
      this.target.query === null &&
      (record.value === null || nonKeyAllNull) &&
      this.target.deletesEnabled
    ) {
      // A tombstone, or a record whose every non-key column is null: delete the row (DataStax's rule).
      const key = this.shape.primaryKey.map((c) => values.get(c));
      if (key.some((v) => v === null)) return null;
      return { cql: this.deleteCql, params: [writeTime, ...key], routing, consistency: this.consistency };
    }
    if (record.value === null && this.target.query === null) return null;
    for (const column of this.shape.primaryKey)
      if (values.get(column) === null && this.target.query === null)
        throw new CqlValueError(
          `primary key column ${column} of ${this.target.keyspace}.${this.target.table} is null`,
        );
    const bound = this.target.mapping.columns.map((c) => {
      const v = values.get(c.column);
      return v === null && this.target.nullToUnset ? types.unset : v;
    });
    if (this.target.query !== null) {
      const named = Object.fromEntries(this.target.mapping.columns.map((c, i) => [c.column, bound[i]]));
      return { cql: this.insertCql, params: named, routing, consistency: this.consistency };
    }
    return {
      cql: this.insertCql,
      params: [...bound, writeTime, this.ttlSeconds(record)],
      routing,
      consistency: this.consistency,
    };
  }

  private valueOf(record: SinkRecord, entry: ColumnMapping, now: Date): unknown {
    const raw = readField(record, entry.source, now);
    const type = this.shape.columns.get(entry.column)!;
    if (raw === MISSING) return null;
    try {
      return this.converter.convert(entry.column, type, raw);
    } catch (error) {
      if (error instanceof CqlValueError)
        throw new CqlValueError(
          `${error.message} (from ${describeSource(entry.source)}, CQL type ${cqlTypeName(type)})`,
        );
      throw error;
    }
  }

  private writeTimeMicros(record: SinkRecord): unknown {
    const source = this.target.mapping.timestampSource;
    if (source !== null) {
      const raw = readField(record, source, new Date());
      const n =
        typeof raw === 'bigint' ? Number(raw) : raw instanceof Date ? raw.getTime() * 1000 : Number(raw);
      if (raw === MISSING || raw === null || !Number.isFinite(n))
        throw new CqlValueError(`__timestamp=${describeSource(source)} is not a number in this record`);
      const micros = raw instanceof Date ? n : n * MICROS_PER_UNIT[this.target.timestampTimeUnit];
      return types.Long.fromNumber(Math.trunc(micros));
    }
    // Kafka timestamps have millisecond resolution, and a source often stamps many records (a whole poll of
    // changes) with the same millisecond. Equal write times let Cassandra pick the larger value, not the later
    // change, so the microseconds take the offset's last three digits: later records of a partition (where
    // all changes of one key are) win within a millisecond, and a redelivery gets the same write time. A run
    // of same-millisecond records that crosses a multiple of 1000 offsets would wrap back to smaller write
    // times, so inside such a run a write time is kept above the one before it. Records with different
    // timestamps keep their own order, whatever their offsets: that is what lets older changes lose.
    if (record.timestamp === null) return types.unset;
    const partition = `${record.topic}/${record.kafkaPartition}`;
    const previous = this.lastWrite.get(partition);
    let micros = record.timestamp * 1000 + (record.kafkaOffset % 1000);
    if (previous?.timestamp === record.timestamp && micros <= previous.micros) micros = previous.micros + 1;
    this.lastWrite.set(partition, { timestamp: record.timestamp, micros });
    return types.Long.fromNumber(micros);
  }

  private ttlSeconds(record: SinkRecord): number {
    const source = this.target.mapping.ttlSource;
    if (source !== null) {
      const raw = readField(record, source, new Date());
      const n = typeof raw === 'bigint' ? Number(raw) : Number(raw);
      if (raw !== MISSING && raw !== null && Number.isFinite(n))
        return Math.max(0, Math.round((n * MICROS_PER_UNIT[this.target.ttlTimeUnit]) / 1_000_000));
    }
    return this.target.ttlSeconds > 0 ? this.target.ttlSeconds : 0;
  }
}

function camel(name: string): string {
  return name.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}
