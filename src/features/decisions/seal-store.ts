import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';

export interface SealedItem {
  id: string;
  hash: string;
}

/** A seal: the log entries and audit events of [from, to), chained to the previous seal. Insert-only. */
export interface SealRecord {
  seq: number;
  from: Date;
  to: Date;
  count: number;
  /** Null once retention removed these entries (the root and count stay, under the seal's hash). */
  entries: SealedItem[] | null;
  rootHash: string;
  prevHash: string;
  hash: string;
  sealedAt: Date;
  sealedBy: string;
  /** Whether the hash is keyed with DECISION_SEAL_KEY; absent on seals from before keyed seals existed. */
  keyed?: boolean;
  /** The audit events of the interval; absent on seals from before audit events were sealed. */
  events?: SealedItem[];
  eventCount?: number;
  eventRoot?: string;
}

/** A seal without its lists: what walking the chain reads. */
export type SealHeader = Omit<SealRecord, 'entries' | 'events'>;

interface SealDoc extends Omit<SealRecord, 'seq' | 'entries' | 'events'> {
  _id: number;
  /** JSON text (an array on seals written before): the embedded database decodes one string far faster than an array of objects. */
  entries: string | SealedItem[] | null;
  events?: string;
}

const HEADER = { entries: 0, events: 0 } as const;

/**
 * Seals, numbered 1, 2, 3... without gaps; the unique sequence number lets exactly one instance write
 * each. Every read is by number (the only lookup the embedded database does without a scan).
 */
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
        keyed: Boolean,
        events: String,
        eventCount: Number,
        eventRoot: String,
      },
      { versionKey: false, collection: 'decision_seals', minimize: false },
    );
    schema.index({ to: 1 });
    this.model = connection.model<SealDoc>('DecisionSeal', schema);
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  /** The seal with the highest number. */
  async latest(): Promise<SealHeader | undefined> {
    const doc = await this.model.findOne({}, HEADER).sort({ _id: -1 }).lean();
    return doc ? headerOf(doc as unknown as SealDoc) : undefined;
  }

  async header(seq: number): Promise<SealHeader | undefined> {
    const doc = await this.model.collection.findOne({ _id: seq as never }, { projection: HEADER });
    return doc ? headerOf(doc as unknown as SealDoc) : undefined;
  }

  async get(seq: number): Promise<SealRecord | undefined> {
    const doc = await this.model.collection.findOne({ _id: seq as never });
    return doc ? fromDoc(doc as unknown as SealDoc) : undefined;
  }

  /** Throws the driver's E11000 when another instance wrote this sequence number first. */
  async insert(seal: SealRecord): Promise<void> {
    const { seq, entries, events, ...rest } = seal;
    await this.model.collection.insertOne({
      _id: seq,
      ...rest,
      entries: entries && JSON.stringify(entries),
      ...(events && { events: JSON.stringify(events) }),
    } as never);
  }

  /** Retention: drops the entry list of a seal whose entries it removed; the seal's hash does not cover the list. */
  async dropEntryList(seq: number): Promise<void> {
    await this.model.collection.updateOne({ _id: seq as never }, { $set: { entries: null } });
  }

  /**
   * The lowest seal number in [low, high] whose seal ends after `at` (high + 1 when none does), by
   * binary search on numbers: seals are in time order. A missing number counts as ending after `at`,
   * so that the walk from there reports it.
   */
  async firstEndingAfter(at: Date, low: number, high: number): Promise<number> {
    let [lo, hi] = [low, high + 1];
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const seal = await this.header(mid);
      if (seal && seal.to <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function parseList(value: string | SealedItem[] | null | undefined): SealedItem[] | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? (JSON.parse(value) as SealedItem[]) : value;
}

function headerOf(doc: SealDoc): SealHeader {
  const { _id, entries: _entries, events: _events, ...rest } = doc;
  return { seq: _id, ...rest };
}

function fromDoc(doc: SealDoc): SealRecord {
  const events = parseList(doc.events);
  return { ...headerOf(doc), entries: parseList(doc.entries), ...(events && { events }) };
}
