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

export interface ErasureStoreOptions {
  /**
   * This instance is the database's only client, so every erasure is begun here (or was, unfinished,
   * before it started): decisions then check erasures in memory, without a read.
   */
  exclusive: boolean;
  /** How long a finished erasure stays known in memory: longer than a decision may take to log. */
  keepFinishedMs: number;
}

/**
 * Erasures, keyed by subject. On an exclusive database the ones a decision may meet are known in memory:
 * those begun by this instance (kept until `keepFinishedMs` after they finish, when the profile is long
 * deleted) and those a crash left unfinished (read at start). A decision that read its profile before an
 * erasure deleted it logs within its budget, so it finds the erasure in memory; one whose entry landed
 * after its budget asks the database (`fresh`), which keeps every erasure.
 */
export class ErasureStore {
  private readonly model: Model<ErasureDoc>;
  private readonly known = new Map<string, ErasureRecord>();

  constructor(
    connection: Connection,
    private readonly options: ErasureStoreOptions = { exclusive: false, keepFinishedMs: 0 },
  ) {
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
    if (!this.options.exclusive) return;
    // Unfinished erasures are few (a crash interrupted them): a scan of the collection, once.
    for await (const doc of this.model.collection.find({ done: false })) {
      const record = recordOf(doc as unknown as ErasureDoc);
      this.known.set(record.subject, record);
    }
  }

  /** Opens an erasure; when one is open for the subject already (a retry), answers that one. */
  async begin(record: ErasureRecord): Promise<ErasureRecord> {
    const { subject, ...rest } = record;
    // Known before it is written: a decision checking meanwhile must already see it.
    const announced = this.options.exclusive && !this.known.has(subject);
    if (announced) this.known.set(subject, record);
    try {
      await this.model.collection.updateOne({ _id: subject as never }, { $setOnInsert: rest }, { upsert: true });
    } catch (error) {
      if (announced) this.known.delete(subject);
      throw error;
    }
    const stored = (await this.get(subject, { fresh: true }))!;
    if (this.options.exclusive) this.known.set(subject, stored);
    return stored;
  }

  /**
   * The erasure of a subject, if there is one: on every decision's path, answered from memory on an
   * exclusive database unless `fresh`, else one read by _id.
   */
  async get(subject: string, { fresh = false }: { fresh?: boolean } = {}): Promise<ErasureRecord | undefined> {
    if (this.options.exclusive && !fresh) return this.known.get(subject);
    const doc = (await this.model.collection.findOne({ _id: subject as never })) as unknown as ErasureDoc | null;
    return doc ? recordOf(doc) : undefined;
  }

  /** An erasure of this profile id that a crash left unfinished (a scan of a small collection). */
  async unfinishedFor(profileId: string): Promise<ErasureRecord | undefined> {
    const doc = await this.model.collection.findOne({ profileId, done: false }, { projection: { _id: 1 } });
    return doc ? this.get(String(doc._id)) : undefined;
  }

  /** Closes an erasure: from here on nothing in it names the profile. */
  async finish(subject: string): Promise<void> {
    await this.model.collection.updateOne({ _id: subject as never }, { $set: { done: true }, $unset: { profileId: '' } });
    const known = this.known.get(subject);
    if (!known) return;
    const { profileId: _profileId, ...finished } = known;
    this.known.set(subject, { ...finished, done: true });
    setTimeout(() => this.known.delete(subject), this.options.keepFinishedMs).unref();
  }
}

function recordOf(doc: ErasureDoc): ErasureRecord {
  const { _id, event, startedAt, by, profileId, done } = doc;
  return { subject: _id, event, startedAt, by, done, ...(profileId !== undefined && { profileId }) };
}
