import type { RuleLayout } from '../../engine/explanation-layout.js';
import { type DecisionCore, firedRulesOf } from '../decisions/decision-record.js';

/** Where compiled versions come from (the ruleset runtime). */
export interface LayoutSource {
  version(id: string, version: number): Promise<{ identity: { checksum: string }; layout: readonly RuleLayout[] } | undefined>;
}

/**
 * The rules that fired in each ruleset of logged cores, read from their fired marks along the version the
 * entry names (and only that one: its checksum must match), each version's layout looked up once.
 */
export class FiredRules {
  private readonly layouts = new Map<string, readonly RuleLayout[] | undefined>();

  constructor(private readonly versions: LayoutSource) {}

  async of(core: DecisionCore, index: number): Promise<{ rule: string; tag?: string }[]> {
    const { id, version, checksum } = core.rulesets[index]!;
    const layout = core.fired ? await this.layoutOf(id, version, checksum) : undefined;
    return firedRulesOf(core, index, layout);
  }

  private async layoutOf(id: string, version: number, checksum: string): Promise<readonly RuleLayout[] | undefined> {
    const key = `${id}@${version}:${checksum}`;
    if (!this.layouts.has(key)) {
      const compiled = await this.versions.version(id, version);
      this.layouts.set(key, compiled?.identity.checksum === checksum ? compiled.layout : undefined);
    }
    return this.layouts.get(key);
  }
}
