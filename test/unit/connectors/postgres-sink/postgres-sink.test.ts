import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SchemaBuilder,
  Schemas,
  Struct,
  decimalSchema,
  timestampSchema,
  type SinkRecord,
} from '../../../../runtime/api/index.js';
import { planBatch } from '../../../../connectors/postgres/sink/batch-plan.js';
import {
  ChangeInterpreter,
  UnusableRecordError,
  type Change,
} from '../../../../connectors/postgres/sink/change-event.js';
import { columnTypeOf } from '../../../../connectors/postgres/sink/column-types.js';
import { toSqlParameter } from '../../../../connectors/postgres/sink/column-values.js';
import {
  postgresSinkSettings,
  validatePostgresSinkConfig,
} from '../../../../connectors/postgres/sink/config.js';
import { parseConnectionUrl } from '../../../../connectors/postgres/sink/connection-url.js';
import { resolveTableName } from '../../../../connectors/postgres/sink/table-naming.js';
import { postgresSinkPlugin } from '../../../../connectors/postgres/sink/index.js';
import { isConnectionProblem, isRecordProblem } from '../../../../connectors/postgres/sink/pg-errors.js';

const URL = 'jdbc:postgresql://db.example:6543/warehouse?user=loader&password=s3cret&currentSchema=staging';

function settings(extra: Record<string, string> = {}) {
  return postgresSinkSettings({
    'connection.url': URL,
    'insert.mode': 'upsert',
    'primary.key.mode': 'record_key',
    'delete.enabled': 'true',
    'truncate.enabled': 'true',
    ...extra,
  });
}

const rowSchema = SchemaBuilder.struct()
  .name('srv.public.orders.Value')
  .optional()
  .field('id', Schemas.INT32)
  .field('Note', Schemas.OPTIONAL_STRING)
  .build();
const keySchema = SchemaBuilder.struct().name('srv.public.orders.Key').field('id', Schemas.INT32).build();
const sourceSchema = SchemaBuilder.struct()
  .field('schema', Schemas.STRING)
  .field('table', Schemas.STRING)
  .build();
const envelopeSchema = SchemaBuilder.struct()
  .name('srv.public.orders.Envelope')
  .field('before', rowSchema)
  .field('after', rowSchema)
  .field('source', sourceSchema)
  .field('op', Schemas.STRING)
  .build();

let offset = 0;
function record(op: string, id: number, note: string | null = 'n'): SinkRecord {
  const row = new Struct(rowSchema).put('id', id).put('Note', note);
  const value = new Struct(envelopeSchema)
    .put('before', op === 'd' ? row : null)
    .put('after', op === 'd' || op === 't' ? null : row)
    .put('source', new Struct(sourceSchema).put('schema', 'public').put('table', 'orders'))
    .put('op', op);
  const o = offset++;
  return {
    topic: 'srv.public.orders',
    kafkaPartition: 0,
    kafkaOffset: o,
    timestampType: 'CreateTime',
    timestamp: 0,
    headers: [],
    originalTopic: 'srv.public.orders',
    originalKafkaPartition: 0,
    originalKafkaOffset: o,
    keySchema: op === 't' ? null : keySchema,
    key: op === 't' ? null : new Struct(keySchema).put('id', id),
    valueSchema: envelopeSchema,
    value,
  };
}

describe('PostgresSink config', () => {
  test('is registered as the Debezium JDBC sink class, with PostgresSink as alias', () => {
    assert.equal(postgresSinkPlugin.className, 'io.debezium.connector.jdbc.JdbcSinkConnector');
    assert.ok(postgresSinkPlugin.aliases.includes('PostgresSink'));
  });

  test('JDBC and postgres:// URLs give the same connection; explicit username/password win', () => {
    const jdbc = parseConnectionUrl(URL, null, null);
    assert.deepEqual(
      [jdbc.host, jdbc.port, jdbc.database, jdbc.user, jdbc.password, jdbc.searchPath],
      ['db.example', 6543, 'warehouse', 'loader', 's3cret', 'staging'],
    );
    const pgUrl = parseConnectionUrl('postgres://a:b@h/db', 'other', null);
    assert.deepEqual([pgUrl.host, pgUrl.port, pgUrl.user, pgUrl.password], ['h', 5432, 'other', 'b']);
    assert.throws(() => parseConnectionUrl('jdbc:mysql://h/db', null, null), /not a jdbc:postgresql/);
  });

  test('cross-key rules name the key', () => {
    const issues = validatePostgresSinkConfig({
      'connection.url': URL,
      'insert.mode': 'upsert',
      'delete.enabled': 'true',
    });
    assert.deepEqual(issues.map((i) => i.key).sort(), ['delete.enabled', 'primary.key.mode']);
    assert.deepEqual(
      validatePostgresSinkConfig({ 'connection.url': URL, 'primary.key.mode': 'record_value' }).map(
        (i) => i.key,
      ),
      ['primary.key.fields'],
    );
    assert.deepEqual(
      validatePostgresSinkConfig({ 'connection.url': URL, 'insert.mode': 'merge' }).map((i) => i.key),
      ['insert.mode'],
    );
  });

  test('errors.retry.timeout bounds retries only when set (Connect retries a sink forever otherwise)', () => {
    assert.equal(settings().retryTimeoutMs, -1);
    assert.equal(settings({ 'errors.retry.timeout': '30000' }).retryTimeoutMs, 30000);
  });
});

describe('table.name.format', () => {
  const source = { topic: 'srv.public.Orders', sourceSchema: 'public', sourceTable: 'Orders' };
  test('${topic} has its dots turned into underscores; names fold to lower case unless quoted', () => {
    assert.deepEqual(resolveTableName('${topic}', source, false), {
      schema: null,
      table: 'srv_public_orders',
    });
    assert.deepEqual(resolveTableName('${topic}', source, true), {
      schema: null,
      table: 'srv_public_Orders',
    });
  });
  test('${source.schema} and ${source.table}; a dot in the format qualifies the table', () => {
    assert.deepEqual(resolveTableName('${source.schema}.${source.table}', source, false), {
      schema: 'public',
      table: 'orders',
    });
    assert.deepEqual(resolveTableName('dw.t_${source.table}', source, false), {
      schema: 'dw',
      table: 't_orders',
    });
    assert.throws(
      () => resolveTableName('${source.table}', { topic: 'x', sourceSchema: null, sourceTable: null }, false),
      /no Debezium source block/,
    );
  });
});

describe('reading records', () => {
  test('c/r/u upsert the after state keyed by the record key; d deletes by key; t truncates; tombstones are skipped', () => {
    const interpreter = new ChangeInterpreter(settings({ 'table.name.format': '${source.table}' }));
    const upsert = interpreter.interpret(record('u', 1, 'hi'))!;
    assert.equal(upsert.kind, 'upsert');
    assert.deepEqual(upsert.kind === 'upsert' && upsert.columns.map((c) => [c.name, c.parameter]), [
      ['id', 1],
      ['note', 'hi'],
    ]);
    const del = interpreter.interpret(record('d', 1))!;
    assert.deepEqual([del.kind, del.kind === 'delete' && del.key.map((k) => k.parameter)], ['delete', [1]]);
    assert.equal(interpreter.interpret(record('t', 0))!.kind, 'truncate');
    assert.equal(interpreter.interpret({ ...record('c', 1), value: null, valueSchema: null }), null);
  });

  test('deletes and truncates are skipped unless enabled', () => {
    const interpreter = new ChangeInterpreter(
      settings({ 'delete.enabled': 'false', 'truncate.enabled': 'false' }),
    );
    assert.equal(interpreter.interpret(record('d', 1)), null);
    assert.equal(interpreter.interpret(record('t', 0)), null);
  });

  test('kafka mode keys rows by __connect_topic/__connect_partition/__connect_offset', () => {
    const interpreter = new ChangeInterpreter(
      settings({ 'primary.key.mode': 'kafka', 'delete.enabled': 'false' }),
    );
    const change = interpreter.interpret(record('c', 5))!;
    assert.deepEqual(change.kind === 'upsert' && change.key.map((k) => k.name), [
      '__connect_topic',
      '__connect_partition',
      '__connect_offset',
    ]);
  });

  test('schemaless JSON values with primary.key.fields', () => {
    const interpreter = new ChangeInterpreter(
      settings({
        'primary.key.mode': 'record_value',
        'primary.key.fields': 'sku',
        'delete.enabled': 'false',
      }),
    );
    const change = interpreter.interpret({
      ...record('c', 1),
      keySchema: null,
      key: null,
      valueSchema: null,
      value: { sku: 'a', qty: 2, tags: { x: 1 } },
    })!;
    assert.deepEqual(change.kind === 'upsert' && change.columns.map((c) => [c.name, c.parameter]), [
      ['sku', 'a'],
      ['qty', 2],
      ['tags', '{"x":1}'],
    ]);
  });

  test('a record without the key its mode needs is unusable (it goes to the DLQ, not silently dropped)', () => {
    const interpreter = new ChangeInterpreter(settings());
    assert.throws(
      () => interpreter.interpret({ ...record('c', 1), key: null, keySchema: null }),
      UnusableRecordError,
    );
  });
});

describe('batch reduction', () => {
  const interpreter = new ChangeInterpreter(settings());
  const changes = (...records: SinkRecord[]): Change[] => records.map((r) => interpreter.interpret(r)!);

  test('several changes to one key keep only the last; insert then delete leaves a delete, delete then insert a write', () => {
    const [plan] = planBatch(
      changes(
        record('c', 1, 'a'),
        record('u', 1, 'b'),
        record('c', 2),
        record('d', 2),
        record('d', 3),
        record('c', 3, 'back'),
      ),
      'upsert',
    );
    assert.deepEqual(
      plan!.writes.map((w) => w.columns.map((c) => c.parameter)),
      [
        [1, 'b'],
        [3, 'back'],
      ],
    );
    assert.deepEqual(
      plan!.deletes.map((d) => d.key[0]!.parameter),
      [2],
    );
  });

  test('a truncate forgets earlier changes of its table', () => {
    const [plan] = planBatch(changes(record('c', 1), record('t', 0), record('c', 2)), 'upsert');
    assert.equal(plan!.truncate, true);
    assert.deepEqual(
      plan!.writes.map((w) => w.key[0]!.parameter),
      [2],
    );
  });

  test('in insert mode a key deleted earlier in the batch is deleted before it is inserted again', () => {
    const [plan] = planBatch(changes(record('d', 3), record('c', 3, 'again')), 'insert');
    assert.deepEqual(
      plan!.deletes.map((d) => d.key[0]!.parameter),
      [3],
    );
    assert.deepEqual(
      plan!.writes.map((w) => w.key[0]!.parameter),
      [3],
    );
  });
});

describe('types and values', () => {
  test('Connect and Debezium schemas map to Postgres column types', () => {
    const cases: [ReturnType<SchemaBuilder['build']>, string][] = [
      [Schemas.INT8, 'smallint'],
      [Schemas.INT32, 'integer'],
      [Schemas.INT64, 'bigint'],
      [Schemas.FLOAT32, 'real'],
      [Schemas.FLOAT64, 'double precision'],
      [Schemas.BOOLEAN, 'boolean'],
      [Schemas.STRING, 'text'],
      [Schemas.BYTES, 'bytea'],
      [decimalSchema(2).build(), 'numeric'],
      [decimalSchema(2).parameter('connect.decimal.precision', '10').build(), 'numeric(10,2)'],
      [timestampSchema().build(), 'timestamp(3)'],
      [SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').build(), 'timestamp(6)'],
      [SchemaBuilder.string().name('io.debezium.time.ZonedTimestamp').build(), 'timestamptz'],
      [SchemaBuilder.int32().name('io.debezium.time.Date').build(), 'date'],
      [SchemaBuilder.int64().name('io.debezium.time.MicroTime').build(), 'time(6)'],
      [SchemaBuilder.string().name('io.debezium.data.Json').build(), 'jsonb'],
      [SchemaBuilder.string().name('io.debezium.data.Uuid').build(), 'uuid'],
      [SchemaBuilder.array(Schemas.INT32).build(), 'integer[]'],
      [SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build(), 'jsonb'],
      [rowSchema, 'jsonb'],
    ];
    for (const [schema, type] of cases) assert.equal(columnTypeOf(schema), type, schema.name ?? schema.type);
  });

  test('values are converted to what Postgres parses for those types', () => {
    const vsdSchema = SchemaBuilder.struct()
      .name('io.debezium.data.VariableScaleDecimal')
      .field('scale', Schemas.INT32)
      .field('value', Schemas.BYTES)
      .build();
    assert.equal(
      toSqlParameter(
        vsdSchema,
        new Struct(vsdSchema).put('scale', 3).put('value', Buffer.from([0xfb, 0x2e])),
      ),
      '-1.234',
    );
    assert.equal(
      toSqlParameter(
        SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').build(),
        1_700_000_000_123_456,
      ),
      '2023-11-14T22:13:20.123456',
    );
    assert.equal(
      toSqlParameter(SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').build(), -1),
      '1969-12-31T23:59:59.999999',
    );
    assert.equal(
      toSqlParameter(SchemaBuilder.int32().name('io.debezium.time.Date').build(), 19_000),
      '2022-01-08',
    );
    assert.equal(
      toSqlParameter(SchemaBuilder.int64().name('io.debezium.time.MicroTime').build(), 3_723_000_004),
      '01:02:03.000004',
    );
    assert.equal(
      toSqlParameter(timestampSchema().build(), new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 6))),
      '2020-01-02T03:04:05.006',
    );
    assert.equal(toSqlParameter(Schemas.INT64, 2n ** 62n), '4611686018427387904');
    assert.deepEqual(toSqlParameter(SchemaBuilder.array(Schemas.STRING).build(), ['a', 'b']), ['a', 'b']);
    assert.equal(
      toSqlParameter(rowSchema, new Struct(rowSchema).put('id', 1).put('Note', null)),
      '{"id":1,"Note":null}',
    );
  });
});

describe('error classification', () => {
  test('connection loss is retried, constraint and data errors isolate the record', () => {
    assert.equal(
      isConnectionProblem(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
      true,
    );
    assert.equal(
      isConnectionProblem(Object.assign(new Error('terminating connection'), { code: '57P01' })),
      true,
    );
    assert.equal(isConnectionProblem(new Error('Connection terminated unexpectedly')), true);
    assert.equal(isConnectionProblem(Object.assign(new Error('dup'), { code: '23505' })), false);
    assert.equal(isRecordProblem(Object.assign(new Error('check'), { code: '23514' })), true);
    assert.equal(isRecordProblem(Object.assign(new Error('too long'), { code: '22001' })), true);
    assert.equal(isRecordProblem(Object.assign(new Error('syntax'), { code: '42601' })), false);
  });
});
