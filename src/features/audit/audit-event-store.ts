import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import { canonicalJson } from '../../json/canonical-json.js';
import type { AuditData, AuditEventType, AuditSubject } from './audit-events.js';

/** Who did something: an API key, or the service itself (`system`) for shipped data and jobs. */
export interface Actor {
  keyId: string;
  name: string;
}

/** One recorded event, its data of the shape its type declares (audit-events.ts). */
export type AuditEvent = {
  [T in AuditEventType]: { id: string; type: T; actor: Actor; at: Date; subject: AuditSubject<T>; data: AuditData<T> };
}[AuditEventType];

export interface AuditEventQuery {
  type?: string;
  subjectKind?: string;
  /** With subjectKind: the events about one thing (e.g. one ruleset's history). */
  subjectId?: string;
  from?: Date;
  to?: Date;
}

/** An event as stored, with its hash (HMAC with the seal key, or SHA-256), which seals cover. */
export type HashedAuditEvent = AuditEvent & { hash: string | null };

/** As stored: every event was typed when it was recorded (insert-only), so reads give the union back. */
interface AuditEventDoc {
  _id: string;
  type: string;
  actor: Actor;
  at: Date;
  subject: { kind: string; id: string };
  data: object;
  /** Null on events recorded before events were hashed. */
  hash: string | null;
}

/** What an event's hash covers: all of it, as canonical JSON. */
export function auditEventHashText(event: AuditEvent): string {
  const { id, type, actor, at, subject, data } = event;
  return canonicalJson({ id, type, actor, at: at.toISOString(), subject, data });
}

/** The audit trail of changes. Insert-only: nothing updates or deletes an event. */
export class AuditEventStore {
  private readonly model: Model<AuditEventDoc>;

  constructor(connection: Connection) {
    const schema = new Schema<AuditEventDoc>(
      {
        _id: { type: String, required: true },
        type: { type: String, required: true },
        actor: { keyId: String, name: String },
        at: { type: Date, required: true },
        subject: { kind: String, id: String },
        data: { type: Schema.Types.Mixed, default: {} },
        hash: { type: String, default: null },
      },
      { versionKey: false, collection: 'audit_events', minimize: false },
    );
    schema.index({ at: -1, _id: -1 });
    // One ruleset's history on MongoDB (FerretDB scans either way).
    schema.index({ 'subject.id': 1, at: -1, _id: -1 });
    this.model = connection.model<AuditEventDoc>('AuditEvent', schema);
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  async insert(event: AuditEvent, hash: string): Promise<void> {
    const { id, ...rest } = event;
    await this.model.create({ _id: id, ...rest, hash });
  }

  async get(id: string): Promise<HashedAuditEvent | undefined> {
    const doc = await this.model.collection.findOne({ _id: id as never });
    return doc ? fromDoc(doc as unknown as AuditEventDoc) : undefined;
  }

  /** Ids and hashes of the events of [from, to), in seal order (time, then id). */
  async hashesBetween(from: Date, to: Date): Promise<{ id: string; hash: string }[]> {
    const docs = await this.model
      .find({ at: { $gte: from, $lt: to } }, { _id: 1, hash: 1 })
      .sort({ at: 1, _id: 1 })
      .lean();
    return docs.map((doc) => ({ id: doc._id, hash: doc.hash ?? '' }));
  }

  async oldestAt(): Promise<Date | undefined> {
    const doc = await this.model.findOne({}, { at: 1 }).sort({ at: 1 }).lean();
    return doc?.at;
  }

  /** The events of [from, to), or from `from` on, in no particular order: one cursor, constant memory. */
  async *scan(from: Date, to: Date | undefined): AsyncGenerator<HashedAuditEvent> {
    const cursor = this.model.collection.find({ at: { $gte: from, ...(to && { $lt: to }) } }, { batchSize: 500 });
    try {
      for await (const doc of cursor) yield fromDoc(doc as unknown as AuditEventDoc);
    } finally {
      await cursor.close();
    }
  }

  /** Newest first; `before` is the last item of the previous page. */
  async list(query: AuditEventQuery, limit: number, before?: { at: Date; id: string }): Promise<AuditEvent[]> {
    const filter: Record<string, unknown> = {};
    if (query.type) filter.type = query.type;
    if (query.subjectKind) filter['subject.kind'] = query.subjectKind;
    if (query.subjectId) filter['subject.id'] = query.subjectId;
    if (query.from || query.to) {
      filter.at = { ...(query.from && { $gte: query.from }), ...(query.to && { $lt: query.to }) };
    }
    const page = before ? { $or: [{ at: { $lt: before.at } }, { at: before.at, _id: { $lt: before.id } }] } : {};
    const docs = await this.model
      .find({ $and: [filter, page] })
      .sort({ at: -1, _id: -1 })
      .limit(limit)
      .lean();
    return docs.map(({ _id, hash: _hash, ...rest }) => ({ id: _id, ...rest }) as AuditEvent);
  }
}

function fromDoc({ _id, hash, ...rest }: AuditEventDoc): HashedAuditEvent {
  return { id: _id, ...rest, hash: hash ?? null } as HashedAuditEvent;
}
