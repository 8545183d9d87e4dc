import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashes for the basic-auth credentials file: `scrypt$N$r$p$<salt base64>$<hash base64>`.
 * scrypt because node has it built in and it is memory-hard; the cost is part of the hash, so stronger
 * settings can be introduced without breaking existing lines.
 */
const DEFAULT_COST = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

interface ParsedHash {
  readonly options: ScryptOptions;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, KEY_LENGTH, DEFAULT_COST);
  const { N, r, p } = DEFAULT_COST;
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** The parts of a stored hash, or null when it is not one this module writes. */
export function parsePasswordHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!Number.isInteger(N) || !Number.isInteger(r) || !Number.isInteger(p)) return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const hash = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length === 0 || hash.length === 0) return null;
  // maxmem must cover 128 * N * r bytes, or node refuses the larger costs.
  return { options: { N, r, p, maxmem: 256 * N! * r! }, salt, hash };
}

/** Whether `password` matches the stored hash; constant-time in the comparison. */
export function verifyPassword(password: string, stored: ParsedHash): Promise<boolean> {
  return new Promise((resolve, reject) => {
    scrypt(password, stored.salt, stored.hash.length, stored.options, (error, derived) => {
      if (error) reject(error);
      else resolve(timingSafeEqual(derived, stored.hash));
    });
  });
}
