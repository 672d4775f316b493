import { Schema, type Connection, type Model } from 'mongoose';
import { acknowledgedInsert, failedInsert, type InsertAcknowledgement } from '../../db/insert-acknowledgement.js';
import { ensureCollection } from '../../db/ensure-collection.js';
import type { StoredVelocity } from './profile-doc.js';

interface SlotDoc {
  /** The slot: "<subject>#<n>", as the log entry holding it names it. */
  _id: string;
  subject: string;
  /** The velocity state the n-th application left (JSON text of [event time, logged time] pairs). */
  times: string;
  /** When it was recorded: retention removes it with the log entries of its time. */
  at: Date;
}

/** The slot of a subject's n-th loan application: its log entry's unique `velocitySlot`, and its record's `_id` here. */
export const slotId = (subject: string, n: number): string => `${subject}#${n}`;

interface Pending {
  doc: SlotDoc;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Most records one insert carries. */
const MAX_BATCH = 200;

/**
 * One insert-only record per logged loan application, keyed by its slot: the velocity state it left.
 * A profile document holds a checkpoint of its head (rewritten now and then); the head is the
 * checkpoint followed by the records of the slots after it, each read by `_id`. A record costs a share
 * of a batched insert, where moving the head on the profile cost an update (on the embedded database
 * an update costs ~10× a batched insert of a small document, however many go in one command).
 *
 * Records are written after their log entry and before the decision is answered; the log stays the
 * truth (a writer that died between the two leaves a gap the next application repairs from the log).
 */
export class VelocitySlotStore {
  private readonly model: Model<SlotDoc>;
  private queue: Pending[] = [];
  private writing = false;

  constructor(connection: Connection) {
    const schema = new Schema<SlotDoc>(
      { _id: String, subject: String, times: String, at: Date },
      { versionKey: false, collection: 'velocity_slots' },
    );
    // Erasure deletes a subject's records (a scan on the embedded database, which indexes only _id).
    schema.index({ subject: 1 });
    this.model = connection.model<SlotDoc>('VelocitySlot', schema);
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  /**
   * Records slot `n` of `subject`; settles once the database acknowledged it. Records that arrive while
   * an insert is under way go together in the next one. A record already there is the same slot's
   * state (the log entry holding the slot fixes it), so a duplicate counts as written.
   */
  record(subject: string, velocity: StoredVelocity): Promise<void> {
    return new Promise((resolve, reject) => {
      const doc = { _id: slotId(subject, velocity.n), subject, times: velocity.times, at: new Date() };
      this.queue.push({ doc, resolve, reject });
      if (this.writing) return;
      // From the next turn of the event loop: the records of the decisions logged together go together.
      this.writing = true;
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      const acknowledgement = await this.insert(batch.map((pending) => pending.doc));
      const inDoubt = new Set(acknowledgement.inDoubt);
      batch.forEach((pending, index) => {
        const refusal = acknowledgement.refused.get(index);
        if (inDoubt.has(index)) pending.reject(new Error(`velocity slot not recorded: ${acknowledgement.cause}`));
        // A duplicate is the same slot's record, already there.
        else if (refusal && refusal.code !== 11000) pending.reject(new Error(`velocity slot not recorded: ${refusal.message}`));
        else pending.resolve();
      });
    }
    this.writing = false;
  }

  /** What the database acknowledged of the records, one by one (as for log entries). */
  private async insert(docs: SlotDoc[]): Promise<InsertAcknowledgement> {
    try {
      const answer = await this.model.collection.insertMany(docs as never[], { ordered: false });
      return acknowledgedInsert(docs.length, answer);
    } catch (error) {
      return failedInsert(docs.length, error);
    }
  }

  /**
   * The head after `from`: the state of the last slot recorded in an unbroken run after it (one read by
   * `_id` per slot, and one that finds nothing), and how many slots were found.
   */
  async headAfter(subject: string, from: StoredVelocity): Promise<{ head: StoredVelocity; found: number }> {
    let head = from;
    let found = 0;
    for (;;) {
      const doc = (await this.model.collection.findOne({ _id: slotId(subject, head.n + 1) as never })) as SlotDoc | null;
      if (!doc) return { head, found };
      head = { n: head.n + 1, times: doc.times };
      found += 1;
    }
  }

  /**
   * Retention: removes the records made before `cutoff`; answers how many. A head that falls back to an
   * older checkpoint then is right as long as the log entries holding those slots are gone too (else
   * the next application finds its slot taken and repairs from the log) and their times are past the
   * 8 days a head keeps: the retention job passes a cutoff that is both.
   */
  async deleteBefore(cutoff: Date): Promise<number> {
    return (await this.model.collection.deleteMany({ at: { $lt: cutoff } })).deletedCount;
  }

  /** Deletes a subject's records (erasure); answers how many there were. */
  async erase(subject: string): Promise<number> {
    return (await this.model.collection.deleteMany({ subject })).deletedCount;
  }
}
