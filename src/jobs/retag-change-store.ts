import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../db/ensure-collection.js';

/** Who gained or lost which tag in one retag run. */
export interface TagChange {
  profileId: string;
  gained: string[];
  lost: string[];
}

interface BatchDoc {
  _id: string;
  runId: string;
  n: number;
  /** When the run started: retention removes the changes with the run. */
  runStartedAt: Date;
  changes: TagChange[];
}

const batchId = (runId: string, n: number) => `${runId}:${String(n).padStart(8, '0')}`;

/**
 * A retag run's tag changes, one document per batch that changed something (one insert beside the
 * batch's bulk write of tags), numbered 0, 1, 2... within the run without gaps: pages read them by
 * `_id`, the one filter the embedded database pushes down, and stop at the first number not written.
 */
export class RetagChangeStore {
  private readonly model: Model<BatchDoc>;

  constructor(connection: Connection) {
    this.model = connection.model<BatchDoc>(
      'RetagChanges',
      new Schema<BatchDoc>(
        {
          _id: String,
          runId: String,
          n: Number,
          runStartedAt: Date,
          changes: [{ _id: false, profileId: String, gained: [String], lost: [String] }],
        },
        { versionKey: false, collection: 'retag_changes' },
      ),
    );
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  async insertBatch(runId: string, runStartedAt: Date, n: number, changes: TagChange[]): Promise<void> {
    await this.model.collection.insertOne({ _id: batchId(runId, n), runId, n, runStartedAt, changes } as never);
  }

  /** The run's `n`th batch of changes, or undefined past the last. */
  async batch(runId: string, n: number): Promise<TagChange[] | undefined> {
    const doc = (await this.model.collection.findOne({ _id: batchId(runId, n) as never })) as BatchDoc | null;
    return doc?.changes.map(({ profileId, gained, lost }) => ({ profileId, gained, lost }));
  }

  /** Removes the changes of runs started before `cutoff`, as retention removes those runs (a scan, nightly). */
  async deleteBefore(cutoff: Date): Promise<number> {
    return (await this.model.collection.deleteMany({ runStartedAt: { $lt: cutoff } })).deletedCount;
  }
}

/** What a run's tags went from and to, for the profile: undefined when nothing changed. */
export function tagChange(profileId: string, before: readonly { tag: string }[], after: readonly { tag: string }[]): TagChange | undefined {
  const had = new Set(before.map((detail) => detail.tag));
  const has = new Set(after.map((detail) => detail.tag));
  const gained = [...has].filter((tag) => !had.has(tag)).sort();
  const lost = [...had].filter((tag) => !has.has(tag)).sort();
  return gained.length + lost.length > 0 ? { profileId, gained, lost } : undefined;
}
