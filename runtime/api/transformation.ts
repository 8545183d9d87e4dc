import type { ConnectRecord } from './records.js';

/** A single message transform. Returning null drops the record. */
export interface Transformation {
  configure(config: Readonly<Record<string, string>>): void;
  apply<R extends ConnectRecord>(record: R): R | null;
  close?(): void;
}

export interface Predicate {
  configure(config: Readonly<Record<string, string>>): void;
  test(record: ConnectRecord): boolean;
}
