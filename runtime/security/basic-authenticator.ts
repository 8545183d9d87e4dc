import { createHash } from 'node:crypto';
import type { Authenticator, PresentedCredentials } from './authenticator.js';
import { parseCredentialsFile } from './credentials-file.js';
import { parsePasswordHash, verifyPassword } from './password-hash.js';
import type { ReloadingFile } from './reloading-file.js';

/** How long a verified user:password pair is remembered, so scrypt does not run on every request. */
const VERIFIED_TTL_MS = 60_000;

/** `user:scrypt$...` lines; every hash is checked when the file is read. */
export function parseUsersFile(text: string, path: string): Map<string, string> {
  return parseCredentialsFile(text, path, (hash) => (parsePasswordHash(hash) === null ? null : hash));
}

/** HTTP Basic authentication against a credentials file of scrypt hashes (`rest.auth=basic`). */
export class BasicAuthenticator implements Authenticator {
  readonly challenge = 'Basic realm="sluice", charset="UTF-8"';
  /** sha256(header + stored hash) → until when it is trusted; a changed hash in the file invalidates it. */
  private readonly verified = new Map<string, number>();

  constructor(private readonly users: ReloadingFile<Map<string, string>>) {}

  async authenticate(credentials: PresentedCredentials): Promise<string | null> {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(credentials.authorization ?? '');
    if (match === null) return null;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return null;
    const user = decoded.slice(0, colon);
    const stored = this.users.current.get(user);
    if (stored === undefined) return null;
    const cacheKey = createHash('sha256').update(`${decoded}\n${stored}`).digest('base64');
    const now = Date.now();
    if ((this.verified.get(cacheKey) ?? 0) > now) return user;
    const parsed = parsePasswordHash(stored);
    if (parsed === null || !(await verifyPassword(decoded.slice(colon + 1), parsed))) return null;
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(cacheKey, now + VERIFIED_TTL_MS);
    return user;
  }
}
