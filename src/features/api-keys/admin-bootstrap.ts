import type { Logger } from '../../logging/logger.js';
import type { ApiKeyService } from './api-key-service.js';

/**
 * At start-up: creates (or restores) the bootstrap admin key when BOOTSTRAP_ADMIN_KEY is set, and
 * warns when no admin key is active afterwards: every call would then be a 401, and nobody could
 * issue a key to get past it.
 */
export async function bootstrapAdminAccess(keys: ApiKeyService, bootstrapKey: string | undefined, logger: Logger): Promise<void> {
  if (bootstrapKey) await keys.ensureBootstrapKey(bootstrapKey);
  if (await keys.hasActiveAdminKey()) return;
  logger.warn(
    'no active admin key: every call needs an API key and none can be issued; start with BOOTSTRAP_ADMIN_KEY=<a secret of 16 or more characters> to create an admin key',
  );
}
