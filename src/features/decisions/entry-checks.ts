import { type EvidenceKey, sha256 } from '../../crypto/evidence-key.js';
import { auditEventHashText, type AuditEventStore, type HashedAuditEvent } from '../audit/audit-event-store.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import { checkRecord, type DecisionRecord } from './decision-record.js';
import { copiesOf, type QueryCopies, type StoredEntry } from './log-entry-doc.js';
import { velocitySlot } from './velocity-history.js';
import type { Problems } from './verify-report.js';
import type { LoggedExplanations } from './logged-explanations.js';

/** Where an entry or event is sealed, as verify found it: the seal's number, the hash it holds, whether a plain hash is acceptable there. */
export interface SealedAt {
  seq: number;
  hash: string;
  from: Date;
  to: Date;
  /** In a keyed seal, evidence must be keyed too, but for the first one (it may seal what was written just before the key came). */
  plainAllowed: boolean;
}

/** Erasures cached per verification: a mask costs one read per erasure, not per entry. */
const MAX_CACHED_ERASURES = 10_000;

/**
 * The checks of one entry or audit event: against its own hash, against the hash its seal holds, its
 * copies against what is hashed, and its mask against an erasure on record.
 */
export class EntryChecks {
  private readonly erasures = new Map<string, { problem: string } | { subject: string }>();
  legacyMasks = 0;

  constructor(
    private readonly key: EvidenceKey,
    private readonly events: AuditEventStore,
    private readonly profiles: ProfileStore,
    private readonly problems: Problems,
    /** The chain is keyed (its newest seal is): evidence not sealed yet must be keyed too. */
    private readonly keyedChain: boolean,
    /** What rebuilds an entry's explanations: they must still rebuild from the versions it names. */
    private readonly explanations: LoggedExplanations,
  ) {}

  async entry({ record, copies }: StoredEntry, sealed: SealedAt | undefined): Promise<void> {
    const id = record.core.decisionId;
    const checked = checkRecord(record, this.key);
    if ('problem' in checked) return this.problems.add('entry', id, checked.problem);
    if (sealed) {
      if (record.hash !== sealed.hash) return this.problems.add('entry', id, `hash differs from the one in seal ${sealed.seq}`);
      if (checked.kind === 'plain' && !sealed.plainAllowed) this.problems.add('entry', id, `not keyed, in keyed seal ${sealed.seq}`);
      const at = Date.parse(record.core.createdAt);
      if (!(at >= sealed.from.getTime() && at < sealed.to.getTime())) this.problems.add('entry', id, `dated outside seal ${sealed.seq}`);
    } else if (checked.kind === 'plain' && this.keyedChain) {
      this.problems.add('entry', id, 'not keyed, after keyed seals');
    }
    const copy = copyProblem(record, copies);
    if (copy) this.problems.add('entry', id, copy);
    if (record.masked) await this.mask(record);
    else if (record.personal?.leafResults) {
      const explained = await this.explanations.of(record);
      if ('unavailable' in explained) this.problems.add('entry', id, explained.unavailable);
    }
  }

  event(event: HashedAuditEvent, sealed: SealedAt | undefined): void {
    if (event.hash === null) return this.problems.add('event', event.id, 'has no hash');
    const kind = this.key.check(event.hash, auditEventHashText(event));
    if (kind === undefined) return this.problems.add('event', event.id, 'content does not match its hash');
    if (!sealed) {
      if (kind === 'plain' && this.keyedChain) this.problems.add('event', event.id, 'not keyed, after keyed seals');
      return;
    }
    if (event.hash !== sealed.hash) return this.problems.add('event', event.id, `hash differs from the one in seal ${sealed.seq}`);
    if (kind === 'plain' && !sealed.plainAllowed) this.problems.add('event', event.id, `not keyed, in keyed seal ${sealed.seq}`);
  }

  /**
   * A mask stands only where it names the audit event that opened an erasure of this entry's subject,
   * that event matches its hash, and no profile with that subject exists any more.
   */
  private async mask(record: DecisionRecord): Promise<void> {
    const { subject, decisionId } = record.core;
    if (subject === undefined) {
      this.legacyMasks += 1;
      return;
    }
    const eventId = record.masked?.erasure;
    if (typeof eventId !== 'string') return this.problems.add('entry', decisionId, 'masked without naming an erasure');
    let erasure = this.erasures.get(eventId);
    if (!erasure) {
      if (this.erasures.size >= MAX_CACHED_ERASURES) this.erasures.clear();
      erasure = await this.erasure(eventId);
      this.erasures.set(eventId, erasure);
    }
    if ('problem' in erasure) return this.problems.add('entry', decisionId, erasure.problem);
    if (erasure.subject !== subject) this.problems.add('entry', decisionId, `masked by erasure ${eventId}, which erased another subject`);
  }

  /** The subject an erasure event erased, or why it does not back a mask. */
  private async erasure(eventId: string): Promise<{ problem: string } | { subject: string }> {
    const event = await this.events.get(eventId);
    if (event?.type !== 'profile.erasure-started') return { problem: `masked by erasure ${eventId}, which is not on record` };
    if (event.hash === null || this.key.check(event.hash, auditEventHashText(event)) === undefined) {
      return { problem: `masked by erasure ${eventId}, whose record does not match its hash` };
    }
    if (await this.profiles.subjectExists(event.subject.id))
      return { problem: `masked by erasure ${eventId}, but the profile still exists` };
    return { subject: event.subject.id };
  }
}

/** Why the copies beside an entry differ from what its hash covers, or undefined when they agree. */
export function copyProblem(record: DecisionRecord, copies: QueryCopies): string | undefined {
  const expected = copiesOf(record.core, record.personal);
  const legacyMask = record.personal === null && record.core.subject === undefined;
  const differs: string[] = [];
  if (copies.createdAt?.getTime() !== expected.createdAt.getTime()) differs.push('createdAt');
  if ((copies.profileId ?? null) !== expected.profileId) differs.push('profileId');
  if (copies.subject !== expected.subject) differs.push('subject');
  if (copies.outcome !== expected.outcome) differs.push('outcome');
  if (!sameList(copies.alertCodes, expected.alertCodes)) differs.push('alertCodes');
  if (!sameList(copies.rulesetIds, expected.rulesetIds)) differs.push('rulesetIds');
  // Masks made before the event copies were cleared left them: they say nothing about a person any more.
  if (!legacyMask && (copies.eventType ?? null) !== expected.eventType) differs.push('eventType');
  if (!legacyMask && (copies.eventAt?.getTime() ?? null) !== (expected.eventAt?.getTime() ?? null)) differs.push('eventAt');
  const velocity = record.personal?.velocity;
  const subject = record.core.subject;
  if (velocity && subject !== undefined) {
    const slotOk = copies.velocitySlot === velocitySlot(subject, velocity.n);
    if (!slotOk || typeof copies.velocityTimes !== 'string' || sha256(copies.velocityTimes) !== velocity.timesDigest) {
      differs.push('velocity');
    }
  } else if (subject !== undefined && (copies.velocitySlot !== undefined || copies.velocityTimes !== undefined)) {
    differs.push('velocity');
  }
  return differs.length > 0 ? `query copies differ from the hashed content: ${differs.join(', ')}` : undefined;
}

const sameList = (a: unknown, b: string[]): boolean =>
  Array.isArray(a) && a.length === b.length && a.every((item, index) => item === b[index]);
