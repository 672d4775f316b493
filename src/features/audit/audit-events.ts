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
  'ruleset.published': { subject: 'ruleset'; data: { version: number; checksum: string } };
  /** A publish that activates, a rollback or a roll-forward; `from` is null for the first activation. */
  'ruleset.activated': { subject: 'ruleset'; data: { from: number | null; to: number } };
  /** By an admin, or (`bootstrap`) by the service from BOOTSTRAP_ADMIN_KEY. */
  'api-key.created': {
    subject: 'api-key';
    data: { name: string; roles: Role[]; expiresAt: string | null } | { name: string; roles: Role[]; bootstrap: true };
  };
  'api-key.revoked': { subject: 'api-key'; data: { name: string } };
  /** The bootstrap key made an active admin key again because no other admin key was active. */
  'api-key.restored': { subject: 'api-key'; data: { name: string; roles: Role[]; bootstrap: true; reason: string } };
  'profile.erased': { subject: 'profile'; data: { existed: boolean; velocityErased: boolean; maskedDecisions: number } };
  /** `removedBefore`: the log's new horizon, null when no decision could be removed (nothing sealed yet). */
  'retention.removed': {
    subject: 'decision-log';
    data: { decisionsRemoved: number; removedBefore: string | null; jobRunsRemoved: number; simulationsRemoved: number };
  };
}

export type AuditEventType = keyof AuditEvents;
export type AuditData<T extends AuditEventType> = AuditEvents[T]['data'];
/** What an event is about, e.g. { kind: 'ruleset', id: 'fraud-alerts' }. */
export interface AuditSubject<T extends AuditEventType = AuditEventType> {
  kind: AuditEvents[T]['subject'];
  id: string;
}
