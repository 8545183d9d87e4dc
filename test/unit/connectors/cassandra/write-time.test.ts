import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import cassandra from 'cassandra-driver';
import type { SinkRecord } from '../../../../runtime/api/index.js';
import { tableTargets } from '../../../../connectors/cassandra/table-settings.js';
import { TableWriter, type TableShape } from '../../../../connectors/cassandra/table-writer.js';

const codes = cassandra.types.dataTypes;
const SHAPE: TableShape = {
  columns: new Map([
    ['id', { code: codes.int }],
    ['v', { code: codes.int }],
  ]),
  partitionKey: ['id'],
  primaryKey: ['id'],
};

function writer(): TableWriter {
  const { targets } = tableTargets({ topics: 't', 'topic.t.ks.tbl.mapping': 'id=key.id, v=value.v' });
  return new TableWriter(targets[0]!, SHAPE);
}

function record(offset: number, timestamp: number, value: unknown = { v: offset }): SinkRecord {
  return {
    topic: 't',
    kafkaPartition: 0,
    kafkaOffset: offset,
    timestampType: 'CreateTime',
    originalTopic: 't',
    originalKafkaPartition: 0,
    originalKafkaOffset: offset,
    keySchema: null,
    key: { id: 1 },
    valueSchema: null,
    value,
    timestamp,
    headers: [],
  };
}

/** The USING TIMESTAMP value bound to a write (the last parameter of an insert, the first of a delete). */
function writeTime(w: TableWriter, r: SinkRecord): bigint {
  const write = w.writeFor(r, new Date());
  assert.ok(write !== null && Array.isArray(write.params));
  const bound = (r.value === null ? write.params[0] : write.params.at(-2)) as cassandra.types.Long;
  return BigInt(bound.toString());
}

describe('Cassandra write times', () => {
  test('are the Kafka timestamp in µs plus the offset modulo 1000, the same on a redelivery', () => {
    assert.equal(writeTime(writer(), record(4242, 1_700_000_000_123)), 1_700_000_000_123_242n);
    assert.equal(writeTime(writer(), record(4242, 1_700_000_000_123)), 1_700_000_000_123_242n);
  });

  test('rise in offset order within a millisecond, also across a multiple of 1000 offsets', () => {
    const w = writer();
    const ms = 1_700_000_000_000;
    const times = [
      record(998, ms),
      record(999, ms),
      record(1000, ms),
      record(1001, ms, null),
      record(1002, ms + 1),
    ].map((r) => writeTime(w, r));
    for (let i = 1; i < times.length; i++)
      assert.ok(times[i]! > times[i - 1]!, `write ${i} after write ${i - 1}: ${times.join(', ')}`);
  });

  test('a later record with an older timestamp gets an older write time, so it loses to the newer change', () => {
    const w = writer();
    const newer = writeTime(w, record(0, 3_000));
    const older = writeTime(w, record(1, 1_000));
    assert.ok(older < newer, `${older} < ${newer}`);
  });
});
