import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyStore } from './api-key-store.js';
import type { Caller, Role } from './roles.js';
import { actorOf, SYSTEM_ACTOR, type AuditTrail } from '../audit/audit-trail.js';
import { isDuplicateKey } from '../../db/database-errors.js';
import { notFound } from '../../http/app-error.js';

/** How long a looked-up key is trusted before it is read again (bounds how late a revocation bites elsewhere). */
const CACHE_TTL_MS = 5000;

export interface ApiKeyView {
  id: string;
  name: string;
  roles: Role[];
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
}

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
  };
}

/** Issues, checks and revokes API keys. Keys are 32 random bytes; only their SHA-256 is stored. */
export class ApiKeyService {
  private readonly cache = new Map<string, { caller: Caller | undefined; expiresAt: number }>();

  constructor(
    private readonly store: ApiKeyStore,
    private readonly audit: AuditTrail,
  ) {}

  async create(name: string, roles: Role[], createdBy: Caller): Promise<ApiKeyView & { key: string }> {
    const key = `ldk_${randomBytes(32).toString('base64url')}`;
    const record: ApiKeyRecord = {
      id: randomUUID(),
      name,
      roles: [...new Set(roles)],
      hash: hashKey(key),
      createdAt: new Date(),
      createdBy: createdBy.keyId,
      revokedAt: null,
    };
    await this.store.insert(record);
    await this.audit.record('api-key.created', actorOf(createdBy), { kind: 'api-key', id: record.id }, {
      name: record.name,
      roles: record.roles,
    });
    return { ...view(record), key };
  }

  /** Creates the bootstrap admin key unless a key with that value exists (safe when instances race). */
  async ensureBootstrapKey(key: string): Promise<void> {
    const hash = hashKey(key);
    if (await this.store.findByHash(hash)) return;
    const record: ApiKeyRecord = {
      id: randomUUID(),
      name: 'bootstrap-admin',
      roles: ['admin'],
      hash,
      createdAt: new Date(),
      createdBy: null,
      revokedAt: null,
    };
    try {
      await this.store.insert(record);
    } catch (error) {
      if (isDuplicateKey(error)) return;
      throw error;
    }
    await this.audit.record('api-key.created', SYSTEM_ACTOR, { kind: 'api-key', id: record.id }, {
      name: record.name,
      roles: record.roles,
      bootstrap: true,
    });
  }

  /** The caller a presented key belongs to, or undefined for an unknown or revoked key. */
  async authenticate(presented: string): Promise<Caller | undefined> {
    const hash = hashKey(presented);
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > Date.now()) return cached.caller;
    const record = await this.store.findByHash(hash);
    // The lookup is by hash; comparing in constant time as well keeps the check independent of the index.
    const matches = record !== undefined && timingSafeEqual(Buffer.from(record.hash, 'hex'), Buffer.from(hash, 'hex'));
    const caller = matches && !record.revokedAt ? { keyId: record.id, name: record.name, roles: record.roles } : undefined;
    if (caller) this.cache.set(hash, { caller, expiresAt: Date.now() + CACHE_TTL_MS });
    if (this.cache.size > 10_000) this.cache.clear();
    return caller;
  }

  async list(limit: number, after?: { createdAt: Date; id: string }): Promise<ApiKeyView[]> {
    return (await this.store.list(limit, after)).map(view);
  }

  async revoke(id: string, by: Caller): Promise<ApiKeyView> {
    const record = await this.store.findById(id);
    if (!record) throw notFound(`No API key with id ${id}.`);
    const at = new Date();
    if (await this.store.revoke(id, at)) {
      await this.audit.record('api-key.revoked', actorOf(by), { kind: 'api-key', id }, { name: record.name });
      for (const [hash, entry] of this.cache) if (entry.caller?.keyId === id) this.cache.delete(hash);
      return view({ ...record, revokedAt: at });
    }
    return view(record);
  }
}
