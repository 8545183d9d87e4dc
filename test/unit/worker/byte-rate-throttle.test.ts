import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ByteRateBucket,
  messageBytes,
  SharedByteRateThrottles,
} from '../../../runtime/worker/byte-rate-throttle.js';
import { decodeAlterClientQuotas, encodeAlterClientQuotas } from '../../../runtime/kafka/client-quotas.js';

describe('byte-rate throttling', () => {
  test('a batch beyond the bucket passes and leaves a debt the next take waits off, on the bucket’s clock', async () => {
    let now = 0;
    const bucket = new ByteRateBucket(
      () => 1_000_000,
      () => now,
    );
    let checks = 0;
    // 500 bytes of debt at 1 MB/s: the take waits until the clock moved half a millisecond.
    await bucket.take(500, () => {
      checks++;
      if (checks === 3) now += 1;
      return false;
    });
    assert.equal(checks, 3, 'it waited, checking for a stop between waits, until the clock paid the debt');
    // Idle for 10 s: the bucket holds one second's worth, no more.
    now += 10_000;
    let asked = 0;
    await bucket.take(1_000_000, () => ++asked > 0);
    assert.equal(asked, 0, 'a full bucket lets one second of bytes through at once');
    await bucket.take(1, () => ++asked > 0);
    assert.equal(asked, 1, 'the next byte waits (until the task stops, here)');
  });

  test('no quota, or a quota removed while waiting, lets everything through', async () => {
    let rate: number | null = null;
    const bucket = new ByteRateBucket(() => rate);
    await bucket.take(1e9, () => false);
    rate = 1;
    const waiting = bucket.take(1e6, () => false);
    rate = null;
    await waiting;
  });

  test('one bucket per owner and flow; connectors without a quota get none', () => {
    const throttles = new SharedByteRateThrottles((connector) =>
      connector.startsWith('a.') ? { owner: 'a', bytesPerSecond: 10 } : null,
    );
    assert.equal(throttles.forConnector('a.one', 'produce'), throttles.forConnector('a.two', 'produce'));
    assert.notEqual(throttles.forConnector('a.one', 'produce'), throttles.forConnector('a.one', 'consume'));
    assert.equal(throttles.forConnector('b.one', 'produce'), null);
  });

  test('message bytes count keys, values and headers', () => {
    assert.equal(
      messageBytes([
        {
          key: Buffer.from('k'),
          value: Buffer.from('vv'),
          headers: [{ key: 'h', value: Buffer.from('123') }],
        },
        { key: null, value: null, headers: [] },
      ]),
      7,
    );
  });

  test('AlterClientQuotas v0 is encoded as the protocol lays it out, and its answer decoded', () => {
    const request = encodeAlterClientQuotas([{ clientId: 'c', producerByteRate: 1000 }]);
    // entries(1) entity(1) "client-id" "c" ops(1) "producer_byte_rate" 1000.0 false, validate_only false
    assert.equal(request.length, 4 + 4 + 2 + 9 + 2 + 1 + 4 + 2 + 18 + 8 + 1 + 1);
    assert.equal(request.readDoubleBE(4 + 4 + 2 + 9 + 2 + 1 + 4 + 2 + 18), 1000);
    const response = Buffer.concat([
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 1, 0, 31, 0, 2]),
      Buffer.from('no'),
      Buffer.from([0, 0, 0, 1, 0, 9]),
      Buffer.from('client-id'),
      Buffer.from([0, 1]),
      Buffer.from('c'),
    ]);
    assert.deepEqual(decodeAlterClientQuotas(response), [{ errorCode: 31, errorMessage: 'no' }]);
  });
});
