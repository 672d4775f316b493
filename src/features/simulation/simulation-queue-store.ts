import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import { isDuplicateKey } from '../../db/database-errors.js';
import { isFinished, type SimulationStatus } from './simulation-store.js';

/** A queue entry without a recorded run is a request still in flight (entry first, then run) for this long. */
const UNRECORDED_ENTRY_MS = 60_000;

/** One unfinished background run: its place in the queue and in its requester's quota. */
export interface QueueEntry {
  /** `<keyId>#<n>` with n below the quota: the unique key that bounds a requester's unfinished runs. */
  slot: string;
  keyId: string;
  simulationId: string;
  createdAt: Date;
}

/** An entry whose run has ended, or was never recorded (its request died between the two writes), holds a place for nothing. */
export function isStaleEntry(entry: QueueEntry, run: { status: SimulationStatus } | undefined, now: Date): boolean {
  return run ? isFinished(run.status) : now.getTime() - entry.createdAt.getTime() > UNRECORDED_ENTRY_MS;
}

interface EntryDoc {
  _id: string;
  keyId: string;
  simulationId: string;
  createdAt: Date;
}

/**
 * The queue of unfinished background simulations: one small document per run, removed when it ends.
 * A requester's entries are numbered slots `<keyId>#0` to `<keyId>#<quota - 1>`, so the quota holds
 * across instances and concurrent requests by a unique key alone (no count-then-insert race). The
 * collection stays as small as the queue: instances scan it every second instead of the runs and
 * their reports.
 */
export class SimulationQueueStore {
  private readonly model: Model<EntryDoc>;

  constructor(connection: Connection) {
    this.model = connection.model<EntryDoc>(
      'SimulationQueueEntry',
      new Schema<EntryDoc>(
        { _id: String, keyId: String, simulationId: String, createdAt: Date },
        { versionKey: false, collection: 'simulation_queue' },
      ),
    );
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  /** Takes the first free slot of the requester's `quota`; undefined when all are taken. */
  async take(keyId: string, quota: number, simulationId: string, now: Date): Promise<string | undefined> {
    for (let n = 0; n < quota; n++) {
      const slot = `${keyId}#${n}`;
      try {
        await this.model.create({ _id: slot, keyId, simulationId, createdAt: now });
        return slot;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    return undefined;
  }

  /** Every unfinished run, oldest first: the order instances take them in. */
  async entries(): Promise<QueueEntry[]> {
    const docs = await this.model.find({}).sort({ createdAt: 1, _id: 1 }).lean();
    return docs.map(({ _id, ...rest }) => ({ slot: _id, ...rest }));
  }

  /** Frees a slot, only if it still holds this run (a slot is reused by the requester's next run). */
  async free(slot: string, simulationId: string): Promise<void> {
    await this.model.deleteOne({ _id: slot, simulationId });
  }
}
