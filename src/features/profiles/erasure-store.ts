import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';

/**
 * An erasure, keyed by the erased profile's subject (its pseudonym): written before anything is
 * erased, so that a decision in flight for that subject sees it before and after it logs, and kept
 * afterwards without the profile id.
 */
export interface ErasureRecord {
  subject: string;
  /** The audit event that opened the erasure: what masks name, and what verify checks them against. */
  event: string;
  startedAt: Date;
  /** The key id of the caller who erased. */
  by: string;
  /** Only while the erasure runs, so that a retry after a crash can resume it; removed when it is done. */
  profileId?: string;
  done: boolean;
}

type ErasureDoc = Omit<ErasureRecord, 'subject'> & { _id: string };

export class ErasureStore {
  private readonly model: Model<ErasureDoc>;

  constructor(connection: Connection) {
    this.model = connection.model<ErasureDoc>(
      'Erasure',
      new Schema<ErasureDoc>(
        { _id: String, event: String, startedAt: Date, by: String, profileId: String, done: Boolean },
        { versionKey: false, collection: 'erasures' },
      ),
    );
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  /** Opens an erasure; when one is open for the subject already (a retry), answers that one. */
  async begin(record: ErasureRecord): Promise<ErasureRecord> {
    const { subject, ...rest } = record;
    await this.model.collection.updateOne({ _id: subject as never }, { $setOnInsert: rest }, { upsert: true });
    return (await this.get(subject))!;
  }

  /** The erasure of a subject, if there is one: one read by _id, on every decision's path. */
  async get(subject: string): Promise<ErasureRecord | undefined> {
    const doc = (await this.model.collection.findOne({ _id: subject as never })) as unknown as ErasureDoc | null;
    if (!doc) return undefined;
    const { _id, event, startedAt, by, profileId, done } = doc;
    return { subject: _id, event, startedAt, by, done, ...(profileId !== undefined && { profileId }) };
  }

  /** An erasure of this profile id that a crash left unfinished (a scan of a small collection). */
  async unfinishedFor(profileId: string): Promise<ErasureRecord | undefined> {
    const doc = await this.model.collection.findOne({ profileId, done: false }, { projection: { _id: 1 } });
    return doc ? this.get(String(doc._id)) : undefined;
  }

  /** Closes an erasure: from here on nothing in it names the profile. */
  async finish(subject: string): Promise<void> {
    await this.model.collection.updateOne({ _id: subject as never }, { $set: { done: true }, $unset: { profileId: '' } });
  }
}
