import { canonicalJson } from '../../json/canonical-json.js';
import { eventTimeOf } from '../../facts/fact-library.js';
import type { DecisionEvent } from '../../facts/decision-event.js';
import type { Thresholds } from '../../engine/decision-outcome.js';
import { evaluateDecision } from '../../engine/evaluate-decision.js';
import type { RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import type { ListLookup } from '../../engine/list-lookup.js';
import { loggedSemantics, SEMANTICS } from '../../engine/semantics.js';
import type { RulesetRuntime } from '../rulesets/ruleset-runtime.js';
import { conflict, notFound } from '../../errors/domain-error.js';
import type { DecisionLogStore } from './decision-log-store.js';
import { decisionResponse } from './decision-view.js';
import { decidedFields, renderedMessages, type DecisionRecord } from './decision-record.js';
import type { LoggedExplanations } from './logged-explanations.js';
import type { ReplayReport } from './decision-schema.js';
import { loggedSnoozedRules } from '../snoozes/snoozes.js';

type Difference = ReplayReport['differences'][number];

/**
 * Re-evaluates a logged decision from its logged facts with its logged ruleset versions and the
 * semantics its log entry names, and compares everything the decision said: outcome, score, tags,
 * products, alerts, principal reasons (ranked with today's REASONS_MAX) and explanations. A decision logged with semantics this service does not evaluate is
 * refused: evaluating it with other semantics would report differences that are no change of its rules.
 * Writes nothing.
 */
export class ReplayUseCase {
  constructor(
    private readonly log: DecisionLogStore,
    private readonly runtime: RulesetRuntime,
    private readonly thresholds: Thresholds,
    private readonly explanations: LoggedExplanations,
    private readonly reasonsMax: number,
    /** The lists as a logged decision saw them (list-registry.ts). */
    private readonly lists?: { asOf(revisions: Readonly<Record<string, number>>): Promise<ListLookup> },
  ) {}

  async replay(decisionId: string): Promise<ReplayReport> {
    const logged = await this.log.get(decisionId);
    if (!logged) throw notFound(`No decision with id ${decisionId}.`);
    if (!logged.personal) throw conflict('This decision was erased: its facts are masked, so it cannot be replayed.');
    const semantics = loggedSemantics(logged.core.engine);
    if (semantics !== SEMANTICS) {
      throw conflict(
        `This decision was logged with the rule semantics ${JSON.stringify(semantics ?? 'unknown')}; this service evaluates ${SEMANTICS} only, so it cannot replay it.`,
      );
    }
    const differences: Difference[] = [];
    // The live decision's reading of its event time, so that replay compares like with like.
    const eventTime = eventTimeOf(logged.personal.request.event as DecisionEvent);
    const rulesets: RulesetEvaluator[] = [];
    for (const [index, pinned] of logged.core.rulesets.entries()) {
      const ruleset = await this.runtime.version(pinned.id, pinned.version);
      if (!ruleset) {
        differences.push({ path: `/rulesets/${index}`, logged: pinned, replayed: null });
        continue;
      }
      if (ruleset.identity.checksum !== pinned.checksum) {
        differences.push({ path: `/rulesets/${index}/checksum`, logged: pinned.checksum, replayed: ruleset.identity.checksum });
      }
      rulesets.push(ruleset);
    }
    // The list revisions the decision logged, rebuilt when a list changed since: replay sees what it saw.
    const lists = logged.core.lists && this.lists ? await this.lists.asOf(logged.core.lists) : undefined;
    // The snoozes that held when it was decided hold again: they are part of what was decided.
    const snoozed = loggedSnoozedRules(logged.personal.snoozes);
    const { evaluations, composed, reasons } = await evaluateDecision(
      rulesets,
      logged.personal.facts,
      eventTime,
      this.thresholds,
      snoozed,
      lists,
    );
    const told = reasons.slice(0, this.reasonsMax);
    const replayed: DecisionRecord = {
      ...logged,
      core: {
        ...logged.core,
        ...decidedFields(
          composed,
          evaluations,
          rulesets.map((ruleset) => ruleset.layout),
        ),
        reasons: told,
      },
      personal: { ...logged.personal, messages: renderedMessages(evaluations) },
    };
    const before = decisionResponse(logged, await this.explanations.of(logged));
    const after = decisionResponse(replayed, { explanations: evaluations.flatMap((evaluation) => evaluation.rules), reasons: told });
    for (const key of ['outcome', 'score', 'tags', 'products', 'alerts', 'explanations'] as const) {
      compare(`/${key}`, before[key], after[key], differences);
    }
    // Entries logged before reasons existed told the applicant none: nothing to compare them with.
    if (logged.core.reasons !== undefined) compare('/reasons', before.reasons, after.reasons, differences);
    return {
      decisionId,
      identical: differences.length === 0,
      differences,
      rulesetVersions: before.rulesetVersions,
      semantics,
    };
  }
}

/** Collects differences down to the first level where arrays or objects diverge. */
function compare(path: string, logged: unknown, replayed: unknown, into: Difference[]): void {
  if (canonicalJson(logged) === canonicalJson(replayed)) return;
  if (Array.isArray(logged) && Array.isArray(replayed) && logged.length === replayed.length) {
    logged.forEach((item, index) => void compare(`${path}/${index}`, item, replayed[index], into));
    return;
  }
  into.push({ path, logged: logged ?? null, replayed: replayed ?? null });
}
