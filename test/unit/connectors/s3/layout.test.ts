import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaBuilder, Schemas, Struct, type SinkRecord } from '../../../../runtime/api/index.js';
import { JodaPathFormat } from '../../../../connectors/s3/layout/joda-path-format.js';
import {
  objectKey,
  parseObjectKey,
  type ObjectKeyLayout,
} from '../../../../connectors/s3/layout/object-key.js';
import {
  DefaultPartitioner,
  FieldPartitioner,
  TimeBasedPartitioner,
} from '../../../../connectors/s3/layout/partitioner.js';
import {
  recordFieldTimestamp,
  recordTimestamp,
} from '../../../../connectors/s3/layout/timestamp-extractors.js';

const LAYOUT: ObjectKeyLayout = {
  topicsDir: 'topics',
  directoryDelim: '/',
  fileDelim: '+',
  offsetPadWidth: 10,
};

function record(value: unknown, timestamp: number | null = 0): SinkRecord {
  return {
    topic: 'orders',
    kafkaPartition: 3,
    kafkaOffset: 42,
    keySchema: null,
    key: null,
    valueSchema: null,
    value,
    timestamp,
    timestampType: 'CreateTime',
    headers: [],
    originalTopic: 'orders',
    originalKafkaPartition: 3,
    originalKafkaOffset: 42,
  };
}

test("object keys follow Confluent's layout and parse back, also for topics containing the file delimiter", () => {
  const parts = {
    topic: 'shop+eu.orders',
    encodedPartition: 'partition=3',
    kafkaPartition: 3,
    startOffset: 1200,
    extension: '.json.gz',
  };
  const key = objectKey(LAYOUT, parts);
  assert.equal(key, 'topics/shop+eu.orders/partition=3/shop+eu.orders+3+0000001200.json.gz');
  assert.deepEqual(parseObjectKey(LAYOUT, key, '.json.gz'), parts);
  assert.equal(parseObjectKey(LAYOUT, 'topics/orders/partition=3/notes.txt', '.json'), null);
  assert.equal(parseObjectKey(LAYOUT, 'topics/orders/partition=3/orders+x+12.json', '.json'), null);
});

test('Joda path formats: quoted literals, padded fields, the zone applied', () => {
  const at = Date.UTC(2026, 11, 5, 23, 7, 9);
  const daily = new JodaPathFormat("'year'=YYYY/'month'=MM/'day'=dd", 'UTC');
  assert.equal(daily.format(at), 'year=2026/month=12/day=05');
  const hourly = new JodaPathFormat("'dt'=YYYY-MM-dd/'hour'=HH", 'Europe/Berlin');
  assert.equal(hourly.format(at), 'dt=2026-12-06/hour=00', 'Berlin is UTC+1 in December');
  assert.equal(new JodaPathFormat("'it''s' HH:mm:ss", 'UTC').format(at), "it's 23:07:09");
  assert.throws(() => new JodaPathFormat('YYYY/ww', 'UTC'), /pattern letter 'w'/);
});

test('partitioners: default, field (struct and map values), time-based rounded down to the duration', () => {
  assert.equal(new DefaultPartitioner().encodePartition(record('x')), 'partition=3');
  const schema = SchemaBuilder.struct().field('region', Schemas.STRING).field('year', Schemas.INT32).build();
  const struct = new Struct(schema).put('region', 'eu').put('year', 2026);
  const byField = new FieldPartitioner(['region', 'year'], '/');
  assert.equal(byField.encodePartition(record(struct)), 'region=eu/year=2026');
  assert.equal(byField.encodePartition(record({ region: 'us', year: 2025 })), 'region=us/year=2025');
  assert.throws(() => byField.encodePartition(record({ region: 'us' })), /partition.field.name year/);
  const hourly = new TimeBasedPartitioner("'hour'=HH", 3_600_000, 'UTC', recordTimestamp);
  assert.equal(hourly.encodePartition(record('x', Date.UTC(2026, 0, 1, 13, 59, 59))), 'hour=13');
  assert.throws(() => hourly.encodePartition(record('x', null)), /no timestamp/);
});

test('RecordField timestamps: epoch millis, Date and ISO strings, nested; a clear error otherwise', () => {
  const extract = recordFieldTimestamp('meta.at');
  assert.equal(extract(record({ meta: { at: 1000 } })), 1000);
  assert.equal(extract(record({ meta: { at: new Date(2000) } })), 2000);
  assert.equal(extract(record({ meta: { at: '1970-01-01T00:00:03Z' } })), 3000);
  assert.throws(() => extract(record({ meta: {} })), /timestamp.field meta.at of orders-3@42 is missing/);
});
