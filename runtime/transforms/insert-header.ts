import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord } from '../api/records.js';
import type { Transformation } from '../api/transformation.js';
import { parseLiteral, type LiteralValue } from './support/literal-value.js';
import { transformationPlugin } from './support/plugin-descriptors.js';
import { parseTransformConfig } from './support/transform-config.js';

export const insertHeaderConfigDef: ConfigDef = {
  header: { type: 'string', importance: 'high', documentation: 'The name of the header.' },
  'value.literal': {
    type: 'string',
    importance: 'high',
    documentation: 'The literal value that is to be set as the header value on all records.',
  },
};

/** Adds one header with a fixed value to every record. */
export class InsertHeader implements Transformation {
  private header = '';
  private literal: LiteralValue = { schema: null, value: null };

  configure(raw: Readonly<Record<string, string>>): void {
    const config = parseTransformConfig(insertHeaderConfigDef, raw);
    this.header = config.string('header');
    this.literal = parseLiteral(config.string('value.literal'));
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    return {
      ...record,
      headers: [
        ...record.headers,
        { key: this.header, schema: this.literal.schema, value: this.literal.value },
      ],
    };
  }
}

export const insertHeaderPlugin = transformationPlugin(
  'InsertHeader',
  insertHeaderConfigDef,
  () => new InsertHeader(),
);
