// CassandraSink through the real worker against the real Cassandra: every CQL type from schemaless JSON,
// TTL and write time, one topic feeding two tables, tombstones, headers, out-of-order delivery converging on
// the latest change, validation against the live schema, and a bad value going to the dead letter queue.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import cassandra from 'cassandra-driver';
import type { Kafka as KafkaClient, Producer } from 'kafkajs';
import { TestKeyspace } from '../../support/cassandra-keyspace.js';
import { cassandraSinkConnection, kafkaBrokers } from '../../support/endpoints.js';
import { uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

const { Kafka, logLevel } = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');

let testKeyspace: TestKeyspace;
let keyspace: string;
let worker: WorkerProcess;
let cql: cassandra.Client;
let kafka: KafkaClient;
let producer: Producer;

const SCHEMALESS = {
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'key.converter.schemas.enable': 'false',
  'value.converter.schemas.enable': 'false',
};

interface Message {
  key: unknown;
  value: unknown;
  timestamp?: number;
  headers?: Record<string, string>;
}

async function send(topic: string, messages: readonly Message[]): Promise<void> {
  await producer.send({
    topic,
    messages: messages.map((m) => ({
      key: JSON.stringify(m.key),
      value: m.value === null ? null : JSON.stringify(m.value),
      ...(m.timestamp === undefined ? {} : { timestamp: String(m.timestamp) }),
      ...(m.headers === undefined ? {} : { headers: m.headers }),
    })),
  });
}

function sinkConfig(
  topic: string,
  tables: Record<string, string>,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'connector.class': 'com.datastax.oss.kafka.sink.CassandraSinkConnector',
    'tasks.max': '1',
    topics: topic,
    ...cassandraSinkConnection(),
    ...Object.fromEntries(
      Object.entries(tables).map(([table, mapping]) => [
        `topic.${topic}.${keyspace}.${table}.mapping`,
        mapping,
      ]),
    ),
    ...extra,
  };
}

async function rows(query: string): Promise<cassandra.types.Row[]> {
  return (await cql.execute(query, [], { prepare: false })).rows;
}

async function waitForRows<T>(
  query: string,
  expected: T,
  project: (rows: cassandra.types.Row[]) => T,
  what: string,
): Promise<void> {
  let last: T | undefined;
  await waitFor(
    async () => {
      last = project(await rows(query));
      try {
        assert.deepEqual(last, expected);
        return true;
      } catch {
        return false;
      }
    },
    45_000,
    what,
  ).catch((error: unknown) => {
    throw new Error(
      `${(error as Error).message}; last seen ${JSON.stringify(last)}; worker: ${worker.output.slice(-1500)}`,
    );
  });
}

before(async () => {
  testKeyspace = await TestKeyspace.create('cass_sink');
  keyspace = testKeyspace.name;
  cql = testKeyspace.client;
  await cql.execute(`CREATE TYPE ${keyspace}.address (street text, zip int)`);
  await cql.execute(
    `CREATE TABLE ${keyspace}.all_types (id int PRIMARY KEY, c_bigint bigint, c_smallint smallint, c_tinyint tinyint,
      c_boolean boolean, c_float float, c_double double, c_decimal decimal, c_varint varint, c_text text, c_blob blob,
      c_uuid uuid, c_timeuuid timeuuid, c_date date, c_time time, c_timestamp timestamp, c_inet inet,
      c_list list<int>, c_set set<text>, c_map map<text, int>, c_tuple tuple<int, text>, c_udt frozen<address>,
      c_json text)`,
  );
  await cql.execute(
    `CREATE TABLE ${keyspace}.users (id int PRIMARY KEY, name text, email text, trace text, seen timestamp, kafka_ts timestamp)`,
  );
  await cql.execute(
    `CREATE TABLE ${keyspace}.users_by_email (email text, id int, name text, PRIMARY KEY ((email), id))`,
  );
  await cql.execute(`CREATE TABLE ${keyspace}.latest (id int PRIMARY KEY, version int, note text)`);
  kafka = new Kafka({
    clientId: `cass-sink-test-${randomUUID().slice(0, 8)}`,
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  worker = await WorkerProcess.start({ properties: { ...SCHEMALESS, 'offset.flush.interval.ms': '500' } });
});

after(async () => {
  await worker?.dispose();
  await producer?.disconnect().catch(() => undefined);
  await testKeyspace?.drop();
});

describe('Cassandra sink', { timeout: 240_000 }, () => {
  test('every CQL type from schemaless JSON, with the TTL and write time set per record', async () => {
    const topic = uniqueName('cass-types');
    const columns = [
      'c_bigint',
      'c_smallint',
      'c_tinyint',
      'c_boolean',
      'c_float',
      'c_double',
      'c_decimal',
      'c_varint',
      'c_text',
      'c_blob',
      'c_uuid',
      'c_timeuuid',
      'c_date',
      'c_time',
      'c_timestamp',
      'c_inet',
      'c_list',
      'c_set',
      'c_map',
      'c_tuple',
      'c_udt',
      'c_json',
    ];
    const mapping = ['id=key.id', ...columns.map((c) => `${c}=value.${c}`)].join(', ');
    const timestamp = 1_700_000_000_123;
    await send(topic, [
      {
        key: { id: 1 },
        timestamp,
        value: {
          c_bigint: 9007199254740991,
          c_smallint: -32768,
          c_tinyint: 127,
          c_boolean: true,
          c_float: 1.5,
          c_double: -2.25e300,
          c_decimal: '-12345678901234567890.123456789',
          c_varint: '-123456789012345678901234567890',
          c_text: 'héllo ✓',
          c_blob: Buffer.from([0, 1, 254, 255]).toString('base64'),
          c_uuid: '123e4567-e89b-42d3-a456-426614174000',
          c_timeuuid: '50554d6e-29bb-11e5-b345-feff819cdc9f',
          c_date: '2024-02-29',
          c_time: '23:59:59.123456789',
          c_timestamp: '2024-02-29T12:34:56.789Z',
          c_inet: '::1',
          c_list: [3, 1, 3],
          c_set: ['b', 'a'],
          c_map: { x: 1, y: -2 },
          c_tuple: [7, 'seven'],
          c_udt: { street: 'Main St', zip: 12345 },
          c_json: { nested: [1, { a: true }] },
        },
      },
    ]);
    await worker.createConnector(
      topic,
      sinkConfig(topic, { all_types: mapping }, { [`topic.${topic}.${keyspace}.all_types.ttl`]: '3600' }),
    );
    await waitForRows(
      `SELECT id FROM ${keyspace}.all_types`,
      [1],
      (r) => r.map((row) => row['id'] as number),
      'the row arrives',
    );
    const [row] = await rows(
      `SELECT ${columns.join(', ')}, TTL(c_text) AS t, WRITETIME(c_text) AS w FROM ${keyspace}.all_types WHERE id = 1`,
    );
    assert.ok(row);
    assert.equal(row['c_bigint'].toString(), '9007199254740991');
    assert.equal(row['c_smallint'], -32768);
    assert.equal(row['c_tinyint'], 127);
    assert.equal(row['c_boolean'], true);
    assert.equal(row['c_float'], 1.5);
    assert.equal(row['c_double'], -2.25e300);
    assert.equal(row['c_decimal'].toString(), '-12345678901234567890.123456789');
    assert.equal(row['c_varint'].toString(), '-123456789012345678901234567890');
    assert.equal(row['c_text'], 'héllo ✓');
    assert.deepEqual([...(row['c_blob'] as Buffer)], [0, 1, 254, 255]);
    assert.equal(row['c_uuid'].toString(), '123e4567-e89b-42d3-a456-426614174000');
    assert.equal(row['c_timeuuid'].toString(), '50554d6e-29bb-11e5-b345-feff819cdc9f');
    assert.equal(row['c_date'].toString(), '2024-02-29');
    assert.equal(row['c_time'].toString(), '23:59:59.123456789');
    assert.equal((row['c_timestamp'] as Date).toISOString(), '2024-02-29T12:34:56.789Z');
    assert.equal(row['c_inet'].toString(), '::1');
    assert.deepEqual(row['c_list'], [3, 1, 3]);
    assert.deepEqual([...(row['c_set'] as Iterable<string>)].sort(), ['a', 'b']);
    assert.deepEqual(row['c_map'], { x: 1, y: -2 });
    assert.deepEqual(row['c_tuple'].values(), [7, 'seven']);
    assert.deepEqual(row['c_udt'], { street: 'Main St', zip: 12345 });
    assert.deepEqual(JSON.parse(row['c_json'] as string), { nested: [1, { a: true }] });
    const ttl = row['t'] as number;
    assert.ok(ttl > 3500 && ttl <= 3600, `TTL ${ttl} should be just under 3600`);
    assert.equal(row['w'].toString(), String(timestamp * 1000), 'write time is the Kafka timestamp in µs');
  });

  test('one topic feeds two tables; headers, now() and the record time map to columns; a tombstone deletes', async () => {
    const topic = uniqueName('cass-users');
    await worker.createConnector(
      topic,
      sinkConfig(topic, {
        users:
          'id=key.id, name=value.name, email=value.email, trace=header.trace, seen=now(), kafka_ts=__timestamp',
        users_by_email: 'email=value.email, id=key.id, name=value.name',
      }),
    );
    await worker.waitForState(topic, 'RUNNING', 1);
    await send(topic, [
      {
        key: { id: 10 },
        value: { name: 'Ada', email: 'ada@x' },
        timestamp: 1_000_000,
        headers: { trace: 'first' },
      },
      {
        key: { id: 11 },
        value: { name: 'Bob', email: 'bob@x' },
        timestamp: 1_000_001,
        headers: { trace: 'second' },
      },
    ]);
    await waitForRows(
      `SELECT id, name, email, trace, kafka_ts FROM ${keyspace}.users`,
      [
        [10, 'Ada', 'ada@x', 'first', 1_000_000],
        [11, 'Bob', 'bob@x', 'second', 1_000_001],
      ],
      (r) =>
        r.map((x) => [x['id'], x['name'], x['email'], x['trace'], (x['kafka_ts'] as Date).getTime()]).sort(),
      'both users in users',
    );
    await waitForRows(
      `SELECT email, id, name FROM ${keyspace}.users_by_email`,
      [
        ['ada@x', 10, 'Ada'],
        ['bob@x', 11, 'Bob'],
      ],
      (r) => r.map((x) => [x['email'], x['id'], x['name']]).sort(),
      'both users in users_by_email',
    );
    const [seen] = await rows(`SELECT seen FROM ${keyspace}.users WHERE id = 10`);
    assert.ok(
      Math.abs((seen!['seen'] as Date).getTime() - Date.now()) < 120_000,
      'now() is the time of the write',
    );
    await send(topic, [{ key: { id: 10 }, value: null, timestamp: 1_000_002 }]);
    await waitForRows(
      `SELECT id FROM ${keyspace}.users`,
      [11],
      (r) => r.map((x) => x['id'] as number),
      'the tombstone deleted user 10',
    );
  });

  test('out-of-order delivery and replays converge on the change with the latest timestamp', async () => {
    const topic = uniqueName('cass-latest');
    await worker.createConnector(
      topic,
      sinkConfig(topic, { latest: 'id=key.id, version=value.version, note=value.note' }),
    );
    await worker.waitForState(topic, 'RUNNING', 1);
    // Version 3 is the latest change, but it arrives first; 1 and 2 arrive after it, then 2 again (a replay).
    await send(topic, [
      { key: { id: 1 }, value: { version: 3, note: 'newest' }, timestamp: 3_000 },
      { key: { id: 1 }, value: { version: 1, note: 'oldest' }, timestamp: 1_000 },
      { key: { id: 1 }, value: { version: 2, note: 'middle' }, timestamp: 2_000 },
      { key: { id: 2 }, value: { version: 1, note: 'deleted later' }, timestamp: 1_000 },
      { key: { id: 2 }, value: null, timestamp: 5_000 },
      { key: { id: 2 }, value: { version: 0, note: 'older than the delete' }, timestamp: 4_000 },
      { key: { id: 1 }, value: { version: 2, note: 'middle' }, timestamp: 2_000 },
      { key: { id: 3 }, value: { version: 9, note: 'marker' }, timestamp: 9_000 },
    ]);
    await waitForRows(
      `SELECT id FROM ${keyspace}.latest WHERE id = 3`,
      [3],
      (r) => r.map((x) => x['id'] as number),
      'the marker row',
    );
    assert.deepEqual(
      (await rows(`SELECT id, version, note FROM ${keyspace}.latest`))
        .map((x) => [x['id'], x['version'], x['note']])
        .sort(),
      [
        [1, 3, 'newest'],
        [3, 9, 'marker'],
      ],
    );
  });

  test('mappings are checked against the live schema: 400 naming the mapping entry', async () => {
    const topic = uniqueName('cass-bad');
    const config = sinkConfig(topic, { users: 'id=key.id, nmae=value.name' });
    const validate = await worker.rest<{
      error_count: number;
      configs: { value: { name: string; errors: string[] } }[];
    }>('PUT', '/connector-plugins/CassandraSink/config/validate', config);
    assert.equal(validate.status, 200);
    const mappingKey = `topic.${topic}.${keyspace}.users.mapping`;
    const entry = validate.body.configs.find((c) => c.value.name === mappingKey);
    assert.ok(entry, `validate lists ${mappingKey}: ${validate.text}`);
    assert.match(entry.value.errors.join(' '), /nmae=value\.name.*no column nmae/);
    const create = await worker.rest('POST', '/connectors', { name: topic, config });
    assert.equal(create.status, 400, create.text);
    assert.match(create.text, /nmae/);
    const missingKey = await worker.rest('POST', '/connectors', {
      name: `${topic}-2`,
      config: sinkConfig(topic, { users: 'name=value.name' }),
    });
    assert.equal(missingKey.status, 400);
    assert.match(missingKey.text, /primary key column\(s\) id .*not mapped/);
    const noTable = await worker.rest('POST', '/connectors', {
      name: `${topic}-3`,
      config: sinkConfig(topic, { nope: 'id=key.id' }),
    });
    assert.equal(noTable.status, 400);
    assert.match(noTable.text, new RegExp(`table ${keyspace}\\.nope does not exist`));
  });

  test('a value that does not fit its column goes to the dead letter queue, naming column and types', async () => {
    const topic = uniqueName('cass-dlq');
    const dlq = `${topic}-dlq`;
    await worker.createConnector(
      topic,
      sinkConfig(
        topic,
        { latest: 'id=key.id, version=value.version, note=value.note' },
        {
          'errors.tolerance': 'all',
          'errors.deadletterqueue.topic.name': dlq,
          'errors.deadletterqueue.topic.replication.factor': '1',
          'errors.deadletterqueue.context.headers.enable': 'true',
        },
      ),
    );
    await worker.waitForState(topic, 'RUNNING', 1);
    await send(topic, [
      { key: { id: 20 }, value: { version: 'not a number', note: 'bad' } },
      { key: { id: 21 }, value: { version: 1, note: 'good' } },
    ]);
    await waitForRows(
      `SELECT id FROM ${keyspace}.latest WHERE id = 21`,
      [21],
      (r) => r.map((x) => x['id'] as number),
      'the good row',
    );
    assert.deepEqual(await rows(`SELECT id FROM ${keyspace}.latest WHERE id = 20`), []);
    const consumer = kafka.consumer({ groupId: `cass-dlq-reader-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: dlq, fromBeginning: true });
    const dead = await new Promise<{ value: string; reason: string }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) =>
          resolve({
            value: message.value?.toString() ?? '',
            reason: message.headers?.['__connect.errors.exception.message']?.toString() ?? '',
          }),
      });
    });
    await consumer.disconnect();
    assert.match(dead.value, /not a number/);
    assert.match(dead.reason, /column version \(CQL int\) cannot take a string value/);
    assert.equal((await worker.status(topic)).tasks[0]?.state, 'RUNNING');
  });
});
