import { test } from 'node:test';
import assert from 'node:assert/strict';
import cassandra from 'cassandra-driver';
import { plainValue } from '../../../../connectors/cassandra/backfill/row-values.js';

const { Long, BigDecimal, Integer, Uuid, LocalDate, Tuple, InetAddress } = cassandra.types;

test('CQL values become plain data a schemaless converter writes', () => {
  assert.equal(plainValue(null), null);
  assert.equal(plainValue(undefined), null);
  assert.equal(plainValue('text'), 'text');
  assert.equal(plainValue(Long.fromNumber(12003)), 12003);
  assert.equal(plainValue(Long.fromString('9223372036854775807')), '9223372036854775807');
  assert.equal(
    plainValue(Integer.fromString('123456789012345678901234567890')),
    '123456789012345678901234567890',
  );
  assert.equal(plainValue(BigDecimal.fromString('4001.25')), '4001.25');
  assert.equal(plainValue(new Date(1_700_000_004_001)), 1_700_000_004_001);
  assert.deepEqual(plainValue(Buffer.from([0, 255])), new Uint8Array([0, 255]));
  const uuid = Uuid.random();
  assert.equal(plainValue(uuid), uuid.toString());
  assert.equal(plainValue(new LocalDate(2026, 12, 5)), '2026-12-05');
  assert.equal(plainValue(InetAddress.fromString('127.0.0.1')), '127.0.0.1');
  assert.deepEqual(plainValue(new Map([[Long.fromNumber(1), new Set(['a', 'b'])]])), { 1: ['a', 'b'] });
  assert.deepEqual(plainValue(new Tuple('x', Long.fromNumber(2))), ['x', 2]);
  assert.deepEqual(plainValue({ street: 'Main', no: Long.fromNumber(5) }), { street: 'Main', no: 5 });
});
