/**
 * `format.output.fields` (Aiven's S3 connector key): which parts of a record an object stores, and
 * `format.output.fields.value.encoding`, how byte values are written in text formats.
 */
export const OUTPUT_FIELDS = [
  'key',
  'value',
  'timestamp',
  'headers',
  'offset',
  'partition',
  'topic',
] as const;
export type OutputField = (typeof OUTPUT_FIELDS)[number];

export type ValueEncoding = 'none' | 'base64';

export function isOutputField(name: string): name is OutputField {
  return (OUTPUT_FIELDS as readonly string[]).includes(name);
}

/** Only the value: the Confluent layout, where each line or row is the record's value itself. */
export function isValueOnly(fields: readonly OutputField[]): boolean {
  return fields.length === 1 && fields[0] === 'value';
}
