import { Schema, type Connection, type Model } from 'mongoose';
import type { Role } from './roles.js';
import { ensureCollection } from '../../db/ensure-collection.js';

export interface ApiKeyRecord {
  id: string;
  name: string;
  roles: Role[];
  /** SHA-256 of the key, hex. The key itself is never stored. */
  hash: string;
  createdAt: Date;
  createdBy: string | null;
  revokedAt: Date | null;
}

interface ApiKeyDoc extends Omit<ApiKeyRecord, 'id'> {
  _id: string;
}

/** API keys: insert once, later only `revokedAt` is set. */
export class ApiKeyStore {
  private readonly model: Model<ApiKeyDoc>;

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
      },
      { versionKey: false, collection: 'api_keys' },
    );
    schema.index({ createdAt: 1, _id: 1 });
    this.model = connection.model<ApiKeyDoc>('ApiKey', schema);
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
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
          $or: [
            { createdAt: { $gt: after.createdAt } },
            { createdAt: after.createdAt, _id: { $gt: after.id } },
          ],
        }
      : {};
    const docs = await this.model.find(filter).sort({ createdAt: 1, _id: 1 }).limit(limit).lean();
    return docs.map(toRecord);
  }

  /** Sets `revokedAt` once; answers whether this call revoked it. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const result = await this.model.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } });
    return result.modifiedCount === 1;
  }
}

function toRecord(doc: ApiKeyDoc): ApiKeyRecord {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest, roles: [...rest.roles] };
}
