import { hashPassword, hashToken, newToken } from '../runtime/security/index.js';

/** Reads all of stdin (a password piped in, or typed and ended with Ctrl-D); the final newline is not part of it. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * `sluice hash-password <user>`: the password from stdin (never the command line, where `ps` and shell
 * history would keep it), printed as a line for rest.auth.basic.users.file.
 */
export async function printPasswordHash(user: string): Promise<void> {
  const password = await readStdin();
  if (password === '') throw new Error('no password on stdin');
  process.stdout.write(`${user}:${hashPassword(password)}\n`);
}

/**
 * `sluice new-token <principal>`: a new random bearer token. The token goes to stderr for the caller to
 * hand over once; only its hash, on stdout, goes into rest.auth.token.file.
 */
export function printNewToken(principal: string): void {
  const token = newToken();
  process.stderr.write(`token for ${principal} (shown once, keep it secret): ${token}\n`);
  process.stdout.write(`${principal}:${hashToken(token)}\n`);
}
