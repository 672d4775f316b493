import type { Role } from '../../auth/roles.js';
import type { RulesetKind } from '../../engine/rule-schema.js';

/**
 * Every event the audit trail records: what each is about (the subject's kind) and the data it
 * carries. Recording checks the data against its type, so compliance reads one shape per type.
 */
export interface AuditEvents {
  'ruleset.created': { subject: 'ruleset'; data: { kind: RulesetKind; description: string } };
  /** `before` and `after` are the draft checksums. */
  'ruleset.draft-saved': { subject: 'ruleset'; data: { before: string; after: string; rules: number; tests: number } };
  /** A draft reading protected facts (`protectedReads`: pointers to its conditions) carries the publisher's acknowledgement. */
  'ruleset.published': {
    subject: 'ruleset';
    data: { version: number; checksum: string; acknowledgeProtected?: string; protectedReads?: string[] };
  };
  /** A publish that activates, a rollback or a roll-forward; `from` is null for the first activation. */
  'ruleset.activated': { subject: 'ruleset'; data: { from: number | null; to: number } };
  /** A published version evaluated beside the active one on live traffic; `replaced`: the shadow it ended, if any. */
  'ruleset.shadow-set': { subject: 'ruleset'; data: { version: number; activeVersion: number | null; replaced: number | null } };
  'ruleset.shadow-cleared': { subject: 'ruleset'; data: { version: number } };
  /** By an admin, or (`bootstrap`) by the service from BOOTSTRAP_ADMIN_KEY. */
  'api-key.created': {
    subject: 'api-key';
    data: { name: string; roles: Role[]; expiresAt: string | null } | { name: string; roles: Role[]; bootstrap: true };
  };
  'api-key.revoked': { subject: 'api-key'; data: { name: string } };
  /** The bootstrap key made an active admin key again because no other admin key was active. */
  'api-key.restored': { subject: 'api-key'; data: { name: string; roles: Role[]; bootstrap: true; reason: string } };
  /**
   * A profile's erasure began. The subject id is the profile's pseudonym (the `subject` its log entries
   * hold), never its id: masks name this event, and verify accepts a mask only when it does.
   */
  'profile.erasure-started': { subject: 'profile'; data: Record<string, never> };
  /** The erasure is done (subject id as above, or `none` when there was nothing to erase). */
  'profile.erased': { subject: 'profile'; data: { existed: boolean; velocityErased: boolean; maskedDecisions: number } };
  /** A rule snoozed for one profile (subject id: the profile's pseudonym); the reason stays with the snooze, erasable. */
  'profile.snoozed': { subject: 'profile'; data: { snoozeId: string; ruleset: string; rule: string; until: string } };
  'profile.snooze-removed': { subject: 'profile'; data: { snoozeId: string; ruleset: string; rule: string } };
  /** An analyst's label on a decision that raised alerts (the note stays with the review). */
  'decision.reviewed': { subject: 'decision'; data: { reviewId: string; label: string } };
  /**
   * `removedBefore`: the log's new horizon (the end of the last seal whose entries were removed), null
   * when no decision could be removed; `throughSeal`: that seal's number (the retirement record holds it too).
   */
  'retention.removed': {
    subject: 'decision-log';
    data: {
      decisionsRemoved: number;
      removedBefore: string | null;
      throughSeal: number | null;
      jobRunsRemoved: number;
      simulationsRemoved: number;
    };
  };
  /** A list written whole (PUT): `created` on its first write; `revision` is the change's sequence number. */
  'list.replaced': { subject: 'list'; data: { created: boolean; items: number; revision: number } };
  /** Items added to a list: how many were new. */
  'list.items-added': { subject: 'list'; data: { added: number; items: number; revision: number } };
  'list.item-removed': { subject: 'list'; data: { items: number; revision: number } };
}

export type AuditEventType = keyof AuditEvents;
export type AuditData<T extends AuditEventType> = AuditEvents[T]['data'];
/** What an event is about, e.g. { kind: 'ruleset', id: 'fraud-alerts' }. */
export interface AuditSubject<T extends AuditEventType = AuditEventType> {
  kind: AuditEvents[T]['subject'];
  id: string;
}
