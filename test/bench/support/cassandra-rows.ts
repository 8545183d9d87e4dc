/** The rows both sides of the cassandra benchmark write: the sink gets them as JSON records, the baseline binds them. */
export interface BenchRow {
  readonly id: number;
  readonly name: string;
  readonly qty: number;
  readonly price: string;
  /** epoch milliseconds */
  readonly updated_at: number;
}

export function benchRow(i: number): BenchRow {
  return {
    id: i,
    name: `name-${i}-${'x'.repeat(i % 50)}`,
    qty: (i * 7919) % 100_000,
    price: `${i % 10_000}.${String(i % 100).padStart(2, '0')}`,
    updated_at: 1_700_000_000_000 + i,
  };
}
