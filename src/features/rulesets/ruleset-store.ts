import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import type { Actor } from '../audit/audit-event-store.js';
import type { Rule, RulesetKind } from '../../engine/rule-schema.js';
import type { RulesetTest } from './draft-schema.js';

export interface DraftRecord {
  rules: Rule[];
  tests: RulesetTest[];
  /** Principal reasons, code → applicant text (absent on drafts saved before reasons existed). */
  reasons?: Record<string, string>;
  checksum: string;
  updatedAt: Date;
  updatedBy: Actor | null;
}

export interface RulesetRecord {
  id: string;
  kind: RulesetKind;
  description: string;
  createdAt: Date;
  createdBy: Actor;
  draft: DraftRecord;
}

export interface VersionRecord {
  rulesetId: string;
  version: number;
  kind: RulesetKind;
  rules: Rule[];
  tests: RulesetTest[];
  /** The draft's reasons when it was published (absent on versions published before reasons existed). */
  reasons?: Record<string, string>;
  checksum: string;
  publishedAt: Date;
  publishedBy: Actor;
}

export type VersionSummary = Pick<VersionRecord, 'version' | 'checksum' | 'publishedAt' | 'publishedBy'>;

/** The small document instances poll to notice publishes and rollbacks. */
export interface HeadRecord {
  rulesetId: string;
  activeVersion: number | null;
  updatedAt: Date;
}

type WithId<T, K extends keyof T> = Omit<T, K> & { _id: string };

/**
 * Rulesets, their drafts, their published versions and their heads. Versions are insert-only and
 * unique on (ruleset, version), which is what makes concurrent publishes safe without transactions.
 */
export class RulesetStore {
  private readonly rulesets: Model<WithId<RulesetRecord, 'id'>>;
  private readonly versions: Model<VersionRecord & { _id: string }>;
  private readonly heads: Model<WithId<HeadRecord, 'rulesetId'>>;

  constructor(connection: Connection) {
    const options = { versionKey: false, minimize: false } as const;
    this.rulesets = connection.model<WithId<RulesetRecord, 'id'>>(
      'Ruleset',
      new Schema<WithId<RulesetRecord, 'id'>>(
        {
          _id: String,
          kind: String,
          description: String,
          createdAt: Date,
          createdBy: Schema.Types.Mixed,
          draft: Schema.Types.Mixed,
        },
        { ...options, collection: 'rulesets' },
      ),
    );
    const versionSchema = new Schema<VersionRecord & { _id: string }>(
      {
        _id: String,
        rulesetId: String,
        version: Number,
        kind: String,
        rules: Schema.Types.Mixed,
        tests: Schema.Types.Mixed,
        reasons: Schema.Types.Mixed,
        checksum: String,
        publishedAt: Date,
        publishedBy: Schema.Types.Mixed,
      },
      { ...options, collection: 'ruleset_versions' },
    );
    versionSchema.index({ rulesetId: 1, version: 1 }, { unique: true });
    this.versions = connection.model<VersionRecord & { _id: string }>('RulesetVersion', versionSchema);
    this.heads = connection.model<WithId<HeadRecord, 'rulesetId'>>(
      'RulesetHead',
      new Schema<WithId<HeadRecord, 'rulesetId'>>(
        { _id: String, activeVersion: { type: Number, default: null }, updatedAt: Date },
        { ...options, collection: 'ruleset_heads' },
      ),
    );
  }

  async init(): Promise<void> {
    await Promise.all([ensureCollection(this.rulesets), ensureCollection(this.versions), ensureCollection(this.heads)]);
  }

  /** Inserts a new ruleset and its head; a duplicate id throws the driver's E11000. */
  async create(record: RulesetRecord): Promise<void> {
    const { id, ...rest } = record;
    await this.rulesets.create({ _id: id, ...rest });
    await this.heads.updateOne({ _id: id }, { $setOnInsert: { activeVersion: null, updatedAt: record.createdAt } }, { upsert: true });
  }

  async get(id: string): Promise<RulesetRecord | undefined> {
    const doc = await this.rulesets.findById(id).lean();
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return { id: _id, ...rest } as RulesetRecord;
  }

  /** Every ruleset without its draft. */
  async list(): Promise<Omit<RulesetRecord, 'draft'>[]> {
    const docs = await this.rulesets.find({}, { draft: 0 }).sort({ _id: 1 }).lean();
    return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }) as Omit<RulesetRecord, 'draft'>);
  }

  async saveDraft(id: string, draft: DraftRecord): Promise<boolean> {
    return (await this.rulesets.updateOne({ _id: id }, { $set: { draft } })).matchedCount === 1;
  }

  /** Inserts a published version; a taken (ruleset, version) throws the driver's E11000. */
  async insertVersion(record: VersionRecord): Promise<void> {
    await this.versions.create({ _id: `${record.rulesetId}@${record.version}`, ...record });
  }

  async getVersion(rulesetId: string, version: number): Promise<VersionRecord | undefined> {
    const doc = await this.versions.findOne({ rulesetId, version }).lean();
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return rest as VersionRecord;
  }

  async listVersions(rulesetId: string): Promise<VersionSummary[]> {
    return this.versions
      .find({ rulesetId }, { _id: 0, version: 1, checksum: 1, publishedAt: 1, publishedBy: 1 })
      .sort({ version: 1 })
      .lean<VersionSummary[]>();
  }

  async latestVersion(rulesetId: string): Promise<VersionSummary | undefined> {
    const doc = await this.versions
      .findOne({ rulesetId }, { _id: 0, version: 1, checksum: 1, publishedAt: 1, publishedBy: 1 })
      .sort({ version: -1 })
      .lean<VersionSummary>();
    return doc ?? undefined;
  }

  /**
   * The highest version of every ruleset, in one query over a two-field projection (FerretDB v1
   * has no $max accumulator; the number of versions is small).
   */
  async latestVersions(): Promise<Map<string, number>> {
    const rows = await this.versions.find({}, { _id: 0, rulesetId: 1, version: 1 }).lean<{ rulesetId: string; version: number }[]>();
    const latest = new Map<string, number>();
    for (const row of rows) latest.set(row.rulesetId, Math.max(latest.get(row.rulesetId) ?? 0, row.version));
    return latest;
  }

  async listHeads(): Promise<HeadRecord[]> {
    const docs = await this.heads.find({}).lean();
    return docs.map(({ _id, ...rest }) => ({ rulesetId: _id, ...rest }));
  }

  async getHead(rulesetId: string): Promise<HeadRecord | undefined> {
    const doc = await this.heads.findById(rulesetId).lean();
    return doc ? { rulesetId: doc._id, activeVersion: doc.activeVersion, updatedAt: doc.updatedAt } : undefined;
  }

  async setActive(rulesetId: string, version: number, at: Date): Promise<void> {
    await this.heads.updateOne({ _id: rulesetId }, { $set: { activeVersion: version, updatedAt: at } }, { upsert: true });
  }
}
