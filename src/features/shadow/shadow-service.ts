import { randomBytes } from 'node:crypto';
import { conflict, notFound } from '../../errors/domain-error.js';
import type { Actor } from '../audit/audit-event-store.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { RulesetStore } from '../rulesets/ruleset-store.js';
import type { ShadowEvaluation } from './shadow-evaluation.js';
import type { ShadowSetting, ShadowStore } from './shadow-store.js';
import { sumTallies, type StoredTally } from './shadow-tally.js';

/** The report as computed: every count, and the examples (disclosed to audit:read only). */
export interface ShadowReport extends Omit<StoredTally, 'examples'> {
  rulesetId: string;
  version: number;
  since: string;
  setBy: Actor;
  activeVersion: number | null;
  /** Instances whose counts it sums (each process that served the shadow, restarts included). */
  instances: number;
  examples: StoredTally['examples'];
}

/** Setting, clearing and reporting a ruleset's shadow version. */
export class ShadowService {
  constructor(private readonly deps: { store: ShadowStore; rulesets: RulesetStore; audit: AuditTrail; evaluation: ShadowEvaluation }) {}

  /** Shadows a published version that is not the active one; replacing a shadow starts a new report. */
  async set(rulesetId: string, version: number, actor: Actor): Promise<ShadowReport> {
    const head = await this.requireRuleset(rulesetId);
    if (!(await this.deps.rulesets.getVersion(rulesetId, version))) {
      throw notFound(`Ruleset ${rulesetId} has no published version ${version}; only a published version can be shadowed.`);
    }
    if (head.activeVersion === version) throw conflict(`Version ${version} of ${rulesetId} is the active version; shadow another one.`);
    const previous = await this.deps.store.get(rulesetId);
    const setting: ShadowSetting = {
      rulesetId,
      version,
      period: `${rulesetId}:${Date.now().toString(36)}:${randomBytes(6).toString('hex')}`,
      since: new Date(),
      setBy: actor,
    };
    await this.deps.store.set(setting);
    await this.deps.audit.record(
      'ruleset.shadow-set',
      actor,
      { kind: 'ruleset', id: rulesetId },
      { version, activeVersion: head.activeVersion, replaced: previous?.version ?? null },
    );
    await this.afterChange(rulesetId, setting.period);
    return this.reportOf(setting, head.activeVersion);
  }

  async clear(rulesetId: string, actor: Actor): Promise<void> {
    await this.requireRuleset(rulesetId);
    const removed = await this.deps.store.clear(rulesetId);
    if (!removed) throw notFound(`Ruleset ${rulesetId} has no shadow version.`);
    await this.deps.audit.record('ruleset.shadow-cleared', actor, { kind: 'ruleset', id: rulesetId }, { version: removed.version });
    await this.afterChange(rulesetId, undefined);
  }

  async report(rulesetId: string): Promise<ShadowReport> {
    const head = await this.requireRuleset(rulesetId);
    const setting = await this.deps.store.get(rulesetId);
    if (!setting) throw notFound(`Ruleset ${rulesetId} has no shadow version.`);
    return this.reportOf(setting, head.activeVersion);
  }

  /** The stored counts of every instance, this one's replaced by its fresher in-memory counts. */
  private async reportOf(setting: ShadowSetting, activeVersion: number | null): Promise<ShadowReport> {
    const { evaluation } = this.deps;
    const stored = await this.deps.store.countsOf(setting.period);
    const others = stored.filter((counts) => counts.instanceId !== evaluation.instanceId).map((counts) => counts.tally);
    const own = evaluation.unflushed(setting.period) ?? stored.find((counts) => counts.instanceId === evaluation.instanceId)?.tally;
    const sources = own ? [...others, own] : others;
    const sum = sumTallies(sources);
    return {
      rulesetId: setting.rulesetId,
      version: setting.version,
      since: setting.since.toISOString(),
      setBy: setting.setBy,
      activeVersion,
      instances: sources.filter((counts) => counts.decisions + counts.errors + counts.unevaluated > 0).length,
      ...sum,
    };
  }

  /** This instance follows at once; the earlier periods' counts go (a replaced or cleared shadow's report ends). */
  private async afterChange(rulesetId: string, period: string | undefined): Promise<void> {
    await this.deps.evaluation.refresh();
    await this.deps.store.dropCountsExcept(rulesetId, period);
  }

  private async requireRuleset(rulesetId: string) {
    const head = await this.deps.rulesets.getHead(rulesetId);
    if (!head) throw notFound(`No ruleset with id ${rulesetId}.`);
    return head;
  }
}
