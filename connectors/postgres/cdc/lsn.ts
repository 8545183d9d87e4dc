/** A WAL position. bigint in the protocol; offsets and source.lsn carry it as a JSON number, like Debezium's long. */
export type Lsn = bigint;

export const ZERO_LSN: Lsn = 0n;

/** "16/B374D848" → bigint */
export function parseLsn(text: string): Lsn {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (match === null) throw new Error(`Not a PostgreSQL LSN: ${text}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

export function formatLsn(lsn: Lsn): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

export function lsnToNumber(lsn: Lsn): number {
  return Number(lsn);
}

export function lsnFromOffset(value: unknown): Lsn | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  return null;
}
