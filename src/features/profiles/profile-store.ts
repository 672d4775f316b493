import { randomBytes } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import { isDuplicateKey } from '../../db/database-errors.js';
import { chunkedBulkWrite } from '../../db/chunked-bulk-write.js';
import type { ActiveSnooze } from './active-snooze.js';
import { PROFILE_SECTIONS, type ProfileDocument, type StoredProfile, type TagDetail } from './profile-schema.js';

/** The client's sections other than `type`. */
type Sections = Omit<ProfileDocument, 'type'>;

interface ProfileDoc {
  _id: string;
  type: ProfileDocument['type'];
  /**
   * The client's sections but `type`, as one JSON text: the service never queries inside them, and
   * the embedded database reads and rewrites one string ~2-3× faster than the same content as
   * nested fields.
   */
  body: string;
  tags?: (Omit<TagDetail, 'at'> & { at: Date })[];
  createdAt: Date;
  updatedAt: Date;
  /**
   * A random pseudonym drawn when the profile is created, never returned by the API: log entries name
   * their subject by it (not by the profile id), erasure finds them by it, and it dies with the profile,
   * so nothing links a later profile with the same id to this one. Absent on profiles created before.
   */
  subject?: string;
  /** The profile's active snoozes, a copy the snooze store rewrites whole: decisions read them with the profile. */
  snoozes?: ActiveSnooze[];
}

/**
 * The active snoozes of profiles as read, kept beside them rather than in them (answers never show
 * them): what a sweep (re-tagging) applies, like a decision, with no read of its own.
 */
const readSnoozes = new WeakMap<StoredProfile, ActiveSnooze[]>();
export const snoozesOf = (profile: StoredProfile): ActiveSnooze[] | undefined => readSnoozes.get(profile);

/** A new pseudonym: 256 random bits. */
export const newSubject = (): string => randomBytes(32).toString('hex');

export interface ProfileFilter {
  tag?: string;
  type?: string;
}

/**
 * Profiles, keyed by profileId. Every write is one single-document operation: an upsert that sets
 * the client's sections (its type, and the rest as one JSON text), and never touches the service's tags.
 */
export class ProfileStore {
  private readonly model: Model<ProfileDoc>;

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
    let created: boolean;
    try {
      created = (await this.model.updateOne({ _id: profileId }, update, { upsert: true })).upsertedCount === 1;
    } catch (error) {
      // Two first writes raced and the other one inserted: ours is now a replacement.
      if (!isDuplicateKey(error)) throw error;
      await this.model.updateOne({ _id: profileId }, update);
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
    const failed = await chunkedBulkWrite(operations, (chunk) => this.model.bulkWrite(chunk as never, { ordered: false }));
    return { failed };
  }

  async get(profileId: string): Promise<StoredProfile | undefined> {
    return (await this.withSubject(profileId))?.profile;
  }

  /** The profile and its subject (the pseudonym its decisions are logged under), in one read; a subject is drawn for a profile that has none. */
  async withSubject(profileId: string): Promise<{ profile: StoredProfile; subject: string; snoozes?: ActiveSnooze[] } | undefined> {
    // On every decision: the driver's collection directly, without mongoose's query casting.
    const doc = (await this.model.collection.findOne({ _id: profileId as never })) as unknown as ProfileDoc | null;
    if (!doc) return undefined;
    if (doc.subject !== undefined) return { profile: toStoredProfile(doc), subject: doc.subject, snoozes: doc.snoozes };
    // Created before subjects existed: the first writer's draw wins, so every instance logs it under one subject.
    await this.model.collection.updateOne({ _id: profileId as never, subject: { $exists: false } }, { $set: { subject: newSubject() } });
    const drawn = (await this.model.collection.findOne({ _id: profileId as never })) as unknown as ProfileDoc | null;
    return drawn?.subject === undefined ? undefined : { profile: toStoredProfile(drawn), subject: drawn.subject };
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

  async delete(profileId: string): Promise<boolean> {
    return (await this.model.deleteOne({ _id: profileId })).deletedCount === 1;
  }

  /** Deletes the profile only if it is still the one with this subject (not one created anew with the same id). */
  async deleteIfSubject(profileId: string, subject: string): Promise<boolean> {
    return (await this.model.collection.deleteOne({ _id: profileId as never, subject })).deletedCount === 1;
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
      updateOne: { filter: { _id: profileId }, update: { $set: { tags: tags.map((tag) => ({ ...tag, at: new Date(tag.at) })) } } },
    }));
    const failed = await chunkedBulkWrite(operations, (chunk) => this.model.bulkWrite(chunk as never, { ordered: false }));
    if (failed.size > 0) throw new Error(`ProfileStore: bulkSetTags() failed for ${failed.size} profile(s): ${[...failed.values()][0]}`);
  }

  /** Replaces the service-owned tags of a profile; a no-op when the profile is gone, or (given `subject`) is no longer that one. */
  async setTags(profileId: string, tags: TagDetail[], subject?: string): Promise<void> {
    await this.model.collection.updateOne(
      { _id: profileId as never, ...(subject !== undefined && { subject }) },
      { $set: { tags: tags.map((tag) => ({ ...tag, at: new Date(tag.at) })) } },
    );
  }
}

/** The sections the body holds, in the order answers list them. */
const BODY_SECTIONS = PROFILE_SECTIONS.filter((section) => section !== 'type');

/** The client's part of a profile as stored: its type, and the other sections as one JSON text. */
function storedSections({ type, ...sections }: ProfileDocument): Pick<ProfileDoc, 'type' | 'body'> {
  return { type, body: JSON.stringify(sections) };
}

/** A new profile's document as the store keeps it, for loading many with one insert (the benchmark does). */
export function newProfileDocument(profileId: string, document: ProfileDocument, now: Date): Record<string, unknown> {
  return { _id: profileId, ...storedSections(document), tags: [], createdAt: now, updatedAt: now, subject: newSubject() };
}

function upsertUpdate(document: ProfileDocument, now: Date): Record<string, object> {
  return { $set: { ...storedSections(document), updatedAt: now }, $setOnInsert: { createdAt: now, tags: [], subject: newSubject() } };
}

function toStoredProfile(doc: ProfileDoc): StoredProfile {
  const { _id, tags, createdAt, updatedAt } = doc;
  // The embedded database drops an empty array from an upsert's $setOnInsert: an untagged profile may have no tags field.
  const tagDetails = (tags ?? []).map((tag) => ({ ...tag, at: new Date(tag.at).toISOString() }));
  const sections: Record<string, unknown> = { type: doc.type };
  const stored = JSON.parse(doc.body) as Sections;
  for (const section of BODY_SECTIONS) if (stored[section] !== undefined) sections[section] = stored[section];
  const profile = {
    profileId: _id,
    ...sections,
    tags: [...new Set(tagDetails.map((tag) => tag.tag))],
    tagDetails,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  } as StoredProfile;
  if (doc.snoozes && doc.snoozes.length > 0) readSnoozes.set(profile, doc.snoozes);
  return profile;
}
