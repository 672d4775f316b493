import { randomUUID } from 'node:crypto';
import { type Actor, type AuditEvent, type AuditEventStore, auditEventHashText } from './audit-event-store.js';
import type { AuditData, AuditEventType, AuditSubject } from './audit-events.js';
import type { Caller } from '../../auth/roles.js';
import type { EvidenceKey } from '../../crypto/evidence-key.js';

/** The service itself, for changes no API key made (shipped rulesets, jobs). */
export const SYSTEM_ACTOR: Actor = { keyId: 'system', name: 'system' };

export function actorOf(caller: Caller): Actor {
  return { keyId: caller.keyId, name: caller.name };
}

/**
 * Records who changed what and when; the data holds before/after where there is one. Each event is
 * hashed (keyed with the seal key when there is one) and sealed with the decision log, so that an
 * event cannot be edited, added or removed unseen. Answers the event's id.
 */
export class AuditTrail {
  constructor(
    private readonly store: AuditEventStore,
    private readonly key: EvidenceKey,
  ) {}

  async record<T extends AuditEventType>(type: T, actor: Actor, subject: AuditSubject<T>, data: AuditData<T>): Promise<string> {
    const event = { id: randomUUID(), type, actor, at: new Date(), subject, data } as AuditEvent;
    await this.store.insert(event, this.key.hash(auditEventHashText(event)));
    return event.id;
  }
}
