import { yieldedNames, type ComposedDecision } from '../../engine/decision-outcome.js';
import type { RulesetEvaluation } from '../../engine/ruleset-evaluation.js';

export const CHANGE_KINDS = ['outcome', 'tags', 'products', 'alerts'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface RuleHits {
  rule: string;
  hitsActive: number;
  hitsShadow: number;
}

/** A decision the shadow would have decided differently, and how. */
export interface ShadowExample {
  decisionId: string;
  at: string;
  changed: ChangeKind[];
}

/** Counts as stored and summed: plain arrays, so that rule names (client input) never become object keys. */
export interface StoredTally {
  decisions: number;
  /** Shadow evaluations that threw: counted, never thrown at the decision. */
  errors: number;
  /** Decisions the shadow could not evaluate without a database read (it reads a history the active versions do not). */
  unevaluated: number;
  changed: Record<ChangeKind, number>;
  rules: RuleHits[];
  examples: ShadowExample[];
}

/** The most recent differing decisions each instance keeps (and a report shows). */
export const MAX_EXAMPLES = 20;

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((item) => set.has(item));
};

/** What differs between the decision answered and the one the shadow would have given. */
export function differences(active: ComposedDecision, shadow: ComposedDecision): ChangeKind[] {
  const a = yieldedNames(active);
  const s = yieldedNames(shadow);
  const changed: ChangeKind[] = [];
  if (a.outcome !== s.outcome) changed.push('outcome');
  if (!sameSet(a.tags, s.tags)) changed.push('tags');
  if (!sameSet(a.products, s.products)) changed.push('products');
  if (!sameSet(a.alerts, s.alerts)) changed.push('alerts');
  return changed;
}

/** One period's counts on this instance, accumulated in memory between flushes. */
export class ShadowTally {
  decisions = 0;
  errors = 0;
  unevaluated = 0;
  private readonly changed: Record<ChangeKind, number> = { outcome: 0, tags: 0, products: 0, alerts: 0 };
  private readonly rules = new Map<string, RuleHits>();
  private examples: ShadowExample[] = [];
  /** Bumped on every change, so a flush writes only what moved since the last one. */
  revision = 0;

  record(decisionId: string, active: RulesetEvaluation, shadow: RulesetEvaluation, changed: ChangeKind[], at: Date): void {
    this.decisions++;
    for (const kind of changed) this.changed[kind]++;
    for (const rule of active.rules) if (rule.fired) this.hits(rule.rule).hitsActive++;
    for (const rule of shadow.rules) if (rule.fired) this.hits(rule.rule).hitsShadow++;
    if (changed.length > 0) {
      this.examples.push({ decisionId, at: at.toISOString(), changed });
      if (this.examples.length > MAX_EXAMPLES) this.examples = this.examples.slice(-MAX_EXAMPLES);
    }
    this.revision++;
  }

  failed(): void {
    this.errors++;
    this.revision++;
  }

  skipped(): void {
    this.unevaluated++;
    this.revision++;
  }

  /** Declares every rule of both versions, so that a rule that never fires shows with zero hits. */
  declareRules(names: Iterable<string>): void {
    for (const name of names) this.hits(name);
  }

  private hits(rule: string): RuleHits {
    let hits = this.rules.get(rule);
    if (!hits) {
      hits = { rule, hitsActive: 0, hitsShadow: 0 };
      this.rules.set(rule, hits);
    }
    return hits;
  }

  snapshot(): StoredTally {
    return {
      decisions: this.decisions,
      errors: this.errors,
      unevaluated: this.unevaluated,
      changed: { ...this.changed },
      rules: [...this.rules.values()].map((hits) => ({ ...hits })),
      examples: [...this.examples],
    };
  }
}

/** The sum of several instances' counts: rules by name (in first-seen order), the most recent examples. */
export function sumTallies(tallies: readonly StoredTally[]): StoredTally {
  const changed: Record<ChangeKind, number> = { outcome: 0, tags: 0, products: 0, alerts: 0 };
  const rules = new Map<string, RuleHits>();
  let decisions = 0;
  let errors = 0;
  let unevaluated = 0;
  const examples: ShadowExample[] = [];
  for (const tally of tallies) {
    decisions += tally.decisions;
    errors += tally.errors ?? 0;
    unevaluated += tally.unevaluated ?? 0;
    for (const kind of CHANGE_KINDS) changed[kind] += tally.changed?.[kind] ?? 0;
    for (const hit of tally.rules ?? []) {
      const sum = rules.get(hit.rule) ?? { rule: hit.rule, hitsActive: 0, hitsShadow: 0 };
      sum.hitsActive += hit.hitsActive;
      sum.hitsShadow += hit.hitsShadow;
      rules.set(hit.rule, sum);
    }
    examples.push(...(tally.examples ?? []));
  }
  examples.sort((a, b) => b.at.localeCompare(a.at) || a.decisionId.localeCompare(b.decisionId));
  return { decisions, errors, unevaluated, changed, rules: [...rules.values()], examples: examples.slice(0, MAX_EXAMPLES) };
}
