import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from './ensure-collection.js';
import { isDuplicateKey } from './database-errors.js';

/** Who holds a key's lease, for which run, until when. */
export interface Lease {
  key: string;
  holder: string;
  runId: string;
  expiresAt: Date;
}

interface LeaseDoc {
  _id: string;
  holder: string;
  runId: string;
  expiresAt: Date;
}

/**
 * Leases without transactions: a lease is one document whose `_id` is the leased key, so only one
 * holder can insert it (a unique key), and it expires when its holder stops renewing it (a crash).
 * Every read and write names the `_id`, the one filter FerretDB v1 pushes down.
 */
export class LeaseStore {
  private readonly model: Model<LeaseDoc>;

  constructor(connection: Connection, modelName: string, collection: string) {
    this.model = connection.model<LeaseDoc>(
      modelName,
      new Schema<LeaseDoc>({ _id: String, holder: String, runId: String, expiresAt: Date }, { versionKey: false, collection }),
    );
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  /**
   * Takes the key's lease for `ttlMs` unless someone holds an unexpired one. An expired lease (its
   * holder crashed) is removed first, conditionally on its exact expiry so a fresh one is never removed.
   */
  async acquire(key: string, holder: string, runId: string, ttlMs: number, now = new Date()): Promise<boolean> {
    const existing = await this.model.findById(key).lean();
    if (existing && existing.expiresAt > now) return false;
    if (existing) await this.model.deleteOne({ _id: key, expiresAt: existing.expiresAt, holder: existing.holder });
    try {
      await this.model.create({ _id: key, holder, runId, expiresAt: new Date(now.getTime() + ttlMs) });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Extends the holder's lease; false when it is no longer theirs (it expired and someone else took it). */
  async renew(key: string, holder: string, ttlMs: number): Promise<boolean> {
    const result = await this.model.updateOne({ _id: key, holder }, { $set: { expiresAt: new Date(Date.now() + ttlMs) } });
    return result.matchedCount === 1;
  }

  async release(key: string, holder: string): Promise<void> {
    await this.model.deleteOne({ _id: key, holder });
  }

  /** The key's lease unless it has expired. */
  async active(key: string, now = new Date()): Promise<Lease | undefined> {
    const doc = await this.model.findById(key).lean();
    if (!doc || doc.expiresAt <= now) return undefined;
    const { _id, ...rest } = doc;
    return { key: _id, ...rest };
  }
}
