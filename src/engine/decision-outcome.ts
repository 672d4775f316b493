import type { RulesetEvaluation } from './ruleset-evaluation.js';
import type { Outcome, Severity } from './rule-schema.js';

export interface Thresholds {
  declineScore: number;
  reviewScore: number;
}

interface Source {
  ruleset: string;
  version: number;
  rule: string;
}

export interface TagYield extends Source {
  tag: string;
}
export interface ProductYield extends Source {
  product: string;
  rank: number;
  message?: string;
}
export interface AlertYield extends Source {
  code: string;
  severity: Severity;
  message?: string;
}
export interface ScoreYield extends Source {
  points: number;
  message?: string;
}

/** What fired rules yield, combined over every ruleset evaluated. */
export interface ComposedDecision {
  tags: string[];
  tagSources: TagYield[];
  products: ProductYield[];
  alerts: AlertYield[];
  scores: ScoreYield[];
  score: number;
  outcome: Outcome;
  firedRules: Source[];
}

/**
 * Combines rule results: tags de-duplicated, products ranked (best rank wins for a product offered
 * twice), alerts listed, score points summed, and the outcome from alerts and score:
 * decline on a high alert or score ≥ decline threshold; review on a medium alert or score ≥ review
 * threshold; approve otherwise.
 */
export function composeDecision(evaluations: RulesetEvaluation[], thresholds: Thresholds): ComposedDecision {
  const tagSources: TagYield[] = [];
  const bestProducts = new Map<string, ProductYield>();
  const alerts: AlertYield[] = [];
  const scores: ScoreYield[] = [];
  const firedRules: Source[] = [];
  for (const evaluation of evaluations) {
    for (const rule of evaluation.rules) {
      if (!rule.fired || rule.snoozed) continue;
      const source: Source = { ruleset: rule.ruleset, version: rule.version, rule: rule.rule };
      firedRules.push(source);
      const params = rule.event.params;
      const message = rule.message !== undefined ? { message: rule.message } : {};
      switch (rule.event.type) {
        case 'tag':
          tagSources.push({ tag: params.tag as string, ...source });
          break;
        case 'product': {
          const offer: ProductYield = { product: params.product as string, rank: params.rank as number, ...message, ...source };
          const known = bestProducts.get(offer.product);
          if (!known || offer.rank < known.rank) bestProducts.set(offer.product, offer);
          break;
        }
        case 'alert':
          alerts.push({ code: params.code as string, severity: params.severity as Severity, ...message, ...source });
          break;
        case 'score':
          scores.push({ points: params.points as number, ...message, ...source });
          break;
      }
    }
  }
  const score = scores.reduce((sum, item) => sum + item.points, 0);
  const products = [...bestProducts.values()].sort((a, b) => a.rank - b.rank || a.product.localeCompare(b.product));
  const tags = [...new Set(tagSources.map((item) => item.tag))];
  return { tags, tagSources, products, alerts, scores, score, outcome: outcomeOf(alerts, score, thresholds), firedRules };
}

/** What a decision yields, by name only: what draft tests check and simulations compare. */
export interface YieldedNames {
  tags: string[];
  products: string[];
  /** Alert codes, each once. */
  alerts: string[];
  outcome: Outcome;
  score: number;
}

export function yieldedNames(composed: ComposedDecision): YieldedNames {
  return {
    tags: composed.tags,
    products: composed.products.map((product) => product.product),
    alerts: [...new Set(composed.alerts.map((alert) => alert.code))],
    outcome: composed.outcome,
    score: composed.score,
  };
}

export function outcomeOf(alerts: { severity: Severity }[], score: number, thresholds: Thresholds): Outcome {
  if (alerts.some((alert) => alert.severity === 'high') || score >= thresholds.declineScore) return 'decline';
  if (alerts.some((alert) => alert.severity === 'medium') || score >= thresholds.reviewScore) return 'review';
  return 'approve';
}
