import type { Outcome, Severity } from './rule-schema.js';
import type { RuleExplanation, RulesetEvaluation, RulesetIdentity } from './ruleset-evaluation.js';

/** One principal reason of a decision: what the applicant is told, and which rule of which version gave it. */
export interface PrincipalReason {
  code: string;
  text: string;
  ruleset: string;
  version: number;
  rule: string;
}

/** How much an alert weighs towards an adverse outcome; low alerts change no outcome, so they give no reason. */
const SEVERITY_RANK: Partial<Record<Severity, number>> = { high: 2, medium: 1 };

interface Candidate {
  reason: PrincipalReason;
  /** 0: an alert, 1: a score rule; alerts rank first. */
  group: number;
  /** Severity rank for alerts, points for score rules: higher first. */
  weight: number;
}

/** Plain code-point order: ties must break the same way whatever the process's locale. */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The principal reasons of a decision, most important first, before any cap: only a `decline` or a
 * `review` has reasons (`approve` has none). Fired rules whose event names a `reason` contribute:
 * high then medium alerts, then score rules by points, highest first (rules yielding no points or
 * fewer, and low alerts, changed no outcome and give none). Ties are broken by ruleset id, then
 * rule name (both in code-point order), so the ranking never depends on evaluation order. A code a
 * ruleset gives twice is listed once, at its best rank. A code missing from its version's catalogue
 * (drafts saved before the check, or a catalogue edited outside the service) is skipped: a reason
 * without its text cannot be told to anyone.
 */
export function principalReasons(
  rulesets: readonly { readonly identity: RulesetIdentity }[],
  evaluations: readonly RulesetEvaluation[],
  outcome: Outcome,
): PrincipalReason[] {
  if (outcome === 'approve') return [];
  const catalogues = new Map(rulesets.map(({ identity }) => [`${identity.id}@${identity.version}`, identity.reasons]));
  const candidates: Candidate[] = [];
  for (const evaluation of evaluations) {
    const catalogue = catalogues.get(`${evaluation.ruleset}@${evaluation.version}`);
    if (!catalogue) continue;
    for (const rule of evaluation.rules) {
      const candidate = rule.fired && !rule.snoozed ? candidateOf(rule, catalogue) : undefined;
      if (candidate) candidates.push(candidate);
    }
  }
  candidates.sort(
    (a, b) =>
      a.group - b.group ||
      b.weight - a.weight ||
      byCodePoint(a.reason.ruleset, b.reason.ruleset) ||
      byCodePoint(a.reason.rule, b.reason.rule),
  );
  const seen = new Set<string>();
  const ranked: PrincipalReason[] = [];
  for (const { reason } of candidates) {
    const key = `${reason.ruleset}\u0000${reason.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ranked.push(reason);
  }
  return ranked;
}

function candidateOf(rule: RuleExplanation, catalogue: Readonly<Record<string, string>>): Candidate | undefined {
  const { type, params } = rule.event;
  const code = params.reason;
  if (typeof code !== 'string' || !Object.hasOwn(catalogue, code)) return undefined;
  const reason: PrincipalReason = { code, text: catalogue[code]!, ruleset: rule.ruleset, version: rule.version, rule: rule.rule };
  if (type === 'alert') {
    const weight = SEVERITY_RANK[params.severity as Severity];
    return weight === undefined ? undefined : { reason, group: 0, weight };
  }
  if (type === 'score' && typeof params.points === 'number' && params.points > 0) return { reason, group: 1, weight: params.points };
  return undefined;
}
