import type { Db } from 'mongodb';

type Part = Record<string, unknown>;

/**
 * Edits a decision log entry directly in the database, as someone with database access could,
 * whatever form its parts are stored in (canonical JSON text, or nested fields in older entries).
 */
export async function editLogEntry(db: Db, decisionId: string, edit: (entry: { core: Part; personal: Part }) => void): Promise<void> {
  const collection = db.collection<{ _id: string; core: string | Part; personal: string | Part }>('decision_log');
  const doc = await collection.findOne({ _id: decisionId });
  if (!doc) throw new Error(`editLogEntry: no entry ${decisionId}`);
  const asText = typeof doc.core === 'string';
  const entry = {
    core: (asText ? JSON.parse(doc.core as string) : doc.core) as Part,
    personal: (typeof doc.personal === 'string' ? JSON.parse(doc.personal) : doc.personal) as Part,
  };
  edit(entry);
  const stored = (part: Part) => (asText ? JSON.stringify(part) : part);
  await collection.updateOne({ _id: decisionId }, { $set: { core: stored(entry.core), personal: stored(entry.personal) } });
}
