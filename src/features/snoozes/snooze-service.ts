import { randomBytes } from 'node:crypto';
import { notFound, validationFailed } from '../../errors/domain-error.js';
import { parseInstant } from '../../time/iso-time.js';
import type { Caller } from '../../auth/roles.js';
import type { LeaseStore } from '../../db/lease-store.js';
import type { Logger } from '../../logging/logger.js';
import { actorOf, type AuditTrail } from '../audit/audit-trail.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { RulesetRuntime } from '../rulesets/ruleset-runtime.js';
import type { SnoozeRecord, SnoozeStore } from './snooze-store.js';
import type { ActiveSnooze } from './snoozes.js';
import { MAX_SNOOZE_DAYS, type SnoozeRequest, type SnoozeView } from './snooze-schema.js';

const DAY_MS = 86_400_000;
const LEASE_MS = 5_000;
const LEASE_TRIES = 40;
const COPY_TRIES = 3;

export interface SnoozeDeps {
  store: SnoozeStore;
  profiles: ProfileStore;
  runtime: RulesetRuntime;
  audit: AuditTrail;
  leases: LeaseStore;
  logger: Logger;
  instanceId: string;
}

const newSnoozeId = (): string => `snz_${Date.now().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;

/** Snoozing a rule for one profile: validated against the active rulesets, recorded, audited, copied onto the profile. */
export class SnoozeService {
  constructor(private readonly deps: SnoozeDeps) {}

  async create(profileId: string, body: SnoozeRequest, caller: Caller, now = new Date()): Promise<SnoozeView> {
    const until = parseInstant(body.until);
    if (!until) throw invalid('/until', 'must be an ISO-8601 date-time with T and an offset or Z');
    if (until <= now) throw invalid('/until', 'must be in the future');
    if (until.getTime() > now.getTime() + MAX_SNOOZE_DAYS * DAY_MS)
      throw invalid('/until', `must be at most ${MAX_SNOOZE_DAYS} days ahead`);
    const active = this.deps.runtime.activeVersionOf(body.ruleset);
    if (!active) throw invalid('/ruleset', `ruleset ${body.ruleset} does not exist or has no active version`);
    if (!active.rules.some((rule) => rule.name === body.rule)) {
      throw invalid('/rule', `ruleset ${body.ruleset} has no rule ${body.rule} in its active version ${active.identity.version}`);
    }
    const subject = await this.subjectOf(profileId);
    const record: SnoozeRecord = {
      snoozeId: newSnoozeId(),
      subject,
      ruleset: body.ruleset,
      rule: body.rule,
      until,
      reason: body.reason,
      createdAt: now,
      createdBy: actorOf(caller),
      removed: null,
    };
    await this.deps.store.insert(record);
    const { snoozeId, ruleset, rule } = record;
    await this.deps.audit.record(
      'profile.snoozed',
      actorOf(caller),
      { kind: 'profile', id: subject },
      {
        snoozeId,
        ruleset,
        rule,
        until: until.toISOString(),
      },
    );
    await this.syncCopy(profileId, subject);
    return view(profileId, record, now);
  }

  async list(profileId: string, limit: number, afterId?: string): Promise<{ items: SnoozeView[]; nextCursor: string | null }> {
    const subject = await this.subjectOf(profileId);
    const records = await this.deps.store.ofSubject(subject);
    const start = afterId === undefined ? 0 : records.findIndex((record) => record.snoozeId === afterId) + 1;
    const page = records.slice(start, start + limit);
    const now = new Date();
    const more = start + limit < records.length;
    return { items: page.map((record) => view(profileId, record, now)), nextCursor: more ? page[page.length - 1]!.snoozeId : null };
  }

  async remove(profileId: string, snoozeId: string, caller: Caller): Promise<void> {
    const subject = await this.subjectOf(profileId);
    const record = await this.deps.store.get(snoozeId);
    if (!record || record.subject !== subject || record.removed) throw notFound(`No snooze ${snoozeId} on profile ${profileId}.`);
    if (!(await this.deps.store.remove(snoozeId, subject, actorOf(caller), new Date()))) {
      throw notFound(`No snooze ${snoozeId} on profile ${profileId}.`);
    }
    await this.deps.audit.record(
      'profile.snooze-removed',
      actorOf(caller),
      { kind: 'profile', id: subject },
      {
        snoozeId,
        ruleset: record.ruleset,
        rule: record.rule,
      },
    );
    await this.syncCopy(profileId, subject);
  }

  private async subjectOf(profileId: string): Promise<string> {
    const found = await this.deps.profiles.withSubject(profileId);
    if (!found) throw notFound(`No profile with id ${profileId}.`);
    return found.subject;
  }

  /**
   * Rewrites the profile's copy of its active snoozes from the records, under a per-profile lease so
   * that two instances snoozing the same profile do not overwrite each other's copy, then reads it
   * back: the embedded database applies any update as a read and a whole-document write, so a
   * concurrent write of the profile (its tags after a decision) may have put the old copy back.
   */
  private async syncCopy(profileId: string, subject: string): Promise<void> {
    const key = `snoozes:${subject}`;
    const holder = `${this.deps.instanceId}:${randomBytes(6).toString('hex')}`;
    let leased = false;
    for (let tries = 0; tries < LEASE_TRIES && !leased; tries++) {
      leased = await this.deps.leases.acquire(key, holder, 'snoozes', LEASE_MS);
      if (!leased) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    try {
      for (let tries = 0; tries < COPY_TRIES; tries++) {
        const wanted = activeCopy(await this.deps.store.ofSubject(subject), new Date());
        if (!(await this.deps.profiles.writeSnoozes(profileId, subject, wanted))) return;
        const stored = await this.deps.profiles.storedSnoozes(profileId);
        if (stored && sameIds(stored, wanted)) return;
      }
      this.deps.logger.warn('snooze copy not confirmed on the profile', { tries: COPY_TRIES });
    } finally {
      if (leased) await this.deps.leases.release(key, holder);
    }
  }
}

function activeCopy(records: SnoozeRecord[], now: Date): ActiveSnooze[] {
  return records
    .filter((record) => !record.removed && record.until > now)
    .map(({ snoozeId, ruleset, rule, until }) => ({ snoozeId, ruleset, rule, until: until.toISOString() }));
}

const sameIds = (a: ActiveSnooze[], b: ActiveSnooze[]): boolean =>
  a.length === b.length && a.every((snooze) => b.some((other) => other.snoozeId === snooze.snoozeId));

function view(profileId: string, record: SnoozeRecord, now: Date): SnoozeView {
  return {
    snoozeId: record.snoozeId,
    profileId,
    ruleset: record.ruleset,
    rule: record.rule,
    until: record.until.toISOString(),
    reason: record.reason,
    createdAt: record.createdAt.toISOString(),
    createdBy: record.createdBy,
    removedAt: record.removed ? record.removed.at.toISOString() : null,
    active: !record.removed && record.until > now,
  };
}

const invalid = (path: string, message: string) => validationFailed('The snooze is invalid.', [{ path, message }]);
