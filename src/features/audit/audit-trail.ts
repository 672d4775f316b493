import { randomUUID } from 'node:crypto';
import type { Actor, AuditEvent, AuditEventStore } from './audit-event-store.js';
import type { AuditData, AuditEventType, AuditSubject } from './audit-events.js';
import type { Caller } from '../../auth/roles.js';

/** The service itself, for changes no API key made (shipped rulesets, jobs). */
export const SYSTEM_ACTOR: Actor = { keyId: 'system', name: 'system' };

export function actorOf(caller: Caller): Actor {
  return { keyId: caller.keyId, name: caller.name };
}

/** Records who changed what and when; the data holds before/after where there is one. */
export class AuditTrail {
  constructor(private readonly store: AuditEventStore) {}

  async record<T extends AuditEventType>(type: T, actor: Actor, subject: AuditSubject<T>, data: AuditData<T>): Promise<void> {
    await this.store.insert({ id: randomUUID(), type, actor, at: new Date(), subject, data } as AuditEvent);
  }
}
