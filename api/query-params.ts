/** Query-string helpers that read parameters the way Connect's JAX-RS resources do. */

/** Every value of a parameter that may repeat (`?expand=status&expand=info`); comma lists are split too. */
export function queryValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.flatMap((entry) => entry.split(',')).map((entry) => entry.trim());
}

/** Java's Boolean.valueOf: only "true" (any case) is true; an absent parameter takes `fallback`. */
export function queryBoolean(value: string | string[] | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return fallback;
  return first.toLowerCase() === 'true';
}

/** The first value of a parameter, or undefined when absent. */
export function queryString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
