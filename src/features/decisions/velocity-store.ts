import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';

interface VelocityDoc {
  _id: string;
  /** Event times (ms) of the profile's logged loan applications, oldest first. */
  at: number[];
}

/** Entries older than this (relative to the newest) are dropped when the list is rewritten. */
const KEEP_MS = 7 * 24 * 60 * 60 * 1000;
const TRIM_ABOVE = 64;

/**
 * The times of each profile's logged loan applications, one small document per profile read by _id,
 * so that `applicationsLast24h` never scans the decision log (a filter on anything but _id scans its
 * collection on the embedded database). Appending is a single-document $push after the decision is
 * logged.
 */
export class VelocityStore {
  private readonly model: Model<VelocityDoc>;

  constructor(connection: Connection) {
    this.model = connection.model<VelocityDoc>(
      'ApplicationVelocity',
      new Schema<VelocityDoc>({ _id: String, at: [Number] }, { versionKey: false, collection: 'application_velocity' }),
    );
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  /** Logged applications with an event time in [from, to). */
  async countBetween(profileId: string, from: Date, to: Date): Promise<number> {
    // On every decision: the driver's collection directly, without mongoose's query casting.
    const doc = await this.model.collection.findOne({ _id: profileId as never }, { projection: { at: 1 } });
    const times: number[] = (doc?.at as number[] | undefined) ?? [];
    if (times.length > TRIM_ABOVE) await this.trim(profileId, times);
    return times.filter((at) => at >= from.getTime() && at < to.getTime()).length;
  }

  async record(profileId: string, eventAt: Date): Promise<void> {
    await this.model.collection.updateOne({ _id: profileId as never }, { $push: { at: eventAt.getTime() as never } }, { upsert: true });
  }

  async erase(profileId: string): Promise<number> {
    return (await this.model.deleteOne({ _id: profileId })).deletedCount;
  }

  /**
   * Keeps only the last week before the newest entry. FerretDB silently ignores both `$push` with
   * `$slice` and `$pull` with a condition, so the list is rewritten, and only if it is still exactly
   * what was read: an application recorded meanwhile is never lost (the trim waits for the next read).
   */
  private async trim(profileId: string, times: number[]): Promise<void> {
    const newest = Math.max(...times);
    const kept = times.filter((at) => at >= newest - KEEP_MS);
    await this.model.updateOne({ _id: profileId, at: times }, { $set: { at: kept } });
  }
}
