/**
 * Parses a one-dimensional PostgreSQL array literal ({a,"b c",NULL}) into its element texts.
 * Nested arrays are flattened, as Connect arrays of scalars cannot nest them by type.
 */
export function parseArrayLiteral(text: string): (string | null)[] {
  let body = text;
  const dims = /^\[[^\]]*\](?:\[[^\]]*\])*=/.exec(body);
  if (dims !== null) body = body.slice(dims[0].length);
  const items: (string | null)[] = [];
  let i = 0;
  const n = body.length;
  while (i < n) {
    const ch = body[i];
    if (ch === '{' || ch === '}' || ch === ',') {
      i++;
      continue;
    }
    if (ch === '"') {
      let value = '';
      i++;
      while (i < n && body[i] !== '"') {
        if (body[i] === '\\') i++;
        value += body[i];
        i++;
      }
      i++;
      items.push(value);
      continue;
    }
    let end = i;
    while (end < n && body[end] !== ',' && body[end] !== '}') end++;
    const raw = body.slice(i, end).trim();
    items.push(raw === 'NULL' ? null : raw);
    i = end;
  }
  return items;
}
