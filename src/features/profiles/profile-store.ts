import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import { isDuplicateKey } from '../../db/database-errors.js';
import { chunkedBulkWrite } from '../../db/chunked-bulk-write.js';
import type { ProfileDocument, StoredProfile, TagDetail } from './profile-schema.js';
import {
  newSubject,
  type ProfileDoc,
  type ProfileState,
  type StoredVelocity,
  storedTags,
  toProfileState,
  toStoredProfile,
  upsertUpdate,
} from './profile-doc.js';
import type { ActiveSnooze } from './active-snooze.js';

export { snoozesOf } from './profile-doc.js';

export interface ProfileFilter {
  tag?: string;
  type?: string;
}

/** Told of the writes of the profile store: a cache of profiles must not keep what they changed. */
export interface ProfileStoreHooks {
  /** After profiles were written or deleted (whether or not the write succeeded). */
  changed(profileIds: readonly string[]): void;
  /** Before a profile is deleted: a decision's write under way onto it must not land on a later profile with its id. */
  beforeDelete(profileId: string): Promise<void>;
  /** After the delete was answered (or failed). */
  afterDelete(profileId: string): void;
}

/** What a decision derived onto one profile: its tags, its velocity head, or both. */
export interface StateUpdate {
  profileId: string;
  /** The profile the decision read: a profile erased meanwhile, or created anew with the same id, gets nothing. */
  subject: string;
  tags?: TagDetail[];
  velocity?: StoredVelocity;
}

/**
 * Profiles, keyed by profileId. Every write is one single-document operation: an upsert that sets
 * the client's sections (its type, and the rest as one JSON text), and never touches the service's tags.
 */
export class ProfileStore {
  private readonly model: Model<ProfileDoc>;
  /** What is told of the profiles this store writes or deletes (the profile cache, see profile-states.ts). */
  hooks: ProfileStoreHooks = { changed: () => undefined, beforeDelete: async () => undefined, afterDelete: () => undefined };

  constructor(connection: Connection) {
    const schema = new Schema<ProfileDoc>(
      {
        _id: { type: String, required: true },
        type: { type: String, required: true },
        body: { type: String, required: true },
        tags: { type: Schema.Types.Mixed, default: [] },
        createdAt: { type: Date, required: true },
        updatedAt: { type: Date, required: true },
        subject: String,
        velocityN: Number,
        velocityTimes: String,
      },
      { versionKey: false, collection: 'profiles', minimize: false },
    );
    schema.index({ 'tags.tag': 1, _id: 1 });
    schema.index({ type: 1, _id: 1 });
    schema.index({ subject: 1 });
    this.model = connection.model<ProfileDoc>('Profile', schema);
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  /** Creates or replaces the client's part of a profile; answers whether it was created. */
  async upsert(profileId: string, document: ProfileDocument, now: Date): Promise<{ created: boolean; profile: StoredProfile }> {
    const update = upsertUpdate(document, now);
    const created = await this.changing([profileId], async () => {
      try {
        return (await this.model.updateOne({ _id: profileId }, update, { upsert: true })).upsertedCount === 1;
      } catch (error) {
        // Two first writes raced and the other one inserted: ours is now a replacement.
        if (!isDuplicateKey(error)) throw error;
        await this.model.updateOne({ _id: profileId }, update);
        return false;
      }
    });
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
    const failed = await this.changing(
      items.map((item) => item.profileId),
      () => chunkedBulkWrite(operations, (chunk) => this.model.bulkWrite(chunk as never, { ordered: false })),
    );
    return { failed };
  }

  async get(profileId: string): Promise<StoredProfile | undefined> {
    return (await this.withSubject(profileId))?.profile;
  }

  /** The profile and its subject (the pseudonym its decisions are logged under), in one read; a subject is drawn for a profile that has none. */
  async withSubject(profileId: string): Promise<{ profile: StoredProfile; subject: string; snoozes?: ActiveSnooze[] } | undefined> {
    const state = await this.state(profileId);
    return state && { profile: state.profile, subject: state.subject, ...(state.snoozes && { snoozes: state.snoozes }) };
  }

  /** What a decision reads: the profile, its subject and its velocity head, in one read (a subject is drawn for a profile that has none). */
  async state(profileId: string): Promise<(ProfileState & { bytes: number }) | undefined> {
    // On every decision the cache does not answer: the driver's collection directly, without mongoose's query casting.
    const doc = (await this.model.collection.findOne({ _id: profileId as never })) as unknown as ProfileDoc | null;
    if (!doc) return undefined;
    if (doc.subject !== undefined) return { ...toProfileState(doc as ProfileDoc & { subject: string }), bytes: storedBytes(doc) };
    // Created before subjects existed: the first writer's draw wins, so every instance logs it under one subject.
    await this.changing([profileId], () =>
      this.model.collection.updateOne({ _id: profileId as never, subject: { $exists: false } }, { $set: { subject: newSubject() } }),
    );
    const drawn = (await this.model.collection.findOne({ _id: profileId as never })) as unknown as ProfileDoc | null;
    if (drawn?.subject === undefined) return undefined;
    return { ...toProfileState(drawn as ProfileDoc & { subject: string }), bytes: storedBytes(drawn) };
  }

  /** The subject of a profile, or undefined when it does not exist (or predates subjects). */
  async subjectOf(profileId: string): Promise<string | undefined> {
    const doc = await this.model.collection.findOne({ _id: profileId as never }, { projection: { subject: 1 } });
    return typeof doc?.subject === 'string' ? doc.subject : undefined;
  }

  /** Whether a profile with this subject exists: a scan on the embedded database, for verify's rare question. */
  async subjectExists(subject: string): Promise<boolean> {
    return (await this.model.collection.findOne({ subject }, { projection: { _id: 1 } })) !== null;
  }

  delete(profileId: string): Promise<boolean> {
    return this.deleting(profileId, async () => (await this.model.deleteOne({ _id: profileId })).deletedCount === 1);
  }

  /** Deletes the profile only if it is still the one with this subject (not one created anew with the same id). */
  deleteIfSubject(profileId: string, subject: string): Promise<boolean> {
    return this.deleting(
      profileId,
      async () => (await this.model.collection.deleteOne({ _id: profileId as never, subject })).deletedCount === 1,
    );
  }

  private async deleting(profileId: string, remove: () => Promise<boolean>): Promise<boolean> {
    await this.hooks.beforeDelete(profileId);
    try {
      return await this.changing([profileId], remove);
    } finally {
      this.hooks.afterDelete(profileId);
    }
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
   * Profiles after `afterId` in id order, one at a time, from one cursor reading `batchSize` at once:
   * one query for the whole sweep (the embedded database sorts in memory on every query, so paging
   * would sort once per page).
   */
  async *streamAfter(afterId: string | undefined, batchSize: number): AsyncGenerator<StoredProfile> {
    const cursor = this.model
      .find(afterId === undefined ? {} : { _id: { $gt: afterId } })
      .sort({ _id: 1 })
      .lean()
      .cursor({ batchSize });
    try {
      for await (const doc of cursor) yield toStoredProfile(doc as ProfileDoc);
    } finally {
      await cursor.close();
    }
  }

  /** The same sweep as streamAfter, in batches of `batchSize`. */
  async *batchesAfter(afterId: string | undefined, batchSize: number): AsyncGenerator<StoredProfile[]> {
    let batch: StoredProfile[] = [];
    for await (const profile of this.streamAfter(afterId, batchSize)) {
      batch.push(profile);
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
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
      updateOne: { filter: { _id: profileId }, update: { $set: { tags: storedTags(tags) } } },
    }));
    const failed = await this.changing(
      updates.map((update) => update.profileId),
      () => chunkedBulkWrite(operations, (chunk) => this.model.bulkWrite(chunk as never, { ordered: false })),
    );
    if (failed.size > 0) throw new Error(`ProfileStore: bulkSetTags() failed for ${failed.size} profile(s): ${[...failed.values()][0]}`);
  }

  /** Replaces the service-owned tags of a profile; a no-op when the profile is gone, or (given `subject`) is no longer that one. */
  async setTags(profileId: string, tags: TagDetail[], subject?: string): Promise<void> {
    await this.changing([profileId], () =>
      this.model.collection.updateOne(
        { _id: profileId as never, ...(subject !== undefined && { subject }) },
        { $set: { tags: storedTags(tags) } },
      ),
    );
  }

  /** Runs a write, then tells the hooks which profiles it changed (a read that began before it must not be cached). */
  private async changing<T>(profileIds: readonly string[], write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      this.hooks.changed(profileIds);
    }
  }

  /** Replaces the profile's copy of its active snoozes, if it is still the one with this subject; false when it is gone. */
  async writeSnoozes(profileId: string, subject: string, active: ActiveSnooze[]): Promise<boolean> {
    return this.changing([profileId], async () => {
      const result = await this.model.collection.updateOne({ _id: profileId as never, subject }, { $set: { snoozes: active } });
      return result.matchedCount === 1;
    });
  }

  /** The snoozes copy as stored, to check that a write was not lost to a concurrent whole-document write. */
  async storedSnoozes(profileId: string): Promise<ActiveSnooze[] | undefined> {
    const doc = await this.model.collection.findOne({ _id: profileId as never }, { projection: { snoozes: 1 } });
    return doc ? ((doc.snoozes as ActiveSnooze[] | undefined) ?? []) : undefined;
  }

  /**
   * Writes what decisions derived onto profiles, in one unordered round trip; answers the profile ids whose
   * write failed. On a database other instances share (`forwardOnly`), a write lands only on the profile
   * with the subject the decision read, and a velocity head only moves forward, so a slow writer never
   * undoes a faster one. Else (an exclusive database) the caller has checked the subject and orders a
   * profile's writes itself: by _id alone, the only filter the embedded database answers without a scan.
   */
  async writeStates(updates: readonly StateUpdate[], { forwardOnly }: { forwardOnly: boolean }): Promise<string[]> {
    const operations = updates.flatMap(({ profileId, subject, tags, velocity }) => {
      const filter = { _id: profileId, ...(forwardOnly && { subject }) };
      const head = velocity && { velocityN: velocity.n, velocityTimes: velocity.times };
      const set = { ...(tags && { tags: storedTags(tags) }), ...(!forwardOnly && head) };
      const guardedHead = forwardOnly &&
        head && { filter: { ...filter, velocityN: { $not: { $gte: head.velocityN } } }, update: { $set: head } };
      return [
        ...(Object.keys(set).length > 0 ? [{ updateOne: { filter, update: { $set: set } } }] : []),
        ...(guardedHead ? [{ updateOne: guardedHead }] : []),
      ].map((operation) => ({ profileId, operation }));
    });
    if (operations.length === 0) return [];
    const failed = await chunkedBulkWrite(
      operations.map(({ operation }) => operation),
      (chunk) => this.model.collection.bulkWrite(chunk as never, { ordered: false }),
    );
    return [...new Set([...failed.keys()].map((index) => operations[index]!.profileId))];
  }
}

/** The texts a cached state holds (a velocity head's history may outweigh the client's sections). */
const storedBytes = (doc: ProfileDoc): number => doc.body.length + String(doc.velocityTimes ?? '').length;
