import type { ConfigKey } from '../../api/config-def.js';
import { fieldOf, type Field, type Schema } from '../../api/schema.js';
import type { Struct } from '../../api/struct.js';
import { configError } from './errors.js';
import { requireMapOrNull, requireStructOrNull, type PlainMap } from './requirements.js';
import { fieldValue } from './schema-util.js';

export type FieldSyntaxVersion = 'V1' | 'V2';
export const FIELD_SYNTAX_VERSION = 'field.syntax.version';

export const fieldSyntaxVersionKey: ConfigKey = {
  type: 'string',
  default: 'V1',
  importance: 'high',
  validator: { oneOf: ['V1', 'V2'] },
  documentation:
    'Defines the version of the syntax to access fields. If set to `V1`, then the field paths are limited to access the elements at the root level of the struct or map. ' +
    'If set to `V2`, the syntax will support accessing nested elements. To access nested elements, dotted notation is used. ' +
    'If dots are already included in the field name, then backtick pairs can be used to wrap field names containing dots. ' +
    'E.g. to access the subfield `baz` from a field named "foo.bar" in a struct/map the following format can be used to access its elements: "`foo.bar`.baz".',
};

function incompleteBacktick(path: string, at: number): never {
  throw configError(
    `Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${at} to escape it`,
  );
}

/** Splits a V2 path on dots; a step wrapped in backticks may contain dots, and \` escapes a backtick. */
function stepsV2(path: string): string[] {
  const steps: string[] = [];
  let idx = 0;
  while (idx < path.length) {
    if (path[idx] !== '`') {
      const dot = path.indexOf('.', idx);
      steps.push(dot >= 0 ? path.slice(idx, dot) : path.slice(idx));
      idx = dot >= 0 ? dot + 1 : path.length;
      continue;
    }
    const openedAt = idx;
    idx++;
    let start = idx;
    let step = '';
    for (;;) {
      idx = path.indexOf('`', idx);
      if (idx === -1) incompleteBacktick(path, openedAt);
      const escaped = path[idx - 1] === '\\';
      if (idx >= path.length - 1) {
        if (escaped) incompleteBacktick(path, openedAt);
        steps.push(step + path.slice(start, idx));
        idx++;
        break;
      }
      if (path[idx + 1] !== '.') {
        idx++;
        continue;
      }
      if (escaped) {
        step += path.slice(start, idx - 1) + '`';
        idx++;
        start = idx;
        continue;
      }
      steps.push(step + path.slice(start, idx));
      idx += 2;
      break;
    }
  }
  if (path.endsWith('.')) steps.push('');
  return steps;
}

/** Connect's SingleFieldPath: V1 is one top-level name, V2 a dotted path into nested structs/maps. */
export class SingleFieldPath {
  readonly steps: readonly string[];

  constructor(
    readonly text: string,
    version: FieldSyntaxVersion,
  ) {
    this.steps = version === 'V1' ? [text] : stepsV2(text);
  }

  private get parents(): readonly string[] {
    return this.steps.slice(0, -1);
  }

  private get last(): string {
    return this.steps[this.steps.length - 1]!;
  }

  fieldFrom(schema: Schema): Field | undefined {
    let current = schema;
    for (const step of this.parents) {
      const field = fieldOf(current, step);
      if (field === undefined) return undefined;
      current = field.schema;
    }
    return fieldOf(current, this.last);
  }

  valueFromStruct(struct: Struct, withDefault: boolean): unknown {
    let current: Struct | null = struct;
    for (const step of this.parents) {
      if (fieldOf(current.schema, step) === undefined) return null;
      current = requireStructOrNull(current.get(step), 'nested field access');
      if (current === null) return null;
    }
    return fieldOf(current.schema, this.last) === undefined
      ? null
      : fieldValue(current, this.last, withDefault);
  }

  valueFromMap(map: PlainMap): unknown {
    let current: PlainMap | null = map;
    for (const step of this.parents) {
      current = requireMapOrNull(current[step], 'nested field access');
      if (current === null) return null;
    }
    return current[this.last] ?? null;
  }
}
