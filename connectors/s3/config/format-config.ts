import type { ConfigDef, ConfigIssue, ConfigValues } from '../../../runtime/api/index.js';
import { BytesFormat } from '../format/bytes-format.js';
import { JsonLinesFormat } from '../format/json-lines-format.js';
import {
  isOutputField,
  OUTPUT_FIELDS,
  type OutputField,
  type ValueEncoding,
} from '../format/output-fields.js';
import type { ParquetCodec } from '../format/parquet-format.js';
import type { RecordFormat } from '../format/record-format.js';

export const FormatKeys = {
  FORMAT_CLASS: 'format.class',
  COMPRESSION: 's3.compression.type',
  PARQUET_CODEC: 'parquet.codec',
  PARQUET_ROW_GROUP_RECORDS: 'parquet.row.group.size.records',
  OUTPUT_FIELDS: 'format.output.fields',
  VALUE_ENCODING: 'format.output.fields.value.encoding',
  DECIMAL_FORMAT: 'json.decimal.format',
  BYTEARRAY_SEPARATOR: 'format.bytearray.separator',
} as const;

export type FormatName = 'json' | 'bytes' | 'parquet';

/** Confluent's format class names and their short forms. */
const FORMAT_CLASSES: Readonly<Record<string, FormatName>> = {
  'io.confluent.connect.s3.format.json.JsonFormat': 'json',
  JsonFormat: 'json',
  'io.confluent.connect.s3.format.bytearray.ByteArrayFormat': 'bytes',
  ByteArrayFormat: 'bytes',
  'io.confluent.connect.s3.format.parquet.ParquetFormat': 'parquet',
  ParquetFormat: 'parquet',
};

const group = 'Format';

export const formatConfigDef: ConfigDef = {
  [FormatKeys.FORMAT_CLASS]: {
    type: 'class',
    importance: 'high',
    group,
    orderInGroup: 1,
    documentation:
      'How records are stored: io.confluent.connect.s3.format.json.JsonFormat (JSON lines), ...bytearray.ByteArrayFormat (raw values) or ...parquet.ParquetFormat. Short names (JsonFormat) work too.',
    validator: {
      check: (value) =>
        typeof value === 'string' && FORMAT_CLASSES[value] === undefined
          ? `unknown format ${value}; use one of ${Object.keys(FORMAT_CLASSES).join(', ')}`
          : null,
    },
  },
  [FormatKeys.COMPRESSION]: {
    type: 'string',
    default: 'none',
    importance: 'low',
    group,
    orderInGroup: 2,
    documentation: 'Compression of JSON objects: none or gzip (.json.gz).',
    validator: { oneOf: ['none', 'gzip'] },
  },
  [FormatKeys.PARQUET_CODEC]: {
    type: 'string',
    default: 'snappy',
    importance: 'low',
    group,
    orderInGroup: 3,
    documentation: 'Parquet compression codec: snappy, zstd, gzip or none.',
    validator: { oneOf: ['snappy', 'zstd', 'gzip', 'none'] },
  },
  [FormatKeys.PARQUET_ROW_GROUP_RECORDS]: {
    type: 'int',
    default: 10_000,
    importance: 'low',
    group,
    orderInGroup: 4,
    documentation:
      'Records per Parquet row group. A task holds at most one row group per open file in memory; each finished group is sent on as upload parts.',
    validator: { min: 1 },
  },
  [FormatKeys.OUTPUT_FIELDS]: {
    type: 'list',
    default: 'value',
    importance: 'medium',
    group,
    orderInGroup: 5,
    documentation: `Which parts of a record an object stores, from ${OUTPUT_FIELDS.join(', ')}. The default (value) is Confluent's layout: each line or row is the value. With more fields each line is a JSON object of them; the S3 source restores keys, headers, timestamps and partitions from them.`,
    validator: {
      check: (value) => {
        const fields = Array.isArray(value) ? value : [];
        const unknown = fields.filter((f) => !isOutputField(f));
        if (unknown.length > 0)
          return `unknown field(s) ${unknown.join(', ')}; use ${OUTPUT_FIELDS.join(', ')}`;
        return fields.length === 0 ? 'name at least one field' : null;
      },
    },
  },
  [FormatKeys.VALUE_ENCODING]: {
    type: 'string',
    default: 'none',
    importance: 'low',
    group,
    orderInGroup: 6,
    documentation:
      'base64: JSON objects store keys, values and header values as base64 of their bytes (use ByteArrayConverter), so the S3 source gives back the exact bytes. none: they are written as JSON.',
    validator: { oneOf: ['none', 'base64'] },
  },
  [FormatKeys.DECIMAL_FORMAT]: {
    type: 'string',
    default: 'BASE64',
    importance: 'low',
    group,
    orderInGroup: 7,
    documentation: 'How JSON objects write Decimal values, as JsonConverter: BASE64 or NUMERIC.',
    validator: { oneOf: ['BASE64', 'NUMERIC'] },
  },
  [FormatKeys.BYTEARRAY_SEPARATOR]: {
    type: 'string',
    default: '\\n',
    importance: 'low',
    group,
    orderInGroup: 8,
    documentation:
      'What ByteArrayFormat writes after each value (escapes \\n, \\r, \\t and \\0 are understood; empty for none).',
  },
};

export function formatName(values: ConfigValues): FormatName {
  return FORMAT_CLASSES[values.string(FormatKeys.FORMAT_CLASS)] ?? 'json';
}

export function formatIssues(values: ConfigValues): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const name = formatName(values);
  const fields = values.list(FormatKeys.OUTPUT_FIELDS);
  if (name === 'bytes' && !(fields.length === 1 && fields[0] === 'value'))
    issues.push({
      key: FormatKeys.OUTPUT_FIELDS,
      message: 'ByteArrayFormat stores values only; use JsonFormat to store more fields',
    });
  if (name !== 'json' && values.string(FormatKeys.COMPRESSION) !== 'none')
    issues.push({
      key: FormatKeys.COMPRESSION,
      message: `s3.compression.type applies to JsonFormat; ${name === 'parquet' ? 'use parquet.codec for Parquet' : 'ByteArrayFormat is not compressed'}`,
    });
  return issues;
}

/** The configured format. Parquet's WebAssembly is loaded only when a connector uses it. */
export async function recordFormat(values: ConfigValues): Promise<RecordFormat> {
  const outputFields = values.list(FormatKeys.OUTPUT_FIELDS) as readonly OutputField[];
  switch (formatName(values)) {
    case 'bytes':
      return new BytesFormat(
        Buffer.from(unescapeSeparator(values.string(FormatKeys.BYTEARRAY_SEPARATOR)), 'utf8'),
      );
    case 'parquet': {
      const { ParquetFormat } = await import('../format/parquet-format.js');
      return new ParquetFormat({
        outputFields,
        codec: values.string(FormatKeys.PARQUET_CODEC) as ParquetCodec,
        rowGroupRecords: values.number(FormatKeys.PARQUET_ROW_GROUP_RECORDS),
      });
    }
    case 'json':
      return new JsonLinesFormat({
        outputFields,
        valueEncoding: values.string(FormatKeys.VALUE_ENCODING) as ValueEncoding,
        decimalFormat: values.string(FormatKeys.DECIMAL_FORMAT) === 'NUMERIC' ? 'NUMERIC' : 'BASE64',
        gzip: values.string(FormatKeys.COMPRESSION) === 'gzip',
      });
  }
}

function unescapeSeparator(text: string): string {
  return text.replace(/\\([nrt0\\])/g, (_m, c: string) =>
    c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c === '0' ? '\0' : '\\',
  );
}
