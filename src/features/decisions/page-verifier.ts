import type { AuditEventStore } from '../audit/audit-event-store.js';
import type { DecisionLogStore } from './decision-log-store.js';
import type { EntryChecks, SealedAt } from './entry-checks.js';
import type { SealRecord } from './seal-store.js';
import type { Problems } from './verify-report.js';

/** The time span one page reads; `to` undefined: without end. */
export interface PageSpan {
  from: Date;
  to: Date | undefined;
}

/** How far ahead of this instance's clock an entry may be dated (clocks of other instances drift). */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
/** Beyond the seal lag, how long an entry may wait for the seal job (every minute by default) before it is overdue. */
const SEALING_GRACE_MS = 5 * 60 * 1000;

export interface PageVerifierDeps {
  log: DecisionLogStore;
  events: AuditEventStore;
  checks: EntryChecks;
  problems: Problems;
  /** Seals 1..retiredThrough had their entries removed by retention: their absence is expected. */
  retiredThrough: number;
  now: Date;
  sealLagMs: number;
  /** Where the newest seal ends (undefined: no seal yet): entries from there on are not sealed yet. */
  headTo: Date | undefined;
  /** Where seal 1 starts: nothing before it is covered by any seal. */
  chainStart: Date | undefined;
}

/**
 * Verifies the entries and audit events of a page of seals with one unordered read of each over the
 * page's time span: each item found is matched with the seal that holds it; what no seal holds is
 * reported (or counted as not sealed yet); what a seal holds and was not found is reported missing.
 */
export class PageVerifier {
  entriesChecked = 0;
  eventsChecked = 0;
  unsealedEntries = 0;
  private readonly sealedEntries = new Map<string, SealedAt>();
  private readonly sealedEvents = new Map<string, SealedAt>();
  private page: SealRecord[] = [];

  constructor(private readonly deps: PageVerifierDeps) {}

  get now(): Date {
    return this.deps.now;
  }

  /** Adds a seal to the page; `firstKeyed`: the first keyed seal of the chain, which may hold plain hashes. */
  admit(seal: SealRecord, firstKeyed: boolean): void {
    const at = (hash: string): SealedAt => ({ seq: seal.seq, hash, from: seal.from, to: seal.to, plainAllowed: !seal.keyed || firstKeyed });
    for (const entry of seal.entries ?? []) this.sealedEntries.set(entry.id, at(entry.hash));
    for (const event of seal.events ?? []) this.sealedEvents.set(event.id, at(event.hash));
    this.page.push(seal);
  }

  async verify(span: PageSpan | undefined): Promise<void> {
    if (span) {
      await this.readEntries(span);
      await this.readEvents(span);
    }
    for (const [id, at] of this.sealedEntries) {
      if (at.seq > this.deps.retiredThrough)
        this.deps.problems.add('entry', id, `missing: sealed in seal ${at.seq} but no longer in the log`);
    }
    for (const [id, at] of this.sealedEvents)
      this.deps.problems.add('event', id, `missing: sealed in seal ${at.seq} but no longer recorded`);
    this.sealedEntries.clear();
    this.sealedEvents.clear();
    this.page = [];
  }

  private async readEntries(span: PageSpan): Promise<void> {
    const { checks, problems, now } = this.deps;
    for await (const stored of this.deps.log.scan(span.from, span.to)) {
      this.entriesChecked += 1;
      const id = stored.record.core.decisionId;
      const sealed = this.sealedEntries.get(id);
      if (sealed) {
        this.sealedEntries.delete(id);
        await checks.entry(stored, sealed);
        continue;
      }
      const uncovered = this.uncovered(stored.copies.createdAt);
      if (uncovered) {
        problems.add('entry', id, uncovered);
        continue;
      }
      this.unsealedEntries += 1;
      const dated = Date.parse(stored.record.core.createdAt);
      if (dated > now.getTime() + CLOCK_SKEW_MS) problems.add('entry', id, 'dated in the future');
      else if (dated < now.getTime() - this.deps.sealLagMs - SEALING_GRACE_MS) problems.add('entry', id, 'overdue: no seal covers it');
      await checks.entry(stored, undefined);
    }
  }

  private async readEvents(span: PageSpan): Promise<void> {
    const { checks, problems, now } = this.deps;
    for await (const event of this.deps.events.scan(span.from, span.to)) {
      const sealed = this.sealedEvents.get(event.id);
      if (sealed) {
        this.sealedEvents.delete(event.id);
        this.eventsChecked += 1;
        checks.event(event, sealed);
        continue;
      }
      // Recorded before events were hashed and sealed: nothing to check them against.
      if (event.hash === null && !this.sealedAfterEventsWere(event.at)) continue;
      this.eventsChecked += 1;
      const uncovered = this.uncovered(event.at);
      if (uncovered) {
        problems.add('event', event.id, uncovered);
        continue;
      }
      if (event.at.getTime() > now.getTime() + CLOCK_SKEW_MS) problems.add('event', event.id, 'dated in the future');
      else if (event.at.getTime() < now.getTime() - this.deps.sealLagMs - SEALING_GRACE_MS)
        problems.add('event', event.id, 'overdue: no seal covers it');
      checks.event(event, undefined);
    }
  }

  /** Why an item dated `at` that no seal of the page holds should have been in one; undefined when it is merely not sealed yet. */
  private uncovered(at: Date): string | undefined {
    const { headTo, chainStart } = this.deps;
    if (headTo === undefined || at >= headTo) return undefined;
    if (chainStart === undefined || at < chainStart) return 'dated before the first seal: no seal covers it';
    const seal = this.page.find((candidate) => at >= candidate.from && at < candidate.to);
    return seal ? `not in seal ${seal.seq}: added after sealing` : 'no seal covers it';
  }

  /** Whether the seal covering `at` seals audit events (seals from before that hold none). */
  private sealedAfterEventsWere(at: Date): boolean {
    const seal = this.page.find((candidate) => at >= candidate.from && at < candidate.to);
    return seal === undefined ? at >= (this.deps.headTo ?? new Date(0)) : seal.events !== undefined;
  }
}
