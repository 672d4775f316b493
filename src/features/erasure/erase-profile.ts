import { setTimeout as sleep } from 'node:timers/promises';
import type { Caller } from '../../auth/roles.js';
import { actorOf, type AuditTrail } from '../audit/audit-trail.js';
import type { DecisionLogStore } from '../decisions/decision-log-store.js';
import { erasureMasking } from '../decisions/log-masking.js';
import type { VelocityStore } from '../decisions/velocity-store.js';
import type { ErasureRecord, ErasureStore } from '../profiles/erasure-store.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { SimulationStore } from '../simulation/simulation-store.js';
import { eraseFromExportFiles } from './export-files.js';

export interface EraseProfileDeps {
  profiles: ProfileStore;
  erasures: ErasureStore;
  log: DecisionLogStore;
  velocity: VelocityStore;
  /** The velocity state of each logged application, beside the profile. */
  velocitySlots: { erase(subject: string): Promise<number> };
  simulations: SimulationStore;
  /** Snooze records carry an analyst's reason about the customer: they go with the profile. */
  snoozes?: { eraseSubject(subject: string): Promise<void> };
  audit: AuditTrail;
  /** Where the segment export files are (`<dataDir>/exports`). */
  dataDir: string;
  /**
   * How long after the erasure begins a decision that read the profile before may still land its log
   * entry: the decision budget plus a margin. Masking repeats until then.
   */
  settleMs: number;
}

/** A subject id for an erasure event when there was nothing to erase (the profile id itself is never recorded). */
const NO_SUBJECT = 'none';

/**
 * DELETE /v1/profiles/{profileId}. In order, so that it wins against decisions in flight and can be
 * resumed after a crash: records that the erasure began (an audit event naming the profile's subject,
 * its pseudonym) and an erasure record under that subject, which every decision checks before and
 * after it logs; deletes the profile and its velocity head; masks its log entries until none is left
 * unmasked, by the copies and then by what is hashed; removes the profile id from stored simulation
 * reports and segment export files; records what was done. Idempotent: erasing again finds nothing
 * and records that.
 */
export class EraseProfileUseCase {
  constructor(private readonly deps: EraseProfileDeps) {}

  async erase(profileId: string, caller: Caller): Promise<void> {
    const erasure = await this.begin(profileId, caller);
    if (!erasure) {
      await this.deps.audit.record(
        'profile.erased',
        actorOf(caller),
        { kind: 'profile', id: NO_SUBJECT },
        { existed: false, velocityErased: false, maskedDecisions: 0 },
      );
      return;
    }
    const { subject } = erasure;
    // The velocity head is kept on the profile: it goes with it.
    const head = (await this.deps.profiles.state(profileId))?.velocity;
    const deleted = await this.deps.profiles.deleteIfSubject(profileId, subject);
    // Heads from before: under the profile id (before subjects existed), or under the subject.
    const legacyHead = (await this.deps.velocity.erase(profileId)) === 1;
    const slots = await this.deps.velocitySlots.erase(subject);
    let velocityErased = (await this.deps.velocity.erase(subject)) === 1 || legacyHead || slots > 0 || (deleted && (head?.n ?? 0) > 0);
    const maskedDecisions = await this.maskAll(erasure, profileId);
    // An application in flight may have advanced the head, or recorded its slot, after the first delete.
    const lateHead = (await this.deps.velocity.erase(subject)) === 1;
    const lateSlots = await this.deps.velocitySlots.erase(subject);
    velocityErased = lateHead || lateSlots > 0 || velocityErased;
    await this.deps.simulations.forgetProfile(profileId);
    await this.deps.snoozes?.eraseSubject(subject);
    eraseFromExportFiles(this.deps.dataDir, profileId);
    await this.deps.audit.record(
      'profile.erased',
      actorOf(caller),
      { kind: 'profile', id: subject },
      {
        // The profile existed when its erasure began (this run, or one a crash interrupted).
        existed: true,
        velocityErased,
        maskedDecisions,
      },
    );
    await this.deps.erasures.finish(subject);
  }

  /** Opens the erasure of the profile, or finds the one a crash left unfinished; undefined when there is nothing to erase. */
  private async begin(profileId: string, caller: Caller): Promise<ErasureRecord | undefined> {
    const found = await this.deps.profiles.withSubject(profileId);
    if (!found) return this.deps.erasures.unfinishedFor(profileId);
    const { subject } = found;
    const open = await this.deps.erasures.get(subject);
    if (open) return open;
    const event = await this.deps.audit.record('profile.erasure-started', actorOf(caller), { kind: 'profile', id: subject }, {});
    return this.deps.erasures.begin({ subject, event, startedAt: new Date(), by: caller.keyId, profileId, done: false });
  }

  /**
   * Masks the subject's entries: at once by the copies (indexed on MongoDB), then, once no decision that
   * began before the erasure can still be writing, by what the entries' hashes cover, whatever their
   * copies say, pass after pass until a pass finds none left.
   */
  private async maskAll(erasure: ErasureRecord, profileId: string): Promise<number> {
    const masking = erasureMasking(erasure);
    let masked = await this.deps.log.maskByCopies(erasure.subject, profileId, masking);
    const wait = erasure.startedAt.getTime() + this.deps.settleMs - Date.now();
    if (wait > 0) await sleep(wait);
    for (;;) {
      const pass = await this.deps.log.maskByCore(erasure.subject, masking);
      masked += pass;
      if (pass === 0) return masked;
    }
  }
}
