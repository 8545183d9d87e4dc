import type { Logger } from '../runtime/api/logger.js';
import { createConfigTransformer } from '../runtime/config/config-providers.js';
import type { WorkerConfig } from '../runtime/config/worker-config.js';
import { ConfigEncryption, parseEncryptionKey } from '../runtime/security/index.js';
import { UNSEALED, type ConfigSealer } from '../runtime/storage/config-store.js';

/**
 * How this worker stores connector configs (docs/security.md): with `config.encryption.key` set, literal
 * secrets are sealed with it. The key is normally a config-provider reference
 * (`${file:/etc/sluice/keys.properties:config.key}`), resolved here with the worker's providers so the
 * key itself appears in no properties file that is shared or logged.
 */
export async function configSealerOf(config: WorkerConfig, logger: Logger): Promise<ConfigSealer> {
  const raw = config.raw['config.encryption.key']?.trim() ?? '';
  if (raw === '') return UNSEALED;
  const resolved = await createConfigTransformer(config.raw).transform({ 'config.encryption.key': raw });
  const sealer = new ConfigEncryption(parseEncryptionKey(resolved['config.encryption.key'] ?? ''), logger);
  logger.info('connector configs: literal secret values are encrypted at rest (AES-256-GCM)');
  return sealer;
}
