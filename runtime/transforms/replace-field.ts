import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord } from '../api/records.js';
import { SchemaBuilder, type Schema } from '../api/schema.js';
import { Struct } from '../api/struct.js';
import type { Transformation } from '../api/transformation.js';
import { keyValuePlugins } from './support/plugin-descriptors.js';
import type { RecordSide } from './support/record-side.js';
import { requireMap, requireStruct } from './support/requirements.js';
import { copySchemaBasics, fieldValue, SchemaCache } from './support/schema-util.js';
import {
  parseTransformConfig,
  REPLACE_NULL_WITH_DEFAULT,
  replaceNullWithDefaultKey,
} from './support/transform-config.js';

const PURPOSE = 'field replacement';

function renameMappingProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return null;
  const bad = (value as string[]).find((mapping) => mapping.split(':').length !== 2);
  return bad === undefined ? null : `Invalid rename mapping: ${bad}`;
}

export const replaceFieldConfigDef: ConfigDef = {
  exclude: {
    type: 'list',
    default: [],
    importance: 'medium',
    documentation: 'Fields to exclude. This takes precedence over the fields to include.',
  },
  include: {
    type: 'list',
    default: [],
    importance: 'medium',
    documentation: 'Fields to include. If specified, only these fields will be used.',
  },
  renames: {
    type: 'list',
    default: [],
    importance: 'medium',
    documentation: 'Field rename mappings.',
    validator: { check: renameMappingProblem },
  },
  // Deprecated names Connect 2.x accepted; still read so old configs keep working.
  blacklist: {
    type: 'list',
    default: null,
    importance: 'low',
    documentation: 'Deprecated. Use exclude instead.',
  },
  whitelist: {
    type: 'list',
    default: null,
    importance: 'low',
    documentation: 'Deprecated. Use include instead.',
  },
  [REPLACE_NULL_WITH_DEFAULT]: replaceNullWithDefaultKey,
};

/** Drops fields (exclude/include) and renames them (`old:new`). */
export class ReplaceField implements Transformation {
  private exclude = new Set<string>();
  private include = new Set<string>();
  private renames = new Map<string, string>();
  private reverseRenames = new Map<string, string>();
  private replaceNullWithDefault = true;
  private readonly schemaCache = new SchemaCache();

  constructor(private readonly side: RecordSide) {}

  configure(raw: Readonly<Record<string, string>>): void {
    const config = parseTransformConfig(replaceFieldConfigDef, raw);
    const preferred = (key: string, deprecated: string) =>
      raw[key] === undefined && config.has(deprecated) ? config.list(deprecated) : config.list(key);
    this.exclude = new Set(preferred('exclude', 'blacklist'));
    this.include = new Set(preferred('include', 'whitelist'));
    this.renames = new Map(config.list('renames').map((m) => m.split(':') as [string, string]));
    this.reverseRenames = new Map([...this.renames].map(([from, to]) => [to, from]));
    this.replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT);
  }

  private keeps(name: string): boolean {
    return !this.exclude.has(name) && (this.include.size === 0 || this.include.has(name));
  }

  private renamed(name: string): string {
    return this.renames.get(name) ?? name;
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    if (this.side.schema(record) === null) {
      const updated: Record<string, unknown> = {};
      for (const [name, v] of Object.entries(requireMap(value, PURPOSE)))
        if (this.keeps(name)) updated[this.renamed(name)] = v;
      return this.side.update(record, null, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.schemaCache.getOrCompute(struct.schema, (s) => this.updatedSchema(s));
    const updated = new Struct(updatedSchema);
    for (const field of updatedSchema.fields ?? []) {
      updated.put(
        field.name,
        fieldValue(struct, this.reverseRenames.get(field.name) ?? field.name, this.replaceNullWithDefault),
      );
    }
    return this.side.update(record, updatedSchema, updated);
  }

  private updatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields ?? [])
      if (this.keeps(field.name)) builder.field(this.renamed(field.name), field.schema);
    return builder.build();
  }
}

export const [replaceFieldKeyPlugin, replaceFieldValuePlugin] = keyValuePlugins(
  'ReplaceField',
  replaceFieldConfigDef,
  (side) => new ReplaceField(side),
);
