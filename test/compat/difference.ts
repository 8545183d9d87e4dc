/**
 * One difference between the Java system's answer and Sluice's, found by walking both JSON values side by
 * side, and the walk itself. Paths are JSON-pointer-like (`body.configs[3].definition.order_in_group`).
 */
export type Area = 'rest' | 'debezium' | 'mirror';

export interface Difference {
  readonly area: Area;
  /** The step or event compared, e.g. `POST /connectors` or `snapshot precise/adaptive row 3`. */
  readonly step: string;
  readonly path: string;
  readonly java: unknown;
  readonly sluice: unknown;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Every leaf where the two values differ; arrays are compared index by index. */
export function diffJson(
  java: unknown,
  sluice: unknown,
  path = '',
): { path: string; java: unknown; sluice: unknown }[] {
  if (kind(java) !== kind(sluice)) return [{ path: path || '.', java, sluice }];
  if (Array.isArray(java) && Array.isArray(sluice)) {
    const out: { path: string; java: unknown; sluice: unknown }[] = [];
    for (let i = 0; i < Math.max(java.length, sluice.length); i++) {
      if (i >= java.length || i >= sluice.length)
        out.push({ path: `${path}[${i}]`, java: java[i] ?? '<absent>', sluice: sluice[i] ?? '<absent>' });
      else out.push(...diffJson(java[i], sluice[i], `${path}[${i}]`));
    }
    return out;
  }
  if (kind(java) === 'object') {
    const a = java as Record<string, unknown>;
    const b = sluice as Record<string, unknown>;
    const out: { path: string; java: unknown; sluice: unknown }[] = [];
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const sub = path === '' ? key : `${path}.${key}`;
      if (!(key in a)) out.push({ path: sub, java: '<absent>', sluice: b[key] });
      else if (!(key in b)) out.push({ path: sub, java: a[key], sluice: '<absent>' });
      else out.push(...diffJson(a[key], b[key], sub));
    }
    return out;
  }
  // Numbers that print alike are alike (NaN included, which JSON cannot carry anyway).
  return Object.is(java, sluice) || JSON.stringify(java) === JSON.stringify(sluice)
    ? []
    : [{ path: path || '.', java, sluice }];
}

/** The order of object keys, which Kafka topics' byte-compared keys depend on (mm2-offsets keys). */
export function keyOrder(value: unknown): string {
  return kind(value) === 'object' ? Object.keys(value as object).join(',') : kind(value);
}

/** Replaces every occurrence of each side-specific text (names, paths) with a placeholder, deep. */
export function replaceTexts(value: unknown, replacements: ReadonlyMap<string, string>): unknown {
  let text = JSON.stringify(value);
  if (text === undefined) return value;
  // Longest first, so a name that contains another is replaced whole.
  for (const [from, to] of [...replacements].sort((x, y) => y[0].length - x[0].length))
    text = text.split(from).join(to);
  return JSON.parse(text) as unknown;
}

/** Sets each key named in `keys`, at any depth, to `<key>` when present (ids, versions, times). */
export function maskKeys(value: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => maskKeys(v, keys));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      keys.has(k) && v !== null && v !== undefined ? `<${k}>` : maskKeys(v, keys),
    ]),
  );
}
