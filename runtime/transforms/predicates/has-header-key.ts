import type { ConfigDef } from '../../api/config-def.js';
import type { ConnectRecord } from '../../api/records.js';
import type { Predicate } from '../../api/transformation.js';
import { predicatePlugin } from '../support/plugin-descriptors.js';
import { parseTransformConfig } from '../support/transform-config.js';

export const hasHeaderKeyConfigDef: ConfigDef = {
  name: {
    type: 'string',
    importance: 'medium',
    documentation: 'The header name.',
    validator: { nonEmpty: true },
  },
};

/** True when the record has at least one header with the configured key. */
export class HasHeaderKey implements Predicate {
  private name = '';

  configure(raw: Readonly<Record<string, string>>): void {
    this.name = parseTransformConfig(hasHeaderKeyConfigDef, raw).string('name');
  }

  test(record: ConnectRecord): boolean {
    return record.headers.some((h) => h.key === this.name);
  }
}

export const hasHeaderKeyPlugin = predicatePlugin(
  'HasHeaderKey',
  hasHeaderKeyConfigDef,
  () => new HasHeaderKey(),
);
