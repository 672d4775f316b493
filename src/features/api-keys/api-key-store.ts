import { Schema, type Connection, type Model } from 'mongoose';
import type { Role } from '../../auth/roles.js';
import { ensureCollection } from '../../db/ensure-collection.js';
import { isDuplicateKey } from '../../db/database-errors.js';

export interface ApiKeyRecord {
  id: string;
  name: string;
  roles: Role[];
  /** SHA-256 of the key, hex. The key itself is never stored. */
  hash: string;
  createdAt: Date;
  createdBy: string | null;
  revokedAt: Date | null;
  /** After this instant the key is refused; null: it never expires. */
  expiresAt: Date | null;
}

interface ApiKeyDoc extends Omit<ApiKeyRecord, 'id'> {
  _id: string;
}

/** A short lease (one document per name) that serialises a check-then-write across instances. */
interface GuardDoc {
  _id: string;
  holder: string;
  expiresAt: Date;
}

/** API keys: insert once, later only `revokedAt` is set (and cleared again only to restore the bootstrap key). */
export class ApiKeyStore {
  private readonly model: Model<ApiKeyDoc>;
  private readonly guards: Model<GuardDoc>;

  constructor(connection: Connection) {
    const schema = new Schema<ApiKeyDoc>(
      {
        _id: { type: String, required: true },
        name: { type: String, required: true },
        roles: { type: [String], required: true },
        hash: { type: String, required: true, unique: true },
        createdAt: { type: Date, required: true },
        createdBy: { type: String, default: null },
        revokedAt: { type: Date, default: null },
        expiresAt: { type: Date, default: null },
      },
      { versionKey: false, collection: 'api_keys' },
    );
    schema.index({ createdAt: 1, _id: 1 });
    this.model = connection.model<ApiKeyDoc>('ApiKey', schema);
    this.guards = connection.model<GuardDoc>(
      'ApiKeyGuard',
      new Schema<GuardDoc>({ _id: String, holder: String, expiresAt: Date }, { versionKey: false, collection: 'api_key_guards' }),
    );
  }

  async init(): Promise<void> {
    await Promise.all([ensureCollection(this.model), ensureCollection(this.guards)]);
  }

  async insert(record: ApiKeyRecord): Promise<void> {
    const { id, ...rest } = record;
    await this.model.create({ _id: id, ...rest });
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const doc = await this.model.findOne({ hash }).lean();
    return doc ? toRecord(doc) : undefined;
  }

  async findById(id: string): Promise<ApiKeyRecord | undefined> {
    const doc = await this.model.findById(id).lean();
    return doc ? toRecord(doc) : undefined;
  }

  async list(limit: number, after?: { createdAt: Date; id: string }): Promise<ApiKeyRecord[]> {
    const filter = after
      ? {
          $or: [{ createdAt: { $gt: after.createdAt } }, { createdAt: after.createdAt, _id: { $gt: after.id } }],
        }
      : {};
    const docs = await this.model.find(filter).sort({ createdAt: 1, _id: 1 }).limit(limit).lean();
    return docs.map(toRecord);
  }

  /** Unrevoked keys holding `admin` (expired ones included: the caller knows the time). */
  async unrevokedAdmins(): Promise<ApiKeyRecord[]> {
    const docs = await this.model.find({ roles: 'admin', revokedAt: null }).lean();
    return docs.map(toRecord);
  }

  /** Sets `revokedAt` once; answers whether this call revoked it. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const result = await this.model.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } });
    return result.modifiedCount === 1;
  }

  /** Makes a key an unrevoked, unexpiring admin key again; answers whether anything changed. */
  async restoreAdmin(id: string): Promise<boolean> {
    const result = await this.model.updateOne({ _id: id }, { $set: { revokedAt: null, expiresAt: null, roles: ['admin'] } });
    return result.modifiedCount === 1;
  }

  /**
   * Takes the named guard for `ttlMs` unless someone holds an unexpired one. An expired guard (its
   * holder died) is removed first, conditionally on its exact expiry so that a fresh one is never removed.
   */
  async acquireGuard(name: string, holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
    const existing = await this.guards.findById(name).lean();
    if (existing && existing.expiresAt > now) return false;
    if (existing) await this.guards.deleteOne({ _id: name, expiresAt: existing.expiresAt, holder: existing.holder });
    try {
      await this.guards.create({ _id: name, holder, expiresAt: new Date(now.getTime() + ttlMs) });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async releaseGuard(name: string, holder: string): Promise<void> {
    await this.guards.deleteOne({ _id: name, holder });
  }
}

function toRecord(doc: ApiKeyDoc): ApiKeyRecord {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest, roles: [...rest.roles] };
}
