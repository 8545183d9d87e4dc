import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  fieldOf,
  LogicalTypeNames,
  SchemaBuilder,
  Schemas,
  timestampSchema,
} from '../../../runtime/api/schema.js';
import { Struct } from '../../../runtime/api/struct.js';
import { JavaDateFormat } from '../../../runtime/transforms/support/java-date-format.js';
import { sink, source, transform } from './helpers.js';

const AT = Date.UTC(2024, 0, 31, 13, 45, 6, 789);

describe('JavaDateFormat', () => {
  test('formats and parses SimpleDateFormat patterns in UTC', () => {
    const f = new JavaDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS");
    assert.equal(f.format(new Date(AT)), '2024-01-31T13:45:06.789');
    assert.equal(f.parse('2024-01-31T13:45:06.789').getTime(), AT);
    assert.equal(new JavaDateFormat('yyyyMMdd').parse('20240131').getTime(), Date.UTC(2024, 0, 31));
    assert.equal(new JavaDateFormat('dd MMM yyyy hh:mm a').format(new Date(AT)), '31 Jan 2024 01:45 PM');
    assert.throws(() => new JavaDateFormat('yyyy-qq'), /Illegal pattern character 'q'/);
  });
});

describe('TimestampConverter', () => {
  test('schemaless field: unix millis to formatted string', () => {
    const t = transform('TimestampConverter$Value', {
      field: 'ts',
      'target.type': 'string',
      format: 'yyyy-MM-dd HH:mm',
    });
    assert.deepEqual(t.apply(source({ value: { ts: AT, id: 1 } }))!.value, { ts: '2024-01-31 13:45', id: 1 });
  });

  test('schemaless whole value: string to unix seconds', () => {
    const t = transform('TimestampConverter$Key', {
      'target.type': 'unix',
      format: 'yyyy-MM-dd',
      'unix.precision': 'seconds',
    });
    assert.equal(t.apply(source({ key: '2024-01-31' }))!.key, Date.UTC(2024, 0, 31) / 1000);
  });

  test("schema'd field: int64 micros to Timestamp, and Timestamp to Date/Time", () => {
    const schema = SchemaBuilder.struct().field('ts', Schemas.INT64).field('id', Schemas.INT32).build();
    const t = transform('TimestampConverter$Value', {
      field: 'ts',
      'target.type': 'Timestamp',
      'unix.precision': 'microseconds',
    });
    const out = t.apply(
      sink({ valueSchema: schema, value: new Struct(schema).put('ts', AT * 1000).put('id', 3) }),
    )!;
    assert.equal(fieldOf(out.valueSchema!, 'ts')!.schema.name, LogicalTypeNames.TIMESTAMP);
    assert.deepEqual((out.value as Struct).get('ts'), new Date(AT));
    assert.equal((out.value as Struct).get('id'), 3);

    const whole = timestampSchema().build();
    const date = transform('TimestampConverter$Value', { 'target.type': 'Date' }).apply(
      source({ valueSchema: whole, value: new Date(AT) }),
    )!;
    assert.equal(date.valueSchema!.name, LogicalTypeNames.DATE);
    assert.deepEqual(date.value, new Date(Date.UTC(2024, 0, 31)));
    const time = transform('TimestampConverter$Value', { 'target.type': 'Time' }).apply(
      source({ valueSchema: whole, value: new Date(AT) }),
    )!;
    assert.deepEqual(time.value, new Date(Date.UTC(1970, 0, 1, 13, 45, 6, 789)));
  });

  test('configuration and data errors name what is wrong', () => {
    assert.throws(
      () => transform('TimestampConverter$Value', { 'target.type': 'string' }),
      /requires format option to be specified when using string timestamps/,
    );
    assert.throws(
      () => transform('TimestampConverter$Value', { 'target.type': 'date' }),
      /Invalid value date for configuration target.type: String must be one of: string, unix, Date, Time, Timestamp/,
    );
    assert.throws(
      () => transform('TimestampConverter$Value', {}),
      /Missing required configuration "target.type"/,
    );
    const t = transform('TimestampConverter$Value', { 'target.type': 'unix', format: 'yyyy-MM-dd' });
    assert.throws(
      () => t.apply(source({ value: 'Jan 31' })),
      /Could not parse timestamp: value \(Jan 31\) does not match pattern \(yyyy-MM-dd\)/,
    );
  });
});

describe('TimestampRouter', () => {
  test('default format is ${topic}-${timestamp} with yyyyMMdd', () => {
    assert.equal(transform('TimestampRouter').apply(sink({ timestamp: AT }))!.topic, 'orders-20240131');
    const t = transform('TimestampRouter', {
      'topic.format': 'x_${timestamp}_${topic}',
      'timestamp.format': 'yyyy.MM',
    });
    const out = t.apply(sink({ timestamp: AT }))!;
    assert.equal(out.topic, 'x_2024.01_orders');
    assert.equal(out.kafkaOffset, 42);
  });

  test('a record without timestamp fails', () => {
    assert.throws(
      () => transform('TimestampRouter').apply(sink({ timestamp: null })),
      /Timestamp missing on record/,
    );
  });
});
