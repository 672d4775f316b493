import type { Actor } from '../audit/audit-event-store.js';
import { SYSTEM_ACTOR, type AuditTrail } from '../audit/audit-trail.js';
import { conflict, forbidden, notFound } from '../../errors/domain-error.js';
import { isDuplicateKey } from '../../db/database-errors.js';
import type { RulesetService } from './ruleset-service.js';
import type { RulesetStore } from './ruleset-store.js';

/** Called after this instance changes an active version, so it need not wait for its own poll. */
export type ActivationListener = () => Promise<void>;

/**
 * Publishing and activation: the moves that change what the service decides. Every activation
 * (publish, rollback, roll-forward) is an audit event with who, when, from and to.
 */
export class RulesetPublisher {
  constructor(
    private readonly store: RulesetStore,
    private readonly rulesets: RulesetService,
    private readonly audit: AuditTrail,
    private readonly options: { fourEyes: boolean; onActivated?: ActivationListener },
  ) {}

  /** Whether a publish by the draft's last editor is refused (FOUR_EYES), so that clients can say so before they try. */
  get fourEyes(): boolean {
    return this.options.fourEyes;
  }

  /**
   * Publishes the draft as the next version. Refused (409) when a draft test fails, the draft
   * equals the latest version, or a risk or product draft reads a protected fact and the publisher
   * gave no `acknowledgeProtected` (then recorded in the audit event); with four eyes, refused (403)
   * for the draft's last editor.
   * Two concurrent publishes race for the same version number; the unique index lets one win.
   */
  async publish(
    id: string,
    activate: boolean,
    actor: Actor,
    acknowledgeProtected?: string,
  ): Promise<{ version: number; checksum: string; activeVersion: number | null }> {
    const ruleset = await this.rulesets.require(id);
    const draft = ruleset.draft;
    // The service installing its shipped rulesets is the one editor exempt from four eyes.
    if (this.options.fourEyes && actor !== SYSTEM_ACTOR && draft.updatedBy?.keyId === actor.keyId) {
      throw forbidden('Four-eyes rule: the draft must be published by someone other than its last editor.');
    }
    const latest = await this.store.latestVersion(id);
    if (latest && latest.checksum === draft.checksum) {
      throw conflict(`The draft equals the latest version (${latest.version}); there is nothing to publish.`);
    }
    const report = await this.rulesets.runTests(ruleset, draft);
    if (report.failed > 0) {
      throw conflict(
        `${report.failed} draft test(s) failed; publishing is refused.`,
        report.results
          .map((result, index) => ({ result, index }))
          .filter(({ result }) => !result.passed)
          .map(({ result, index }) => ({ path: `/tests/${index}`, message: `${result.name}: ${result.failures.join('; ')}` })),
      );
    }
    const protectedReads = this.rulesets.protectedReads(ruleset.kind, draft.rules);
    if (protectedReads.length > 0 && acknowledgeProtected === undefined) {
      throw conflict(
        `This ${ruleset.kind} draft reads protected facts (PROTECTED_FACTS) in ${protectedReads.length} condition(s): ` +
          'credit and product decisions must not turn on them. To publish it anyway, say why in ' +
          '{ "acknowledgeProtected": "<why>" }; the reason is recorded in the audit trail.',
        protectedReads,
      );
    }
    const version = (latest?.version ?? 0) + 1;
    try {
      await this.store.insertVersion({
        rulesetId: id,
        version,
        kind: ruleset.kind,
        rules: draft.rules,
        tests: draft.tests,
        ...(draft.reasons && { reasons: draft.reasons }),
        checksum: draft.checksum,
        publishedAt: new Date(),
        publishedBy: actor,
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw conflict(`Version ${version} of ${id} was just published by someone else; reload and retry.`);
      throw error;
    }
    const acknowledged =
      protectedReads.length > 0
        ? { acknowledgeProtected: acknowledgeProtected!, protectedReads: protectedReads.map((read) => read.path) }
        : {};
    await this.audit.record('ruleset.published', actor, { kind: 'ruleset', id }, { version, checksum: draft.checksum, ...acknowledged });
    let activeVersion = (await this.store.getHead(id))?.activeVersion ?? null;
    if (activate) activeVersion = await this.activate(id, version, actor);
    return { version, checksum: draft.checksum, activeVersion };
  }

  /** Makes `version` the active one (rollback or roll-forward); a no-op when it already is. */
  async activate(id: string, version: number, actor: Actor): Promise<number> {
    await this.rulesets.require(id);
    if (!(await this.store.getVersion(id, version))) throw notFound(`Ruleset ${id} has no version ${version}.`);
    const from = (await this.store.getHead(id))?.activeVersion ?? null;
    if (from === version) return version;
    await this.store.setActive(id, version, new Date());
    await this.audit.record('ruleset.activated', actor, { kind: 'ruleset', id }, { from, to: version });
    await this.options.onActivated?.();
    return version;
  }
}
