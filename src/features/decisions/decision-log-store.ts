import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import { acknowledgedInsert, failedInsert, type InsertAcknowledgement } from '../../db/insert-acknowledgement.js';
import { parseInstant } from '../../time/iso-time.js';
import { parseTimes, type ApplicationTime } from './velocity-history.js';
import type { DecisionCore, DecisionPersonal, DecisionRecord, LoggableRecord, Masking } from './decision-record.js';

export interface DecisionFilter {
  profileId?: string;
  outcome?: string;
  alert?: string;
  ruleset?: string;
  from?: Date;
  to?: Date;
}

/** A position in newest-first order: the last entry of the previous page. */
export interface LogPosition {
  createdAt: Date;
  id: string;
}

interface LogDoc extends Omit<DecisionRecord, 'core' | 'personal'> {
  _id: string;
  /**
   * The canonical JSON texts the hash covers, stored as text: what was hashed is what is kept, byte
   * for byte, and the embedded database stores one string ~7× faster than the same content as nested
   * fields.
   */
  core: string;
  /** Null once erasure masked it. */
  personal: string | null;
  createdAt: Date;
  /** Query copies of what the record holds; profileId is cleared on erasure. */
  profileId: string | null;
  outcome: string;
  alertCodes: string[];
  rulesetIds: string[];
  eventType: string;
  eventAt: Date | null;
  /**
   * A loan application's velocity slot ("<profileId>#<n>", unique: two decisions can never log the
   * same slot, on any instance) and the state it leaves (JSON text). Outside the hash, like the
   * masking; absent on other entries and removed on erasure.
   */
  velocitySlot?: string;
  velocityTimes?: string;
}

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

  /** Streams entries oldest first, one at a time (constant memory). */
  async *stream(filter: DecisionFilter): AsyncGenerator<DecisionRecord> {
    const cursor = this.model.find(this.query(filter)).sort({ createdAt: 1, _id: 1 }).lean().cursor({ batchSize: 200 });
    try {
      for await (const doc of cursor) yield fromDoc(doc as LogDoc);
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

  countBetween(from: Date, to: Date): Promise<number> {
    return this.model.countDocuments({ createdAt: { $gte: from, $lt: to } });
  }

  /** Erasure: drops the personal part of every entry of a profile; answers how many were masked. */
  async maskProfile(profileId: string, masking: Masking): Promise<number> {
    const result = await this.model.updateMany(
      { profileId },
      { $set: { personal: null, profileId: null, masked: masking }, $unset: { velocitySlot: '', velocityTimes: '' } },
    );
    return result.modifiedCount;
  }

  /** Retention: removes entries created before `cutoff`; answers how many. */
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
    if (filter.ruleset !== undefined) query.rulesetIds = filter.ruleset;
    if (filter.from || filter.to) query.createdAt = { ...(filter.from && { $gte: filter.from }), ...(filter.to && { $lt: filter.to }) };
    if (!before) return query;
    const at = before.createdAt;
    return { $and: [query, { $or: [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: before.id } }] }] };
  }
}

function toDoc({ core, personal, texts, personalDigest, hash, masked, idempotency, velocity }: LoggableRecord): LogDoc {
  const event = personal.request.event;
  return {
    _id: core.decisionId,
    createdAt: new Date(core.createdAt),
    profileId: personal.profileId,
    outcome: core.outcome,
    alertCodes: [...new Set(core.alerts.map((alert) => alert.code))],
    rulesetIds: core.rulesets.map((ruleset) => ruleset.id),
    eventType: String(event.type),
    // Read as the facts read it; never an invalid Date, which the driver would store as 1970-01-01.
    eventAt: parseInstant(event.at) ?? null,
    core: texts.core,
    personal: texts.personal,
    personalDigest,
    hash,
    masked,
    idempotency,
    ...(velocity && { velocitySlot: velocity.slot, velocityTimes: velocity.times }),
  };
}

function fromDoc(doc: LogDoc): DecisionRecord {
  return {
    core: JSON.parse(doc.core) as DecisionCore,
    personal: doc.personal === null ? null : (JSON.parse(doc.personal) as DecisionPersonal),
    personalDigest: doc.personalDigest,
    hash: doc.hash,
    masked: doc.masked,
    idempotency: doc.idempotency,
  };
}
