// The S3 endpoint (S3Proxy) supports what the S3 sink needs: buckets, put, list v2, get and
// multipart uploads, with SigV4 credentials and path-style addressing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { s3ClientSettings } from '../../support/endpoints.js';

const PART_SIZE = 5 * 1024 * 1024 + 17; // S3's minimum part size is 5 MiB (all but the last part)

test('s3 creates a bucket, puts, lists, gets and completes a multipart upload', async () => {
  const client = new S3Client(s3ClientSettings());
  const bucket = `smoke-${randomUUID()}`;
  const keys = ['topics/orders/partition=0/orders+0+0000000000.json', 'topics/orders/big.bin'];
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));

    const body = '{"id":1}\n{"id":2}\n';
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: keys[0], Body: body, ContentType: 'application/json' }),
    );
    const listed = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'topics/orders/partition=0/' }),
    );
    assert.deepEqual(
      listed.Contents?.map((o) => [o.Key, o.Size]),
      [[keys[0], Buffer.byteLength(body)]],
    );
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keys[0] }));
    assert.equal(await got.Body?.transformToString(), body);

    const parts = [Buffer.alloc(PART_SIZE, 'a'), Buffer.alloc(PART_SIZE, 'b')];
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: keys[1] }),
    );
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const uploaded = await client.send(
        new UploadPartCommand({ Bucket: bucket, Key: keys[1], UploadId, PartNumber: i + 1, Body: part }),
      );
      etags.push(uploaded.ETag ?? '');
    }
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: keys[1],
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: keys[1] }));
    assert.equal(head.ContentLength, 2 * PART_SIZE);
    const tail = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: keys[1], Range: `bytes=${PART_SIZE - 1}-${PART_SIZE}` }),
    );
    assert.equal(await tail.Body?.transformToString(), 'ab');

    const all = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.deepEqual(all.Contents?.map((o) => o.Key).sort(), [...keys].sort());
  } finally {
    for (const key of keys)
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => {});
    await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => {});
    client.destroy();
  }
});
