/** What ensureCollection needs of a mongoose model (structural, so any model's generics fit). */
interface CollectionModel {
  createCollection(): Promise<unknown>;
  createIndexes(): Promise<unknown>;
}

/**
 * Creates a model's collection and indexes. Index creation is explicit (autoIndex is off) so that
 * start-up fails loudly when an index, above all a unique one that guards concurrency, cannot be built.
 */
export async function ensureCollection(model: CollectionModel): Promise<void> {
  await model.createCollection().catch((error: { code?: number }) => {
    // 48 NamespaceExists: another instance or an earlier start created it.
    if (error.code !== 48) throw error;
  });
  await model.createIndexes();
}
