import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Schemas, SchemaBuilder, Struct, type SinkRecord } from '../../../../runtime/api/index.js';
import { PartitionWriter } from '../../../../connectors/s3/sink/partition-writer.js';
import { s3SinkSettings } from '../../../../connectors/s3/sink/sink-config.js';
import type { RecordNotWritable } from '../../../../connectors/s3/format/record-format.js';
import type { MultipartUpload, UploadTarget } from '../../../../connectors/s3/storage/object-store.js';

/** An in-memory bucket that can be told to fail the next requests. */
class FakeBucket implements UploadTarget {
  readonly objects = new Map<string, string>();
  readonly parts = new Map<string, Buffer[]>();
  aborted: string[] = [];
  failNext = 0;

  private maybeFail(): void {
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    }
  }
  /** Puts wait for this (to hold an upload in flight). */
  gate: Promise<void> = Promise.resolve();

  async put(key: string, body: Uint8Array): Promise<void> {
    await this.gate;
    this.maybeFail();
    this.objects.set(key, Buffer.from(body).toString());
  }
  async startMultipart(key: string): Promise<MultipartUpload> {
    this.maybeFail();
    this.parts.set(`${key}#1`, []);
    return { key, uploadId: '1', etags: [] };
  }
  async addPart(upload: MultipartUpload, body: Uint8Array): Promise<void> {
    this.maybeFail();
    this.parts.get(`${upload.key}#1`)![upload.etags.length] = Buffer.from(body);
    upload.etags.push(`e${upload.etags.length + 1}`);
  }
  async completeMultipart(upload: MultipartUpload): Promise<void> {
    this.maybeFail();
    this.objects.set(upload.key, Buffer.concat(this.parts.get(`${upload.key}#1`)!).toString());
  }
  async abortMultipart(upload: MultipartUpload): Promise<void> {
    this.aborted.push(upload.key);
  }
}

function record(
  offset: number,
  value: unknown,
  timestamp = 1_000 + offset,
  valueSchema = null as SinkRecord['valueSchema'],
): SinkRecord {
  return {
    topic: 't',
    kafkaPartition: 0,
    kafkaOffset: offset,
    originalTopic: 't',
    originalKafkaPartition: 0,
    originalKafkaOffset: offset,
    keySchema: null,
    key: null,
    valueSchema,
    value,
    timestamp,
    timestampType: 'CreateTime',
    headers: [],
  };
}

async function writer(config: Record<string, string>, bucket = new FakeBucket()) {
  const rejected: [number, RecordNotWritable][] = [];
  const settings = await s3SinkSettings({
    's3.bucket.name': 'b',
    'format.class': 'JsonFormat',
    'flush.size': '3',
    ...config,
  });
  const w = new PartitionWriter({ topic: 't', partition: 0 }, settings, bucket, async (r, e) => {
    rejected.push([r.kafkaOffset, e]);
  });
  return { w, bucket, rejected };
}

const key = (offset: number): string => `topics/t/partition=0/t+0+${String(offset).padStart(10, '0')}.json`;

test('flush.size cuts objects named by their first offset; only offsets before the open batch are committable', async () => {
  const { w, bucket } = await writer({});
  assert.equal(w.committableOffset(), null, 'nothing seen, nothing to commit');
  for (let i = 0; i < 7; i++) await w.write(record(i, { i }));
  await w.settle();
  assert.deepEqual([...bucket.objects.keys()], [key(0), key(3)]);
  assert.equal(bucket.objects.get(key(3)), '{"i":3}\n{"i":4}\n{"i":5}\n');
  assert.equal(w.committableOffset(), 6, 'offset 6 is in the open batch');
});

test('redelivered records are skipped; a failed upload is retried on redelivery and nothing is written twice', async () => {
  const { w, bucket } = await writer({});
  for (let i = 0; i < 2; i++) await w.write(record(i, { i }));
  bucket.failNext = 2;
  await w.write(record(2, { i: 2 })); // completes the batch: its upload runs in the background
  await assert.rejects(w.settle(), /ECONNREFUSED/, 'the upload and its retry failed');
  assert.equal(w.committableOffset(), 0, 'the batch is not in S3: nothing committable');
  // The worker redelivers the whole batch.
  for (let i = 0; i < 4; i++) await w.write(record(i, { i }));
  await w.settle();
  assert.deepEqual([...bucket.objects.keys()], [key(0)]);
  assert.equal(bucket.objects.get(key(0)), '{"i":0}\n{"i":1}\n{"i":2}\n');
  assert.equal(w.committableOffset(), 3);
});

test('rotate.interval.ms rotates on record time before the record that is too late', async () => {
  const { w, bucket } = await writer({
    'flush.size': '100',
    'rotate.interval.ms': '10',
    'timestamp.extractor': 'Record',
  });
  const times = [0, 5, 9, 10, 12, 25];
  for (const [i, t] of times.entries()) await w.write(record(i, { i }, t));
  await w.settle();
  assert.deepEqual([...bucket.objects.keys()], [key(0), key(3)]);
  assert.equal(bucket.objects.get(key(0)), '{"i":0}\n{"i":1}\n{"i":2}\n');
  assert.equal(w.committableOffset(), 5);
});

test('behavior.on.null.values: ignore skips, fail reports the record naming the setting', async () => {
  const ignore = await writer({ 'behavior.on.null.values': 'ignore' });
  for (const [i, v] of [{ i: 0 }, null, { i: 2 }, { i: 3 }].entries()) await ignore.w.write(record(i, v));
  await ignore.w.settle();
  assert.equal(ignore.bucket.objects.get(key(0)), '{"i":0}\n{"i":2}\n{"i":3}\n');
  const fail = await writer({});
  await fail.w.write(record(0, null));
  assert.equal(fail.rejected[0]![0], 0);
  assert.match(fail.rejected[0]![1].message, /behavior\.on\.null\.values/);
  assert.equal(fail.w.committableOffset(), 1, 'a rejected record is past once reported');
});

test('a new value schema starts a new batch only for ParquetFormat-like writers; JSON takes any', async () => {
  const schemaA = new SchemaBuilder('struct').field('a', Schemas.INT32).build();
  const schemaB = new SchemaBuilder('struct').field('b', Schemas.STRING).build();
  const { w, bucket } = await writer({});
  await w.write(record(0, new Struct(schemaA).put('a', 1), 1, schemaA));
  await w.write(record(1, new Struct(schemaB).put('b', 'x'), 2, schemaB));
  await w.write(record(2, new Struct(schemaA).put('a', 2), 3, schemaA));
  await w.settle();
  assert.equal(bucket.objects.get(key(0)), '{"a":1}\n{"b":"x"}\n{"a":2}\n');
});

test('past s3.part.size the object goes up in parts; discard aborts an unfinished multipart upload', async () => {
  const partSize = 5 * 1024 * 1024;
  const big = 'x'.repeat(1024 * 1024);
  const { w, bucket } = await writer({ 'flush.size': '20', 's3.part.size': String(partSize) });
  for (let i = 0; i < 12; i++) await w.write(record(i, { big }));
  const parts = bucket.parts.get(`${key(0)}#1`)!;
  assert.ok(parts.length >= 2, `${parts.length} parts uploaded before the object is complete`);
  assert.equal(bucket.objects.size, 0, 'not visible before completion');
  await w.discard();
  assert.deepEqual(bucket.aborted, [key(0)]);
  assert.equal(w.committableOffset(), null, 'nothing past the last commit after a discard');
});

test('a batch whose close failed on its last record is still closed at flush.size: the next object starts where a clean run starts it', async () => {
  const { w, bucket } = await writer({});
  let release = (): void => {};
  bucket.gate = new Promise((resolve) => (release = resolve));
  for (let i = 0; i < 3; i++) await w.write(record(i, { i })); // batch 0..2 uploads in the background, held
  await w.write(record(3, { i: 3 }));
  await w.write(record(4, { i: 4 }));
  bucket.failNext = 2; // the held upload and its retry fail
  const closing = w.write(record(5, { i: 5 })); // fills batch 3..5, whose close waits for batch 0..2
  release();
  await assert.rejects(closing, /ECONNREFUSED/);
  // The worker redelivers the put batch: the upload is retried and succeeds; 3..5 are already written.
  for (let i = 3; i < 6; i++) await w.write(record(i, { i }));
  for (let i = 6; i < 8; i++) await w.write(record(i, { i }));
  await w.settle();
  assert.deepEqual([...bucket.objects.keys()], [key(0), key(3)]);
  assert.equal(bucket.objects.get(key(3)), '{"i":3}\n{"i":4}\n{"i":5}\n', 'record 6 starts the next object');
  assert.equal(w.committableOffset(), 6);
});
