import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePgOutput } from '../../../../connectors/postgres/cdc/pgoutput-decoder.js';
import {
  decodeServerFrame,
  standbyStatusUpdate,
  PG_EPOCH_OFFSET_MICROS,
} from '../../../../connectors/postgres/cdc/replication-frames.js';
import { formatLsn, parseLsn } from '../../../../connectors/postgres/cdc/lsn.js';

/** Builds protocol bytes: strings are C strings, [n, bytes] are fixed-width big-endian integers. */
function bytes(...parts: (string | [number, number | bigint] | Buffer)[]): Buffer {
  return Buffer.concat(
    parts.map((p) => {
      if (Buffer.isBuffer(p)) return p;
      if (typeof p === 'string') return Buffer.from(`${p}\0`, 'utf8');
      const [width, value] = p;
      const b = Buffer.alloc(width);
      if (width === 1) b.writeUInt8(Number(value));
      else if (width === 2) b.writeInt16BE(Number(value));
      else if (width === 4) b.writeUInt32BE(Number(value));
      else b.writeBigUInt64BE(BigInt(value));
      return b;
    }),
  );
}
const tag = (t: string): Buffer => Buffer.from(t, 'latin1');

test('Begin and Commit carry LSNs, commit time and xid', () => {
  assert.deepEqual(decodePgOutput(bytes(tag('B'), [8, 0x1_0000_0020n], [8, 5n], [4, 777])), {
    tag: 'begin',
    finalLsn: 0x1_0000_0020n,
    commitTimeMicros: 5n,
    xid: 777,
  });
  assert.deepEqual(decodePgOutput(bytes(tag('C'), [1, 0], [8, 100n], [8, 120n], [8, 9n])), {
    tag: 'commit',
    commitLsn: 100n,
    endLsn: 120n,
    commitTimeMicros: 9n,
  });
});

test('Relation lists columns with key flag, type oid and modifier', () => {
  const message = decodePgOutput(
    bytes(
      tag('R'),
      [4, 16384],
      'public',
      'orders',
      tag('d'),
      [2, 2],
      [1, 1],
      'id',
      [4, 23],
      [4, 0xffffffff],
      [1, 0],
      'amount',
      [4, 1700],
      [4, 655366],
    ),
  );
  assert.deepEqual(message, {
    tag: 'relation',
    relationId: 16384,
    schema: 'public',
    table: 'orders',
    replicaIdentity: 'd',
    columns: [
      { isKey: true, name: 'id', typeOid: 23, typeModifier: -1 },
      { isKey: false, name: 'amount', typeOid: 1700, typeModifier: 655366 },
    ],
  });
});

test('Insert, Update with old key, Delete decode text, null and unchanged-TOAST values', () => {
  const tuple = bytes([2, 3], tag('t'), [4, 2], tag('42'), tag('n'), tag('u'));
  assert.deepEqual(decodePgOutput(Buffer.concat([bytes(tag('I'), [4, 7], tag('N')), tuple])), {
    tag: 'insert',
    relationId: 7,
    newTuple: [{ kind: 'text', text: '42' }, { kind: 'null' }, { kind: 'unchanged-toast' }],
  });
  const update = decodePgOutput(Buffer.concat([bytes(tag('U'), [4, 7], tag('K')), tuple, tag('N'), tuple]));
  assert.equal(update.tag, 'update');
  assert.equal(update.tag === 'update' && update.oldKind, 'K');
  const plainUpdate = decodePgOutput(Buffer.concat([bytes(tag('U'), [4, 7], tag('N')), tuple]));
  assert.equal(plainUpdate.tag === 'update' && plainUpdate.oldTuple, null);
  const del = decodePgOutput(Buffer.concat([bytes(tag('D'), [4, 7], tag('O')), tuple]));
  assert.equal(del.tag === 'delete' && del.oldKind, 'O');
});

test('Truncate, Type and logical decoding Message', () => {
  assert.deepEqual(decodePgOutput(bytes(tag('T'), [4, 2], [1, 3], [4, 10], [4, 11])), {
    tag: 'truncate',
    cascade: true,
    restartIdentity: true,
    relationIds: [10, 11],
  });
  assert.deepEqual(decodePgOutput(bytes(tag('Y'), [4, 99], 'public', 'mood')), {
    tag: 'type',
    typeOid: 99,
    schema: 'public',
    name: 'mood',
  });
  const message = decodePgOutput(bytes(tag('M'), [1, 1], [8, 55n], 'audit', [4, 3], Buffer.from('abc')));
  assert.deepEqual(message, {
    tag: 'message',
    transactional: true,
    messageLsn: 55n,
    prefix: 'audit',
    content: Buffer.from('abc'),
  });
});

test('an unknown message type is an error naming it', () => {
  assert.throws(() => decodePgOutput(tag('Z')), /unknown message type 'Z'/);
});

test('XLogData and keepalive frames; standby status update layout', () => {
  const xlog = decodeServerFrame(bytes(tag('w'), [8, 10n], [8, 20n], [8, 30n], tag('B')));
  assert.equal(xlog.kind, 'xlog');
  assert.equal(xlog.kind === 'xlog' && xlog.payload.toString(), 'B');
  assert.deepEqual(decodeServerFrame(bytes(tag('k'), [8, 99n], [8, 1n], [1, 1])), {
    kind: 'keepalive',
    walEnd: 99n,
    sendTimeMicros: 1n,
    replyRequested: true,
  });
  const status = standbyStatusUpdate(300n, 200n, 200n, 1_000);
  assert.equal(status.length, 34);
  assert.equal(status.toString('latin1', 0, 1), 'r');
  assert.equal(status.readBigUInt64BE(1), 300n);
  assert.equal(status.readBigUInt64BE(9), 200n);
  assert.equal(status.readBigUInt64BE(17), 200n);
  assert.equal(status.readBigInt64BE(25), 1_000_000n - PG_EPOCH_OFFSET_MICROS);
});

test('LSN text round trip', () => {
  assert.equal(parseLsn('16/B374D848'), 0x16_b374d848n);
  assert.equal(formatLsn(0x16_b374d848n), '16/B374D848');
  assert.throws(() => parseLsn('nope'));
});
