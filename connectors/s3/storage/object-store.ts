import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

/** Where and how to reach the bucket (the Confluent S3 sink's keys, read by the connectors' config). */
export interface ObjectStoreSettings {
  readonly bucket: string;
  readonly region: string;
  /** `store.url`: an S3-compatible endpoint, or null for AWS. */
  readonly endpoint: string | null;
  readonly pathStyle: boolean;
  readonly accessKeyId: string | null;
  readonly secretAccessKey: string | null;
  /** Attempts per request inside the SDK before an error reaches the task. */
  readonly maxAttempts: number;
}

export interface ListedObject {
  readonly key: string;
  readonly size: number;
}

/** An upload in parts; parts are numbered from 1 in the order added. */
export interface MultipartUpload {
  readonly key: string;
  readonly uploadId: string;
  readonly etags: string[];
}

/** What an upload needs of the store (a fake in unit tests). */
export type UploadTarget = Pick<
  ObjectStore,
  'put' | 'startMultipart' | 'addPart' | 'completeMultipart' | 'abortMultipart'
>;

/** The few S3 calls the sink and source make, on one client; errors are the SDK's (see s3-failure.ts). */
export class ObjectStore {
  private readonly client: S3Client;

  constructor(readonly settings: ObjectStoreSettings) {
    this.client = new S3Client({
      region: settings.region,
      ...(settings.endpoint === null ? {} : { endpoint: settings.endpoint }),
      forcePathStyle: settings.pathStyle,
      maxAttempts: settings.maxAttempts,
      ...(settings.accessKeyId !== null && settings.secretAccessKey !== null
        ? {
            credentials: {
              accessKeyId: settings.accessKeyId,
              secretAccessKey: settings.secretAccessKey,
            },
          }
        : {}),
    });
  }

  /** `s3://bucket at endpoint`, for messages. */
  describe(): string {
    const where = this.settings.endpoint ?? `AWS ${this.settings.region}`;
    return `s3://${this.settings.bucket} at ${where}`;
  }

  async checkBucket(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }));
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.settings.bucket, Key: key, Body: body }));
  }

  async get(key: string): Promise<Uint8Array> {
    const reply = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }));
    if (reply.Body === undefined) return new Uint8Array(0);
    return reply.Body.transformToByteArray();
  }

  /** Every object under `prefix` whose key sorts after `startAfter`, in key order, a page at a time. */
  async *list(prefix: string, startAfter?: string): AsyncGenerator<ListedObject> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.settings.bucket,
          Prefix: prefix,
          ...(token === undefined && startAfter !== undefined ? { StartAfter: startAfter } : {}),
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      for (const item of page.Contents ?? [])
        if (item.Key !== undefined) yield { key: item.Key, size: item.Size ?? 0 };
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async startMultipart(key: string): Promise<MultipartUpload> {
    const reply = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.settings.bucket, Key: key }),
    );
    if (reply.UploadId === undefined) throw new Error(`S3 gave no upload id for ${key}`);
    return { key, uploadId: reply.UploadId, etags: [] };
  }

  async addPart(upload: MultipartUpload, body: Uint8Array): Promise<void> {
    const reply = await this.client.send(
      new UploadPartCommand({
        Bucket: this.settings.bucket,
        Key: upload.key,
        UploadId: upload.uploadId,
        PartNumber: upload.etags.length + 1,
        Body: body,
      }),
    );
    upload.etags.push(reply.ETag ?? '');
  }

  async completeMultipart(upload: MultipartUpload): Promise<void> {
    await this.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.settings.bucket,
        Key: upload.key,
        UploadId: upload.uploadId,
        MultipartUpload: { Parts: upload.etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
  }

  async abortMultipart(upload: MultipartUpload): Promise<void> {
    await this.client.send(
      new AbortMultipartUploadCommand({
        Bucket: this.settings.bucket,
        Key: upload.key,
        UploadId: upload.uploadId,
      }),
    );
  }

  /** Multipart uploads started under `prefix` and neither completed nor aborted (left by a killed task). */
  async openUploads(prefix: string): Promise<MultipartUpload[]> {
    const reply = await this.client.send(
      new ListMultipartUploadsCommand({ Bucket: this.settings.bucket, Prefix: prefix }),
    );
    return (reply.Uploads ?? []).flatMap((u) =>
      u.Key !== undefined && u.UploadId !== undefined
        ? [{ key: u.Key, uploadId: u.UploadId, etags: [] }]
        : [],
    );
  }

  close(): void {
    this.client.destroy();
  }
}
