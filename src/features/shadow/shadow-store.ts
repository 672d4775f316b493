import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import type { Actor } from '../audit/audit-event-store.js';
import type { StoredTally } from './shadow-tally.js';

/** A ruleset's shadow: the version evaluated beside the active one, and the period its counts belong to. */
export interface ShadowSetting {
  rulesetId: string;
  version: number;
  /** Names the counts of this shadow: a new PUT starts a new period (and a new report) even for the same version. */
  period: string;
  since: Date;
  setBy: Actor;
}

/** One instance's counts of one period, as it last flushed them (cumulative: it is their only writer). */
export interface CountsRecord {
  period: string;
  rulesetId: string;
  instanceId: string;
  flushedAt: Date;
  tally: StoredTally;
}

/**
 * Shadow settings (one small document per ruleset, polled by every instance like the heads) and
 * per-instance counts. A counts document is keyed by period and instance and written whole by that
 * instance alone, so a flush is one single-document write that a retry cannot double; the report sums
 * a period's documents, whose number is bounded by the instances (and restarts) that served it.
 */
export class ShadowStore {
  private readonly settings: Model<Omit<ShadowSetting, 'rulesetId'> & { _id: string }>;
  private readonly counts: Model<CountsRecord & { _id: string }>;

  constructor(connection: Connection) {
    const options = { versionKey: false, minimize: false } as const;
    this.settings = connection.model<Omit<ShadowSetting, 'rulesetId'> & { _id: string }>(
      'RulesetShadow',
      new Schema(
        { _id: String, version: Number, period: String, since: Date, setBy: Schema.Types.Mixed },
        { ...options, collection: 'ruleset_shadows' },
      ),
    );
    this.counts = connection.model<CountsRecord & { _id: string }>(
      'ShadowCounts',
      new Schema(
        {
          _id: String,
          period: String,
          rulesetId: String,
          instanceId: String,
          flushedAt: Date,
          tally: Schema.Types.Mixed,
        },
        { ...options, collection: 'shadow_counts' },
      ),
    );
  }

  async init(): Promise<void> {
    await Promise.all([ensureCollection(this.settings), ensureCollection(this.counts)]);
  }

  async list(): Promise<ShadowSetting[]> {
    const docs = await this.settings.find({}).lean();
    return docs.map(({ _id, ...rest }) => ({ rulesetId: _id, ...rest }) as ShadowSetting);
  }

  async get(rulesetId: string): Promise<ShadowSetting | undefined> {
    const doc = await this.settings.findById(rulesetId).lean();
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return { rulesetId: _id, ...rest } as ShadowSetting;
  }

  async set(setting: ShadowSetting): Promise<void> {
    const { rulesetId, ...rest } = setting;
    await this.settings.replaceOne({ _id: rulesetId }, rest, { upsert: true });
  }

  /** Removes the setting; the answer is the one removed, if any. */
  async clear(rulesetId: string): Promise<ShadowSetting | undefined> {
    const doc = await this.settings.findOneAndDelete({ _id: rulesetId }).lean();
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return { rulesetId: _id, ...rest } as ShadowSetting;
  }

  /** Writes an instance's cumulative counts of a period over its previous ones. */
  async saveCounts(record: CountsRecord): Promise<void> {
    await this.counts.replaceOne({ _id: `${record.period}/${record.instanceId}` }, record, { upsert: true });
  }

  /** Every instance's counts of a period (a scan of a collection that holds a few documents per period). */
  async countsOf(period: string): Promise<CountsRecord[]> {
    const docs = await this.counts.find({ period }).lean();
    return docs.map(({ _id, ...rest }) => rest as CountsRecord);
  }

  /** Drops the counts of a ruleset's earlier shadows (every period but `keep`). */
  async dropCountsExcept(rulesetId: string, keep: string | undefined): Promise<void> {
    await this.counts.deleteMany(keep === undefined ? { rulesetId } : { rulesetId, period: { $ne: keep } });
  }
}
