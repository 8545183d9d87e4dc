// Reads what a FileStreamSink wrote for datagen records: one line per record, the value being a
// Struct (`Struct{id=<task>-<seq>,task=...}`) with the default JsonConverter, or the id itself.
import { readFile } from 'node:fs/promises';

export interface DatagenId {
  readonly task: number;
  readonly seq: number;
}

/** `id=0-12,` in a Struct's text, `"id":"0-12"` in JSON. */
const ID_PATTERN = /id=(\d+)-(\d+)[,}]|"id":"(\d+)-(\d+)"/;

/** The ids in the order the lines were written; a line without an id throws (the file is corrupt). */
export function parseDatagenLines(text: string): DatagenId[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const match = ID_PATTERN.exec(line);
      if (match === null) throw new Error(`line without a datagen id: ${JSON.stringify(line.slice(0, 200))}`);
      return { task: Number(match[1] ?? match[3]), seq: Number(match[2] ?? match[4]) };
    });
}

export async function readDatagenFile(path: string): Promise<DatagenId[]> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // A line still being appended has no newline yet: ignore it until it is complete.
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  return parseDatagenLines(complete);
}

export const idKey = (id: DatagenId): string => `${id.task}-${id.seq}`;

/** Ids expected in `tasks` tasks of `perTask` records each that are missing from `ids`. */
export function missingIds(ids: readonly DatagenId[], tasks: number, perTask: number): string[] {
  const seen = new Set(ids.map(idKey));
  const missing: string[] = [];
  for (let t = 0; t < tasks; t++)
    for (let s = 0; s < perTask; s++) if (!seen.has(`${t}-${s}`)) missing.push(`${t}-${s}`);
  return missing;
}

export function duplicateIds(ids: readonly DatagenId[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const id of ids) {
    const key = idKey(id);
    if (seen.has(key)) dups.add(key);
    seen.add(key);
  }
  return [...dups];
}

/** Places where a task's seq did not increase from one line to its next line of the same task. */
export function orderViolations(ids: readonly DatagenId[]): string[] {
  const last = new Map<number, number>();
  const out: string[] = [];
  for (const id of ids) {
    const previous = last.get(id.task);
    if (previous !== undefined && id.seq <= previous)
      out.push(`${id.task}-${id.seq} after ${id.task}-${previous}`);
    last.set(id.task, id.seq);
  }
  return out;
}
