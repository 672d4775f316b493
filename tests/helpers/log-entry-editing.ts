import type { Db } from 'mongodb';

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
