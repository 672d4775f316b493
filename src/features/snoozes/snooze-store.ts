import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import { isDuplicateKey } from '../../db/database-errors.js';
import type { Actor } from '../audit/audit-event-store.js';

/** A snooze as recorded: insert-only; a removal is a record of its own. */
export interface SnoozeRecord {
  snoozeId: string;
  subject: string;
  ruleset: string;
  rule: string;
  until: Date;
  reason: string;
  createdAt: Date;
  createdBy: Actor;
  removed: { at: Date; by: Actor } | null;
}

interface SnoozeDoc extends Omit<SnoozeRecord, 'snoozeId' | 'removed'> {
  _id: string;
}

interface RemovalDoc {
  _id: string;
  subject: string;
  at: Date;
  by: Actor;
}

/**
 * Snoozes: insert-only records (`snoozes`, and `snooze_removals` keyed by the snooze id, so a snooze
 * is removed once), the source of truth. The service keeps a copy of a profile's active snoozes on its
 * profile document (written through the profile store), which decisions read with the profile. The copy is always
 * rewritten whole from the records, never patched, so a copy lost to a concurrent write is rebuilt
 * by the next snooze write of that profile.
 */
export class SnoozeStore {
  private readonly snoozes: Model<SnoozeDoc>;
  private readonly removals: Model<RemovalDoc>;

  constructor(connection: Connection) {
    const snoozeSchema = new Schema<SnoozeDoc>(
      {
        _id: String,
        subject: { type: String, required: true },
        ruleset: String,
        rule: String,
        until: Date,
        reason: String,
        createdAt: Date,
        createdBy: Schema.Types.Mixed,
      },
      { versionKey: false, collection: 'snoozes' },
    );
    snoozeSchema.index({ subject: 1, createdAt: -1 });
    this.snoozes = connection.model<SnoozeDoc>('Snooze', snoozeSchema);
    const removalSchema = new Schema<RemovalDoc>(
      { _id: String, subject: { type: String, required: true }, at: Date, by: Schema.Types.Mixed },
      { versionKey: false, collection: 'snooze_removals' },
    );
    removalSchema.index({ subject: 1 });
    this.removals = connection.model<RemovalDoc>('SnoozeRemoval', removalSchema);
  }

  async init(): Promise<void> {
    await Promise.all([ensureCollection(this.snoozes), ensureCollection(this.removals)]);
  }

  async insert(record: Omit<SnoozeRecord, 'removed'>): Promise<void> {
    const { snoozeId, ...rest } = record;
    await this.snoozes.collection.insertOne({ _id: snoozeId as never, ...rest });
  }

  /** Records the removal; false when the snooze was already removed. */
  async remove(snoozeId: string, subject: string, by: Actor, at: Date): Promise<boolean> {
    try {
      await this.removals.collection.insertOne({ _id: snoozeId as never, subject, at, by });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async get(snoozeId: string): Promise<SnoozeRecord | undefined> {
    const [doc, removal] = await Promise.all([
      this.snoozes.collection.findOne({ _id: snoozeId as never }),
      this.removals.collection.findOne({ _id: snoozeId as never }),
    ]);
    return doc ? toRecord(doc as unknown as SnoozeDoc, removal as unknown as RemovalDoc | null) : undefined;
  }

  /**
   * Every snooze of one subject, newest first. A scan of the snooze records on the embedded database:
   * they are made by people, one at a time, so there are few; only snooze screens and writes read them.
   */
  async ofSubject(subject: string): Promise<SnoozeRecord[]> {
    const [docs, removals] = await Promise.all([
      this.snoozes.collection.find({ subject }).toArray(),
      this.removals.collection.find({ subject }).toArray(),
    ]);
    const removedById = new Map(removals.map((doc) => [String(doc._id), doc as unknown as RemovalDoc]));
    return (docs as unknown as SnoozeDoc[])
      .map((doc) => toRecord(doc, removedById.get(doc._id) ?? null))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.snoozeId.localeCompare(a.snoozeId));
  }

  /** Erasure: every snooze record of the subject. */
  async eraseSubject(subject: string): Promise<void> {
    await Promise.all([this.snoozes.collection.deleteMany({ subject }), this.removals.collection.deleteMany({ subject })]);
  }
}

function toRecord(doc: SnoozeDoc, removal: RemovalDoc | null): SnoozeRecord {
  const { _id, subject, ruleset, rule, until, reason, createdAt, createdBy } = doc;
  return {
    snoozeId: _id,
    subject,
    ruleset,
    rule,
    until: new Date(until),
    reason,
    createdAt: new Date(createdAt),
    createdBy,
    removed: removal ? { at: new Date(removal.at), by: removal.by } : null,
  };
}
