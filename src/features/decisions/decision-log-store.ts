import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import { acknowledgedInsert, failedInsert, type InsertAcknowledgement } from '../../db/insert-acknowledgement.js';
import { parseTimes, type ApplicationTime } from './velocity-history.js';
import type { DecisionCore, DecisionRecord, LoggableRecord, Masking } from './decision-record.js';
import { coreNamesSubject, fromDoc, type LogDoc, type StoredEntry, storedEntryOf, toDoc } from './log-entry-doc.js';

export interface DecisionFilter {
  profileId?: string;
  outcome?: string;
  alert?: string;
  /** Only decisions that raised an alert (the alert queue). */
  alerted?: boolean;
  ruleset?: string;
  from?: Date;
  to?: Date;
}

/** A position in newest-first order: the last entry of the previous page. */
export interface LogPosition {
  createdAt: Date;
  id: string;
}

/** Entries an ordered read holds back to put them in time order (entries are inserted in about that order). */
const REORDER_WINDOW = 1000;

/**
 * The decision log: insert-only. The only update there is, erasure's masking, removes the
 * personal part and leaves the core and its hash as they were.
 */
export class DecisionLogStore {
  private readonly model: Model<LogDoc>;

  constructor(connection: Connection) {
    const schema = new Schema<LogDoc>(
      {
        _id: String,
        createdAt: Date,
        profileId: { type: String, default: null },
        subject: String,
        outcome: String,
        alertCodes: [String],
        rulesetIds: [String],
        eventType: String,
        eventAt: Date,
        core: Schema.Types.Mixed,
        personal: Schema.Types.Mixed,
        personalDigest: String,
        hash: String,
        masked: Schema.Types.Mixed,
        idempotency: Schema.Types.Mixed,
        velocitySlot: String,
        velocityTimes: String,
      },
      { versionKey: false, collection: 'decision_log', minimize: false },
    );
    schema.index({ createdAt: -1, _id: -1 });
    schema.index({ profileId: 1, createdAt: -1 });
    schema.index({ profileId: 1, eventType: 1, eventAt: 1 });
    schema.index({ subject: 1 });
    // Sparse, as only applications hold a slot: MongoDB indexes only entries that have one; the embedded
    // database ignores the option, and SQLite's unique index lets any number of entries lack the field.
    schema.index({ velocitySlot: 1 }, { unique: true, sparse: true });
    this.model = connection.model<LogDoc>('DecisionLogEntry', schema);
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  /**
   * Inserts entries in one unordered round trip and answers, entry by entry, what the database
   * acknowledged: the ones it refused (e.g. E11000 for a decisionId already taken) and the ones whose
   * fate it did not report (the connection broke mid-batch); every other entry is written.
   */
  async insertMany(records: LoggableRecord[]): Promise<InsertAcknowledgement> {
    const docs = records.map(toDoc);
    try {
      const answer = await this.model.collection.insertMany(docs as never[], { ordered: false });
      return acknowledgedInsert(docs.length, answer);
    } catch (error) {
      return failedInsert(docs.length, error);
    }
  }

  /** The hash stored under a decision id, or undefined when no entry has it: settles a write in doubt. */
  async storedHash(decisionId: string): Promise<string | undefined> {
    const doc = await this.model.collection.findOne({ _id: decisionId as never }, { projection: { hash: 1 } });
    return typeof doc?.hash === 'string' ? doc.hash : undefined;
  }

  /**
   * The velocity state logged with a slot, when an entry holds it: what repairs a head that lags behind
   * the log. Indexed on MongoDB; a scan on the embedded database, so only on that rare path.
   */
  async velocityAt(slot: string): Promise<ApplicationTime[] | undefined> {
    const doc = await this.model.collection.findOne({ velocitySlot: slot }, { projection: { velocityTimes: 1 } });
    return doc ? parseTimes(doc.velocityTimes) : undefined;
  }

  async get(decisionId: string): Promise<DecisionRecord | undefined> {
    const doc = await this.model.findById(decisionId).lean();
    return doc ? fromDoc(doc as LogDoc) : undefined;
  }

  async list(filter: DecisionFilter, limit: number, before?: LogPosition): Promise<DecisionRecord[]> {
    const docs = await this.model.find(this.query(filter, before)).sort({ createdAt: -1, _id: -1 }).limit(limit).lean();
    return docs.map((doc) => fromDoc(doc as LogDoc));
  }

  /**
   * Streams entries oldest first, in constant memory: one cursor without a sort (the embedded database
   * sorts in memory, so a sorted read holds the whole result there), put in time order through a window
   * of REORDER_WINDOW entries. Entries are inserted within a decision's budget of their creation time,
   * so only an entry inserted more than that many entries late (e.g. by an instance whose clock is far
   * off) comes out where it was inserted rather than where its time puts it.
   */
  async *stream(filter: DecisionFilter): AsyncGenerator<DecisionRecord> {
    const cursor = this.model.collection.find(this.query(filter), { batchSize: 200 });
    const window: LogDoc[] = [];
    try {
      for await (const raw of cursor) {
        const doc = raw as unknown as LogDoc;
        window.splice(insertionPoint(window, doc), 0, doc);
        if (window.length > REORDER_WINDOW) yield fromDoc(window.shift()!);
      }
      for (const doc of window) yield fromDoc(doc);
    } finally {
      await cursor.close();
    }
  }

  /** Streams only the cores of entries, oldest first: aggregates need no personal part (nor its parsing). */
  async *streamCores(filter: DecisionFilter): AsyncGenerator<DecisionCore> {
    const cursor = this.model.find(this.query(filter), { core: 1 }).sort({ createdAt: 1, _id: 1 }).lean().cursor({ batchSize: 500 });
    try {
      for await (const doc of cursor) yield JSON.parse((doc as LogDoc).core) as DecisionCore;
    } finally {
      await cursor.close();
    }
  }

  /**
   * The entries created in [from, to) (from `from` on when `to` is undefined), with their copies, in no
   * particular order: one cursor, constant memory, what verify reads.
   */
  async *scan(from: Date, to: Date | undefined): AsyncGenerator<StoredEntry> {
    const cursor = this.model.collection.find({ createdAt: { $gte: from, ...(to && { $lt: to }) } }, { batchSize: 500 });
    try {
      for await (const doc of cursor) yield storedEntryOf(doc as unknown as LogDoc);
    } finally {
      await cursor.close();
    }
  }

  /** The entry with its copies, or undefined. */
  async stored(decisionId: string): Promise<StoredEntry | undefined> {
    const doc = await this.model.collection.findOne({ _id: decisionId as never });
    return doc ? storedEntryOf(doc as unknown as LogDoc) : undefined;
  }

  countBetween(from: Date, to: Date): Promise<number> {
    return this.model.countDocuments({ createdAt: { $gte: from, $lt: to } });
  }

  /**
   * Erasure, by the copies (indexed on MongoDB): masks every unmasked entry whose subject copy is the
   * subject or whose profile id copy is the profile (entries logged before subjects existed). Answers how many.
   */
  async maskByCopies(subject: string | undefined, profileId: string, masking: Masking): Promise<number> {
    // By profile id only the entries without a subject: a profile created anew with the same id has its own.
    const legacy = { profileId, subject: { $exists: false } };
    const who = subject === undefined ? [legacy] : [{ subject }, legacy];
    const result = await this.model.collection.updateMany({ $or: who, personal: { $ne: null } }, maskUpdate(masking));
    return result.modifiedCount;
  }

  /**
   * Erasure, by what is hashed: masks every unmasked entry whose core names the subject, whatever its
   * copies say (a copy may have been edited). One scan of the unmasked entries; answers how many it masked.
   */
  async maskByCore(subject: string, masking: Masking): Promise<number> {
    const ids: string[] = [];
    const cursor = this.model.collection.find({ personal: { $ne: null } }, { projection: { core: 1 }, batchSize: 1000 });
    for await (const doc of cursor) if (coreNamesSubject(String(doc.core), subject)) ids.push(String(doc._id));
    let masked = 0;
    for (const id of ids) {
      const result = await this.model.collection.updateOne({ _id: id as never, personal: { $ne: null } }, maskUpdate(masking));
      masked += result.modifiedCount;
    }
    return masked;
  }

  /** Masks one entry: a decision that finds its profile erased once it logged masks its own entry. */
  async maskOne(decisionId: string, masking: Masking): Promise<boolean> {
    const result = await this.model.collection.updateOne({ _id: decisionId as never, personal: { $ne: null } }, maskUpdate(masking));
    return result.modifiedCount === 1;
  }

  /** Retention: removes entries created before `cutoff` (the end of a seal); answers how many. */
  async deleteBefore(cutoff: Date): Promise<number> {
    return (await this.model.deleteMany({ createdAt: { $lt: cutoff } })).deletedCount;
  }

  /** Ids and hashes of entries created in [from, to), in seal order. */
  async hashesBetween(from: Date, to: Date): Promise<{ id: string; hash: string; createdAt: Date }[]> {
    const docs = await this.model
      .find({ createdAt: { $gte: from, $lt: to } }, { _id: 1, hash: 1, createdAt: 1 })
      .sort({ createdAt: 1, _id: 1 })
      .lean();
    return docs.map((doc) => ({ id: doc._id, hash: doc.hash, createdAt: doc.createdAt }));
  }

  async oldestCreatedAt(after: Date): Promise<Date | undefined> {
    const doc = await this.model
      .findOne({ createdAt: { $gte: after } }, { createdAt: 1 })
      .sort({ createdAt: 1 })
      .lean();
    return doc?.createdAt;
  }

  private query(filter: DecisionFilter, before?: LogPosition): Record<string, unknown> {
    const query: Record<string, unknown> = {};
    if (filter.profileId !== undefined) query.profileId = filter.profileId;
    if (filter.outcome !== undefined) query.outcome = filter.outcome;
    if (filter.alert !== undefined) query.alertCodes = filter.alert;
    else if (filter.alerted) query['alertCodes.0'] = { $exists: true };
    if (filter.ruleset !== undefined) query.rulesetIds = filter.ruleset;
    if (filter.from || filter.to) query.createdAt = { ...(filter.from && { $gte: filter.from }), ...(filter.to && { $lt: filter.to }) };
    if (!before) return query;
    const at = before.createdAt;
    return { $and: [query, { $or: [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: before.id } }] }] };
  }
}

/** What masking sets: the personal part and every copy of it go; the core, digest and hash stay. */
function maskUpdate(masking: Masking) {
  return {
    $set: { personal: null, profileId: null, eventType: null, eventAt: null, idempotency: null, masked: masking },
    $unset: { velocitySlot: '', velocityTimes: '' },
  };
}

/** Where a doc goes in a window kept in (createdAt, _id) order. */
function insertionPoint(window: LogDoc[], doc: LogDoc): number {
  let [lo, hi] = [0, window.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const other = window[mid]!;
    const before = other.createdAt < doc.createdAt || (other.createdAt.getTime() === doc.createdAt.getTime() && other._id < doc._id);
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
