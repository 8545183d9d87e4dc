import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord, Header } from '../api/records.js';
import { SchemaBuilder, Schemas, type Schema } from '../api/schema.js';
import { Struct } from '../api/struct.js';
import type { TransformationPlugin } from '../api/plugin.js';
import type { Transformation } from '../api/transformation.js';
import { keyedConfigError } from './support/errors.js';
import { BUILT_IN_VERSION } from './support/plugin-descriptors.js';
import { isPlainMap, type PlainMap } from './support/requirements.js';
import { copySchemaBasics, SchemaCache } from './support/schema-util.js';
import { parseTransformConfig } from './support/transform-config.js';

const DELETE_TOMBSTONE_MODES = [
  'drop',
  'tombstone',
  'rewrite',
  'rewrite-with-tombstone',
  'delete-to-tombstone',
] as const;
type DeleteTombstoneMode = (typeof DELETE_TOMBSTONE_MODES)[number];
const LEGACY_DELETE_MODES = ['none', 'drop', 'rewrite'] as const;

export const DELETED_FIELD = '__deleted';

export const extractNewRecordStateConfigDef: ConfigDef = {
  'delete.tombstone.handling.mode': {
    type: 'string',
    default: null,
    importance: 'medium',
    documentation:
      'Default tombstone (unless a legacy option is set). What happens to delete events and tombstones: drop (both removed), tombstone (deletes removed, tombstones kept), rewrite (deletes become the before state with __deleted=true, tombstones removed), rewrite-with-tombstone (rewrite, tombstones kept), delete-to-tombstone (deletes become tombstones, original tombstones removed). When set, it overrides delete.handling.mode and drop.tombstones.',
    validator: { oneOf: DELETE_TOMBSTONE_MODES },
  },
  'delete.handling.mode': {
    type: 'string',
    default: 'drop',
    importance: 'medium',
    documentation:
      'Legacy: drop removes delete events, none passes them on as records with a null value, rewrite turns them into the before state with __deleted=true.',
    validator: { oneOf: LEGACY_DELETE_MODES },
  },
  'drop.tombstones': {
    type: 'boolean',
    default: true,
    importance: 'low',
    documentation: 'Legacy: remove tombstone records (null value) that follow delete events.',
  },
  'add.fields': {
    type: 'list',
    default: '',
    importance: 'low',
    documentation:
      'Envelope or source fields added to the flattened value, e.g. op,table,lsn,source.ts_ms → __op, __table, __lsn, __source_ts_ms. op and ts_ms are read from the envelope, other unqualified names from source; `struct.field` names the struct. `field:alias` renames.',
  },
  'add.fields.prefix': {
    type: 'string',
    default: '__',
    importance: 'low',
    documentation: 'Prefix of the added field names.',
  },
  'add.headers': {
    type: 'list',
    default: '',
    importance: 'low',
    documentation: 'Like add.fields, but added as headers (e.g. op → header __op).',
  },
  'add.headers.prefix': {
    type: 'string',
    default: '__',
    importance: 'low',
    documentation: 'Prefix of the added header names.',
  },
};

/** What becomes of a delete event, and whether tombstones pass. */
interface DeletePolicy {
  readonly deletes: 'drop' | 'tombstone' | 'rewrite';
  readonly keepTombstones: boolean;
}

const POLICIES: Readonly<Record<DeleteTombstoneMode, DeletePolicy>> = {
  drop: { deletes: 'drop', keepTombstones: false },
  tombstone: { deletes: 'drop', keepTombstones: true },
  rewrite: { deletes: 'rewrite', keepTombstones: false },
  'rewrite-with-tombstone': { deletes: 'rewrite', keepTombstones: true },
  'delete-to-tombstone': { deletes: 'tombstone', keepTombstones: false },
};

/** The pre-2.5 pair of options (delete.handling.mode, drop.tombstones) as a policy. */
function legacyPolicy(deleteHandling: string, dropTombstones: boolean): DeletePolicy {
  const deletes = deleteHandling === 'rewrite' ? 'rewrite' : deleteHandling === 'none' ? 'tombstone' : 'drop';
  return { deletes, keepTombstones: !dropTombstones };
}

interface FieldReference {
  /** Which struct of the envelope holds it: '' for the envelope itself. */
  readonly struct: string;
  readonly field: string;
  readonly outputName: string;
}

const ENVELOPE_FIELDS = new Set(['op', 'ts_ms', 'ts_us', 'ts_ns']);

function parseReferences(list: readonly string[], prefix: string): FieldReference[] {
  return list.map((entry) => {
    const [path, alias] = entry.split(':').map((s) => s.trim()) as [string, string | undefined];
    const dot = path.indexOf('.');
    const struct = dot >= 0 ? path.slice(0, dot) : ENVELOPE_FIELDS.has(path) ? '' : 'source';
    const field = dot >= 0 ? path.slice(dot + 1) : path;
    return { struct, field, outputName: alias ?? `${prefix}${path.replaceAll('.', '_')}` };
  });
}

type Envelope =
  { readonly kind: 'struct'; readonly value: Struct } | { readonly kind: 'map'; readonly value: PlainMap };

function envelopeOf(value: unknown): Envelope | null {
  if (value instanceof Struct) {
    const names = new Set((value.schema.fields ?? []).map((f) => f.name));
    return names.has('op') && (names.has('after') || names.has('before')) ? { kind: 'struct', value } : null;
  }
  if (isPlainMap(value) && typeof value['op'] === 'string' && ('after' in value || 'before' in value))
    return { kind: 'map', value };
  return null;
}

function get(container: unknown, name: string): unknown {
  if (container instanceof Struct)
    return container.schema.fields?.some((f) => f.name === name) ? container.get(name) : null;
  if (isPlainMap(container)) return container[name] ?? null;
  return null;
}

function schemaOf(container: Struct, struct: string, field: string): Schema | null {
  const holder =
    struct === '' ? container.schema : container.schema.fields?.find((f) => f.name === struct)?.schema;
  return holder?.fields?.find((f) => f.name === field)?.schema ?? null;
}

function optionalCopy(schema: Schema): Schema {
  if (schema.optional) return schema;
  return { ...schema, optional: true };
}

/**
 * Debezium's ExtractNewRecordState: replaces a change event envelope by its `after` state (a flat row that
 * non-Debezium sinks understand), with configurable handling of deletes and tombstones and optional metadata
 * fields and headers. Records that are not change events (heartbeats, schema changes) pass unchanged;
 * truncate events (no row state) are dropped.
 */
export class ExtractNewRecordState implements Transformation {
  private policy: DeletePolicy = POLICIES.tombstone;
  private addFields: FieldReference[] = [];
  private addHeaders: FieldReference[] = [];
  private readonly schemaCache = new SchemaCache();

  configure(raw: Readonly<Record<string, string>>): void {
    const config = parseTransformConfig(extractNewRecordStateConfigDef, raw);
    const explicit = config.optionalString('delete.tombstone.handling.mode');
    // As in Debezium 2.5+: the new option wins, the legacy pair applies only when one of them is set.
    const legacySet = raw['delete.handling.mode'] !== undefined || raw['drop.tombstones'] !== undefined;
    if (explicit !== null) this.policy = POLICIES[explicit.trim().toLowerCase() as DeleteTombstoneMode];
    else if (legacySet)
      this.policy = legacyPolicy(
        config.string('delete.handling.mode').trim().toLowerCase(),
        config.boolean('drop.tombstones'),
      );
    else this.policy = POLICIES.tombstone;
    this.addFields = parseReferences(config.list('add.fields'), config.string('add.fields.prefix'));
    this.addHeaders = parseReferences(config.list('add.headers'), config.string('add.headers.prefix'));
    const names = new Set<string>();
    for (const reference of this.addFields) {
      if (names.has(reference.outputName))
        throw keyedConfigError(
          'add.fields',
          raw['add.fields'],
          `field ${reference.outputName} is added twice`,
        );
      names.add(reference.outputName);
    }
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (record.value === null || record.value === undefined) {
      return this.policy.keepTombstones ? record : null;
    }
    const envelope = envelopeOf(record.value);
    if (envelope === null) return record;
    const op = get(envelope.value, 'op');
    if (op === 't') return null;
    const withHeaders = this.withHeaders(record, envelope);
    if (op === 'd') {
      switch (this.policy.deletes) {
        case 'drop':
          return null;
        case 'tombstone':
          return { ...withHeaders, valueSchema: null, value: null };
        case 'rewrite':
          return this.flatten(withHeaders, envelope, 'before', true);
      }
    }
    return this.flatten(withHeaders, envelope, 'after', false);
  }

  private withHeaders<R extends ConnectRecord>(record: R, envelope: Envelope): R {
    if (this.addHeaders.length === 0) return record;
    const added: Header[] = this.addHeaders.map((reference) => {
      const value = this.referenced(envelope, reference);
      const schema =
        envelope.kind === 'struct' ? schemaOf(envelope.value, reference.struct, reference.field) : null;
      return { key: reference.outputName, schema: schema === null ? null : optionalCopy(schema), value };
    });
    return { ...record, headers: [...record.headers, ...added] };
  }

  private referenced(envelope: Envelope, reference: FieldReference): unknown {
    const holder = reference.struct === '' ? envelope.value : get(envelope.value, reference.struct);
    return get(holder, reference.field);
  }

  private rewrites(): boolean {
    return this.policy.deletes === 'rewrite';
  }

  private flatten<R extends ConnectRecord>(
    record: R,
    envelope: Envelope,
    side: 'after' | 'before',
    deleted: boolean,
  ): R | null {
    const state = get(envelope.value, side);
    if (envelope.kind === 'map') {
      if (!isPlainMap(state)) return { ...record, valueSchema: null, value: null };
      const flat: PlainMap = { ...state };
      for (const reference of this.addFields)
        flat[reference.outputName] = this.referenced(envelope, reference);
      if (this.rewrites()) flat[DELETED_FIELD] = String(deleted);
      return { ...record, valueSchema: null, value: flat };
    }
    if (!(state instanceof Struct)) return { ...record, valueSchema: null, value: null };
    if (this.addFields.length === 0 && !this.rewrites())
      return { ...record, valueSchema: state.schema, value: state };
    const envelopeStruct = envelope.value;
    const schema = this.schemaCache.getOrCompute(state.schema, (base) =>
      this.flatSchema(base, envelopeStruct),
    );
    const flat = new Struct(schema);
    for (const field of state.schema.fields ?? []) flat.put(field.name, state.getWithoutDefault(field.name));
    for (const reference of this.addFields)
      flat.put(reference.outputName, this.referenced(envelope, reference));
    if (this.rewrites()) flat.put(DELETED_FIELD, String(deleted));
    return { ...record, valueSchema: schema, value: flat };
  }

  private flatSchema(base: Schema, envelope: Struct): Schema {
    const builder = copySchemaBasics(base, SchemaBuilder.struct());
    if (base.optional) builder.optional();
    for (const field of base.fields ?? []) builder.field(field.name, field.schema);
    for (const reference of this.addFields) {
      const schema = schemaOf(envelope, reference.struct, reference.field);
      builder.field(reference.outputName, schema === null ? Schemas.OPTIONAL_STRING : optionalCopy(schema));
    }
    if (this.rewrites()) builder.field(DELETED_FIELD, Schemas.OPTIONAL_STRING);
    return builder.build();
  }
}

export const extractNewRecordStatePlugin: TransformationPlugin = {
  type: 'transformation',
  className: 'io.debezium.transforms.ExtractNewRecordState',
  aliases: ['ExtractNewRecordState'],
  version: BUILT_IN_VERSION,
  configDef: extractNewRecordStateConfigDef,
  create: () => new ExtractNewRecordState(),
};
