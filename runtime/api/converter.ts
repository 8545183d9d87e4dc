import type { Header } from './records.js';
import type { Schema, SchemaAndValue } from './schema.js';

/** Turns Connect data into the bytes stored in Kafka and back (Connect's Converter). */
export interface Converter {
  configure(config: Readonly<Record<string, string>>, isKey: boolean): void;
  fromConnectData(
    topic: string,
    schema: Schema | null,
    value: unknown,
    headers?: readonly Header[],
  ): Buffer | null;
  toConnectData(topic: string, value: Buffer | null, headers?: readonly Header[]): SchemaAndValue;
}

/** Connect's HeaderConverter: one header value at a time. */
export interface HeaderConverter {
  configure(config: Readonly<Record<string, string>>): void;
  fromConnectHeader(topic: string, headerKey: string, schema: Schema | null, value: unknown): Buffer | null;
  toConnectHeader(topic: string, headerKey: string, value: Buffer | null): SchemaAndValue;
}
