import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import { isDuplicateKey } from '../../db/database-errors.js';

/** Who made a change: an API key, or the service itself. */
export interface ListActor {
  keyId: string;
  name: string;
}

/**
 * One change of one list, at one place in the stream of every list's changes. A `replace` sets the
 * list's description and all its items (its items are in chunks written before it, so a reader never
 * sees half of one); `add` and `remove` carry their items.
 */
export interface ListChange {
  seq: number;
  listId: string;
  op: 'replace' | 'add' | 'remove';
  items: string[];
  description?: string;
  at: Date;
  by: ListActor;
}

interface ChangeDoc {
  _id: string;
  seq: number;
  listId: string;
  op: ListChange['op'];
  /** add / remove: the items, unless there are more than one chunk's worth: then, as for a replace, they are in `chunks` chunk documents named `${token}:${i}`. */
  items?: string[];
  chunks?: number;
  token?: string;
  description?: string;
  at: Date;
  by: ListActor;
}

interface ChunkDoc {
  _id: string;
  items: string[];
}

/** Items per chunk document: 10,000 items of at most 128 characters stay far below MongoDB's 16 MB. */
const CHUNK_ITEMS = 10_000;

/** Sequence numbers are zero-padded in the `_id`, so that an _id equality names the next change. */
const seqId = (seq: number) => String(seq).padStart(12, '0');

/**
 * Lists as an insert-only stream of changes keyed by a global sequence number (`_id`): a writer takes
 * the next number with an insert, and a duplicate key means another writer (this instance or another)
 * took it first — it catches up and tries the next. Nothing is read-modify-written, so FerretDB v1
 * (no transactions, no atomic conditional update) loses no change when two instances write at once,
 * and a reader learns of changes by asking for the next `_id`, the one filter FerretDB pushes down.
 */
export class ListStore {
  private readonly changes: Model<ChangeDoc>;
  private readonly chunks: Model<ChunkDoc>;

  constructor(connection: Connection) {
    const actor = { keyId: String, name: String };
    this.changes = connection.model<ChangeDoc>(
      'ListChange',
      new Schema<ChangeDoc>(
        {
          _id: String,
          seq: Number,
          listId: String,
          op: String,
          items: { type: [String], default: undefined },
          chunks: Number,
          token: String,
          description: String,
          at: Date,
          by: actor,
        },
        { versionKey: false, collection: 'list_changes' },
      ),
    );
    this.chunks = connection.model<ChunkDoc>(
      'ListChunk',
      new Schema<ChunkDoc>({ _id: String, items: [String] }, { versionKey: false, collection: 'list_chunks' }),
    );
  }

  async init(): Promise<void> {
    await Promise.all([ensureCollection(this.changes), ensureCollection(this.chunks)]);
  }

  /** The change at `seq`, or undefined when nobody has written it yet: one _id lookup. */
  async at(seq: number): Promise<ListChange | undefined> {
    const doc = (await this.changes.collection.findOne({ _id: seqId(seq) as never })) as ChangeDoc | null;
    return doc ? this.materialise(doc) : undefined;
  }

  /**
   * Every change, in order, read once at start-up (a scan). A `replace` resets its list, so only the
   * chunks of each list's latest replace are read.
   */
  async all(): Promise<ListChange[]> {
    const docs = (await this.changes.collection.find({}).toArray()) as unknown as ChangeDoc[];
    docs.sort((a, b) => a.seq - b.seq);
    const lastReplace = new Map<string, number>();
    for (const doc of docs) if (doc.op === 'replace') lastReplace.set(doc.listId, doc.seq);
    const live = docs.filter((doc) => doc.seq >= (lastReplace.get(doc.listId) ?? 0));
    return Promise.all(live.map((doc) => this.materialise(doc)));
  }

  /** One list's changes up to `seq` included, in order (a scan: replay of a decision that saw an older revision). */
  async listUpTo(listId: string, seq: number): Promise<ListChange[]> {
    const docs = (await this.changes.collection.find({ listId }).toArray()) as unknown as ChangeDoc[];
    const upTo = docs.filter((doc) => doc.seq <= seq).sort((a, b) => a.seq - b.seq);
    const lastReplace = upTo.reduce((found, doc) => (doc.op === 'replace' ? doc.seq : found), 0);
    return Promise.all(upTo.filter((doc) => doc.seq >= lastReplace).map((doc) => this.materialise(doc)));
  }

  /**
   * Writes the change at `change.seq`: false when that number is taken (by another writer), true once
   * the insert is acknowledged. A replace's chunks go first, under a token of their own: orphans of a
   * replace that lost its number are never read.
   */
  async append(change: ListChange): Promise<boolean> {
    const { seq, items, ...rest } = change;
    const doc: ChangeDoc = { _id: seqId(seq), seq, ...rest };
    // A replace's items, and those of any change too large for one document, go in chunks first.
    if (change.op === 'replace' || items.length > CHUNK_ITEMS) {
      const token = `${change.listId}:${seqId(seq)}:${Math.random().toString(36).slice(2)}`;
      const chunks: ChunkDoc[] = [];
      for (let start = 0; start < items.length; start += CHUNK_ITEMS) {
        chunks.push({ _id: `${token}:${chunks.length}`, items: items.slice(start, start + CHUNK_ITEMS) });
      }
      if (chunks.length > 0) await this.chunks.collection.insertMany(chunks as never[], { ordered: false });
      Object.assign(doc, { token, chunks: chunks.length });
    } else {
      doc.items = items;
    }
    try {
      await this.changes.collection.insertOne(doc as never);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  private async materialise(doc: ChangeDoc): Promise<ListChange> {
    const { seq, listId, op, description, at, by } = doc;
    let items = doc.items ?? [];
    if (doc.token !== undefined) {
      const ids = Array.from({ length: doc.chunks ?? 0 }, (_, index) => `${doc.token}:${index}`);
      // One _id lookup per chunk (an $in would scan the collection on the embedded database).
      const chunks = await Promise.all(ids.map((id) => this.chunks.collection.findOne({ _id: id as never })));
      items = chunks.flatMap((chunk) => (chunk as ChunkDoc | null)?.items ?? []);
    }
    return { seq, listId, op, items, ...(description !== undefined && { description }), at, by: { keyId: by.keyId, name: by.name } };
  }
}
