import type { Caller } from '../../auth/roles.js';
import { actorOf, type AuditTrail } from '../audit/audit-trail.js';
import type { DecisionLogStore } from '../decisions/decision-log-store.js';
import type { VelocityStore } from '../decisions/velocity-store.js';
import type { ProfileStore } from '../profiles/profile-store.js';

/**
 * What erasure masks in each decision log entry of the profile: the whole personal part and the
 * velocity state kept beside it. The core (what was decided, by which rules) and the hashes stay,
 * so the log still verifies.
 */
const ERASED_LOG_FIELDS = ['profileId', 'request', 'facts', 'explanations', 'messages', 'velocity'];

export interface EraseProfileDeps {
  profiles: ProfileStore;
  log: DecisionLogStore;
  velocity: VelocityStore;
  audit: AuditTrail;
}

/**
 * DELETE /v1/profiles/{profileId}: deletes the profile, its velocity record (its loan applications'
 * times), masks its personal data in every decision log entry, and records what was done in the
 * audit trail. Idempotent: erasing again finds nothing and records that.
 */
export class EraseProfileUseCase {
  constructor(private readonly deps: EraseProfileDeps) {}

  async erase(profileId: string, caller: Caller): Promise<void> {
    const existed = await this.deps.profiles.delete(profileId);
    const velocityErased = (await this.deps.velocity.erase(profileId)) === 1;
    const maskedDecisions = await this.deps.log.maskProfile(profileId, {
      at: new Date().toISOString(),
      by: caller.keyId,
      fields: ERASED_LOG_FIELDS,
    });
    await this.deps.audit.record(
      'profile.erased',
      actorOf(caller),
      { kind: 'profile', id: profileId },
      { existed, velocityErased, maskedDecisions },
    );
  }
}
