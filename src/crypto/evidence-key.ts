import { createHash, createHmac } from 'node:crypto';

/** How a stored hash was made: with the seal key (HMAC-SHA-256), or plain SHA-256. */
export type HashKind = 'keyed' | 'plain';

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The hash of the evidence (log entries, audit events, seals, retirement records). With
 * DECISION_SEAL_KEY it is an HMAC keyed with a secret the database does not hold: whoever can write
 * the database can still edit it, but can no longer recompute a hash that verifies. Without the key
 * it is plain SHA-256, evident only against someone who cannot recompute hashes.
 */
export class EvidenceKey {
  constructor(private readonly secret: string | undefined) {}

  get keyed(): boolean {
    return this.secret !== undefined;
  }

  /** The hash new evidence gets. */
  hash(text: string): string {
    return this.secret === undefined ? sha256(text) : createHmac('sha256', this.secret).update(text, 'utf8').digest('hex');
  }

  /**
   * How `hash` was made from `text`, or undefined when it matches neither way (edited, or keyed with
   * a key this instance does not have). Evidence written before the key was configured is plain.
   */
  check(hash: string, text: string): HashKind | undefined {
    if (this.secret !== undefined && this.hash(text) === hash) return 'keyed';
    return sha256(text) === hash ? 'plain' : undefined;
  }
}

/** For code that only reads evidence without a configured key (tests, tools). */
export const UNKEYED = new EvidenceKey(undefined);
