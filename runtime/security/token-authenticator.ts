import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Authenticator, PresentedCredentials } from './authenticator.js';
import { parseCredentialsFile } from './credentials-file.js';
import type { ReloadingFile } from './reloading-file.js';

/**
 * Opaque bearer tokens (`rest.auth=token`), stored as SHA-256 hashes: a token is 32 random bytes, so a
 * fast hash is enough (no dictionary to guess from), and checking one costs microseconds.
 */
const HASH_PREFIX = 'sha256$';

export function hashToken(token: string): string {
  return `${HASH_PREFIX}${createHash('sha256').update(token).digest('hex')}`;
}

/** A new random token (base64url, 43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** `principal:sha256$<hex>` lines. */
export function parseTokensFile(text: string, path: string): Map<string, string> {
  return parseCredentialsFile(text, path, (hash) => (/^sha256\$[0-9a-f]{64}$/.test(hash) ? hash : null));
}

export class TokenAuthenticator implements Authenticator {
  readonly challenge = 'Bearer realm="sluice"';

  constructor(private readonly tokens: ReloadingFile<Map<string, string>>) {}

  async authenticate(credentials: PresentedCredentials): Promise<string | null> {
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(credentials.authorization ?? '');
    if (match === null) return null;
    const presented = Buffer.from(hashToken(match[1]!));
    for (const [principal, stored] of this.tokens.current) {
      const candidate = Buffer.from(stored);
      if (candidate.length === presented.length && timingSafeEqual(candidate, presented)) return principal;
    }
    return null;
  }
}
