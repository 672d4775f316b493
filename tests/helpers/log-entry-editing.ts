import { createHash } from 'node:crypto';
import type { Db, Document } from 'mongodb';

type Part = Record<string, unknown>;

/**
 * Edits a decision log entry directly in the database, as someone with database access could: its
 * parts are stored as canonical JSON texts, which this parses, edits and writes back.
 */
export async function editLogEntry(db: Db, decisionId: string, edit: (entry: { core: Part; personal: Part }) => void): Promise<void> {
  const collection = db.collection<{ _id: string; core: string; personal: string }>('decision_log');
  const doc = await collection.findOne({ _id: decisionId });
  if (!doc) throw new Error(`editLogEntry: no entry ${decisionId}`);
  const entry = { core: JSON.parse(doc.core) as Part, personal: JSON.parse(doc.personal) as Part };
  edit(entry);
  await collection.updateOne({ _id: decisionId }, { $set: { core: JSON.stringify(entry.core), personal: JSON.stringify(entry.personal) } });
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Recomputes an entry's digest and hash with plain SHA-256 after an edit, as an insider without the
 * seal key would to make the entry match itself again.
 */
export async function rehashLogEntry(db: Db, decisionId: string): Promise<string> {
  const collection = db.collection<{ _id: string; core: string; personal: string | null; personalDigest: string }>('decision_log');
  const doc = await collection.findOne({ _id: decisionId });
  if (!doc) throw new Error(`rehashLogEntry: no entry ${decisionId}`);
  const personalDigest = doc.personal === null ? doc.personalDigest : sha256(doc.personal);
  const hash = sha256(`{"core":${doc.core},"personalDigest":${JSON.stringify(personalDigest)}}`);
  await collection.updateOne({ _id: decisionId }, { $set: { personalDigest, hash } });
  return hash;
}

/** Runs `tamper`, then `check`, then puts back every document of `collection` as it was: the next test starts from an intact log. */
export async function withTampering(db: Db, collections: string[], tamper: () => Promise<void>, check: () => Promise<void>): Promise<void> {
  const saved = new Map<string, Document[]>();
  for (const name of collections) saved.set(name, await db.collection(name).find({}).toArray());
  try {
    await tamper();
    await check();
  } finally {
    for (const [name, docs] of saved) {
      await db.collection(name).deleteMany({});
      if (docs.length > 0) await db.collection(name).insertMany(docs);
    }
  }
}
