// Shared by the postgres-sink integration tests: a throwaway target database per run, a kafkajs producer
// that writes JsonConverter (schemas.enable=true) messages shaped exactly like the Debezium PostgreSQL
// connector's, and small readers for the target tables and the dead letter queue.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import pg from 'pg';
import { kafkaBrokers, PG_URL } from '../../support/endpoints.js';

export interface ColumnSpec {
  readonly name: string;
  /** The Connect schema of the column as JsonConverter writes it (without `field`). */
  readonly schema: Readonly<Record<string, unknown>>;
}

export const Col = {
  int32: (name: string, optional = false): ColumnSpec => ({ name, schema: { type: 'int32', optional } }),
  int64: (name: string, optional = false): ColumnSpec => ({ name, schema: { type: 'int64', optional } }),
  text: (name: string): ColumnSpec => ({ name, schema: { type: 'string', optional: true } }),
  bytes: (name: string): ColumnSpec => ({ name, schema: { type: 'bytes', optional: true } }),
  decimal: (name: string, scale: number): ColumnSpec => ({
    name,
    schema: {
      type: 'bytes',
      optional: true,
      name: 'org.apache.kafka.connect.data.Decimal',
      version: 1,
      parameters: { scale: String(scale), 'connect.decimal.precision': '12' },
    },
  }),
  microTimestamp: (name: string): ColumnSpec => ({
    name,
    schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroTimestamp', version: 1 },
  }),
  json: (name: string): ColumnSpec => ({
    name,
    schema: { type: 'string', optional: true, name: 'io.debezium.data.Json', version: 1 },
  }),
};

/** A target database of its own, dropped at the end. */
export class TargetDatabase {
  private constructor(
    readonly name: string,
    readonly client: pg.Client,
  ) {}

  static async create(prefix = 'sluice_sink'): Promise<TargetDatabase> {
    const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const client = new pg.Client({ connectionString: urlFor(name) });
    await client.connect();
    return new TargetDatabase(name, client);
  }

  /** The JDBC URL a user would put in connection.url. */
  get jdbcUrl(): string {
    const url = new URL(PG_URL);
    return `jdbc:postgresql://${url.host}/${this.name}?user=${decodeURIComponent(url.username || 'postgres')}`;
  }

  async rows(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    return (await this.client.query(sql, params)).rows;
  }

  async drop(): Promise<void> {
    await this.client.end().catch(() => undefined);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}

export function urlFor(database: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

const SOURCE_SCHEMA = {
  type: 'struct',
  name: 'io.debezium.connector.postgresql.Source',
  optional: false,
  fields: [
    { field: 'version', type: 'string', optional: false },
    { field: 'connector', type: 'string', optional: false },
    { field: 'name', type: 'string', optional: false },
    { field: 'ts_ms', type: 'int64', optional: false },
    {
      field: 'snapshot',
      type: 'string',
      optional: true,
      name: 'io.debezium.data.Enum',
      version: 1,
      parameters: { allowed: 'true,last,false,incremental' },
      default: 'false',
    },
    { field: 'db', type: 'string', optional: false },
    { field: 'sequence', type: 'string', optional: true },
    { field: 'schema', type: 'string', optional: false },
    { field: 'table', type: 'string', optional: false },
    { field: 'txId', type: 'int64', optional: true },
    { field: 'lsn', type: 'int64', optional: true },
    { field: 'xmin', type: 'int64', optional: true },
  ],
};

/** Builds Debezium PostgreSQL change events (key and value, JsonConverter with schemas) for one table. */
export class DebeziumTable {
  private lsn = 1000;

  constructor(
    readonly serverName: string,
    readonly schemaName: string,
    readonly tableName: string,
    private readonly keyColumns: readonly ColumnSpec[],
    private columns: readonly ColumnSpec[],
  ) {}

  get topic(): string {
    return `${this.serverName}.${this.schemaName}.${this.tableName}`;
  }

  /** A column added at the source: later events carry it. */
  addColumn(column: ColumnSpec): void {
    this.columns = [...this.columns, column];
  }

  private rowSchema(): Record<string, unknown> {
    return {
      type: 'struct',
      optional: true,
      name: `${this.topic}.Value`,
      fields: this.columns.map((c) => ({ field: c.name, ...c.schema })),
    };
  }

  key(row: Readonly<Record<string, unknown>>): string {
    const schema = {
      type: 'struct',
      optional: false,
      name: `${this.topic}.Key`,
      fields: this.keyColumns.map((c) => ({ field: c.name, ...c.schema })),
    };
    const payload = Object.fromEntries(this.keyColumns.map((c) => [c.name, row[c.name]]));
    return JSON.stringify({ schema, payload });
  }

  event(
    op: 'c' | 'u' | 'd' | 'r' | 't',
    before: Readonly<Record<string, unknown>> | null,
    after: Readonly<Record<string, unknown>> | null,
  ): string {
    const row = this.rowSchema();
    const schema = {
      type: 'struct',
      optional: false,
      name: `${this.topic}.Envelope`,
      version: 1,
      fields: [
        { field: 'before', ...row },
        { field: 'after', ...row },
        { field: 'source', ...SOURCE_SCHEMA },
        { field: 'op', type: 'string', optional: false },
        { field: 'ts_ms', type: 'int64', optional: true },
        {
          field: 'transaction',
          type: 'struct',
          optional: true,
          name: 'event.block',
          version: 1,
          fields: [
            { field: 'id', type: 'string', optional: false },
            { field: 'total_order', type: 'int64', optional: false },
            { field: 'data_collection_order', type: 'int64', optional: false },
          ],
        },
      ],
    };
    this.lsn += 8;
    const source = {
      version: '2.7.0.Final',
      connector: 'postgresql',
      name: this.serverName,
      ts_ms: Date.now(),
      snapshot: 'false',
      db: 'source',
      sequence: `["${this.lsn - 8}","${this.lsn}"]`,
      schema: this.schemaName,
      table: this.tableName,
      txId: 700 + this.lsn,
      lsn: this.lsn,
      xmin: null,
    };
    return JSON.stringify({
      schema,
      payload: { before, after, source, op, ts_ms: Date.now(), transaction: null },
    });
  }
}

export interface KafkaMessage {
  readonly key: string | null;
  readonly value: string | null;
}

export class TestKafka {
  private readonly kafka = new Kafka({
    clientId: `sluice-sink-test-${randomUUID().slice(0, 8)}`,
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  private producer: Producer | null = null;

  async createTopic(topic: string, partitions = 1): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
  }

  async send(topic: string, messages: readonly KafkaMessage[]): Promise<void> {
    if (this.producer === null) {
      this.producer = this.kafka.producer({ allowAutoTopicCreation: true });
      await this.producer.connect();
    }
    await this.producer.send({ topic, messages: messages.map((m) => ({ key: m.key, value: m.value })) });
  }

  /** Every message on a topic from the beginning, read until `count` arrived or the timeout passed. */
  async readAll(
    topic: string,
    count: number,
    timeoutMs = 30_000,
  ): Promise<{ key: string | null; value: string | null; headers: Record<string, string> }[]> {
    const consumer = this.kafka.consumer({ groupId: `sluice-sink-test-reader-${randomUUID()}` });
    const out: { key: string | null; value: string | null; headers: Record<string, string> }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          const headers = Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, v === undefined ? '' : String(v)]),
          );
          out.push({
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? null,
            headers,
          });
          if (out.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    return out;
  }

  async close(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
  }
}

/** Worker properties for JsonConverter with schemas, as the Debezium tutorial sets them. */
export const JSON_WITH_SCHEMAS: Readonly<Record<string, string>> = {
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'key.converter.schemas.enable': 'true',
  'value.converter.schemas.enable': 'true',
};

/** A Connect Decimal as JsonConverter writes it by default (decimal.format=BASE64): the unscaled value's two's-complement bytes. */
export function decimalBase64(text: string, scale: number): string {
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  let unscaled = BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale));
  if (text.startsWith('-')) unscaled = -unscaled;
  const bytes: number[] = [];
  let rest = unscaled;
  do {
    bytes.unshift(Number(BigInt.asUintN(8, rest)));
    rest >>= 8n;
  } while (!((rest === 0n && (bytes[0]! & 0x80) === 0) || (rest === -1n && (bytes[0]! & 0x80) !== 0)));
  return Buffer.from(bytes).toString('base64');
}
