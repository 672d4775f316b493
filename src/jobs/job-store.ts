import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../db/ensure-collection.js';
import { isDuplicateKey } from '../db/database-errors.js';
import { LeaseStore, type Lease } from '../db/lease-store.js';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

/** One run of a job: who ran it, when, what it counted, and how it ended. */
export interface JobRun {
  id: string;
  job: string;
  trigger: 'schedule' | 'manual';
  /** The scheduled time this run is for (scheduled runs only). */
  slot: Date | null;
  instance: string;
  startedAt: Date;
  endedAt: Date | null;
  /** Last sign of life; a running run whose heartbeat is older than the lease was abandoned. */
  heartbeatAt: Date;
  status: RunStatus;
  counts: Record<string, number | string>;
  error: string | null;
}

type RunDoc = Omit<JobRun, 'id'> & { _id: string };
interface StateDoc {
  _id: string;
  value: Record<string, unknown>;
  updatedAt: Date;
}

/**
 * Job runs, leases and checkpoints. Exactly-once comes from unique keys, not transactions: a
 * scheduled run's id is (job, slot), so only one instance can insert it; a lease is one document
 * per job, so only one holder can insert it, and it expires if its holder dies.
 */
export class JobStore {
  private readonly runs: Model<RunDoc>;
  private readonly leases: LeaseStore;
  private readonly states: Model<StateDoc>;

  constructor(connection: Connection) {
    const options = { versionKey: false, minimize: false } as const;
    const runSchema = new Schema<RunDoc>(
      {
        _id: String,
        job: String,
        trigger: String,
        slot: { type: Date, default: null },
        instance: String,
        startedAt: Date,
        endedAt: { type: Date, default: null },
        heartbeatAt: Date,
        status: String,
        counts: Schema.Types.Mixed,
        error: { type: String, default: null },
      },
      { ...options, collection: 'job_runs' },
    );
    runSchema.index({ job: 1, startedAt: -1 });
    runSchema.index({ startedAt: 1 });
    this.runs = connection.model<RunDoc>('JobRun', runSchema);
    this.leases = new LeaseStore(connection, 'JobLease', 'job_leases');
    this.states = connection.model<StateDoc>(
      'JobState',
      new Schema<StateDoc>({ _id: String, value: Schema.Types.Mixed, updatedAt: Date }, { ...options, collection: 'job_state' }),
    );
  }

  async init(): Promise<void> {
    await Promise.all([ensureCollection(this.runs), this.leases.init(), ensureCollection(this.states)]);
  }

  /** Inserts a run; answers false when a run with that id exists (another instance took the slot). */
  async insertRun(run: JobRun): Promise<boolean> {
    const { id, ...rest } = run;
    try {
      await this.runs.create({ _id: id, ...rest });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async updateRun(id: string, fields: Partial<Omit<JobRun, 'id'>>): Promise<void> {
    await this.runs.updateOne({ _id: id }, { $set: fields });
  }

  async getRun(id: string): Promise<JobRun | undefined> {
    const doc = await this.runs.findById(id).lean();
    return doc ? toRun(doc) : undefined;
  }

  async listRuns(job: string, limit: number, before?: { startedAt: Date; id: string }): Promise<JobRun[]> {
    const page = before
      ? { $or: [{ startedAt: { $lt: before.startedAt } }, { startedAt: before.startedAt, _id: { $lt: before.id } }] }
      : {};
    const docs = await this.runs
      .find({ $and: [{ job }, page] })
      .sort({ startedAt: -1, _id: -1 })
      .limit(limit)
      .lean();
    return docs.map(toRun);
  }

  async lastRun(job: string): Promise<JobRun | undefined> {
    return (await this.listRuns(job, 1))[0];
  }

  async deleteRunsBefore(cutoff: Date): Promise<number> {
    return (await this.runs.deleteMany({ startedAt: { $lt: cutoff } })).deletedCount;
  }

  /** Takes the job's lease for `ttlMs` unless someone holds an unexpired one (see LeaseStore). */
  acquireLease(job: string, holder: string, runId: string, ttlMs: number, now = new Date()): Promise<boolean> {
    return this.leases.acquire(job, holder, runId, ttlMs, now);
  }

  renewLease(job: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.leases.renew(job, holder, ttlMs);
  }

  releaseLease(job: string, holder: string): Promise<void> {
    return this.leases.release(job, holder);
  }

  activeLease(job: string, now = new Date()): Promise<Lease | undefined> {
    return this.leases.active(job, now);
  }

  async getState<T extends Record<string, unknown>>(key: string): Promise<T | undefined> {
    const doc = await this.states.findById(key).lean();
    return doc ? (doc.value as T) : undefined;
  }

  async setState(key: string, value: Record<string, unknown>): Promise<void> {
    await this.states.updateOne({ _id: key }, { $set: { value, updatedAt: new Date() } }, { upsert: true });
  }

  async clearState(key: string): Promise<void> {
    await this.states.deleteOne({ _id: key });
  }
}

function toRun(doc: RunDoc): JobRun {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}
