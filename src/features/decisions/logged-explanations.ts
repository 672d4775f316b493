import { decodeLeafResults, encodeLeafResults } from '../../engine/explanation-codec.js';
import type { RuleExplanation, RulesetEvaluation, RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import { type DecisionPersonal, type DecisionRecord, reasonsOfCore } from './decision-record.js';
import type { PrincipalReason } from '../../engine/principal-reasons.js';
import { markSnoozed } from '../../engine/snoozed-rules.js';
import { loggedSnoozedRules } from '../snoozes/snoozes.js';

/** Where compiled versions come from (the ruleset runtime). */
export interface VersionSource {
  version(id: string, version: number): Promise<RulesetEvaluator | undefined>;
}

/** A logged decision's explanations (or why they cannot be rebuilt), and its principal reasons with their texts. */
export type LoggedExplanationsResult = ({ explanations: RuleExplanation[] } | { explanations: []; unavailable: string }) & {
  reasons?: PrincipalReason[];
};

/** What the log keeps of each ruleset's explanations: leaf results where they rebuild, else the explanations whole. */
export function leafResultsOf(
  evaluations: readonly RulesetEvaluation[],
  rulesets: readonly RulesetEvaluator[],
  facts: Readonly<Record<string, unknown>>,
): NonNullable<DecisionPersonal['leafResults']> {
  return evaluations.map((evaluation, index) => encodeLeafResults(evaluation.rules, rulesets[index]!.layout, facts) ?? evaluation.rules);
}

/**
 * Rebuilds the explanations of logged decisions from their leaf results, their logged facts and the
 * ruleset versions they name (entries logged before leaf results hold them whole). A version is used only
 * when what it holds still has the checksum the entry's hashed core names: otherwise the explanations
 * are not shown, and the answer says why.
 */
export class LoggedExplanations {
  constructor(private readonly versions: VersionSource) {}

  async of(record: DecisionRecord): Promise<LoggedExplanationsResult> {
    const explained = await this.explanationsOf(record);
    const reasons = record.core.reasons && (await this.reasonsWithTexts(reasonsOfCore(record.core)));
    return reasons ? { ...explained, reasons } : explained;
  }

  /** The logged reasons with the texts of the versions they name (a version not on record: the code stands in). */
  private async reasonsWithTexts(logged: ReturnType<typeof reasonsOfCore>): Promise<PrincipalReason[]> {
    const reasons: PrincipalReason[] = [];
    for (const reason of logged) {
      if (reason.text !== undefined) {
        reasons.push(reason as PrincipalReason);
        continue;
      }
      const version = await this.versions.version(reason.ruleset, reason.version);
      const { code, ruleset, rule } = reason;
      // The key order of the answer the caller received (principal-reasons.ts).
      reasons.push({ code, text: version?.identity.reasons?.[code] ?? code, ruleset, version: reason.version, rule });
    }
    return reasons;
  }

  private async explanationsOf(record: DecisionRecord): Promise<LoggedExplanationsResult> {
    const { personal, core } = record;
    if (!personal) return { explanations: [] };
    if (personal.leafResults === undefined) return { explanations: personal.explanations ?? [] };
    const explanations: RuleExplanation[] = [];
    for (const [index, logged] of personal.leafResults.entries()) {
      if (typeof logged !== 'string') {
        explanations.push(...logged);
        continue;
      }
      const pinned = core.rulesets[index];
      const ruleset = pinned && (await this.versions.version(pinned.id, pinned.version));
      if (!pinned || !ruleset) {
        return unavailable(`ruleset ${pinned?.id ?? index} version ${pinned?.version ?? '?'} is not on record`);
      }
      if (ruleset.identity.checksum !== pinned.checksum) {
        return unavailable(`ruleset ${pinned.id} version ${pinned.version} no longer matches the checksum logged with the decision`);
      }
      try {
        const message = (rule: string) => personal.messages[`${pinned.id}/${rule}`];
        explanations.push(...decodeLeafResults(logged, ruleset.layout, pinned, personal.facts, message));
      } catch (error) {
        return unavailable((error as Error).message);
      }
    }
    // Leaf results do not carry the snooze marks: the snoozes logged with the decision put them back.
    const snoozed = loggedSnoozedRules(personal.snoozes);
    if (snoozed) markSnoozed([{ rules: explanations }], snoozed);
    return { explanations };
  }
}

const unavailable = (why: string): LoggedExplanationsResult => ({
  explanations: [],
  unavailable: `The explanations cannot be rebuilt: ${why}.`,
});
