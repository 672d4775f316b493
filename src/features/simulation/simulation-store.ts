import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import type { Actor } from '../audit/audit-event-store.js';
import type { SimulationPlan } from './simulation-plan.js';
import type { SimulationEnding } from './simulation-ending-store.js';
import type { SIMULATION_STATUSES } from './simulation-schema.js';

export type SimulationStatus = (typeof SIMULATION_STATUSES)[number];
const FINISHED: readonly SimulationStatus[] = ['succeeded', 'failed', 'cancelled'];
export const isFinished = (status: SimulationStatus): boolean => FINISHED.includes(status);

/** Who asked: the API key (its id decides who may cancel; its name is for people). */
export type Requester = Actor;

/** A background simulation: what to run, where it is, and how it ended. */
export interface SimulationRecord {
  id: string;
  rulesetId: string;
  status: SimulationStatus;
  /** Inputs evaluated of those counted when the run was queued. */
  progress: { done: number; total: number };
  /** Ruleset, candidate, baseline and kind of inputs, as reports show them. */
  header: object;
  /** Everything needed to run it again from the start, resolved when it was queued. */
  plan: SimulationPlan;
  requestedBy: Requester;
  /** The queue entry that holds its place in its requester's quota (simulation-queue-store.ts). */
  queueSlot: string;
  /** How many times another instance took it over after the one running it stopped renewing its lease. */
  restarts: number;
  /** The instance running it (while running). */
  instance: string | null;
  createdAt: Date;
  startedAt: Date | null;
  heartbeatAt: Date | null;
  endedAt: Date | null;
  cancelledBy: Requester | null;
  /** The full report (applied to each reader by simulation-disclosure.ts when answered). */
  result: object | null;
  error: string | null;
}

/** What a list shows of a run: everything but its plan and its report. */
export type SimulationSummary = Omit<SimulationRecord, 'plan' | 'result'>;

type SimulationDoc = Omit<SimulationRecord, 'id'> & { _id: string };

/** What a run's document says once a cancel stands (simulation-ending-store.ts): no report, whatever ran. */
export const cancelledFields = (cancel: SimulationEnding) =>
  ({ status: 'cancelled', cancelledBy: cancel.by, endedAt: cancel.at, result: null }) as const;

const toRecord = <T extends { _id: string }>({ _id, ...rest }: T) => ({ id: _id, ...rest });

/**
 * Background simulations, one document each, written only by `_id` (the one filter FerretDB v1
 * pushes down). Who runs one is decided by its lease, not here; the extra conditions on writes
 * (`instance`, `status`) only narrow races between an instance that lost its lease and the next.
 */
export class SimulationStore {
  private readonly model: Model<SimulationDoc>;

  constructor(connection: Connection) {
    const schema = new Schema<SimulationDoc>(
      {
        _id: String,
        rulesetId: String,
        status: String,
        progress: Schema.Types.Mixed,
        header: Schema.Types.Mixed,
        plan: Schema.Types.Mixed,
        requestedBy: Schema.Types.Mixed,
        queueSlot: String,
        restarts: { type: Number, default: 0 },
        instance: { type: String, default: null },
        createdAt: Date,
        startedAt: { type: Date, default: null },
        heartbeatAt: { type: Date, default: null },
        endedAt: { type: Date, default: null },
        cancelledBy: { type: Schema.Types.Mixed, default: null },
        result: Schema.Types.Mixed,
        error: { type: String, default: null },
      },
      { versionKey: false, collection: 'simulations', minimize: false },
    );
    schema.index({ rulesetId: 1, createdAt: -1 });
    this.model = connection.model<SimulationDoc>('Simulation', schema);
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  async create(record: SimulationRecord): Promise<void> {
    const { id, ...rest } = record;
    await this.model.create({ _id: id, ...rest });
  }

  /**
   * Erasure: removes the profile id from the examples of every stored report (a scan of a small
   * collection); the decision ids stay, as their log entries are masked. Answers how many reports changed.
   */
  async forgetProfile(profileId: string): Promise<number> {
    const docs = await this.model.collection.find({ 'result.examples.input.profileId': profileId }).toArray();
    for (const doc of docs) {
      const result = doc.result as { examples: { input: { profileId?: string | null } }[] };
      const examples = result.examples.map((example) =>
        example.input.profileId === profileId ? { ...example, input: { ...example.input, profileId: null } } : example,
      );
      await this.model.collection.updateOne({ _id: doc._id }, { $set: { 'result.examples': examples } });
    }
    return docs.length;
  }

  async get(id: string): Promise<SimulationRecord | undefined> {
    const doc = await this.model.findById(id).lean();
    return doc ? (toRecord(doc) as SimulationRecord) : undefined;
  }

  /** Marks a run as taken by `instance`, unless its status changed since it was read (e.g. cancelled). */
  async claim(id: string, expected: SimulationStatus, fields: Partial<SimulationRecord>): Promise<boolean> {
    return (await this.model.updateOne({ _id: id, status: expected }, { $set: fields })).matchedCount === 1;
  }

  /**
   * A running instance's sign of life: stores the progress and answers the status, so that a cancel
   * made on another instance is seen within a heartbeat; undefined when the run is no longer this
   * instance's (another took it over). One write while it runs (FerretDB v1 has no findAndModify
   * with a projection, and the run's plan may weigh a megabyte).
   */
  async heartbeat(id: string, instance: string, progress: SimulationRecord['progress']): Promise<SimulationStatus | undefined> {
    const written = await this.model.updateOne({ _id: id, instance, status: 'running' }, { $set: { progress, heartbeatAt: new Date() } });
    if (written.matchedCount === 1) return 'running';
    const doc = await this.model.findById(id).select({ status: 1, instance: 1 }).lean();
    return doc?.instance === instance ? doc.status : undefined;
  }

  /**
   * How a run held by `instance` ended (or that it goes back to the queue), unless its status is no
   * longer `expected` (a cancel landed first); false then.
   */
  async settle(id: string, instance: string, expected: SimulationStatus, fields: Partial<SimulationRecord>): Promise<boolean> {
    return (await this.model.updateOne({ _id: id, instance, status: expected }, { $set: fields })).matchedCount === 1;
  }

  /**
   * Makes the document of a run held by `instance` agree with the cancel that stands, whatever a write
   * racing the cancel left in it.
   */
  async settleCancelled(id: string, instance: string, cancel: SimulationEnding, progress: SimulationRecord['progress']): Promise<void> {
    await this.model.updateOne({ _id: id, instance }, { $set: { ...cancelledFields(cancel), progress } });
  }

  /** Ends a run that no instance may be running any more (its lease is ours, or it never started). */
  async end(id: string, fields: Partial<SimulationRecord>): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: fields });
  }

  /** Shows a cancel (recorded first in simulation-ending-store.ts) in the run's document, unless it has finished meanwhile. */
  async cancel(id: string, by: Requester, now: Date): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: id, status: { $in: ['queued', 'running'] } },
      { $set: { status: 'cancelled', cancelledBy: by, endedAt: now } },
    );
    return result.matchedCount === 1;
  }

  /** A ruleset's runs, newest first, without plans and reports. */
  async list(rulesetId: string, limit: number, before?: { createdAt: Date; id: string }): Promise<SimulationSummary[]> {
    const page = before
      ? { $or: [{ createdAt: { $lt: before.createdAt } }, { createdAt: before.createdAt, _id: { $lt: before.id } }] }
      : {};
    const docs = await this.model
      .find({ $and: [{ rulesetId }, page] })
      .select({ plan: 0, result: 0 })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => toRecord(doc) as SimulationSummary);
  }

  /** Retention: removes runs that finished before `cutoff` (runs stored before endedAt existed count from their creation). */
  async deleteFinishedBefore(cutoff: Date): Promise<number> {
    const result = await this.model.deleteMany({
      status: { $in: FINISHED },
      $or: [{ endedAt: { $lt: cutoff } }, { endedAt: null, createdAt: { $lt: cutoff } }],
    });
    return result.deletedCount;
  }

  /**
   * Runs recorded before runs had plans (and queue entries) cannot be run again and would show
   * `running` forever: they are failed once, at start-up.
   */
  async failUnplanned(now: Date): Promise<number> {
    const result = await this.model.updateMany(
      { status: { $in: ['queued', 'running'] }, plan: { $exists: false } },
      { $set: { status: 'failed', error: 'Interrupted by a restart of the service; run it again.', endedAt: now } },
    );
    return result.modifiedCount;
  }
}
