import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import { isDuplicateKey } from '../../db/database-errors.js';
import { chunkedBulkWrite } from '../../db/chunked-bulk-write.js';
import { PROFILE_SECTIONS, type ProfileDocument, type StoredProfile, type TagDetail } from './profile-schema.js';

interface ProfileDoc extends ProfileDocument {
  _id: string;
  tags: (Omit<TagDetail, 'at'> & { at: Date })[];
  createdAt: Date;
  updatedAt: Date;
}

export interface ProfileFilter {
  tag?: string;
  type?: string;
}

/**
 * Profiles, keyed by profileId. Every write is one single-document operation: an upsert that sets
 * the client's sections and unsets the ones it left out, and never touches the service's tags.
 */
export class ProfileStore {
  private readonly model: Model<ProfileDoc>;

  constructor(connection: Connection) {
    const schema = new Schema<ProfileDoc>(
      {
        _id: { type: String, required: true },
        type: { type: String, required: true },
        tags: { type: Schema.Types.Mixed, default: [] },
        createdAt: { type: Date, required: true },
        updatedAt: { type: Date, required: true },
      },
      { versionKey: false, collection: 'profiles', strict: false, minimize: false },
    );
    schema.index({ 'tags.tag': 1, _id: 1 });
    schema.index({ type: 1, _id: 1 });
    this.model = connection.model<ProfileDoc>('Profile', schema);
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  /** Creates or replaces the client's part of a profile; answers whether it was created. */
  async upsert(profileId: string, document: ProfileDocument, now: Date): Promise<{ created: boolean; profile: StoredProfile }> {
    const update = upsertUpdate(document, now);
    let created: boolean;
    try {
      created = (await this.model.updateOne({ _id: profileId }, update, { upsert: true, strict: false })).upsertedCount === 1;
    } catch (error) {
      // Two first writes raced and the other one inserted: ours is now a replacement.
      if (!isDuplicateKey(error)) throw error;
      await this.model.updateOne({ _id: profileId }, update, { strict: false });
      created = false;
    }
    const profile = await this.get(profileId);
    if (!profile) throw new Error(`ProfileStore: upsert() could not read back the profile it wrote`);
    return { created, profile };
  }

  /** Upserts many profiles in one unordered round trip; answers the indexes that failed. */
  async bulkUpsert(items: { profileId: string; document: ProfileDocument }[], now: Date): Promise<{ failed: Map<number, string> }> {
    if (items.length === 0) return { failed: new Map() };
    const operations = items.map(({ profileId, document }) => ({
      updateOne: { filter: { _id: profileId }, update: upsertUpdate(document, now), upsert: true },
    }));
    const failed = await chunkedBulkWrite(operations, (chunk) => this.model.bulkWrite(chunk as never, { ordered: false, strict: false }));
    return { failed };
  }

  async get(profileId: string): Promise<StoredProfile | undefined> {
    const doc = await this.model.findById(profileId).lean();
    return doc ? toStoredProfile(doc as ProfileDoc) : undefined;
  }

  async delete(profileId: string): Promise<boolean> {
    return (await this.model.deleteOne({ _id: profileId })).deletedCount === 1;
  }

  /** Profiles in profileId order after `afterId`. */
  async list(filter: ProfileFilter, limit: number, afterId?: string): Promise<StoredProfile[]> {
    const query: Record<string, unknown> = {};
    if (filter.tag !== undefined) query['tags.tag'] = filter.tag;
    if (filter.type !== undefined) query.type = filter.type;
    if (afterId !== undefined) query._id = { $gt: afterId };
    const docs = await this.model.find(query).sort({ _id: 1 }).limit(limit).lean();
    return docs.map((doc) => toStoredProfile(doc as ProfileDoc));
  }

  /**
   * Profiles after `afterId` in id order, in batches, from one cursor: one query for the whole sweep
   * (the embedded database sorts in memory on every query, so paging would sort once per page).
   */
  async *batchesAfter(afterId: string | undefined, batchSize: number): AsyncGenerator<StoredProfile[]> {
    const cursor = this.model
      .find(afterId === undefined ? {} : { _id: { $gt: afterId } })
      .sort({ _id: 1 })
      .lean()
      .cursor({ batchSize });
    let batch: StoredProfile[] = [];
    try {
      for await (const doc of cursor) {
        batch.push(toStoredProfile(doc as ProfileDoc));
        if (batch.length === batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      await cursor.close();
    }
  }

  count(): Promise<number> {
    return this.model.estimatedDocumentCount();
  }

  /** Streams the ids of profiles carrying a tag, in id order, one page at a time. */
  async *idsWithTag(tag: string, pageSize = 1000): AsyncGenerator<string> {
    let after: string | undefined;
    for (;;) {
      const docs = await this.model
        .find({ 'tags.tag': tag, ...(after !== undefined && { _id: { $gt: after } }) }, { _id: 1 })
        .sort({ _id: 1 })
        .limit(pageSize)
        .lean();
      for (const doc of docs) yield doc._id;
      if (docs.length < pageSize) return;
      after = docs[docs.length - 1]!._id;
    }
  }

  /** Replaces the tags of many profiles in one unordered round trip. */
  async bulkSetTags(updates: { profileId: string; tags: TagDetail[] }[]): Promise<void> {
    const operations = updates.map(({ profileId, tags }) => ({
      updateOne: { filter: { _id: profileId }, update: { $set: { tags: tags.map((tag) => ({ ...tag, at: new Date(tag.at) })) } } },
    }));
    const failed = await chunkedBulkWrite(operations, (chunk) => this.model.bulkWrite(chunk as never, { ordered: false }));
    if (failed.size > 0) throw new Error(`ProfileStore: bulkSetTags() failed for ${failed.size} profile(s): ${[...failed.values()][0]}`);
  }

  /** Replaces the service-owned tags of a profile; a no-op when the profile is gone. */
  async setTags(profileId: string, tags: TagDetail[]): Promise<void> {
    await this.model.updateOne(
      { _id: profileId },
      { $set: { tags: tags.map((tag) => ({ ...tag, at: new Date(tag.at) })) } },
    );
  }
}

function upsertUpdate(document: ProfileDocument, now: Date): Record<string, object> {
  const set: Record<string, unknown> = { updatedAt: now };
  const unset: Record<string, ''> = {};
  for (const section of PROFILE_SECTIONS) {
    if (document[section] === undefined) unset[section] = '';
    else set[section] = document[section];
  }
  const update: Record<string, object> = { $set: set, $setOnInsert: { createdAt: now, tags: [] } };
  if (Object.keys(unset).length > 0) update.$unset = unset;
  return update;
}

function toStoredProfile(doc: ProfileDoc): StoredProfile {
  const { _id, tags, createdAt, updatedAt } = doc;
  const tagDetails = (tags ?? []).map((tag) => ({ ...tag, at: new Date(tag.at).toISOString() }));
  const sections: Record<string, unknown> = {};
  for (const section of PROFILE_SECTIONS) if (doc[section] !== undefined) sections[section] = doc[section];
  return {
    profileId: _id,
    ...sections,
    tags: [...new Set(tagDetails.map((tag) => tag.tag))],
    tagDetails,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  } as StoredProfile;
}
