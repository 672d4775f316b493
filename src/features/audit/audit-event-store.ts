import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
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

/** As stored: every event was typed when it was recorded (insert-only), so reads give the union back. */
interface AuditEventDoc {
  _id: string;
  type: string;
  actor: Actor;
  at: Date;
  subject: { kind: string; id: string };
  data: object;
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

  async insert(event: AuditEvent): Promise<void> {
    const { id, ...rest } = event;
    await this.model.create({ _id: id, ...rest });
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
    return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }) as AuditEvent);
  }
}
