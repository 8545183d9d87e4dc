import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord } from '../api/records.js';
import type { Transformation } from '../api/transformation.js';
import { transformationPlugin } from './support/plugin-descriptors.js';
import { nonEmptyList, parseTransformConfig } from './support/transform-config.js';

export const dropHeadersConfigDef: ConfigDef = {
  headers: {
    type: 'list',
    importance: 'high',
    documentation: 'The name of the headers to be removed.',
    validator: { check: nonEmptyList },
  },
};

/** Removes every header whose key is listed. */
export class DropHeaders implements Transformation {
  private headers = new Set<string>();

  configure(raw: Readonly<Record<string, string>>): void {
    this.headers = new Set(parseTransformConfig(dropHeadersConfigDef, raw).list('headers'));
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    return { ...record, headers: record.headers.filter((h) => !this.headers.has(h.key)) };
  }
}

export const dropHeadersPlugin = transformationPlugin(
  'DropHeaders',
  dropHeadersConfigDef,
  () => new DropHeaders(),
);
