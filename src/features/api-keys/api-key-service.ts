import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyStore } from './api-key-store.js';
import type { Caller, Role } from '../../auth/roles.js';
import { ApiKeyCache, KEY_CACHE_BOUNDS, type KnownKey } from './api-key-cache.js';
import { actorOf, SYSTEM_ACTOR, type AuditTrail } from '../audit/audit-trail.js';
import { DatabaseUnavailableError, isDatabaseUnavailable, isDuplicateKey } from '../../db/database-errors.js';
import { conflict, notFound, validationFailed } from '../../errors/domain-error.js';
import type { ApiKeyView } from './api-key-schema.js';

/** One admin-key revocation at a time across instances, so that two cannot each leave the other as the last one. */
const ADMIN_GUARD = 'admin-revocation';
/** Far longer than the guarded check and write take; only a holder that died keeps it this long. */
const ADMIN_GUARD_TTL_MS = 30_000;
const ADMIN_GUARD_ATTEMPTS = 20;
const ADMIN_GUARD_RETRY_MS = 50;

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function view(record: ApiKeyRecord): ApiKeyView {
  return {
    id: record.id,
    name: record.name,
    roles: record.roles,
    createdAt: record.createdAt.toISOString(),
    createdBy: record.createdBy,
    revokedAt: record.revokedAt ? record.revokedAt.toISOString() : null,
    expiresAt: record.expiresAt ? record.expiresAt.toISOString() : null,
  };
}

const isUnexpired = (record: { expiresAt: Date | null }, now: number): boolean =>
  record.expiresAt === null || record.expiresAt.getTime() > now;
const isActive = (record: ApiKeyRecord, now: number): boolean => record.revokedAt === null && isUnexpired(record, now);
const known = (record: ApiKeyRecord, checkedAt: number): KnownKey => ({
  caller: { keyId: record.id, name: record.name, roles: record.roles },
  expiresAt: record.expiresAt,
  checkedAt,
});

/** Issues, checks and revokes API keys. Keys are 32 random bytes; only their SHA-256 is stored. */
export class ApiKeyService {
  private readonly cache = new ApiKeyCache();
  /** One lookup per key hash at a time: a burst of one key waits on the same read. */
  private readonly inFlight = new Map<string, Promise<KnownKey | undefined>>();

  constructor(
    private readonly store: ApiKeyStore,
    private readonly audit: AuditTrail,
    /** A key lookup slower than this counts as the database being unavailable (the decision budget). */
    private readonly lookupTimeoutMs: number,
    /** Why the database is known to be down, if it is: then no lookup is tried and the cache answers. */
    private readonly databaseUnavailable: () => string | undefined = () => undefined,
  ) {}

  async create(
    name: string,
    roles: Role[],
    createdBy: Caller,
    expiresAt?: string,
    now = new Date(),
  ): Promise<ApiKeyView & { key: string }> {
    const expiry = expiresAt === undefined ? null : new Date(expiresAt);
    if (expiry && !(expiry.getTime() > now.getTime())) {
      throw validationFailed('expiresAt must be a time in the future.', [{ path: '/expiresAt', message: 'must be a time in the future' }]);
    }
    const key = `ldk_${randomBytes(32).toString('base64url')}`;
    const record: ApiKeyRecord = {
      id: randomUUID(),
      name,
      roles: [...new Set(roles)],
      hash: hashKey(key),
      createdAt: now,
      createdBy: createdBy.keyId,
      revokedAt: null,
      expiresAt: expiry,
    };
    await this.store.insert(record);
    this.cache.remember(record.hash, known(record, Date.now()));
    await this.audit.record(
      'api-key.created',
      actorOf(createdBy),
      { kind: 'api-key', id: record.id },
      {
        name: record.name,
        roles: record.roles,
        expiresAt: view(record).expiresAt,
      },
    );
    return { ...view(record), key };
  }

  /**
   * Creates the bootstrap admin key unless a key with that value exists (safe when instances race).
   * If it exists but is revoked or expired while no admin key is active, it is restored: the operator
   * who holds the bootstrap value can always get back in by restarting with it.
   */
  async ensureBootstrapKey(key: string): Promise<void> {
    const hash = hashKey(key);
    const existing = await this.store.findByHash(hash);
    if (existing) {
      await this.restoreIfNoAdmin(existing);
      return;
    }
    const record: ApiKeyRecord = {
      id: randomUUID(),
      name: 'bootstrap-admin',
      roles: ['admin'],
      hash,
      createdAt: new Date(),
      createdBy: null,
      revokedAt: null,
      expiresAt: null,
    };
    try {
      await this.store.insert(record);
    } catch (error) {
      if (isDuplicateKey(error)) return;
      throw error;
    }
    await this.audit.record(
      'api-key.created',
      SYSTEM_ACTOR,
      { kind: 'api-key', id: record.id },
      {
        name: record.name,
        roles: record.roles,
        bootstrap: true,
      },
    );
  }

  /**
   * The caller a presented key belongs to, or undefined for an unknown, revoked or expired key.
   * Throws DatabaseUnavailableError when the key cannot be checked: the database is unavailable (or
   * slower than the lookup bound) and the key was not validated here within the stale bound.
   */
  async authenticate(presented: string): Promise<Caller | undefined> {
    const hash = hashKey(presented);
    const now = Date.now();
    const cached = this.cache.knownKey(hash);
    if (cached && now - cached.checkedAt < KEY_CACHE_BOUNDS.freshMs) return this.usable(hash, cached, now);
    if (!cached && this.cache.isKnownUnknown(hash, now)) return undefined;
    const stillTrusted = cached !== undefined && now - cached.checkedAt < KEY_CACHE_BOUNDS.staleMs;
    // The lookup under way refreshes or refuses this key; meanwhile nobody else waits on it (nor on a hung database).
    if (stillTrusted && this.inFlight.has(hash)) return this.usable(hash, cached, now);
    let found: KnownKey | undefined;
    try {
      const down = this.databaseUnavailable();
      if (down !== undefined) throw new DatabaseUnavailableError(`The API key cannot be checked: ${down}.`);
      found = await this.lookup(hash);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      if (stillTrusted) return this.usable(hash, cached, now);
      throw error;
    }
    return found && this.usable(hash, found, Date.now());
  }

  async list(limit: number, after?: { createdAt: Date; id: string }): Promise<ApiKeyView[]> {
    return (await this.store.list(limit, after)).map(view);
  }

  /** Revokes a key (idempotent). The last active admin key is refused (409): nobody could issue keys any more. */
  async revoke(id: string, by: Caller): Promise<ApiKeyView> {
    const record = await this.store.findById(id);
    if (!record) throw notFound(`No API key with id ${id}.`);
    if (!record.roles.includes('admin') || !isActive(record, Date.now())) return this.revokeRecord(record, by);
    const holder = randomUUID();
    await this.acquireAdminGuard(holder);
    try {
      const now = Date.now();
      const others = (await this.store.unrevokedAdmins()).filter((admin) => admin.id !== id && isUnexpired(admin, now));
      if (others.length === 0) {
        throw conflict('This is the last active admin key: issue another admin key before revoking it.', [
          { path: '/params/keyId', message: 'last active admin key' },
        ]);
      }
      return await this.revokeRecord(record, by);
    } finally {
      await this.store.releaseGuard(ADMIN_GUARD, holder).catch(() => undefined);
    }
  }

  private async revokeRecord(record: ApiKeyRecord, by: Caller): Promise<ApiKeyView> {
    const at = new Date();
    if (!(await this.store.revoke(record.id, at))) return view(record);
    this.cache.revoked(record.id);
    await this.audit.record('api-key.revoked', actorOf(by), { kind: 'api-key', id: record.id }, { name: record.name });
    return view({ ...record, revokedAt: at });
  }

  private async acquireAdminGuard(holder: string): Promise<void> {
    for (let attempt = 0; attempt < ADMIN_GUARD_ATTEMPTS; attempt++) {
      if (await this.store.acquireGuard(ADMIN_GUARD, holder, ADMIN_GUARD_TTL_MS)) return;
      await new Promise((resolve) => setTimeout(resolve, ADMIN_GUARD_RETRY_MS));
    }
    throw conflict('Another admin key is being revoked right now; try again.');
  }

  /** Whether some admin key is active: without one, nobody can issue keys. */
  async hasActiveAdminKey(now = Date.now()): Promise<boolean> {
    return (await this.store.unrevokedAdmins()).some((admin) => isUnexpired(admin, now));
  }

  private async restoreIfNoAdmin(bootstrap: ApiKeyRecord): Promise<void> {
    const now = Date.now();
    if (isActive(bootstrap, now) && bootstrap.roles.includes('admin')) return;
    if (await this.hasActiveAdminKey(now)) return;
    if (!(await this.store.restoreAdmin(bootstrap.id))) return;
    this.cache.remember(bootstrap.hash, known({ ...bootstrap, roles: ['admin'], revokedAt: null, expiresAt: null }, now));
    await this.audit.record(
      'api-key.restored',
      SYSTEM_ACTOR,
      { kind: 'api-key', id: bootstrap.id },
      {
        name: bootstrap.name,
        roles: ['admin'],
        bootstrap: true,
        reason: 'no active admin key',
      },
    );
  }

  /** A cached or looked-up key, unless it has expired since (then 401, and remembered as such). */
  private usable(hash: string, key: KnownKey, now: number): Caller | undefined {
    if (isUnexpired(key, now)) return key.caller;
    this.cache.forget(hash, now);
    return undefined;
  }

  /** Reads the key once for all concurrent callers; the answer is cached even if this caller stopped waiting. */
  private lookup(hash: string): Promise<KnownKey | undefined> {
    let pending = this.inFlight.get(hash);
    if (!pending) {
      const generation = this.cache.generation;
      const startedAt = Date.now();
      pending = this.store
        .findByHash(hash)
        .then((record) => {
          // The lookup is by hash; comparing in constant time as well keeps the check independent of the index.
          const matches = record !== undefined && timingSafeEqual(Buffer.from(record.hash, 'hex'), Buffer.from(hash, 'hex'));
          const found = matches && isActive(record, Date.now()) ? known(record, startedAt) : undefined;
          this.cache.learn(hash, found, generation);
          return found;
        })
        .finally(() => this.inFlight.delete(hash));
      this.inFlight.set(hash, pending);
    }
    return withTimeout(pending, this.lookupTimeoutMs);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError(`The API key lookup took longer than ${ms} ms.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
