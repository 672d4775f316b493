import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import { isDuplicateKey } from '../../db/database-errors.js';
import { NO_APPLICATIONS, parseTimes, timesText, type VelocityHead } from './velocity-history.js';

interface HeadDoc {
  _id: string;
  /** The slot of the latest logged application this document knows of. */
  n: number;
  /** JSON text of the [event time, logged time] pairs of the state of slot n. */
  times: string;
}

/**
 * Each subject's (a profile's pseudonym's) velocity head: the state of its latest logged loan application, one small document
 * read by _id, so that `applicationsLast24h` never scans the decision log (a filter on anything but
 * _id scans its collection on the embedded database). The decision log is the truth: each logged
 * application holds a unique slot and its state, and the head is a copy that can lag behind it (a
 * writer that died between the two writes) but never runs ahead of it.
 */
export class VelocityStore {
  private readonly model: Model<HeadDoc>;

  constructor(connection: Connection) {
    this.model = connection.model<HeadDoc>(
      'ApplicationVelocity',
      new Schema<HeadDoc>({ _id: String, n: Number, times: String }, { versionKey: false, collection: 'application_velocity' }),
    );
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  /** The profile's head; no applications when it has none. */
  async head(subject: string): Promise<VelocityHead> {
    // On every decision that needs it: the driver's collection directly, without mongoose's query casting.
    const doc = (await this.model.collection.findOne({ _id: subject as never })) as HeadDoc | null;
    return doc ? { n: doc.n, times: parseTimes(doc.times) } : NO_APPLICATIONS;
  }

  /**
   * Moves the head forward to `head` (the state of a logged slot) unless it already holds that slot
   * or a later one: heads only move forward, so a slow writer never undoes a faster one on MongoDB.
   * The embedded database has no atomic conditional update (it reads, then writes by _id), so there
   * two instances advancing one profile in the same instant can leave it one slot behind; the next
   * application finds its slot taken and repairs it from the log.
   */
  async advance(subject: string, head: VelocityHead): Promise<void> {
    const filter = { _id: subject as never, n: { $lt: head.n } };
    const update = { $set: { n: head.n, times: timesText(head.times) } };
    try {
      await this.model.collection.updateOne(filter, update, { upsert: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // The filter did not match and the upsert collided: the head exists, perhaps created just now by
      // another writer with an earlier slot. Without the upsert, the filter alone decides.
      await this.model.collection.updateOne(filter, update);
    }
  }

  async erase(subject: string): Promise<number> {
    return (await this.model.deleteOne({ _id: subject })).deletedCount;
  }
}
