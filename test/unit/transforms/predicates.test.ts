import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { predicate, source } from './helpers.js';

describe('predicates', () => {
  test('TopicNameMatches matches the whole topic name', () => {
    const p = predicate('TopicNameMatches', { pattern: 'orders|payments\\..*' });
    assert.equal(p.test(source({ topic: 'orders' })), true);
    assert.equal(p.test(source({ topic: 'payments.eu' })), true);
    assert.equal(p.test(source({ topic: 'orders-eu' })), false);
    assert.throws(
      () => predicate('TopicNameMatches', { pattern: '[' }),
      /Invalid value \[ for configuration pattern: entry must be a Java-compatible regular expression/,
    );
    assert.throws(
      () => predicate('TopicNameMatches', { pattern: '' }),
      /configuration pattern: String must be non-empty/,
    );
  });

  test('HasHeaderKey', () => {
    const p = predicate('HasHeaderKey', { name: 'trace' });
    assert.equal(p.test(source({ headers: [{ key: 'trace', schema: null, value: null }] })), true);
    assert.equal(p.test(source({ headers: [{ key: 'other', schema: null, value: 1 }] })), false);
    assert.throws(() => predicate('HasHeaderKey', {}), /Missing required configuration "name"/);
  });

  test('RecordIsTombstone', () => {
    const p = predicate('RecordIsTombstone');
    assert.equal(p.test(source({ key: 'k', value: null })), true);
    assert.equal(p.test(source({ key: 'k', value: { a: 1 } })), false);
  });
});
