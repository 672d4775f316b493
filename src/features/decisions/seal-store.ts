import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';

/** A seal: the entries logged in [from, to), chained to the previous seal. Insert-only. */
export interface SealRecord {
  seq: number;
  from: Date;
  to: Date;
  count: number;
  entries: { id: string; hash: string }[];
  rootHash: string;
  prevHash: string;
  hash: string;
  sealedAt: Date;
  sealedBy: string;
}

type SealDoc = Omit<SealRecord, 'seq'> & { _id: number };

/** Seals, numbered 1, 2, 3...; the unique sequence number lets exactly one instance write each. */
export class SealStore {
  private readonly model: Model<SealDoc>;

  constructor(connection: Connection) {
    const schema = new Schema<SealDoc>(
      {
        _id: Number,
        from: Date,
        to: Date,
        count: Number,
        entries: Schema.Types.Mixed,
        rootHash: String,
        prevHash: String,
        hash: String,
        sealedAt: Date,
        sealedBy: String,
      },
      { versionKey: false, collection: 'decision_seals', minimize: false },
    );
    schema.index({ to: 1 });
    this.model = connection.model<SealDoc>('DecisionSeal', schema);
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  async latest(): Promise<SealRecord | undefined> {
    const doc = await this.model.findOne({}).sort({ _id: -1 }).lean();
    return doc ? fromDoc(doc) : undefined;
  }

  /** Throws the driver's E11000 when another instance wrote this sequence number first. */
  async insert(seal: SealRecord): Promise<void> {
    const { seq, ...rest } = seal;
    await this.model.create({ _id: seq, ...rest });
  }

  /** Seals whose interval overlaps [from, to), in order, plus the one just before (for the chain). */
  async overlapping(from: Date, to: Date): Promise<{ previous?: SealRecord; seals: SealRecord[] }> {
    const docs = await this.model
      .find({ to: { $gt: from }, from: { $lt: to } })
      .sort({ _id: 1 })
      .lean();
    const seals = docs.map(fromDoc);
    const firstSeq = seals[0]?.seq;
    const previousDoc = firstSeq && firstSeq > 1 ? await this.model.findById(firstSeq - 1).lean() : undefined;
    return { previous: previousDoc ? fromDoc(previousDoc) : undefined, seals };
  }
}

function fromDoc(doc: SealDoc): SealRecord {
  const { _id, ...rest } = doc;
  return { seq: _id, ...rest };
}
