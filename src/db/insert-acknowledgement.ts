/** A per-document refusal as the server reports it (11000: a unique key is taken). */
export interface Refusal {
  code?: number;
  message: string;
}

/** What the server acknowledged of an unordered multi-document insert, document by document (by index). */
export interface InsertAcknowledgement {
  refused: Map<number, Refusal>;
  /**
   * Documents the server neither acknowledged nor refused: the connection broke, a command failed,
   * a failover interrupted the batch. Each may or may not be stored.
   */
  inDoubt: number[];
  /** False after a write concern error: a document found on read-back may still be rolled back. */
  readBackConfirms: boolean;
  /** Why some documents are in doubt (for the log). */
  cause?: string;
}

interface WriteErrorLike {
  index: number;
  code?: number;
  errmsg?: string;
}

interface BulkErrorLike {
  message?: string;
  writeErrors?: WriteErrorLike[] | WriteErrorLike;
  result?: { insertedCount?: number; getWriteErrors?(): WriteErrorLike[]; getWriteConcernError?(): unknown };
}

/** After an insert that succeeded: every document counts only if the server says it inserted them all. */
export function acknowledgedInsert(count: number, answer: { acknowledged: boolean; insertedCount: number }): InsertAcknowledgement {
  if (answer.acknowledged && answer.insertedCount === count) return { refused: new Map(), inDoubt: [], readBackConfirms: true };
  return {
    refused: new Map(),
    inDoubt: indexes(count),
    readBackConfirms: answer.acknowledged,
    cause: `the server acknowledged ${answer.insertedCount} of ${count}`,
  };
}

/**
 * After an insert that threw. The driver throws the same bulk error for a server's per-document
 * refusals and for a broken connection (then with an empty list of write errors), so the error's
 * shape alone says nothing about the other documents: only when the server's counts account for
 * every document (inserted + refused = all) are the rest known to be written.
 */
export function failedInsert(count: number, error: unknown): InsertAcknowledgement {
  const bulk = (error ?? {}) as BulkErrorLike;
  const writeErrors = bulk.result?.getWriteErrors?.() ?? [bulk.writeErrors ?? []].flat();
  const refused = new Map<number, Refusal>();
  for (const writeError of writeErrors) refused.set(writeError.index, { code: writeError.code, message: writeError.errmsg ?? 'refused' });
  const writeConcernFailed = Boolean(bulk.result?.getWriteConcernError?.());
  const inserted = bulk.result?.insertedCount;
  if (!writeConcernFailed && inserted !== undefined && inserted + refused.size === count) {
    return { refused, inDoubt: [], readBackConfirms: true };
  }
  return {
    refused,
    inDoubt: indexes(count).filter((index) => !refused.has(index)),
    readBackConfirms: !writeConcernFailed,
    cause: bulk.message ?? String(error),
  };
}

const indexes = (count: number): number[] => Array.from({ length: count }, (_, index) => index);
