import { SluiceError } from '../errors/sluice-error.js';

/**
 * `name:secret-hash` lines, as in an htpasswd file; blank lines and `#` comments are skipped. The name
 * is everything before the last colon, so a certificate-style name may itself contain colons.
 */
export function parseCredentialsFile(
  text: string,
  path: string,
  parseHash: (hash: string) => string | null,
): Map<string, string> {
  const entries = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const colon = trimmed.lastIndexOf(':');
    const name = colon > 0 ? trimmed.slice(0, colon) : '';
    const hash = colon > 0 ? parseHash(trimmed.slice(colon + 1)) : null;
    if (name === '' || hash === null)
      throw new SluiceError('CONFIG_FILE_MALFORMED', [
        path,
        index + 1,
        'expected name:hash, with a hash made by `sluice hash-password` or `sluice new-token` (never a plain-text secret)',
      ]);
    entries.set(name, hash);
  });
  return entries;
}
