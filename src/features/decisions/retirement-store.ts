import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';

/**
 * What retention retired, as evidence: the entries of seals 1..throughSeal are gone on purpose. Numbered
 * 1, 2, 3... and chained like seals (each holds the previous one's hash and is keyed with the seal key),
 * so that no one can raise the horizon to hide a deletion, or drop a retirement, unseen.
 */
export interface RetirementRecord {
  n: number;
  throughSeal: number;
  /** The hash of seal `throughSeal`, and its end: where the retired part of the log ends. */
  sealHash: string;
  to: Date;
  at: Date;
  prevHash: string;
  keyed: boolean;
  hash: string;
}

type RetirementDoc = Omit<RetirementRecord, 'n'> & { _id: number };

export class RetirementStore {
  private readonly model: Model<RetirementDoc>;

  constructor(connection: Connection) {
    this.model = connection.model<RetirementDoc>(
      'DecisionRetirement',
      new Schema<RetirementDoc>(
        { _id: Number, throughSeal: Number, sealHash: String, to: Date, at: Date, prevHash: String, keyed: Boolean, hash: String },
        { versionKey: false, collection: 'decision_retirements' },
      ),
    );
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  async get(n: number): Promise<RetirementRecord | undefined> {
    const doc = (await this.model.collection.findOne({ _id: n as never })) as unknown as RetirementDoc | null;
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return { n: _id, ...rest };
  }

  async latest(): Promise<RetirementRecord | undefined> {
    const doc = await this.model.findOne({}, { _id: 1 }).sort({ _id: -1 }).lean();
    return doc ? this.get(doc._id) : undefined;
  }

  /** Throws the driver's E11000 when another instance wrote this number first. */
  async insert(record: RetirementRecord): Promise<void> {
    const { n, ...rest } = record;
    await this.model.collection.insertOne({ _id: n, ...rest } as never);
  }
}
