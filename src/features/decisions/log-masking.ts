import type { Masking } from './decision-record.js';

/**
 * What erasure masks in each decision log entry of the profile: the whole personal part, the velocity
 * state kept beside it, and the copies of personal data beside the entry (profile id, event type and
 * time, idempotency key and request hash). The core (what was decided, by which rules, under which
 * subject) and the hashes stay, so the log still verifies.
 */
export const ERASED_LOG_FIELDS = ['profileId', 'request', 'facts', 'explanations', 'messages', 'velocity', 'event', 'idempotency'];

/** The mask an erasure puts on an entry: it names the audit event that opened the erasure, which verify checks it against. */
export function erasureMasking(erasure: { event: string; startedAt: Date; by: string }): Masking {
  return { at: erasure.startedAt.toISOString(), by: erasure.by, fields: ERASED_LOG_FIELDS, erasure: erasure.event };
}
