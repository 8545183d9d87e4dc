import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Logger } from '../api/logger.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { ConfigSealer } from '../storage/config-store.js';
import { isSecretKey } from './secret-masking.js';

/** A sealed value: `sealed:aes-256-gcm:<key id>:<base64 of 12-byte IV, 16-byte tag, ciphertext>`. */
const PREFIX = 'sealed:aes-256-gcm:';

const isReference = (value: string): boolean => /^\s*\$\{[^}]+\}\s*$/.test(value);

/** Reads `config.encryption.key`: 32 bytes, as 64 hex digits or base64 (`openssl rand -base64 32`). */
export function parseEncryptionKey(text: string): Buffer {
  const value = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32)
    throw new SluiceError('CONFIG_INVALID', [
      'config.encryption.key must be 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32)',
    ]);
  return key;
}

/**
 * Connector configs encrypted at rest (`config.encryption.key`): every literal secret value (by key name,
 * as REST masking decides it; a `${provider:...}` reference stays as it is) is sealed with AES-256-GCM
 * before it goes to the config topic or the standalone connectors file, and opened when read back. The
 * key's name is authenticated with it, so a sealed value cannot be moved to another key. Each value names
 * the key it was sealed with (the first 8 hex digits of its SHA-256), so a worker with another key says
 * so instead of handing a connector garbage.
 */
export class ConfigEncryption implements ConfigSealer {
  private readonly keyId: string;
  private readonly reported = new Set<string>();

  constructor(
    private readonly key: Buffer,
    private readonly logger: Logger,
  ) {
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  seal(config: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(config)) {
      const literal = value !== '' && !value.startsWith(PREFIX) && !isReference(value);
      out[name] = literal && isSecretKey(name) ? this.sealValue(name, value) : value;
    }
    return out;
  }

  open(config: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(config))
      out[name] = value.startsWith(PREFIX) ? this.openValue(name, value) : value;
    return out;
  }

  private sealValue(name: string, value: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(name, 'utf8'));
    const text = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.keyId}:${Buffer.concat([iv, cipher.getAuthTag(), text]).toString('base64')}`;
  }

  /** The plain value; a value it cannot open stays sealed (the connector then fails on it) and is reported once. */
  private openValue(name: string, value: string): string {
    const [keyId, data] = value.slice(PREFIX.length).split(':');
    if (keyId !== this.keyId) {
      this.reportOnce(name, `it was sealed with key ${keyId ?? '?'}, this worker has key ${this.keyId}`);
      return value;
    }
    try {
      const bytes = Buffer.from(data ?? '', 'base64');
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
      decipher.setAAD(Buffer.from(name, 'utf8'));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      this.reportOnce(name, 'it does not verify (altered, or moved from another key)');
      return value;
    }
  }

  private reportOnce(name: string, why: string): void {
    if (this.reported.has(name)) return;
    this.reported.add(name);
    this.logger.error(`a stored config value of ${name} cannot be decrypted: ${why}`);
  }
}
