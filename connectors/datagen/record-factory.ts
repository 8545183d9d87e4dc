import { sourceRecord, Struct, type SourceRecord } from '../../runtime/api/index.js';
import type { DatagenSettings } from './config.js';
import { seqOffset, taskPartition } from './datagen-offsets.js';
import { DATAGEN_KEY_SCHEMA, DATAGEN_VALUE_SCHEMA } from './schemas.js';

const PAYLOAD_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const PAYLOAD_POOL_SLACK = 4096;
/** Spreads the payload windows of consecutive records over the pool (prime, so every offset gets used). */
const PAYLOAD_STRIDE = 7919;

/**
 * Fixed-seed xorshift32: the payload text looks random (so compression ratios resemble real data)
 * yet is the same in every process.
 */
function payloadPool(length: number): string {
  let state = 0x2545f491;
  const chars: string[] = new Array<string>(length);
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    chars[i] = PAYLOAD_ALPHABET[(state >>> 0) % PAYLOAD_ALPHABET.length] as string;
  }
  return chars.join('');
}

/** The record id: unique across tasks because each task counts its own seq from 0. */
export function datagenId(taskIndex: number, seq: number): string {
  return `${taskIndex}-${seq}`;
}

/** Builds the records of one task; a record depends only on the settings, the task index and its seq. */
export class DatagenRecordFactory {
  private readonly pool: string;

  constructor(
    private readonly settings: DatagenSettings,
    private readonly taskIndex: number,
  ) {
    this.pool = payloadPool(settings.recordSizeBytes + PAYLOAD_POOL_SLACK);
  }

  create(seq: number): SourceRecord {
    const id = datagenId(this.taskIndex, seq);
    const ts = this.settings.startTimestampMs + seq * this.settings.timestampStepMs;
    const value = new Struct(DATAGEN_VALUE_SCHEMA)
      .put('id', id)
      .put('task', this.taskIndex)
      .put('seq', seq)
      .put('ts', new Date(ts))
      .put('payload', this.payload(seq, this.payloadLength(id, seq, ts)));
    return sourceRecord({
      sourcePartition: taskPartition(this.taskIndex),
      sourceOffset: seqOffset(seq),
      topic: this.settings.topic,
      keySchema: DATAGEN_KEY_SCHEMA,
      key: new Struct(DATAGEN_KEY_SCHEMA).put('id', id),
      valueSchema: DATAGEN_VALUE_SCHEMA,
      value,
      timestamp: this.settings.recordTimestampFromValue ? ts : null,
    });
  }

  /** Pads to record.size.bytes as the value would serialize to schemaless JSON (all characters are ASCII). */
  private payloadLength(id: string, seq: number, ts: number): number {
    const fixedPart = `{"id":"${id}","task":${this.taskIndex},"seq":${seq},"ts":${ts},"payload":""}`;
    return Math.max(0, this.settings.recordSizeBytes - fixedPart.length);
  }

  private payload(seq: number, length: number): string {
    const start = (seq * PAYLOAD_STRIDE) % (this.pool.length - length + 1);
    return this.pool.slice(start, start + length);
  }
}
