import { randomBytes } from 'node:crypto';
import type { ActiveSnooze } from './active-snooze.js';
import { PROFILE_SECTIONS, type ProfileDocument, type StoredProfile, type TagDetail } from './profile-schema.js';

/** The client's sections other than `type`. */
type Sections = Omit<ProfileDocument, 'type'>;

/** A profile as the profile store keeps it. */
export interface ProfileDoc {
  _id: string;
  type: ProfileDocument['type'];
  /**
   * The client's sections but `type`, as one JSON text: the service never queries inside them, and
   * the embedded database reads and rewrites one string ~2-3× faster than the same content as
   * nested fields.
   */
  body: string;
  tags?: StoredTag[];
  createdAt: Date;
  updatedAt: Date;
  /**
   * A random pseudonym drawn when the profile is created, never returned by the API: log entries name
   * their subject by it (not by the profile id), erasure finds them by it, and it dies with the profile,
   * so nothing links a later profile with the same id to this one. Absent on profiles created before.
   */
  subject?: string;
  /**
   * The velocity head (decisions/velocity-history.ts): the slot of the latest logged loan application and
   * the state it left, as JSON text, read with the profile in one round trip. Absent on profiles created
   * before heads moved here (their head may still be in application_velocity).
   */
  velocityN?: number;
  velocityTimes?: string;
  /** The profile's active snoozes, a copy the snooze service rewrites whole: decisions read them with the profile. */
  snoozes?: ActiveSnooze[];
}

/**
 * The active snoozes of profiles as read, kept beside them rather than in them (answers never show
 * them): what a sweep (re-tagging) applies, like a decision, with no read of its own.
 */
const readSnoozes = new WeakMap<StoredProfile, ActiveSnooze[]>();
export const snoozesOf = (profile: StoredProfile): ActiveSnooze[] | undefined => readSnoozes.get(profile);

export type StoredTag = Omit<TagDetail, 'at'> & { at: Date };

/** A profile's velocity head as stored: slot number and state (JSON text). */
export interface StoredVelocity {
  n: number;
  times: string;
}

/** What a decision reads of a profile: the profile, its subject, and its velocity head (undefined: not stored with it). */
export interface ProfileState {
  profile: StoredProfile;
  subject: string;
  velocity: StoredVelocity | undefined;
  /**
   * The slot of the head the profile document holds: a checkpoint the head (the checkpoint followed by
   * the velocity slots recorded after it, see velocity-slot-store.ts) is read from.
   */
  checkpointN?: number;
  /** The rules snoozed for this profile (undefined: none). */
  snoozes?: ActiveSnooze[];
}

/** A new pseudonym: 256 random bits. */
export const newSubject = (): string => randomBytes(32).toString('hex');

/** The sections the body holds, in the order answers list them. */
const BODY_SECTIONS = PROFILE_SECTIONS.filter((section) => section !== 'type');

/** The client's part of a profile as stored: its type, and the other sections as one JSON text. */
export function storedSections({ type, ...sections }: ProfileDocument): Pick<ProfileDoc, 'type' | 'body'> {
  return { type, body: JSON.stringify(sections) };
}

/** What a new profile starts with besides the client's sections: no tags, no applications, a fresh subject. */
function serviceFields(now: Date) {
  return { tags: [], createdAt: now, subject: newSubject(), velocityN: 0, velocityTimes: '[]' };
}

/** A new profile's document as the store keeps it, for loading many with one insert (the benchmark does). */
export function newProfileDocument(profileId: string, document: ProfileDocument, now: Date): Record<string, unknown> {
  return { _id: profileId, ...storedSections(document), updatedAt: now, ...serviceFields(now) };
}

/** Creates or replaces the client's sections; the service's own fields are set only on creation. */
export function upsertUpdate(document: ProfileDocument, now: Date): Record<string, object> {
  return { $set: { ...storedSections(document), updatedAt: now }, $setOnInsert: serviceFields(now) };
}

export const storedTags = (tags: readonly TagDetail[]): StoredTag[] => tags.map((tag) => ({ ...tag, at: new Date(tag.at) }));

export function toStoredProfile(doc: ProfileDoc): StoredProfile {
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

/** A profile doc with a subject as a decision reads it. */
export function toProfileState(doc: ProfileDoc & { subject: string }): ProfileState {
  const velocity = typeof doc.velocityN === 'number' ? { n: doc.velocityN, times: String(doc.velocityTimes ?? '[]') } : undefined;
  const snoozes = doc.snoozes && doc.snoozes.length > 0 ? doc.snoozes : undefined;
  return {
    profile: toStoredProfile(doc),
    subject: doc.subject,
    velocity,
    ...(velocity && { checkpointN: velocity.n }),
    ...(snoozes && { snoozes }),
  };
}

/** A profile with other tags (the copy a cache keeps after a tag write). */
export function withTags(profile: StoredProfile, tagDetails: readonly TagDetail[]): StoredProfile {
  const tagged = { ...profile, tags: [...new Set(tagDetails.map((tag) => tag.tag))], tagDetails: [...tagDetails] };
  const snoozes = readSnoozes.get(profile);
  if (snoozes) readSnoozes.set(tagged, snoozes);
  return tagged;
}
