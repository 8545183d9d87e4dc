import type { MultipartUpload, UploadTarget } from '../storage/object-store.js';

/**
 * One object on its way to S3. Small objects go up in one PutObject when complete; once the bytes waiting pass
 * the part size they go up as parts of a multipart upload, so memory stays below about one part. Every step
 * can be retried after a failure: a part keeps its number until S3 accepted it.
 */
export class ObjectUpload {
  private waiting: Uint8Array[] = [];
  private waitingBytes = 0;
  private multipart: MultipartUpload | null = null;
  private completed = false;

  constructor(
    private readonly store: UploadTarget,
    readonly key: string,
    private readonly partSize: number,
  ) {}

  get isComplete(): boolean {
    return this.completed;
  }

  add(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.waiting.push(bytes);
    this.waitingBytes += bytes.length;
  }

  /** Sends what waits as a part when it reaches the part size (S3 wants at least 5 MiB per part but the last). */
  async sendFullParts(): Promise<void> {
    if (this.waitingBytes < this.partSize) return;
    this.multipart ??= await this.store.startMultipart(this.key);
    await this.store.addPart(this.multipart, Buffer.concat(this.waiting));
    this.waiting = [];
    this.waitingBytes = 0;
  }

  /** Makes the object visible, with everything added. */
  async complete(): Promise<void> {
    if (this.completed) return;
    if (this.multipart === null) {
      await this.store.put(this.key, Buffer.concat(this.waiting));
    } else {
      if (this.waitingBytes > 0) await this.store.addPart(this.multipart, Buffer.concat(this.waiting));
      this.waiting = [];
      this.waitingBytes = 0;
      await this.store.completeMultipart(this.multipart);
    }
    this.waiting = [];
    this.waitingBytes = 0;
    this.completed = true;
  }

  /** Drops the object: a started multipart upload is aborted, so no part of it ever becomes visible. */
  async abort(): Promise<void> {
    this.waiting = [];
    this.waitingBytes = 0;
    const multipart = this.multipart;
    this.multipart = null;
    if (multipart !== null && !this.completed) await this.store.abortMultipart(multipart);
  }
}
