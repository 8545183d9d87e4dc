import {
  topicPartitionKey,
  type SinkOffsetChange,
  type TopicPartition,
  type TopicPartitionOffset,
} from '../../../runtime/api/index.js';
import { identifierName, qualifiedTableName, tableLabel, type TableId } from './identifiers.js';
import type { SqlRunner } from './table-catalog.js';

/** Postgres: a relation or its row type created by a concurrent CREATE TABLE IF NOT EXISTS. */
const ALREADY_CREATED = new Set(['42P07', '23505']);

/** `offsets.storage.table` as a table id: a dot separates schema and table, names fold as other identifiers. */
export function offsetsTableId(name: string, quoteIdentifiers: boolean): TableId {
  const dot = name.indexOf('.');
  if (dot < 0) return { schema: null, table: identifierName(name, quoteIdentifiers) };
  return {
    schema: identifierName(name.slice(0, dot), quoteIdentifiers),
    table: identifierName(name.slice(dot + 1), quoteIdentifiers),
  };
}

/**
 * The consumed offsets of one connector, kept in the target database next to the rows: each write stores
 * the next offset of its partitions in the SAME transaction as the rows, so the database always knows
 * exactly which records it holds. A redelivered record (after a crash, a rebalance, a consumer-group reset)
 * whose offset is below the stored one is skipped, which makes every insert mode exactly-once.
 */
export class OffsetLedger {
  private readonly name: string;
  private ensured = false;

  constructor(
    private readonly table: TableId,
    private readonly connector: string,
  ) {
    this.name = qualifiedTableName(table);
  }

  get label(): string {
    return tableLabel(this.table);
  }

  /** Creates the table when missing (checked once per task; concurrent creators are fine). */
  async ensureTable(sql: SqlRunner): Promise<void> {
    if (this.ensured) return;
    // Checked first: CREATE TABLE IF NOT EXISTS needs the CREATE privilege even when the table exists.
    const { rows } = await sql.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [
      this.name,
    ]);
    if (rows[0]?.found != null) {
      this.ensured = true;
      return;
    }
    try {
      await sql.query(
        `CREATE TABLE IF NOT EXISTS ${this.name} (connector text NOT NULL, topic text NOT NULL, partition int NOT NULL, "offset" bigint NOT NULL, PRIMARY KEY (connector, topic, partition))`,
      );
    } catch (error) {
      if (!ALREADY_CREATED.has(String((error as { code?: unknown }).code))) throw error;
    }
    this.ensured = true;
  }

  /** The stored next offset of each of these partitions that has one (key: `topic-partition`). */
  async read(sql: SqlRunner, partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    const stored = new Map<string, number>();
    if (partitions.length === 0) return stored;
    const topics = [...new Set(partitions.map((p) => p.topic))];
    const wanted = new Set(partitions.map(topicPartitionKey));
    const { rows } = await sql.query<{ topic: string; partition: number; offset: string }>(
      `SELECT topic, partition, "offset" FROM ${this.name} WHERE connector = $1 AND topic = ANY($2::text[])`,
      [this.connector, topics],
    );
    for (const row of rows) {
      const key = topicPartitionKey({ topic: row.topic, partition: row.partition });
      if (wanted.has(key)) stored.set(key, Number(row.offset));
    }
    return stored;
  }

  /**
   * Inside a transaction: waits for any other writer of these partitions (a task that has not noticed it
   * lost them) to finish, then reads their stored offsets. The lock ends with the transaction.
   */
  async lock(sql: SqlRunner, partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    const keys = partitions
      .map((p) => `${this.name} ${JSON.stringify(this.connector)} ${topicPartitionKey(p)}`)
      .sort();
    for (const key of keys) await sql.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
    return this.read(sql, partitions);
  }

  /** Inside the transaction that wrote the records: stores the next offsets (never moving one back). */
  async save(sql: SqlRunner, ends: readonly TopicPartitionOffset[]): Promise<void> {
    if (ends.length === 0) return;
    await sql.query(
      `INSERT INTO ${this.name} AS o (connector, topic, partition, "offset")
       SELECT $1, t, p, n FROM unnest($2::text[], $3::int[], $4::bigint[]) AS u (t, p, n)
       ON CONFLICT (connector, topic, partition) DO UPDATE SET "offset" = GREATEST(o."offset", EXCLUDED."offset")`,
      [this.connector, ends.map((e) => e.topic), ends.map((e) => e.partition), ends.map((e) => e.offset)],
    );
  }

  /** The offsets API: sets (or, offset null, deletes) stored offsets as given, in one transaction. */
  async overwrite(sql: SqlRunner, changes: readonly SinkOffsetChange[]): Promise<void> {
    await sql.query('BEGIN');
    try {
      for (const { topic, partition, offset } of changes) {
        if (offset === null)
          await sql.query(`DELETE FROM ${this.name} WHERE connector = $1 AND topic = $2 AND partition = $3`, [
            this.connector,
            topic,
            partition,
          ]);
        else
          await sql.query(
            `INSERT INTO ${this.name} (connector, topic, partition, "offset") VALUES ($1, $2, $3, $4)
             ON CONFLICT (connector, topic, partition) DO UPDATE SET "offset" = EXCLUDED."offset"`,
            [this.connector, topic, partition, offset],
          );
      }
      await sql.query('COMMIT');
    } catch (error) {
      await sql.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
