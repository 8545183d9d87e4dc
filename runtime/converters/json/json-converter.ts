import type { Converter, HeaderConverter } from '../../api/converter.js';
import type { Schema, SchemaAndValue } from '../../api/schema.js';
import { conversionFailed, DataProblem } from '../conversion-error.js';
import { parseConverterConfig } from '../converter-config.js';
import { envelopePrefixBytes, payloadTextAfter, splitCanonicalEnvelope } from './envelope-split.js';
import { JSON_CONVERTER_CONFIG_DEF } from './json-converter-config.js';
import { JsonReader } from './json-reader.js';
import { isJsonObject, parseJsonTree, type JsonTree } from './json-tree.js';
import { JsonWriter, type DecimalFormat } from './json-writer.js';

const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null });
const ENVELOPE_REQUIRED =
  'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields.' +
  ' If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.';

/**
 * Connect's org.apache.kafka.connect.json.JsonConverter: JSON with an optional `{"schema","payload"}`
 * envelope. Usable as key/value converter and as header converter.
 */
function parseNatively(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // leading zeros or a syntax error: the exact parser accepts or reports it
  }
}

/** Whether a natively parsed value holds an integer beyond 2^53 (rounded by JSON.parse). */
function hasUnsafeInteger(node: unknown): boolean {
  if (typeof node === 'number') return isUnsafeInteger(node);
  if (typeof node !== 'object' || node === null) return false;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) if (holdsUnsafeInteger(node[i])) return true;
    return false;
  }
  for (const key in node) if (holdsUnsafeInteger((node as Record<string, unknown>)[key])) return true;
  return false;
}

/** hasUnsafeInteger without a call for the common leaves (strings, booleans, null). */
function holdsUnsafeInteger(v: unknown): boolean {
  if (typeof v === 'number') return isUnsafeInteger(v);
  return typeof v === 'object' && v !== null && hasUnsafeInteger(v);
}

function isUnsafeInteger(n: number): boolean {
  return (n > Number.MAX_SAFE_INTEGER || n < Number.MIN_SAFE_INTEGER) && Number.isInteger(n);
}

export class JsonConverter implements Converter, HeaderConverter {
  private schemasEnabled = true;
  private schemaCacheSize = 1000;
  private writer = new JsonWriter({ decimalFormat: 'BASE64', replaceNullWithDefault: true });
  private reader = new JsonReader(true);
  // Schemas read from envelopes, by schema JSON text; insertion-ordered so the oldest is evicted first.
  private readonly schemasByText = new Map<string, KnownSchema>();
  // The schema of the previous envelope. Consecutive records nearly always share it, and comparing the
  // next record's leading bytes with it is cheaper than decoding, scanning and hashing the schema text.
  private lastSchema: KnownSchema | null = null;

  configure(config: Readonly<Record<string, string>>, _isKey = false): void {
    const values = parseConverterConfig(JSON_CONVERTER_CONFIG_DEF, config);
    this.schemasEnabled = values.boolean('schemas.enable');
    this.schemaCacheSize = values.number('schemas.cache.size');
    const decimalFormat = values.string('decimal.format').trim().toUpperCase() as DecimalFormat;
    const replaceNullWithDefault = values.boolean('replace.null.with.default');
    this.writer = new JsonWriter({ decimalFormat, replaceNullWithDefault });
    this.reader = new JsonReader(replaceNullWithDefault);
    this.schemasByText.clear();
    this.lastSchema = null;
  }

  fromConnectData(topic: string, schema: Schema | null, value: unknown): Buffer | null {
    if (schema === null && (value === null || value === undefined)) return null;
    try {
      const json = this.schemasEnabled
        ? this.writer.envelope(schema, value)
        : this.writer.value(schema, value);
      return Buffer.from(json, 'utf8');
    } catch (error) {
      throw conversionFailed('JsonConverter', topic, error);
    }
  }

  toConnectData(topic: string, value: Buffer | null): SchemaAndValue {
    if (value === null) return NULL_SCHEMA_AND_VALUE;
    try {
      // toString() without arguments is UTF-8 and skips Buffer's encoding lookup.
      if (!this.schemasEnabled) return this.readPlain(value.toString());
      return this.readKnownEnvelope(value) ?? this.readEnvelope(value.toString());
    } catch (error) {
      throw conversionFailed('JsonConverter', topic, error);
    }
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, value);
  }

  /** The schema JSON this converter writes for `schema` (Connect's asJsonSchema). */
  schemaToJson(schema: Schema): string {
    return this.writer.schemaJson(schema);
  }

  private readPlain(text: string): SchemaAndValue {
    // Schemaless values turn over-precise fractions into numbers anyway, so only integers beyond 2^53
    // need the exact parser: parse natively and look at the numbers, instead of scanning the text.
    const native = parseNatively(text);
    if (native !== undefined) {
      if (!hasUnsafeInteger(native)) return { schema: null, value: native };
    } else if (isBlank(text)) return NULL_SCHEMA_AND_VALUE; // blank text is the one non-JSON that reads as null
    return { schema: null, value: this.reader.value(null, parse(text)) };
  }

  /** An envelope with the previous record's schema, read without decoding the schema part; else null. */
  private readKnownEnvelope(bytes: Buffer): SchemaAndValue | null {
    const last = this.lastSchema;
    if (last === null) return null;
    const payload = parsedPayload(payloadTextAfter(bytes, last.envelopePrefix));
    if (payload === undefined) return null;
    return { schema: last.schema, value: this.reader.value(last.schema, payload) };
  }

  private readEnvelope(text: string): SchemaAndValue {
    const parts = splitCanonicalEnvelope(text);
    if (parts !== null) {
      const payload = parsedPayload(parts.payloadText);
      if (payload !== undefined) {
        const schema = this.schemaFromText(parts.schemaText);
        return { schema, value: this.reader.value(schema, payload) };
      }
    }
    if (isBlank(text)) throw new DataProblem(ENVELOPE_REQUIRED);
    const envelope = parse(text);
    if (
      !isJsonObject(envelope) ||
      !('schema' in envelope) ||
      !('payload' in envelope) ||
      Object.keys(envelope).length !== 2
    ) {
      throw new DataProblem(ENVELOPE_REQUIRED);
    }
    const schema = this.reader.schema(envelope['schema']);
    return { schema, value: this.reader.value(schema, envelope['payload']) };
  }

  /** The schema of an envelope's schema text; cached (and remembered as the last one) unless schemas.cache.size=0. */
  private schemaFromText(schemaText: string): Schema | null {
    const cached = this.schemasByText.get(schemaText);
    if (cached !== undefined) {
      this.lastSchema = cached;
      return cached.schema;
    }
    const schema = schemaText === 'null' ? null : this.reader.schema(parse(schemaText));
    if (this.schemaCacheSize > 0) {
      if (this.schemasByText.size >= this.schemaCacheSize) {
        const oldest = this.schemasByText.keys().next();
        if (oldest.done !== true) this.schemasByText.delete(oldest.value);
      }
      const known: KnownSchema = { schema, envelopePrefix: envelopePrefixBytes(schemaText) };
      this.schemasByText.set(schemaText, known);
      this.lastSchema = known;
    }
    return schema;
  }
}

/** A schema read from an envelope, with the bytes its envelopes start with. */
interface KnownSchema {
  readonly schema: Schema | null;
  readonly envelopePrefix: Buffer;
}

/** The parsed payload of a canonical envelope, or undefined when it is not canonical after all (the full parse reports why). */
function parsedPayload(payloadText: string | null): JsonTree | undefined {
  if (payloadText === null) return undefined;
  try {
    return parseJsonTree(payloadText);
  } catch {
    return undefined;
  }
}

function parse(text: string): JsonTree {
  try {
    return parseJsonTree(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataProblem(
      `Converting byte[] to Kafka Connect data failed due to serialization error: ${reason}`,
      { cause: error },
    );
  }
}

function isBlank(text: string): boolean {
  return text.trim() === '';
}
