// A bucket of its own for each S3 test, with the reads a test checks objects with.
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3_ACCESS_KEY, S3_ENDPOINT, S3_REGION, S3_SECRET_KEY, s3ClientSettings } from './endpoints.js';

export class TestBucket {
  private constructor(
    readonly client: S3Client,
    readonly name: string,
  ) {}

  static async create(prefix: string): Promise<TestBucket> {
    const client = new S3Client(s3ClientSettings());
    const name = `${prefix}-${randomUUID().slice(0, 8)}`.toLowerCase();
    await client.send(new CreateBucketCommand({ Bucket: name }));
    return new TestBucket(client, name);
  }

  /** The S3 sink and source keys that reach this bucket. */
  connectorSettings(): Record<string, string> {
    return {
      's3.bucket.name': this.name,
      's3.region': S3_REGION,
      'store.url': S3_ENDPOINT,
      's3.path.style.access.enabled': 'true',
      'aws.access.key.id': S3_ACCESS_KEY,
      'aws.secret.access.key': S3_SECRET_KEY,
    };
  }

  async keys(prefix = ''): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.name,
          Prefix: prefix,
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      for (const item of page.Contents ?? []) if (item.Key !== undefined) keys.push(item.Key);
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys.sort();
  }

  async bytes(key: string): Promise<Buffer> {
    const reply = await this.client.send(new GetObjectCommand({ Bucket: this.name, Key: key }));
    return Buffer.from(await reply.Body!.transformToByteArray());
  }

  /** The object's text, gunzipped when the key ends in .gz. */
  async text(key: string): Promise<string> {
    const bytes = await this.bytes(key);
    return (key.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.name, Key: key, Body: body }));
  }

  async openUploads(): Promise<string[]> {
    const reply = await this.client.send(new ListMultipartUploadsCommand({ Bucket: this.name }));
    return (reply.Uploads ?? []).map((u) => u.Key ?? '');
  }

  async drop(): Promise<void> {
    for (const key of await this.keys().catch(() => []))
      await this.client.send(new DeleteObjectCommand({ Bucket: this.name, Key: key })).catch(() => undefined);
    await this.client.send(new DeleteBucketCommand({ Bucket: this.name })).catch(() => undefined);
    this.client.destroy();
  }
}
