import { type DecisionRecord, reasonsOfCore } from './decision-record.js';
import type { LoggedExplanationsResult } from './logged-explanations.js';

const messageKey = (ruleset: string, rule: string): string => `${ruleset}/${rule}`;

/**
 * The contract's decision response, from a log entry and its explanations (as evaluated, or rebuilt from
 * the entry: so a replayed idempotent call is identical).
 */
export function decisionResponse(record: DecisionRecord, explained: LoggedExplanationsResult) {
  const { core, personal } = record;
  const messages = personal?.messages ?? {};
  const withMessage = <T extends { ruleset: string; rule: string }>(item: T) => {
    const message = messages[messageKey(item.ruleset, item.rule)];
    return message === undefined ? item : { ...item, message };
  };
  return {
    decisionId: core.decisionId,
    profileId: personal?.profileId ?? null,
    outcome: core.outcome,
    score: core.score,
    tags: core.tags,
    products: core.products.map(withMessage),
    alerts: core.alerts.map(withMessage),
    // Without the texts the versions give (lists that do not show reasons), the code stands in.
    reasons:
      explained.reasons ??
      reasonsOfCore(core).map(({ code, text, ruleset, version, rule }) => ({ code, text: text ?? code, ruleset, version, rule })),
    explanations: explained.explanations.map((rule) => ({
      ruleset: rule.ruleset,
      version: rule.version,
      rule: rule.rule,
      priority: rule.priority,
      fired: rule.fired,
      event: rule.event,
      conditions: rule.conditions,
      ...(rule.snoozed && { snoozed: true }),
    })),
    ...(personal?.snoozes && { snoozes: personal.snoozes }),
    rulesetVersions: Object.fromEntries(core.rulesets.map((ruleset) => [ruleset.id, ruleset.version])),
    evaluatedAt: core.evaluatedAt,
    latencyMs: core.timings.totalMs,
    ...('unavailable' in explained && { explanationsUnavailable: explained.unavailable }),
  };
}

/** What compliance sees: the response plus facts, request, caller, versions and checksums, and masking. */
export function loggedDecision(record: DecisionRecord, explained: LoggedExplanationsResult) {
  const { core, personal } = record;
  return {
    ...decisionResponse(record, explained),
    facts: personal?.facts ?? null,
    request: personal?.request ?? null,
    caller: core.caller,
    requestId: core.requestId,
    createdAt: core.createdAt,
    rulesets: core.rulesets,
    engine: core.engine,
    ...(core.lists && { lists: core.lists }),
    timings: core.timings,
    hash: record.hash,
    masked: record.masked,
  };
}
