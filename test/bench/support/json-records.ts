/**
 * The bytes the worker writes for datagen record `seq` of task 0 with JsonConverter schemas.enable=false:
 * key {"id":"0-<seq>"}, value {"id","task","seq","ts","payload"} padded to `recordSizeBytes`.
 * The baselines build the same shapes and sizes so both sides move the same bytes.
 */
const START_TIMESTAMP_MS = 1_704_067_200_000;
const FILLER = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.repeat(
  1 + Math.ceil((1 << 20) / 62),
);

export interface JsonRecord {
  readonly key: string;
  readonly value: string;
}

export function jsonRecord(seq: number, recordSizeBytes: number): JsonRecord {
  const id = `0-${seq}`;
  const ts = START_TIMESTAMP_MS + seq;
  const fixed = `{"id":"${id}","task":0,"seq":${seq},"ts":${ts},"payload":""}`;
  const padding = Math.max(0, recordSizeBytes - fixed.length);
  const start = (seq * 7919) % (FILLER.length - padding);
  // JSON.stringify, as a producer application serializing its own objects would (it escapes strings the
  // way the worker's JsonConverter has to, so both sides pay for real JSON serialization).
  return {
    key: JSON.stringify({ id }),
    value: JSON.stringify({ id, task: 0, seq, ts, payload: FILLER.slice(start, start + padding) }),
  };
}

/** Key plus value bytes of records [from, to). */
export function jsonRecordBytes(from: number, to: number, recordSizeBytes: number): number {
  let bytes = 0;
  for (let seq = from; seq < to; seq++) {
    const id = `0-${seq}`;
    const fixed = `{"id":"${id}","task":0,"seq":${seq},"ts":${START_TIMESTAMP_MS + seq},"payload":""}`;
    bytes += `{"id":"${id}"}`.length + Math.max(fixed.length, recordSizeBytes);
  }
  return bytes;
}
