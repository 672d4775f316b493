import { createHash, randomBytes } from 'node:crypto';
import { conflict } from '../../errors/domain-error.js';
import { canonicalJson } from '../../json/canonical-json.js';
import type { DecisionRecord } from './decision-record.js';
import type { DecisionRequest } from './decision-schema.js';

/** The earlier decision of an idempotent retry, unless the key was used with another body (409). */
export function sameRequestOrConflict(earlier: DecisionRecord, requestHash: string): DecisionRecord {
  if (earlier.idempotency?.requestHash !== requestHash) {
    throw conflict('This Idempotency-Key was already used with a different request body.');
  }
  return earlier;
}

/** Salted with the subject: the stored hash of a request naming a profile id says nothing once the profile is erased. */
export function hashRequest(request: DecisionRequest, subject: string): string {
  return createHash('sha256')
    .update(`${subject}\n${canonicalJson(request)}`, 'utf8')
    .digest('hex');
}

/** One id per (caller, key, profile): a retry can never create a second decision, even when racing. */
export function idempotentDecisionId(keyId: string, idempotencyKey: string, subject: string): string {
  return `dec_${createHash('sha256').update(`${keyId}\n${idempotencyKey}\n${subject}`, 'utf8').digest('hex').slice(0, 32)}`;
}

/** Time-ordered, so ids sort roughly by creation. */
export function newDecisionId(): string {
  return `dec_${Date.now().toString(36).padStart(9, '0')}${randomBytes(10).toString('hex')}`;
}
